// libFuzzer target: the SIP message model and ms-diagnostics parser on arbitrary bytes.
// Besides not crashing, checks invariants callers rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/sip/ms_diagnostic.h"
#include "lib/sip/sip_message.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void exercise(std::string_view text) {
  fedtriage::SipParseError error;
  auto msg = fedtriage::parse_sip_message(text, &error);
  if (!msg) {
    check(!error.message.empty());
    return;
  }
  check(msg->body.size() <= text.size());
  check(msg->is_request ? !msg->method.empty()
                        : (msg->status_code >= 100 && msg->status_code <= 699));
  (void)msg->cseq();
  (void)msg->header("Call-ID");
  (void)msg->header("i");
  for (const auto& d : msg->ms_diagnostics) check(d.code >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  exercise(text);

  // Unflattening is only done on one-line text, so also feed a one-line variant.
  std::string one_line(text);
  for (char& c : one_line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::string unflat = fedtriage::unflatten_sip_message(one_line);
  exercise(unflat);
  if (text.find('\n') != std::string_view::npos) {
    check(fedtriage::unflatten_sip_message(text) == text);  // multi-line text is left alone
  }

  for (bool is_public : {false, true}) {
    if (auto d = fedtriage::parse_ms_diagnostic(text, is_public)) {
      check(d->is_public == is_public);
      (void)d->param("source");
      (void)d->param("reason");
    }
  }
  (void)fedtriage::parse_param_list(text);
  return 0;
}
