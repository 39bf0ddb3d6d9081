#include "lib/report/case_todo.h"

#include <algorithm>
#include <map>
#include <set>

#include "lib/base/ascii.h"
#include "lib/report/case_view.h"

namespace fedtriage {
namespace {

// What the builder needs of one failed call's failure finding (from memory or the store).
struct Entry {
  const std::string& call_id;
  const std::string& rule_id;
  const std::string& title;
  const std::string& fix;
  const Fields& fields;
};

const std::string* field(const Entry& f, std::string_view name) {
  const std::string* v = find_field(f.fields, name);
  return v && !v->empty() ? v : nullptr;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (value.empty() || std::find(list.begin(), list.end(), value) != list.end()) return;
  list.push_back(value);
}

// "host:5061" -> "host"
std::string host_of(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') return std::string(peer.substr(1, peer.find(']') - 1));
  const size_t colon = peer.rfind(':');
  if (colon != std::string_view::npos && peer.find(':') == colon) peer = peer.substr(0, colon);
  return std::string(peer);
}

int kind_rank(const std::string& kind) {
  static const char* const kOrder[] = {"dns", "certificate", "tls", "logs", "other"};
  for (int i = 0; i < 5; ++i) {
    if (kind == kOrder[i]) return i;
  }
  return 5;
}

class TodoBuilder {
 public:
  void add(const Entry& f) {
    const std::string& rule = f.rule_id;
    if (rule == "srv-domain-mismatch" || rule == "srv-record-missing" ||
        rule == "ms-diag-1008-srv-unresolved" || rule == "ms-diag-1009-srv-host-domain-conflict") {
      const std::string* record = field(f, "srv_record");
      const std::string* domain = field(f, "domain");
      if (!record && domain) record = &(scratch_ = "_sipfederationtls._tcp." + *domain);
      if (!record) return other(f);
      TodoItem& t = item("dns", to_lower_ascii(*record));
      if (t.action.empty()) {
        const std::string* fqdn = field(f, "fqdn");
        t.action = fqdn
                       ? "Change the DNS SRV record " + *record + " (now " + *fqdn +
                             ") to point to a host directly in " + (domain ? *domain : "the domain")
                       : "Publish the DNS SRV record " + *record;
        if (const std::string* contact = field(f, "contact_domain")) {
          t.action += ", or make the Contact " + *contact + " a name directly in the domain";
        }
      }
      note(t, f);
    } else if (rule == "cert-fqdn-mismatch") {
      // One certificate per certificate in use: every name the Microsoft side expected of it.
      const std::string* expected = field(f, "expected_fqdn");
      if (!expected) return other(f);
      const std::string* current = field(f, "cert_name");
      TodoItem& t = item("certificate", current ? to_lower_ascii(*current) : "");
      std::vector<std::string>& sans = this->sans();
      if (current) {
        size_t pos = 0;
        while (pos <= current->size()) {
          size_t end = current->find(',', pos);
          if (end == std::string::npos) end = current->size();
          add_unique(sans,
                     std::string(trim_ascii(std::string_view(*current).substr(pos, end - pos))));
          pos = end + 1;
        }
      }
      add_unique(sans, *expected);
      std::string list;
      for (const std::string& s : sans) list += (list.empty() ? "" : ", ") + s;
      t.action = "Issue one Expressway-E certificate " +
                 std::string(current ? "(replacing the one for " + *current + ") " : "") +
                 "with the Subject Alternative Names " + list;
      note(t, f);
    } else if (rule == "tls-negotiation-failure" || rule.starts_with("cert-untrusted")) {
      const std::string* peer = field(f, "peer");
      const std::string* reason = field(f, "reason");
      TodoItem& t = item("tls", peer ? host_of(*peer) : "");
      if (t.action.empty()) {
        t.action = "Fix TLS between the Expressway and " + (peer ? host_of(*peer) : "the peer") +
                   (reason ? " (" + *reason + ")" : "") +
                   ": certificate names and the trusted CA lists on both sides";
      }
      note(t, f);
    } else if (rule == "unexplained-504" || rule.starts_with("ms-diag-1034") ||
               rule.starts_with("ms-diag-1011")) {
      // Which Edge the call went to: the pool member its DNS answer and the Microsoft answer
      // agree on, else the address the Microsoft answer came from.
      const std::string* member = field(f, "peer_address");
      const std::string* peer = field(f, "peer");
      const std::string edge = member ? *member : peer ? host_of(*peer) : "";
      TodoItem& t = item("logs", edge);
      if (t.action.empty()) {
        if (edge.empty()) {
          t.action =
              "Collect the Edge CLS trace (SIPStack) of the Edge pool and the client log of a "
              "new failing call";
        } else {
          const std::string* name = field(f, "peer_name");
          const std::string* record = field(f, "peer_srv_record");
          const std::string* pool = field(f, "peer_srv_addresses");
          const std::string* count = field(f, "peer_srv_count");
          std::string which = "the one these calls went to";
          if (record && pool && count && *count != "1") {
            which += " of the " + *count + " addresses " + *record + " resolved to (" + *pool + ")";
          } else if (record) {
            which += ", the address " + *record + " resolved to";
          }
          t.action = "Collect the Edge CLS trace (SIPStack) of the Edge server " +
                     (name ? *name + " (" + edge + ")" : "at " + edge) + ", " + which +
                     ", and the client log of a new failing call";
        }
      }
      note(t, f);
    } else {
      other(f);
    }
  }

  std::vector<TodoItem> done() {
    std::vector<Slot*> entries;
    for (auto& [key, e] : items_) entries.push_back(&e);
    std::stable_sort(entries.begin(), entries.end(), [](const Slot* a, const Slot* b) {
      const int ka = kind_rank(a->item.kind), kb = kind_rank(b->item.kind);
      return ka != kb ? ka < kb : a->order < b->order;
    });
    std::vector<TodoItem> out;
    for (Slot* e : entries) out.push_back(std::move(e->item));
    return out;
  }

 private:
  struct Slot {
    size_t order = 0;  // of the first call that needed it
    TodoItem item;
    std::vector<std::string> sans;  // certificates: every name, current ones first
    std::set<std::string> calls;    // call_ids already listed
  };

  void other(const Entry& f) {
    TodoItem& t = item("other", f.rule_id);
    if (t.action.empty()) t.action = f.title;
    note(t, f);
  }

  TodoItem& item(const std::string& kind, const std::string& key) {
    auto [it, inserted] = items_.try_emplace(kind + "\n" + key);
    if (inserted) {
      it->second.item.kind = kind;
      it->second.order = next_++;
    }
    current_ = &it->second;
    return it->second.item;
  }

  std::vector<std::string>& sans() { return current_->sans; }

  void note(TodoItem& t, const Entry& f) {
    add_unique(t.rules, f.rule_id);
    // A set beside the list: thousands of calls can share one item.
    if (current_->calls.insert(f.call_id).second) t.call_ids.push_back(f.call_id);
    if (t.details.empty() && !f.fix.empty()) t.details.push_back(f.fix);
  }

  std::map<std::string, Slot> items_;
  Slot* current_ = nullptr;
  std::string scratch_;
  size_t next_ = 0;
};

}  // namespace

struct CaseTodo::Impl {
  TodoBuilder builder;
};

CaseTodo::CaseTodo() : impl_(std::make_unique<Impl>()) {}
CaseTodo::~CaseTodo() = default;

void CaseTodo::add(const std::string& call_id, const std::string& rule_id, const std::string& title,
                   const std::string& fix, const Fields& fields) {
  impl_->builder.add(Entry{call_id, rule_id, title, fix, fields});
}

std::vector<TodoItem> CaseTodo::items() {
  return impl_->builder.done();
}

std::vector<TodoItem> case_todo(const CaseView& view) {
  CaseTodo todo;
  const auto add_call = [&](const Call& call, const std::vector<const Finding*>& findings) {
    if (!call.failed() || findings.empty()) return;
    const Finding& f = *findings.front();  // the failure finding comes first
    todo.add(call.call_id, f.rule_id, f.title, f.fix, f.fields);
  };
  view.for_each_call(add_call, nullptr);
  return todo.items();
}

}  // namespace fedtriage
