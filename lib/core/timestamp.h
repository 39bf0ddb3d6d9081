// UTC timestamps as milliseconds since the Unix epoch, and the fixed-layout scanners the
// parsers share. No time zone database: every log states UTC or an explicit offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fedtriage {

// Milliseconds since 1970-01-01T00:00:00Z for a proleptic Gregorian date and time.
// Returns nullopt when a field is out of range (month 13, second 61, ...).
std::optional<int64_t> utc_ms(int year, int month, int day, int hour, int minute, int second,
                              int millis);

// "2017-03-02T07:10:46.240Z"
std::string format_iso_utc(int64_t ms);
// Its time of day alone, "07:10:46.240": the time column of a ladder.
std::string format_clock_utc(int64_t ms);

// Parses exactly `n` ASCII digits at s[pos..pos+n); nullopt if any is not a digit or s is short.
std::optional<int> parse_fixed_digits(std::string_view s, size_t pos, size_t n);

// "2017-03-02 07:10:46,240" or with '.' before the millis (Expressway UTCTime).
std::optional<int64_t> parse_ymd_hms_millis(std::string_view s);

// "03/02/2017-07:10:46.230" (Edge CLS) and "03/02/2017|08:10:46.221" (UccApiLog): MM/DD/YYYY,
// one separator character, HH:MM:SS.mmm.
std::optional<int64_t> parse_mdy_hms_millis(std::string_view s);

// "+01:00", "-0500", "Z" -> offset in minutes east of UTC.
std::optional<int> parse_utc_offset(std::string_view s);

}  // namespace fedtriage
