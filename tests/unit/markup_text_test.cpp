#include "lib/base/markup_text.h"

#include <gtest/gtest.h>

namespace fedtriage {
namespace {

TEST(MarkupText, EscapesTheFiveSpecialsAndKeepsTheRest) {
  EXPECT_EQ(escape_markup("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(escape_markup("plain text, UTF-8 \xc3\xa9"), "plain text, UTF-8 \xc3\xa9");
  EXPECT_EQ(escape_markup(""), "");
  EXPECT_EQ(escape_markup("&amp;"), "&amp;amp;");  // never taken for a reference
}

}  // namespace
}  // namespace fedtriage
