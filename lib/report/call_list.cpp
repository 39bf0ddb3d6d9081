#include "lib/report/call_list.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lib/base/ascii.h"
#include "lib/base/json_dump.h"
#include "lib/core/timestamp.h"
#include "lib/correlate/event_sketch.h"
#include "lib/report/csv_cell.h"
#include "lib/report/json_support.h"
#include "lib/report/terminal_text.h"

namespace fedtriage {
namespace {

// "ok", "normal" or "failed"; rows of an older schema have no outcome: from `failed`.
std::string outcome_text(const CallSummary& c) {
  if (!c.outcome.empty()) return c.outcome;
  return c.failed() ? "failed" : "ok";
}

bool contains_nocase(const std::string& haystack, const std::string& needle_lower) {
  return to_lower_ascii(haystack).find(needle_lower) != std::string::npos;
}

bool keep(const CallSummary& c, const CallFilter& f, const std::string& domain,
          const std::string& grep) {
  if (f.outcome == CallOutcome::Failed && outcome_text(c) != "failed") return false;
  if (f.outcome == CallOutcome::Ok && outcome_text(c) != "ok") return false;
  if (f.outcome == CallOutcome::Normal && outcome_text(c) != "normal") return false;
  if (f.status >= 0 && c.final_status != f.status) return false;
  if (f.since_ms && c.first_ms < *f.since_ms) return false;
  if (f.until_ms && c.first_ms >= *f.until_ms) return false;
  if (!domain.empty() && !contains_nocase(uri_domain(c.from_uri), domain) &&
      !contains_nocase(uri_domain(c.to_uri), domain) &&
      !contains_nocase(uri_domain(c.request_uri), domain)) {
    return false;
  }
  if (!grep.empty() && !contains_nocase(c.call_id, grep) && !contains_nocase(c.from_uri, grep) &&
      !contains_nocase(c.to_uri, grep) && !contains_nocase(c.request_uri, grep) &&
      !contains_nocase(c.from_display, grep)) {
    return false;
  }
  return true;
}

// "2017-03-02 07:10:46" (the listing needs no millis; JSON and CSV keep them).
std::string short_time(int64_t ms) {
  std::string iso = format_iso_utc(ms);
  iso[10] = ' ';
  return iso.substr(0, 19);
}

std::string rules_text(const CallSummary& c) {
  std::string out;
  for (const std::string& r : c.rule_ids) out += (out.empty() ? "" : ",") + r;
  return out;
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::optional<int64_t> parse_time_bound(const std::string& text, bool end_of) {
  std::string s = text;
  if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.pop_back();
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto year = parse_fixed_digits(s, 0, 4), month = parse_fixed_digits(s, 5, 2),
       day = parse_fixed_digits(s, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  int hour = 0, minute = 0, second = 0, millis = 0;
  int64_t step = 24 * 3600 * 1000LL;  // what `end_of` adds: the unit of the last field given
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s.size() < 16 || s[13] != ':') {
      return std::nullopt;
    }
    auto h = parse_fixed_digits(s, 11, 2), m = parse_fixed_digits(s, 14, 2);
    if (!h || !m) return std::nullopt;
    hour = *h;
    minute = *m;
    step = 60 * 1000;
    if (s.size() > 16) {
      auto sec = s[16] == ':' ? parse_fixed_digits(s, 17, 2) : std::nullopt;
      if (!sec) return std::nullopt;
      second = *sec;
      step = 1000;
      if (s.size() > 19) {
        auto ms = s[19] == '.' && s.size() == 23 ? parse_fixed_digits(s, 20, 3) : std::nullopt;
        if (!ms) return std::nullopt;
        millis = *ms;
        step = 1;
      } else if (s.size() != 19) {
        return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59) return std::nullopt;
  }
  auto ms = utc_ms(*year, *month, *day, hour, minute, second, millis);
  if (!ms) return std::nullopt;
  return end_of ? *ms + step : *ms;
}

std::vector<CallSummary> select_calls(std::vector<CallSummary> calls, const CallFilter& filter) {
  const std::string domain = to_lower_ascii(filter.domain), grep = to_lower_ascii(filter.grep);
  std::erase_if(calls, [&](const CallSummary& c) { return !keep(c, filter, domain, grep); });
  std::stable_sort(calls.begin(), calls.end(), [](const CallSummary& a, const CallSummary& b) {
    if (a.first_ms != b.first_ms) return a.first_ms > b.first_ms;
    if (a.call_id != b.call_id) return a.call_id < b.call_id;
    return a.case_name < b.case_name;
  });
  if (filter.limit && calls.size() > filter.limit) calls.resize(filter.limit);
  return calls;
}

std::string calls_to_text(const std::vector<CallSummary>& calls) {
  if (calls.empty()) return "No calls.\n";
  size_t case_w = 4, id_w = 7, method_w = 6;
  for (const CallSummary& c : calls) {
    case_w = std::max(case_w, terminal_safe(c.case_name).size());
    id_w = std::max(id_w, terminal_safe(c.call_id).size());
    method_w = std::max(method_w, terminal_safe(c.method).size());
  }
  std::ostringstream o;
  o << pad("time (UTC)", 19) << "  " << pad("case", case_w) << "  " << pad("Call-ID", id_w) << "  "
    << pad("method", method_w) << "  status  from → to  [rules]\n";
  for (const CallSummary& c : calls) {
    const std::string status = c.final_status ? std::to_string(c.final_status) : "-";
    o << short_time(c.first_ms) << "  " << pad(terminal_safe(c.case_name), case_w) << "  "
      << pad(terminal_safe(c.call_id), id_w) << "  "
      << pad(c.method.empty() ? "-" : terminal_safe(c.method), method_w) << "  " << pad(status, 6)
      << "  " << (c.from_uri.empty() ? "?" : terminal_safe(c.from_uri)) << " → "
      << (c.to_uri.empty() ? "?" : terminal_safe(c.to_uri));
    if (!c.rule_ids.empty()) o << "  [" << terminal_safe(rules_text(c)) << "]";
    o << "\n";
  }
  return o.str();
}

std::string calls_to_json(const std::vector<CallSummary>& calls) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const CallSummary& c : calls) {
    nlohmann::ordered_json row = {{"time", format_iso_utc(c.first_ms)},
                                  {"last", format_iso_utc(c.last_ms)},
                                  {"case", c.case_name},
                                  {"call_id", c.call_id}};
    add_call_ends_json(row, c);
    row["outcome"] = outcome_text(c);
    row["events"] = c.event_count;
    row["rules"] = c.rule_ids;
    row["conversation"] = c.conversation;
    out.push_back(std::move(row));
  }
  return dump_json(out, 2) + "\n";
}

std::string calls_to_csv(const std::vector<CallSummary>& calls) {
  std::ostringstream o;
  o << "time,case,call_id,method,from,to,final_status,final_reason,outcome,rules,conversation\n";
  for (const CallSummary& c : calls) {
    o << format_iso_utc(c.first_ms) << "," << csv_cell(c.case_name) << "," << csv_cell(c.call_id)
      << "," << csv_cell(c.method) << "," << csv_cell(c.from_uri) << "," << csv_cell(c.to_uri)
      << "," << c.final_status << "," << csv_cell(c.final_reason) << "," << outcome_text(c) << ","
      << csv_cell(rules_text(c)) << "," << csv_cell(c.conversation) << "\n";
  }
  return o.str();
}

}  // namespace fedtriage
