#include "lib/report/json_support.h"

namespace fedtriage {

using nlohmann::ordered_json;

ordered_json ms_diagnostics_to_json(const std::vector<MsDiagnostic>& diags) {
  ordered_json out = ordered_json::array();
  for (const auto& d : diags) {
    ordered_json params = ordered_json::object();
    for (const auto& [k, v] : d.params) {
      if (!params.contains(k)) params[k] = v;
    }
    ordered_json item = {{"code", d.code}, {"reason", d.reason}, {"params", params}};
    if (d.sub_code >= 0) item["sub_code"] = d.sub_code;
    if (d.is_public) item["public"] = true;
    out.push_back(std::move(item));
  }
  return out;
}

ordered_json fields_to_json(const Fields& fields) {
  ordered_json out = ordered_json::object();
  for (const auto& [k, v] : fields) {
    if (!out.contains(k)) out[k] = v;
  }
  return out;
}

void add_call_ends_json(nlohmann::ordered_json& object, const CallHeadline& call) {
  object["method"] = call.method;
  object["from"] = call.from_uri;
  object["from_display"] = call.from_display;
  object["to"] = call.to_uri;
  object["request_uri"] = call.request_uri;
  object["final_status"] = call.final_status;
  object["final_reason"] = call.final_reason;
}

}  // namespace fedtriage
