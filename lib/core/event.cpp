#include "lib/core/event.h"

#include "lib/core/problem.h"
#include "lib/core/product.h"

namespace fedtriage {

const std::string* find_field(const Fields& fields, std::string_view key) {
  for (const auto& [k, v] : fields) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string_view to_string(Source s) {
  const ProductInfo* product = find_product(s);
  return product ? product->name : "unknown";
}

std::string_view to_string(EventKind k) {
  switch (k) {
    case EventKind::Sip:
      return "sip";
    case EventKind::Diagnostic:
      return "diagnostic";
    case EventKind::Tls:
      return "tls";
    case EventKind::Tcp:
      return "tcp";
    case EventKind::Dns:
      return "dns";
    case EventKind::CallEvent:
      return "call_event";
  }
  return "unknown";
}

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::In:
      return "in";
    case Direction::Out:
      return "out";
    case Direction::Unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view to_string(TimeBasis b) {
  switch (b) {
    case TimeBasis::Utc:
      return "utc";
    case TimeBasis::LocalGiven:
      return "local-given-offset";
    case TimeBasis::LocalInferred:
      return "local-inferred-offset";
    case TimeBasis::LocalUnaligned:
      return "local-unaligned";
  }
  return "unknown";
}

const char* to_string(Problem::Severity s) {
  switch (s) {
    case Problem::Severity::Note:
      return "note";
    case Problem::Severity::Warning:
      return "warning";
    case Problem::Severity::Error:
      return "error";
  }
  return "unknown";
}

}  // namespace fedtriage
