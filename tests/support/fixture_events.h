// Test helper: every event the parsers make of the fixture files under testdata/DIR..., in a
// fixed order (files sorted by path, each parsed whole).
#pragma once

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/core/event.h"
#include "parsers/log_parser.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage::testing {

inline std::vector<Event> fixture_events(std::initializer_list<const char*> dirs) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const char* dir : dirs) {
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(FEDTRIAGE_TESTDATA_DIR) / dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  CollectingEvents events;
  CollectingProblems problems;
  for (const fs::path& path : files) {
    std::string text = read_file(path.string());
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    auto parser = make_parser(sniff_format(std::string_view(text).substr(0, 64 * 1024)).format,
                              ParserContext{path.filename().string(), &events, &problems, {}});
    if (parser != nullptr) feed_text(*parser, text);
  }
  return std::move(events.events);
}

}  // namespace fedtriage::testing
