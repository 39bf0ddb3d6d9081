#pragma once

// Reference logs that live beside the repository (../shared/reference-logs), not in it: a fresh
// clone has none, so tests that read them skip. FEDTRIAGE_SHARED_DIR in the environment
// overrides the built-in path (to check the skip, point it at a missing folder).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace fedtriage::testing {

inline std::string shared_dir() {
  if (const char* env = std::getenv("FEDTRIAGE_SHARED_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return FEDTRIAGE_SHARED_DIR;
}

// The full path of a reference log, or "" when it is absent.
inline std::string reference_log(const std::string& name) {
  std::string path = shared_dir() + "/reference-logs/" + name;
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) ? path : std::string();
}

}  // namespace fedtriage::testing

// Skips the current test when the reference log NAME is absent; else declares `path` = its path.
#define FEDTRIAGE_REFERENCE_LOG_OR_SKIP(path, name)                                \
  const std::string path = ::fedtriage::testing::reference_log(name);              \
  if (path.empty()) {                                                              \
    GTEST_SKIP() << "reference log " << name << " not found under "                \
                 << ::fedtriage::testing::shared_dir()                             \
                 << "/reference-logs (it lives outside the repository; set "       \
                    "FEDTRIAGE_SHARED_DIR to its parent folder to run this test)"; \
  }
