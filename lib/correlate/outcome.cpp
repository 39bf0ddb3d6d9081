#include "lib/correlate/outcome.h"

#include "lib/base/ascii.h"

namespace fedtriage {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "ok";
    case Outcome::Normal:
      return "normal";
    case Outcome::Failed:
      return "failed";
  }
  return "ok";
}

std::string_view to_string(CallPhase p) {
  switch (p) {
    case CallPhase::None:
      return "";
    case CallPhase::Setup:
      return "setup";
    case CallPhase::MidDialog:
      return "mid-dialog";
  }
  return "";
}

bool parse_outcome(std::string_view text, Outcome& out) {
  for (Outcome o : {Outcome::Ok, Outcome::Normal, Outcome::Failed}) {
    if (text == to_string(o)) {
      out = o;
      return true;
    }
  }
  return false;
}

bool ends_as_designed(int status, std::string_view method, bool cancelled) {
  if (status < 300) return true;
  switch (status) {
    case 401:  // authentication challenges (REGISTER with TLS-DSK/NTLM/Kerberos, proxies)
    case 407:
    case 486:  // Busy Here
    case 600:  // Busy Everywhere
    case 603:  // Decline
      return true;
    case 487:  // Request Terminated: the answer to a CANCEL
      return cancelled;
    case 491:  // Request Pending: glare on a re-INVITE, retried by design
      return iequals(method, "INVITE");
    case 481:  // a BYE crossing the other side's BYE
      return iequals(method, "BYE");
    case 403:  // OPTIONS probes of a partner that does not federate / allow them
    case 405:
      return iequals(method, "OPTIONS");
    default:
      return false;
  }
}

}  // namespace fedtriage
