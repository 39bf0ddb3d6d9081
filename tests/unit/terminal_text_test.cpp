#include "lib/report/terminal_text.h"

#include <gtest/gtest.h>

namespace fedtriage {
namespace {

TEST(TerminalText, EscapeSequencesAreDefused) {
  EXPECT_EQ(terminal_safe("a\x1b]52;c;aGk=\x07z"), "a\\x1b]52;c;aGk=\\x07z");
  EXPECT_EQ(terminal_safe("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(terminal_safe("line\r\nnext"), "line\\x0d\\x0anext");
  EXPECT_EQ(terminal_safe("\xc2\x9b"
                          "31m"),
            "\\xc2\\x9b31m");  // C1 CSI in UTF-8
}

TEST(TerminalText, ValidUtf8PassesInvalidBytesAreShown) {
  EXPECT_EQ(terminal_safe("Jos\xc3\xa9 \xe2\x82\xac"), "Jos\xc3\xa9 \xe2\x82\xac");
  EXPECT_EQ(terminal_safe("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(terminal_safe("\xe2\x82"), "\\xe2\\x82");           // cut short
  EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(terminal_safe("tab\there"), "tab here");
}

}  // namespace
}  // namespace fedtriage
