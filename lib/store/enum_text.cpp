#include "lib/store/enum_text.h"

#include "lib/core/product.h"

#include <initializer_list>

namespace fedtriage::store_text {
namespace {

// The first of `all` whose name is `text`, else `fallback`.
template <typename E, typename Name>
E lookup(std::string_view text, std::initializer_list<E> all, Name name, E fallback) {
  for (E e : all) {
    if (name(e) == text) return e;
  }
  return fallback;
}

}  // namespace

std::string_view severity(FindingSeverity s) {
  return to_string(s);
}

FindingSeverity severity_from(std::string_view text) {
  return lookup(text,
                {FindingSeverity::Info, FindingSeverity::Warning, FindingSeverity::Error,
                 FindingSeverity::Critical},
                severity, FindingSeverity::Error);
}

Source source_from(std::string_view text) {
  const ProductInfo* product = find_product(text);
  return product ? product->source : Source::Expressway;
}

EventKind kind_from(std::string_view text) {
  return lookup(
      text,
      {EventKind::Sip, EventKind::Diagnostic, EventKind::Tls, EventKind::Tcp, EventKind::Dns,
       EventKind::CallEvent},
      [](EventKind k) { return to_string(k); }, EventKind::Sip);
}

Direction direction_from(std::string_view text) {
  return lookup(
      text, {Direction::Unknown, Direction::In, Direction::Out},
      [](Direction d) { return to_string(d); }, Direction::Unknown);
}

TimeBasis basis_from(std::string_view text) {
  return lookup(
      text,
      {TimeBasis::Utc, TimeBasis::LocalGiven, TimeBasis::LocalInferred, TimeBasis::LocalUnaligned},
      [](TimeBasis b) { return to_string(b); }, TimeBasis::Utc);
}

}  // namespace fedtriage::store_text
