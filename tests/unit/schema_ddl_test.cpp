// The one schema text, filled for two dialects: every placeholder is replaced and the dialects
// differ only in the words they were asked for.
#include "lib/store/schema_ddl.h"

#include <gtest/gtest.h>

#include <string>

namespace fedtriage::schema_ddl {
namespace {

constexpr SqlDialect kA = {"ID_A", "INT_A", "JSON_A", "BLOB_A", " KEYED_A", "ADD_A"};
constexpr SqlDialect kB = {"ID_B", "INT_B", "JSON_B", "BLOB_B", "", "ADD_B"};

TEST(SchemaDdl, OneStepPerVersionWithEveryPlaceholderFilled) {
  const std::vector<std::string> a = migrations(kA);
  const std::vector<std::string> b = migrations(kB);
  ASSERT_EQ(a.size(), static_cast<size_t>(kVersion));
  ASSERT_EQ(b.size(), a.size());
  for (size_t v = 0; v < a.size(); ++v) {
    for (const char* word : {"{ID}", "{INT}", "{JSON}", "{BLOB}", "{KEYED}", "{ADD_COLUMN}"}) {
      EXPECT_EQ(a[v].find(word), std::string::npos) << "step " << v << ": " << word;
    }
    // Back to dialect A's words, B's text is A's: nothing else differs.
    std::string back = b[v];
    for (auto [from, to] :
         {std::pair{"ID_B", "ID_A"}, std::pair{"INT_B", "INT_A"}, std::pair{"JSON_B", "JSON_A"},
          std::pair{"BLOB_B", "BLOB_A"}, std::pair{"ADD_B", "ADD_A"}}) {
      for (size_t at = back.find(from); at != std::string::npos; at = back.find(from, at)) {
        back.replace(at, std::string(from).size(), to);
      }
    }
    std::string a_without_keyed = a[v];
    for (size_t at = a_without_keyed.find(" KEYED_A"); at != std::string::npos;
         at = a_without_keyed.find(" KEYED_A", at)) {
      a_without_keyed.erase(at, 8);
    }
    EXPECT_EQ(back, a_without_keyed) << "step " << v;
  }
  EXPECT_NE(a[0].find("CREATE TABLE events ("), std::string::npos);
  EXPECT_NE(a[0].find("id             ID_A,"), std::string::npos);
  EXPECT_NE(a[0].find(") KEYED_A;"), std::string::npos);
}

}  // namespace
}  // namespace fedtriage::schema_ddl
