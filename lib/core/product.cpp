#include "lib/core/product.h"

#include <array>
#include <mutex>

#include "lib/base/ascii.h"

namespace fedtriage {
namespace {

constexpr std::array kBuiltInProducts = {
    ProductInfo{Source::Expressway, "expressway", "Expressway", "expressway",
                /*local_clock=*/false, /*answers_for_next_hop=*/true},
    ProductInfo{Source::Edge, "edge", "Edge", "edge", false, false},
    ProductInfo{Source::Client, "client", "Skype client", "client", true, false},
};

// Ids index the table directly: lookups sit on per-event paths (JSON, store, codec).
struct Registry {
  std::array<ProductInfo, 256> by_id{};
  std::array<bool, 256> known{};
  size_t count = 0;

  Registry() {
    for (const ProductInfo& p : kBuiltInProducts) add(p);
  }
  void add(const ProductInfo& p) {
    const auto id = static_cast<uint8_t>(p.source);
    by_id[id] = p;
    known[id] = true;
    ++count;
  }
};

std::mutex registry_mutex;  // registration only; lookups read a table that only grows

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

const ProductInfo* find_product(Source source) {
  const Registry& r = registry();
  const auto id = static_cast<uint8_t>(source);
  return r.known[id] ? &r.by_id[id] : nullptr;
}

const ProductInfo* find_product(std::string_view name) {
  const Registry& r = registry();
  for (size_t id = 0; id < r.by_id.size(); ++id) {
    if (r.known[id] && iequals(r.by_id[id].name, name)) return &r.by_id[id];
  }
  return nullptr;
}

std::vector<ProductInfo> all_products() {
  const Registry& r = registry();
  std::vector<ProductInfo> out;
  for (size_t id = 0; id < r.by_id.size(); ++id) {
    if (r.known[id]) out.push_back(r.by_id[id]);
  }
  return out;
}

bool register_product(const ProductInfo& product, std::string* error) {
  std::lock_guard lock(registry_mutex);
  if (find_product(product.source) || find_product(product.name) || product.name.empty()) {
    if (error) *error = "product '" + std::string(product.name) + "' or its id is taken";
    return false;
  }
  registry().add(product);
  return true;
}

std::string product_names() {
  std::string out;
  for (const ProductInfo& p : all_products()) {
    if (!out.empty()) out += ", ";
    out += p.name;
  }
  return out;
}

}  // namespace fedtriage
