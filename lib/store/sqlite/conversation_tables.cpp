#include "lib/store/sqlite/conversation_tables.h"

#include <algorithm>
#include <vector>

#include "lib/store/sqlite/sqlite_db.h"

namespace fedtriage::store_conversations {

void write(sql::Db& db, int64_t case_id, const ConversationSet& set,
           std::optional<int64_t> run_id) {
  // A case without conversations yet (a first analysis) has no links to drop.
  sql::Stmt& any = db.prepare("SELECT 1 FROM conversations WHERE case_id = ? LIMIT 1");
  any.bind_all(case_id);
  const bool had_conversations = any.step();
  any.reset();
  struct Leg {
    const std::string* call_id;
    const std::string* conversation_id;
    int64_t leg;
  };
  std::vector<Leg> legs;
  for (const Conversation& c : set.conversations) {
    for (const std::string& call : c.call_ids) {
      if (!had_conversations) break;
      // A call that moved to another conversation takes its old conversation's links along.
      db.prepare(
            "DELETE FROM conversation_links WHERE case_id = ?1 AND conversation_id IN "
            "(SELECT conversation_id FROM conversations WHERE case_id = ?1 AND call_id = ?2)")
          .bind_all(case_id, call)
          .run();
    }
    if (had_conversations) {
      db.prepare("DELETE FROM conversation_links WHERE case_id = ? AND conversation_id = ?")
          .bind_all(case_id, c.id)
          .run();
    }
    int64_t leg = 0;
    for (const std::string& call : c.call_ids) legs.push_back({&call, &c.id, ++leg});
    int64_t ordinal = 0;
    for (const ConversationLink& l : c.links) {
      db.prepare(
            "INSERT INTO conversation_links(case_id, conversation_id, ordinal, call_a, call_b, "
            "key_kind, key_value) VALUES(?, ?, ?, ?, ?, ?, ?)")
          .bind_all(case_id, c.id, ++ordinal, l.call_a, l.call_b, l.key.kind, l.key.value)
          .run();
    }
  }
  // A case without conversations: plain inserts. An upsert costs 4x as much here: with
  // foreign keys on, each one writes a statement journal of 16 KiB pages (bench/README.md).
  const char* insert_sql =
      had_conversations
          ? "INSERT INTO conversations(case_id, call_id, conversation_id, leg, run_id) "
            "VALUES(?, ?, ?, ?, ?) ON CONFLICT(case_id, call_id) DO UPDATE SET "
            "conversation_id = excluded.conversation_id, leg = excluded.leg, "
            "run_id = coalesce(excluded.run_id, run_id)"
          : "INSERT INTO conversations(case_id, call_id, conversation_id, leg, run_id) "
            "VALUES(?, ?, ?, ?, ?)";
  // A call named twice keeps its last conversation, as an upsert would.
  std::stable_sort(legs.begin(), legs.end(),
                   [](const Leg& a, const Leg& b) { return *a.call_id < *b.call_id; });
  sql::Stmt& insert = db.prepare(insert_sql);
  for (size_t k = 0; k < legs.size(); ++k) {
    if (k + 1 < legs.size() && *legs[k + 1].call_id == *legs[k].call_id) continue;
    const Leg& l = legs[k];
    insert.reset();
    insert.bind_all(case_id, *l.call_id, *l.conversation_id, l.leg, run_id).run();
  }
}

std::optional<StoredConversation> load(sql::Db& db, const std::string& id_or_call_id,
                                       const std::string& case_name) {
  // The conversation id itself, else the Call-ID's; the case written last first.
  sql::Stmt& s = db.prepare(
      "SELECT cs.name, cv.case_id, cv.conversation_id FROM conversations cv "
      "JOIN cases cs ON cs.id = cv.case_id "
      "WHERE (cv.conversation_id = ?1 OR cv.call_id = ?1) AND (?2 = '' OR cs.name = ?2) "
      "ORDER BY cv.conversation_id = ?1 DESC, cs.updated_at DESC, cs.id DESC LIMIT 1");
  s.bind_all(id_or_call_id, case_name);
  if (!s.step()) {
    s.reset();
    return std::nullopt;
  }
  StoredConversation out;
  out.case_name = s.text(0);
  const int64_t case_id = s.int64(1);
  out.id = s.text(2);
  s.reset();
  sql::Stmt& legs = db.prepare(
      "SELECT call_id FROM conversations WHERE case_id = ? AND conversation_id = ? "
      "ORDER BY leg, call_id");
  legs.bind_all(case_id, out.id);
  while (legs.step()) out.call_ids.push_back(legs.text(0));
  legs.reset();
  sql::Stmt& links = db.prepare(
      "SELECT call_a, call_b, key_kind, key_value FROM conversation_links "
      "WHERE case_id = ? AND conversation_id = ? ORDER BY ordinal");
  links.bind_all(case_id, out.id);
  while (links.step()) {
    out.links.push_back({links.text(0), links.text(1), links.text(2), links.text(3)});
  }
  links.reset();
  return out;
}

std::vector<std::string> ids(sql::Db& db, const std::string& case_name) {
  std::vector<std::string> out;
  sql::Stmt& s = db.prepare(
      "SELECT DISTINCT cv.conversation_id FROM conversations cv JOIN cases cs ON cs.id = "
      "cv.case_id WHERE ?1 = '' OR cs.name = ?1 ORDER BY cv.conversation_id");
  s.bind_all(case_name);
  while (s.step()) out.push_back(s.text(0));
  s.reset();
  return out;
}

}  // namespace fedtriage::store_conversations
