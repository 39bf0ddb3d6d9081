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

std::string key_text(const LinkKey& k) {
  return k.kind + "=" + k.value;
}

uint64_t call_hash(std::string_view call_id) {
  return std::hash<std::string_view>()(call_id);
}

}  // namespace

void ConversationSet::index_calls() {
  by_call.clear();
  for (uint32_t c = 0; c < conversations.size(); ++c) {
    for (const std::string& id : conversations[c].call_ids) by_call.emplace_back(call_hash(id), c);
  }
  std::sort(by_call.begin(), by_call.end());
}

const Conversation* ConversationSet::of(const std::string& call_id) const {
  const uint64_t h = call_hash(call_id);
  // Equal hashes are rare: each candidate is checked against its conversation's Call-IDs.
  for (auto it =
           std::lower_bound(by_call.begin(), by_call.end(), std::pair<uint64_t, uint32_t>{h, 0});
       it != by_call.end() && it->first == h; ++it) {
    const Conversation& c = conversations[it->second];
    if (std::find(c.call_ids.begin(), c.call_ids.end(), call_id) != c.call_ids.end()) return &c;
  }
  return nullptr;
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
  // Which calls carry each key: every (key, call) pair, sorted by key then call, gives the
  // keys in key order (notes and links come out the same whatever the input order) with their
  // carriers in call order. 16 bytes a key a call, where a hash table of the distinct keys
  // cost ~70 (a large read has hundreds of thousands of keys).
  std::vector<std::pair<const LinkKey*, uint32_t>> carried;
  size_t total = 0;
  for (const CallKeys& c : calls) total += c.keys.size();
  carried.reserve(total);
  for (uint32_t i = 0; i < calls.size(); ++i) {
    if (!links_conversations(calls[i].method)) continue;
    for (const LinkKey& k : calls[i].keys) carried.emplace_back(&k, i);
  }
  std::sort(carried.begin(), carried.end(), [](const auto& a, const auto& b) {
    if (*a.first < *b.first) return true;
    if (*b.first < *a.first) return false;
    return a.second < b.second;
  });
  UnionFind groups(calls.size());
  std::vector<std::pair<size_t, ConversationLink>> links;  // by the first call's index
  ConversationSet out;
  std::vector<uint32_t>
      carriers;  // of the key at hand, each call once (reused: no allocation a key)
  for (size_t from = 0; from < carried.size();) {
    const LinkKey& key = *carried[from].first;
    carriers.assign(1, carried[from].second);
    size_t to = from + 1;
    for (; to < carried.size() && *carried[to].first == key; ++to) {
      if (carried[to].second != carriers.back()) carriers.push_back(carried[to].second);
    }
    from = to;
    if (carriers.size() < 2) continue;
    if (carriers.size() > options.max_calls_per_key) {
      out.notes.push_back("link key " + key_text(key) + " is carried by " +
                          std::to_string(carriers.size()) + " calls (more than " +
                          std::to_string(options.max_calls_per_key) +
                          "): refused, it links nothing");
      continue;
    }
    for (size_t k = 1; k < carriers.size(); ++k) {
      groups.unite(carriers[0], carriers[k]);
      links.push_back({carriers[0], {calls[carriers[0]].call_id, calls[carriers[k]].call_id, key}});
    }
  }
  std::vector<size_t> index_of_root(calls.size(), SIZE_MAX);
  for (size_t i = 0; i < calls.size(); ++i) {
    const size_t root = groups.find(i);
    if (index_of_root[root] == SIZE_MAX) {
      index_of_root[root] = out.conversations.size();
      out.conversations.emplace_back();
    }
    out.conversations[index_of_root[root]].call_ids.push_back(calls[i].call_id);
  }
  out.index_calls();
  for (auto& [first, link] : links) {
    out.conversations[index_of_root[groups.find(first)]].links.push_back(std::move(link));
  }
  for (Conversation& c : out.conversations) c.id = conversation_id(c);
  return out;
}

}  // namespace fedtriage
