// The products whose logs fedtriage reads, as the rest of the program needs to know them: the
// name events, rule files and the store use, how a host that wrote such a log is labelled in a
// ladder, and the few behaviours correlation depends on. Parsers (parsers/format_registry.cpp)
// say how each product's logs are recognised and read; everything past the parsers asks here
// instead of switching on Source, so a new product (a CUCM or CMS log, say) is a folder in
// parsers/, one entry in kBuiltInProducts (product.cpp) and one in the format registry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

struct ProductInfo {
  Source source{};             // the id its events carry
  std::string_view name;       // "expressway": JSON, the store, rule files (`source:`)
  std::string_view label;      // "Expressway": the ladder column of a host that wrote its log
  std::string_view host_role;  // ladder role of that host ("expressway", "edge", "client", ...)
  // Its timestamps are local time of unknown offset: aligned on server sightings of the same
  // messages (a Skype client's UccApiLog).
  bool local_clock = false;
  // A SIP proxy that answers a request itself when its own transport to the next hop fails
  // (the Expressway's 503/408/480): transport failures in its log may explain such answers.
  bool answers_for_next_hop = false;
};

// The product with this id / this name (case-insensitive); nullptr when none is registered.
const ProductInfo* find_product(Source source);
const ProductInfo* find_product(std::string_view name);

// Every registered product, in id order.
std::vector<ProductInfo> all_products();

// Adds a product at run time (a format outside the built-in set, test doubles). Its id and
// name must be new; the strings must outlive the program. False with `*error` otherwise.
bool register_product(const ProductInfo& product, std::string* error);

// "expressway, edge, client": for messages that list what is accepted.
std::string product_names();

inline bool local_clock(Source source) {
  const ProductInfo* p = find_product(source);
  return p && p->local_clock;
}
inline bool answers_for_next_hop(Source source) {
  const ProductInfo* p = find_product(source);
  return p && p->answers_for_next_hop;
}

}  // namespace fedtriage
