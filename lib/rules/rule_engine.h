// Applies the rule set to one correlated call.
#pragma once

#include <string>
#include <vector>

#include "lib/core/event.h"
#include "lib/correlate/call.h"
#include "lib/rules/finding.h"
#include "lib/rules/rule_set.h"

namespace fedtriage {

// Evaluates every event of `call` (indices into `events`) against every rule.
//
// One call's failure is explained once: of the rules marked `explains: failure` that match,
// the one with the highest priority (then the earliest match) gives the finding; the lines
// matched by the others, and the call's failure responses (e.g. the Expressway's bare 504),
// are added to its evidence and the others are named in Finding::related_rules. Rules not
// marked `explains: failure` are observations: one finding per matching rule.
// A call whose events match nothing (e.g. a healthy call) gets no finding.
//
// The failure finding of a failed call also gets, for its templates, the fields `phase`
// ("setup" or "mid-dialog"), `failed_request` ("INVITE", "re-INVITE", "BYE", ...) and, for a
// mid-dialog failure, `contact_domain` (the host of the failed request's URI: the Contact the
// server looked up); when it stands on a transport failure tied through a link, `chain` (the
// link's reason: how the failure is tied to this call; "ambiguous: ..." when several calls
// could own it, and the root cause then says so first). Transport failures tied through links never
// explain a call that succeeded or ended as designed. `*verdict` (when given) says whether a
// failure rule matched, and whether it matched after the call had succeeded.
struct FailureVerdict {
  bool explained = false;  // a failure rule matched
  // The call had been answered 2xx and the failure rule matched a later line: e.g. the BYE
  // that cleared a call whose media never flowed. The call failed in the dialog.
  bool after_success = false;
  std::string method;       // of the request the rule matched ("BYE"); "" for a non-SIP line
  std::string request_uri;  // of that request
};
std::vector<Finding> explain_call(const RuleSet& rules, const Call& call,
                                  const std::vector<Event>& events,
                                  FailureVerdict* verdict = nullptr);

// The outcome of `call` once its findings are known: a call without any final response that a
// failure rule explains (e.g. seen only by an Edge that refused it) failed during setup; a call
// answered 2xx whose failure came after (verdict.after_success) failed mid-dialog.
void settle_outcome(Call& call, const FailureVerdict& verdict);

}  // namespace fedtriage
