// libFuzzer target: the spool's event decoder on arbitrary bytes. Besides not crashing (nor
// allocating much more than the input's size), checks that the encoding is canonical: whatever
// decodes encodes back to exactly the bytes it came from, and decodes again to the same event;
// and that its encoding without the text (EventDetail::NoText) round-trips with an empty text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/core/event.h"
#include "lib/spool/event_codec.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fedtriage::Event e;
  if (!fedtriage::decode_event(bytes, e)) return 0;
  // The event without its text (EventDetail::NoText, the spool of `events`) decodes to that
  // event with an empty text, and encodes back to the same bytes.
  std::string lean_bytes, lean_again;
  fedtriage::encode_event(e, lean_bytes, fedtriage::EventDetail::NoText);
  fedtriage::Event lean;
  check(fedtriage::decode_event(lean_bytes, lean));
  fedtriage::encode_event(lean, lean_again);
  check(lean_bytes == lean_again);
  check(lean.raw.empty() && (!lean.sip || (lean.sip->headers.empty() && lean.sip->vias.empty() &&
                                           lean.sip->body.empty())));
  std::string again;
  fedtriage::encode_event(e, again);
  check(again == bytes);
  // Decoded over an event that already holds values (the reuse path), it gives the same event.
  fedtriage::Event e2 = e;
  e2.raw += "stale";
  e2.fields.emplace_back("stale", "stale");
  check(fedtriage::decode_event(again, e2));
  std::string third;
  fedtriage::encode_event(e2, third);
  check(third == again);
  return 0;
}
