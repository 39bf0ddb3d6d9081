#include "lib/rules/yaml_values.h"

#include "lib/base/ascii.h"
#include "lib/core/product.h"

namespace fedtriage::rules {
namespace {

// YAML aliases let a few bytes stand for millions of values (`[*a, *a, ...]` nested): every
// value read is counted against a per-file budget, far above any real rule file.
constexpr size_t kValueBudget = 50000;
constexpr size_t kByteBudget = 4 << 20;
thread_local size_t values_read = 0;
thread_local size_t bytes_read = 0;

}  // namespace

void reset_value_budget() {
  values_read = 0;
  bytes_read = 0;
}

std::string scalar(const YAML::Node& n, std::string_view what) {
  if (!n.IsScalar()) throw RuleError(n, std::string(what) + ": expected a single value");
  bytes_read += n.Scalar().size();
  if (++values_read > kValueBudget || bytes_read > kByteBudget) {
    throw RuleError(n, "file too large: more than " + std::to_string(kValueBudget) + " values or " +
                           std::to_string(kByteBudget >> 20) +
                           " MiB (aliases count each time they are used)");
  }
  return n.Scalar();
}

// A scalar or a list of scalars.
std::vector<std::string> scalars(const YAML::Node& n, std::string_view what) {
  std::vector<std::string> out;
  if (n.IsSequence()) {
    for (const YAML::Node& item : n) out.push_back(scalar(item, what));
  } else {
    out.push_back(scalar(n, what));
  }
  if (out.empty()) throw RuleError(n, std::string(what) + ": empty list");
  return out;
}

long long parse_integer(const YAML::Node& n, std::string_view text, std::string_view what) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin() + (text[0] == '-' ? 1 : 0), text.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
      text == "-") {
    throw RuleError(n, std::string(what) + ": '" + std::string(text) + "' is not a number");
  }
  return std::stoll(std::string(text));
}

bool parse_bool(const YAML::Node& n, std::string_view what) {
  const std::string v = to_lower_ascii(scalar(n, what));
  if (v == "true" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "no" || v == "off") return false;
  throw RuleError(n, std::string(what) + ": expected true or false");
}

Source parse_source(const YAML::Node& n, const std::string& text) {
  if (const ProductInfo* product = find_product(text)) return product->source;
  throw RuleError(n, "source: '" + text + "' is not one of " + product_names());
}

EventKind parse_kind(const YAML::Node& n, const std::string& text) {
  const std::string v = to_lower_ascii(text);
  for (EventKind k : {EventKind::Sip, EventKind::Diagnostic, EventKind::Tls, EventKind::Tcp,
                      EventKind::Dns, EventKind::CallEvent}) {
    if (v == to_string(k)) return k;
  }
  throw RuleError(n,
                  "kind: '" + text + "' is not one of sip, diagnostic, tls, tcp, dns, call_event");
}

Direction parse_direction(const YAML::Node& n, const std::string& text) {
  const std::string v = to_lower_ascii(text);
  if (v == "in") return Direction::In;
  if (v == "out") return Direction::Out;
  if (v == "unknown") return Direction::Unknown;
  throw RuleError(n, "direction: '" + text + "' is not one of in, out");
}

StatusRange parse_status(const YAML::Node& n, const std::string& text) {
  // 504, "5xx", "500-599"
  if (text.size() == 3 && std::isdigit(static_cast<unsigned char>(text[0])) &&
      to_lower_ascii(text.substr(1)) == "xx") {
    const int hundreds = (text[0] - '0') * 100;
    return {hundreds, hundreds + 99};
  }
  if (size_t dash = text.find('-'); dash != std::string::npos && dash > 0) {
    const int lo = static_cast<int>(parse_integer(n, text.substr(0, dash), "status"));
    const int hi = static_cast<int>(parse_integer(n, text.substr(dash + 1), "status"));
    if (lo > hi) throw RuleError(n, "status: empty range '" + text + "'");
    return {lo, hi};
  }
  const int code = static_cast<int>(parse_integer(n, text, "status"));
  if (code < 100 || code > 699) throw RuleError(n, "status: " + text + " is not a SIP status");
  return {code, code};
}

}  // namespace fedtriage::rules
