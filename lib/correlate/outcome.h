// How a call ended: fine, ended as designed (busy, declined, cancelled, challenged), or failed;
// and for a failure, whether it happened while the call was being set up or inside the dialog.
#pragma once

#include <cstdint>
#include <string_view>

namespace fedtriage {

enum class Outcome : uint8_t {
  Ok,      // succeeded, or no final response seen and nothing explains a failure
  Normal,  // ended as designed: 486, 603, 487 after CANCEL, a 401/407 challenge, ...
  Failed,
};

enum class CallPhase : uint8_t {
  None,       // the call did not fail
  Setup,      // the first request failed
  MidDialog,  // the dialog was up (2xx) and a later request (re-INVITE, UPDATE, BYE) failed
};

std::string_view to_string(Outcome o);
std::string_view to_string(CallPhase p);  // "", "setup", "mid-dialog"
bool parse_outcome(std::string_view text, Outcome& out);

// True when a final response `status` to a `method` request ends the call as designed rather
// than as a failure. `cancelled`: a CANCEL of the request was seen (487 is then normal); when
// unknown, pass true (a 487 only ever follows a CANCEL).
bool ends_as_designed(int status, std::string_view method, bool cancelled);

}  // namespace fedtriage
