// The conversations and conversation_links tables (schema version 3) on PostgreSQL: the same
// columns as SQLite's (lib/store/sqlite/conversation_tables.h). Private to
// lib/store/postgresql; everything throws pg::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/correlate/conversation.h"
#include "lib/store/store_records.h"

namespace fedtriage::pg {
class Connection;
}

namespace fedtriage::pg_conversations {

// Inside the case write's transaction: replaces the rows of the calls `set` names.
void write(pg::Connection& db, int64_t case_id, const ConversationSet& set,
           std::optional<int64_t> run_id);

std::optional<StoredConversation> load(pg::Connection& db, const std::string& id_or_call_id,
                                       const std::string& case_name);

std::vector<std::string> ids(pg::Connection& db, const std::string& case_name);

}  // namespace fedtriage::pg_conversations
