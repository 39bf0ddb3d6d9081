#include "lib/store/json_columns.h"

#include <nlohmann/json.hpp>

namespace fedtriage::store_json {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json parse(std::string_view text) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? Json() : j;
}

std::string as_string(const Json& j) {
  return j.is_string() ? j.get<std::string>() : j.dump();
}

Json object_from_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  Json object = Json::object();
  for (const auto& [key, value] : pairs) {
    if (!object.contains(key)) object[key] = value;
  }
  return object;
}

std::vector<std::pair<std::string, std::string>> pairs_from_object(const Json& object) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!object.is_object()) return pairs;
  for (const auto& [key, value] : object.items()) pairs.emplace_back(key, as_string(value));
  return pairs;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A JSON string as nlohmann's dump(ensure_ascii = false) writes it, for ASCII text (bytes
// above 0x7F need its UTF-8 check and replacement: they take the nlohmann path).
void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

}  // namespace

std::string from_fields(const Fields& fields) {
  // The common case by hand, the same bytes: a few ASCII pairs.
  constexpr size_t kFastPairs = 32;  // duplicate keys are found by comparing with each earlier
  if (fields.empty()) return "{}";
  bool fast = fields.size() <= kFastPairs;
  size_t size = 2;
  for (size_t i = 0; fast && i < fields.size(); ++i) {
    fast = is_ascii(fields[i].first) && is_ascii(fields[i].second);
    size += fields[i].first.size() + fields[i].second.size() + 6;
  }
  if (!fast) return dump(object_from_pairs(fields));
  std::string out;
  out.reserve(size);
  out += '{';
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& key = fields[i].first;
    bool repeated = false;  // a repeated key keeps its first value
    for (size_t j = 0; j < i && !repeated; ++j) repeated = fields[j].first == key;
    if (repeated) continue;
    if (out.size() > 1) out += ',';
    append_string(out, key);
    out += ':';
    append_string(out, fields[i].second);
  }
  out += '}';
  return out;
}

Fields to_fields(std::string_view json) {
  return pairs_from_object(parse(json));
}

std::string from_ms_diagnostics(const std::vector<MsDiagnostic>& diagnostics) {
  if (diagnostics.empty()) return "[]";
  Json array = Json::array();
  for (const auto& d : diagnostics) {
    array.push_back({{"code", d.code},
                     {"sub_code", d.sub_code},
                     {"public", d.is_public},
                     {"reason", d.reason},
                     {"params", object_from_pairs(d.params)}});
  }
  return dump(array);
}

std::vector<MsDiagnostic> to_ms_diagnostics(std::string_view json) {
  std::vector<MsDiagnostic> out;
  Json array = parse(json);
  if (!array.is_array()) return out;
  for (const auto& item : array) {
    if (!item.is_object()) continue;
    MsDiagnostic d;
    d.code = item.value("code", 0);
    d.sub_code = item.value("sub_code", -1);
    d.is_public = item.value("public", false);
    d.reason = item.value("reason", std::string());
    if (item.contains("params")) d.params = pairs_from_object(item["params"]);
    out.push_back(std::move(d));
  }
  return out;
}

std::string from_strings(const std::vector<std::string>& values) {
  bool fast = true;
  size_t size = 2;
  for (const std::string& v : values) {
    fast = fast && is_ascii(v);
    size += v.size() + 3;
  }
  if (fast) {
    std::string out;
    out.reserve(size);
    out += '[';
    for (const std::string& v : values) {
      if (out.size() > 1) out += ',';
      append_string(out, v);
    }
    out += ']';
    return out;
  }
  Json array = Json::array();
  for (const auto& v : values) array.push_back(v);
  return dump(array);
}

std::vector<std::string> to_strings(std::string_view json) {
  std::vector<std::string> out;
  Json array = parse(json);
  if (!array.is_array()) return out;
  for (const auto& item : array) out.push_back(as_string(item));
  return out;
}

}  // namespace fedtriage::store_json
