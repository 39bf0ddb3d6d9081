#include "lib/output/json_support.h"

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

std::string dump_json(const ordered_json& j, int indent) {
  std::string text =
      j.dump(indent, ' ', /*ensure_ascii=*/false, ordered_json::error_handler_t::replace);
  // JSON leaves DEL and the C1 controls (U+0080..U+009F, e.g. U+009B CSI) unescaped, and
  // JSON Lines end up on terminals: escape them too. Outside strings the text is ASCII, so
  // these bytes can only be string content.
  if (text.find('\x7f') == std::string::npos && text.find('\xc2') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f)) {
      const unsigned code = c == 0x7f ? 0x7f : next;
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[code >> 4];
      out += kHex[code & 0xf];
      if (c == 0xc2) ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace fedtriage
