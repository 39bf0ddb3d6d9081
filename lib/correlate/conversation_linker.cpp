#include "lib/correlate/conversation_linker.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "lib/base/hash_mix.h"

namespace fedtriage {
namespace {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // The smaller index stays the root: the first-seen call names the group.
  void unite(size_t a, size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<size_t> parent_;
};

// A key of the linker's table: a view of one LinkKey of the input.
struct KeyRef {
  const LinkKey* key;
  bool operator==(const KeyRef& o) const { return *key == *o.key; }
};
struct KeyRefHash {
  size_t operator()(const KeyRef& k) const {
    return static_cast<size_t>(hash_mix(std::hash<std::string_view>()(k.key->kind),
                                        std::hash<std::string_view>()(k.key->value)));
  }
};
// The calls carrying one key: the first inline (most keys have one carrier: no allocation).
struct Carriers {
  uint32_t first = 0;
  std::vector<uint32_t> more;
};

std::string key_text(const LinkKey& k) {
  return k.kind + "=" + k.value;
}

}  // namespace

const Conversation* ConversationSet::of(const std::string& call_id) const {
  auto it = by_call.find(call_id);
  return it == by_call.end() ? nullptr : &conversations[it->second];
}

bool links_conversations(const std::string& method) {
  for (const char* m : {"REGISTER", "SUBSCRIBE", "NOTIFY", "OPTIONS", "PUBLISH"}) {
    if (method == m) return false;
  }
  return true;
}

std::string conversation_id(const Conversation& c) {
  std::string basis;
  for (const ConversationLink& l : c.links) {
    const std::string t = key_text(l.key);
    if (basis.empty() || t < basis) basis = t;
  }
  if (basis.empty()) {
    for (const std::string& id : c.call_ids) {
      if (basis.empty() || id < basis) basis = "call-id=" + id;
    }
  }
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : basis) h = hash_mix(h, ch);
  char text[20];
  std::snprintf(text, sizeof text, "cv-%016llx", static_cast<unsigned long long>(h));
  return text;
}

ConversationSet link_conversations(const std::vector<CallKeys>& calls,
                                   const LinkerOptions& options) {
  // Which calls carry each key, hashed on views into `calls` (no copies: a large read has
  // hundreds of thousands of keys); a call counts once per key.
  std::unordered_map<KeyRef, Carriers, KeyRefHash> carriers;
  size_t total = 0;
  for (const CallKeys& c : calls) total += c.keys.size();
  carriers.reserve(total);
  for (uint32_t i = 0; i < calls.size(); ++i) {
    if (!links_conversations(calls[i].method)) continue;
    for (const LinkKey& k : calls[i].keys) {
      auto [it, added] = carriers.try_emplace(KeyRef{&k}, Carriers{i, {}});
      if (added) continue;
      Carriers& c = it->second;
      const uint32_t last = c.more.empty() ? c.first : c.more.back();
      if (last != i) c.more.push_back(i);
    }
  }
  // The shared keys in key order: notes and links come out the same whatever the hashing.
  std::vector<std::pair<const LinkKey*, const Carriers*>> shared;
  for (const auto& [key, c] : carriers) {
    if (!c.more.empty()) shared.emplace_back(key.key, &c);
  }
  std::sort(shared.begin(), shared.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  UnionFind groups(calls.size());
  std::vector<std::pair<size_t, ConversationLink>> links;  // by the first call's index
  ConversationSet out;
  for (const auto& [key, c] : shared) {
    const size_t count = 1 + c->more.size();
    if (count > options.max_calls_per_key) {
      out.notes.push_back("link key " + key_text(*key) + " is carried by " + std::to_string(count) +
                          " calls (more than " + std::to_string(options.max_calls_per_key) +
                          "): refused, it links nothing");
      continue;
    }
    for (uint32_t other : c->more) {
      groups.unite(c->first, other);
      links.push_back({c->first, {calls[c->first].call_id, calls[other].call_id, *key}});
    }
  }
  out.by_call.reserve(calls.size());
  std::vector<size_t> index_of_root(calls.size(), SIZE_MAX);
  for (size_t i = 0; i < calls.size(); ++i) {
    const size_t root = groups.find(i);
    if (index_of_root[root] == SIZE_MAX) {
      index_of_root[root] = out.conversations.size();
      out.conversations.emplace_back();
    }
    out.conversations[index_of_root[root]].call_ids.push_back(calls[i].call_id);
    out.by_call.emplace(calls[i].call_id, index_of_root[root]);
  }
  for (auto& [first, link] : links) {
    out.conversations[index_of_root[groups.find(first)]].links.push_back(std::move(link));
  }
  for (Conversation& c : out.conversations) c.id = conversation_id(c);
  return out;
}

}  // namespace fedtriage
