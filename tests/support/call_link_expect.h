// Two lists of call links are the same, field by field (the call archive and the plan spool
// tests both round-trip them).
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "lib/correlate/call.h"

namespace fedtriage::testing {

inline void expect_same_links(const std::vector<CallLink>& a, const std::vector<CallLink>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].event, b[i].event);
    EXPECT_EQ(a[i].reason, b[i].reason);
    EXPECT_EQ(a[i].file, b[i].file);
    EXPECT_EQ(a[i].line, b[i].line);
    EXPECT_EQ(a[i].kind, b[i].kind);
    EXPECT_EQ(a[i].query, b[i].query);
  }
}

}  // namespace fedtriage::testing
