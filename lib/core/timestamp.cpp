#include "lib/core/timestamp.h"

#include <cstdio>

namespace fedtriage {
namespace {

// Howard Hinnant's days_from_civil: days since 1970-01-01 for y-m-d (Gregorian).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<int64_t> utc_ms(int year, int month, int day, int hour, int minute, int second,
                              int millis) {
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 || hour < 0 ||
      minute < 0 || second < 0 || millis < 0 || millis > 999) {
    return std::nullopt;
  }
  const int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60000 + int64_t{second} * 1000 + millis;
}

std::string format_clock_utc(int64_t ms) {
  return format_iso_utc(ms).substr(11, 12);
}

std::string format_iso_utc(int64_t ms) {
  int64_t days = ms / 86400000;
  int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  const int64_t h = rem / 3600000, mi = rem / 60000 % 60, s = rem / 1000 % 60, milli = rem % 1000;
  if (y >= 0 && y <= 9999) {
    // Every event and call row formats a time: digits by hand, not through printf.
    char out[] = "0000-00-00T00:00:00.000Z";
    auto put = [&out](size_t at, int64_t value, int width) {
      for (int k = width - 1; k >= 0; --k, value /= 10)
        out[at + k] = static_cast<char>('0' + value % 10);
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, h, 2);
    put(14, mi, 2);
    put(17, s, 2);
    put(20, milli, 3);
    return std::string(out, sizeof out - 1);
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(h),
                static_cast<long long>(mi), static_cast<long long>(s),
                static_cast<long long>(milli));
  return buf;
}

std::optional<int> parse_fixed_digits(std::string_view s, size_t pos, size_t n) {
  if (pos > s.size() || s.size() - pos < n) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<int64_t> parse_ymd_hms_millis(std::string_view s) {
  // 0123456789012345678901
  // 2017-03-02 07:10:46,240
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  auto y = parse_fixed_digits(s, 0, 4), mo = parse_fixed_digits(s, 5, 2),
       d = parse_fixed_digits(s, 8, 2), h = parse_fixed_digits(s, 11, 2),
       mi = parse_fixed_digits(s, 14, 2), se = parse_fixed_digits(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  int millis = 0;
  if (s.size() >= 23 && (s[19] == ',' || s[19] == '.')) {
    auto ms = parse_fixed_digits(s, 20, 3);
    if (!ms) return std::nullopt;
    millis = *ms;
  }
  return utc_ms(*y, *mo, *d, *h, *mi, *se, millis);
}

std::optional<int64_t> parse_mdy_hms_millis(std::string_view s) {
  // 01234567890123456789012
  // 03/02/2017-07:10:46.230
  if (s.size() < 23 || s[2] != '/' || s[5] != '/' || s[13] != ':' || s[16] != ':' || s[19] != '.') {
    return std::nullopt;
  }
  auto mo = parse_fixed_digits(s, 0, 2), d = parse_fixed_digits(s, 3, 2),
       y = parse_fixed_digits(s, 6, 4), h = parse_fixed_digits(s, 11, 2),
       mi = parse_fixed_digits(s, 14, 2), se = parse_fixed_digits(s, 17, 2),
       ms = parse_fixed_digits(s, 20, 3);
  if (!y || !mo || !d || !h || !mi || !se || !ms) return std::nullopt;
  return utc_ms(*y, *mo, *d, *h, *mi, *se, *ms);
}

std::optional<int> parse_utc_offset(std::string_view s) {
  if (s == "Z" || s == "z") return 0;
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const int sign = s[0] == '-' ? -1 : 1;
  auto h = parse_fixed_digits(s, 1, 2);
  if (!h) return std::nullopt;
  int m = 0;
  if (s.size() == 6 && s[3] == ':') {
    auto mm = parse_fixed_digits(s, 4, 2);
    if (!mm) return std::nullopt;
    m = *mm;
  } else if (s.size() == 5) {
    auto mm = parse_fixed_digits(s, 3, 2);
    if (!mm) return std::nullopt;
    m = *mm;
  } else if (s.size() != 3) {
    return std::nullopt;
  }
  if (*h > 14 || m > 59) return std::nullopt;
  return sign * (*h * 60 + m);
}

}  // namespace fedtriage
