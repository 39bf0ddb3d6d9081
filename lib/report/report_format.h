// The one place that turns a --format name into a renderer. Each command says what it prints
// (a ReportKind); this table says which formats that offers, in the order its help lists
// them, parses the name, and draws the report with the renderer of that format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/store/store_records.h"

namespace fedtriage {

struct CrossCaseSummary;
struct LadderTextOptions;
namespace preflight {
struct DomainReport;
}

enum class ReportFormat : uint8_t { Text, Json, Csv, Markdown, Svg };

enum class ReportKind : uint8_t {
  Analysis,      // analyze: text | json (the JSON streamed call by call, cases_json.h)
  Call,          // show CALL-ID: text | md | svg | json
  Conversation,  // show --conversation: text | md | json
  CallList,      // calls: text | json | csv
  Summary,       // summary: text | json | csv
  Preflight,     // check: text | json
};

// "text|md|svg|json": for the --format option's value name.
std::string format_names(ReportKind kind);

// The format `name` stands for when `kind` offers it; otherwise nullopt and `*error` says
// which names it takes ("--format: text, md, svg or json").
std::optional<ReportFormat> parse_report_format(ReportKind kind, std::string_view name,
                                                std::string* error);

// The renderers, chosen by format.
std::string render_call(const StoredCall& call, ReportFormat format,
                        const LadderTextOptions& options);
std::string render_conversation(const StoredConversation& conversation,
                                const std::vector<StoredCall>& legs, ReportFormat format,
                                const LadderTextOptions& options);
std::string render_call_list(const std::vector<CallSummary>& calls, ReportFormat format);
std::string render_summary(const CrossCaseSummary& summary, ReportFormat format);
std::string render_preflight(const std::vector<preflight::DomainReport>& reports,
                             ReportFormat format, bool color);

}  // namespace fedtriage
