#include "lib/store/json_columns.h"

#include "lib/base/json_dump.h"
#include "lib/base/json_text.h"

namespace fedtriage::store_json {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) {
  return dump_json(j);
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

}  // namespace

std::string from_fields(const Fields& fields) {
  // The common case by hand, the same bytes as a tree's dump: a few pairs.
  constexpr size_t kFastPairs = 32;  // duplicate keys are found by comparing with each earlier
  if (fields.empty()) return "{}";
  if (fields.size() > kFastPairs) return dump(object_from_pairs(fields));
  size_t size = 2;
  for (const auto& [key, value] : fields) size += key.size() + value.size() + 6;
  std::string out;
  out.reserve(size);
  out += '{';
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& key = fields[i].first;
    bool repeated = false;  // a repeated key keeps its first value
    for (size_t j = 0; j < i && !repeated; ++j) repeated = fields[j].first == key;
    if (repeated) continue;
    if (out.size() > 1) out += ',';
    append_json_string(out, key);
    out += ':';
    append_json_string(out, fields[i].second);
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
  size_t size = 2;
  for (const std::string& v : values) size += v.size() + 3;
  std::string out;
  out.reserve(size);
  out += '[';
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    append_json_string(out, v);
  }
  out += ']';
  return out;
}

std::vector<std::string> to_strings(std::string_view json) {
  std::vector<std::string> out;
  Json array = parse(json);
  if (!array.is_array()) return out;
  for (const auto& item : array) out.push_back(as_string(item));
  return out;
}

}  // namespace fedtriage::store_json
