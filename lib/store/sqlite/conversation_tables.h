// The conversations and conversation_links tables (schema version 3) in SQLite: which calls
// of a case are legs of one conversation, and the keys that tie them. Private to
// lib/store/sqlite.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/correlate/conversation.h"
#include "lib/store/store_records.h"

namespace fedtriage::sql {
class Db;
}

namespace fedtriage::store_conversations {

// Inside the case write's transaction: replaces the rows of the calls `set` names.
void write(sql::Db& db, int64_t case_id, const ConversationSet& set, std::optional<int64_t> run_id);

// By conversation id or by Call-ID; nullopt when neither is stored.
std::optional<StoredConversation> load(sql::Db& db, const std::string& id_or_call_id,
                                       const std::string& case_name);

std::vector<std::string> ids(sql::Db& db, const std::string& case_name);

}  // namespace fedtriage::store_conversations
