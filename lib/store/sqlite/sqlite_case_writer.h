// The SQLite CaseWriter: takes over a case write begun on a connection (BEGIN IMMEDIATE, case
// and rules written) and runs it to COMMIT or rollback. Private to lib/store/sqlite.
#pragma once

#include <memory>
#include <string>

#include "lib/store/case_writer.h"

namespace fedtriage {

namespace sql {
class Db;
}
namespace store_write {
class CaseWrite;
}

std::unique_ptr<CaseWriter> make_sqlite_case_writer(sql::Db& db, const std::string& path,
                                                    std::unique_ptr<store_write::CaseWrite> write);

}  // namespace fedtriage
