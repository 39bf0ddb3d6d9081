// Scanner for the header line of a Lync / Skype for Business CLS (OCSLogger) trace record:
//   TL_WARN(TF_DIAG) [sfvedge\sfvedge]0584.0A44::03/02/2017-07:10:46.230.0000773E
//     (SIPStack,SIPAdminLog::WriteDiagnosticEvent:SIPAdminLog.cpp(830)) [156659184] $$begin_record
// The layout is fixed, so a hand-written scanner does it without a regex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fedtriage {

// Views into the scanned line: valid only as long as the line is.
struct EdgeHeader {
  std::string_view level;           // "WARN"
  std::string_view flag;            // "TF_DIAG"
  std::string_view machine;         // "sfvedge" (after the last '\'); empty for "[0]"
  std::string_view thread;          // "0584.0A44" (PID.TID, hex)
  int64_t ts_ms = 0;                // UTC
  std::string_view component;       // "SIPStack"
  std::string_view location;        // "SIPAdminLog::WriteDiagnosticEvent:SIPAdminLog.cpp(830)"
  std::string_view correlation_id;  // "156659184"; empty when absent (OCS 2007 R2)
  bool begin_record = false;        // "$$begin_record" on the line
  std::string_view free_text;       // TF_COMPONENT text after the location, before any marker
  std::string_view inline_body;     // text after "$$begin_record" (the flattened one-line form)
};

// nullopt when `line` is not a header (cheap rejection on the "TL_" prefix first).
std::optional<EdgeHeader> scan_edge_header(std::string_view line);

// Finds an HRESULT such as "0xc3e93d6f SIPPROXY_E_..." or "0xC3E93C5E(SIPPROXY_E_ROUTING)" in
// `text`, starting at its first "0x". Writes the code as lower-case hex ("0xc3e93d6f") and the
// symbolic name when one follows. False when there is no hex number.
bool parse_result_code(std::string_view text, std::string* code, std::string* name);

}  // namespace fedtriage
