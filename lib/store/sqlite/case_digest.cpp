#include "lib/store/sqlite/sqlite_reader.h"

#include "lib/store/enum_text.h"
#include "lib/store/json_columns.h"

namespace fedtriage::store_read {

CaseDigest case_digest(sql::Db& db) {
  {
    CaseDigest out;
    sql::Stmt& c = db.prepare(
        "SELECT name, created_at, updated_at, "
        "(SELECT count(*) FROM source_files WHERE case_id = cases.id), "
        "(SELECT count(*) FROM inputs WHERE case_id = cases.id), "
        "(SELECT count(*) FROM calls WHERE case_id = cases.id), "
        "(SELECT count(*) FROM calls c WHERE c.case_id = cases.id AND c.failed), "
        "(SELECT count(*) FROM findings WHERE case_id = cases.id), "
        "(SELECT count(DISTINCT conversation_id) FROM conversations WHERE case_id = cases.id), "
        "(SELECT count(*) FROM (SELECT 1 FROM conversations WHERE case_id = cases.id "
        "GROUP BY conversation_id HAVING count(*) > 1) m) "
        "FROM cases ORDER BY name");
    while (c.step()) {
      CaseOverview o;
      o.name = c.text(0);
      o.created_at = c.text(1);
      o.updated_at = c.text(2);
      o.source_files = static_cast<uint64_t>(c.int64(3));
      o.inputs = static_cast<uint64_t>(c.int64(4));
      o.calls = static_cast<uint64_t>(c.int64(5));
      o.failed_calls = static_cast<uint64_t>(c.int64(6));
      o.findings = static_cast<uint64_t>(c.int64(7));
      o.conversations = static_cast<uint64_t>(c.int64(8));
      o.multi_leg_conversations = static_cast<uint64_t>(c.int64(9));
      out.cases.push_back(std::move(o));
    }
    c.reset();
    sql::Stmt& f = db.prepare(
        "SELECT cs.name, f.call_id, f.rule_id, f.title, f.severity, f.fields "
        "FROM findings f JOIN cases cs ON cs.id = f.case_id ORDER BY cs.name, f.id");
    while (f.step()) {
      CaseFinding cf;
      cf.case_name = f.text(0);
      cf.call_id = f.text(1);
      cf.rule_id = f.text(2);
      cf.title = f.text(3);
      cf.severity = store_text::severity_from(f.text(4));
      cf.fields = store_json::to_fields(f.text(5));
      out.findings.push_back(std::move(cf));
    }
    f.reset();
    return out;
  }
}

}  // namespace fedtriage::store_read
