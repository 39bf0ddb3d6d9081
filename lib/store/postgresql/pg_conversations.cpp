#include "lib/store/postgresql/pg_conversations.h"

#include "lib/store/postgresql/pg_connection.h"

namespace fedtriage::pg_conversations {

using pg::Params;

void write(pg::Connection& db, int64_t case_id, const ConversationSet& set,
           std::optional<int64_t> run_id) {
  // One round trip per conversation: the statements do not need each other's results.
  for (const Conversation& c : set.conversations) {
    std::vector<pg::Connection::Statement> batch;
    for (const std::string& call : c.call_ids) {
      // A call that moved to another conversation takes its old conversation's links along.
      batch.push_back(
          {"DELETE FROM conversation_links WHERE case_id = $1 AND conversation_id IN "
           "(SELECT conversation_id FROM conversations WHERE case_id = $1 AND "
           "call_id = $2)",
           Params().add(case_id).add(call)});
    }
    batch.push_back({"DELETE FROM conversation_links WHERE case_id = $1 AND conversation_id = $2",
                     Params().add(case_id).add(c.id)});
    int64_t leg = 0;
    for (const std::string& call : c.call_ids) {
      batch.push_back(
          {"INSERT INTO conversations(case_id, call_id, conversation_id, leg, run_id) "
           "VALUES($1, $2, $3, $4, $5) ON CONFLICT(case_id, call_id) DO UPDATE SET "
           "conversation_id = excluded.conversation_id, leg = excluded.leg, "
           "run_id = coalesce(excluded.run_id, conversations.run_id)",
           Params().add(case_id).add(call).add(c.id).add(++leg).add(run_id)});
    }
    int64_t ordinal = 0;
    for (const ConversationLink& l : c.links) {
      batch.push_back(
          {"INSERT INTO conversation_links(case_id, conversation_id, ordinal, call_a, "
           "call_b, key_kind, key_value) VALUES($1, $2, $3, $4, $5, $6, $7)",
           Params()
               .add(case_id)
               .add(c.id)
               .add(++ordinal)
               .add(l.call_a)
               .add(l.call_b)
               .add(l.key.kind)
               .add(l.key.value)});
    }
    db.exec_all(batch);
  }
}

std::optional<StoredConversation> load(pg::Connection& db, const std::string& id_or_call_id,
                                       const std::string& case_name) {
  pg::Result s = db.exec(
      "SELECT cs.name, cv.case_id, cv.conversation_id FROM conversations cv "
      "JOIN cases cs ON cs.id = cv.case_id "
      "WHERE (cv.conversation_id = $1 OR cv.call_id = $1) AND ($2 = '' OR cs.name = $2) "
      "ORDER BY (cv.conversation_id = $1) DESC, cs.updated_at COLLATE \"C\" DESC, cs.id DESC "
      "LIMIT 1",
      Params().add(id_or_call_id).add(case_name));
  if (s.rows() == 0) return std::nullopt;
  StoredConversation out;
  out.case_name = s.text(0, 0);
  const int64_t case_id = s.int64(0, 1);
  out.id = s.text(0, 2);
  pg::Result legs = db.exec(
      "SELECT call_id FROM conversations WHERE case_id = $1 AND conversation_id = $2 "
      "ORDER BY leg, call_id COLLATE \"C\"",
      Params().add(case_id).add(out.id));
  for (int r = 0; r < legs.rows(); ++r) out.call_ids.push_back(legs.text(r, 0));
  pg::Result links = db.exec(
      "SELECT call_a, call_b, key_kind, key_value FROM conversation_links "
      "WHERE case_id = $1 AND conversation_id = $2 ORDER BY ordinal",
      Params().add(case_id).add(out.id));
  for (int r = 0; r < links.rows(); ++r) {
    out.links.push_back({links.text(r, 0), links.text(r, 1), links.text(r, 2), links.text(r, 3)});
  }
  return out;
}

std::vector<std::string> ids(pg::Connection& db, const std::string& case_name) {
  pg::Result s = db.exec(
      "SELECT DISTINCT cv.conversation_id COLLATE \"C\" FROM conversations cv JOIN cases cs ON "
      "cs.id = cv.case_id WHERE $1 = '' OR cs.name = $1 ORDER BY 1",
      Params().add(case_name));
  std::vector<std::string> out;
  for (int r = 0; r < s.rows(); ++r) out.push_back(s.text(r, 0));
  return out;
}

}  // namespace fedtriage::pg_conversations
