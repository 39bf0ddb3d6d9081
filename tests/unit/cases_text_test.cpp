// The text twin of the JSON envelope: case headers in order, a stored case's report in its
// place, and the closing line only for several cases with a database.
#include "lib/report/cases_text.h"

#include <gtest/gtest.h>

#include <sstream>

namespace fedtriage {
namespace {

TEST(CasesText, SeveralCasesGetHeadersAndAClosingLine) {
  std::ostringstream out;
  CasesTextWriter w(out, {}, false, "t.db");
  w.add({"a", {"in/a"}, "", true}, "", nullptr);
  w.add({"b", {"in/b", "in/c"}, "already stored in t.db (2 file(s), same content)", false},
        "Read from the database\n", nullptr);
  w.end(1, 1);
  EXPECT_EQ(out.str(),
            "== case a (in/a)\n"
            "\n== case b (in/b, in/c): already stored in t.db (2 file(s), same content)\n"
            "Read from the database\n"
            "\nStored in t.db: 1 case(s) analysed, 1 already stored.\n");
}

TEST(CasesText, OneCaseSaysWhatWasSkippedAndWhereItIsStored) {
  std::ostringstream out;
  CasesTextWriter w(out, {}, true, "t.db");
  w.add({"a", {"in/a"}, "1 new file(s) read, 2 already stored", true}, "", nullptr);
  w.end(1, 0);
  EXPECT_EQ(out.str(),
            "fedtriage: in/a: 1 new file(s) read, 2 already stored\n"
            "\nStored in t.db (case a).\n");
  std::ostringstream no_db;
  CasesTextWriter n(no_db, {}, true, "");
  n.add({"a", {"in/a"}, "", true}, "", nullptr);
  n.end(1, 0);
  EXPECT_EQ(no_db.str(), "");
}

}  // namespace
}  // namespace fedtriage
