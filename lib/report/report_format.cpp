#include "lib/report/report_format.h"

#include "lib/report/call_list.h"
#include "lib/report/ladder/call_json.h"
#include "lib/report/ladder/call_markdown.h"
#include "lib/report/ladder/call_svg.h"
#include "lib/report/ladder/conversation_view.h"
#include "lib/report/ladder/ladder.h"
#include "lib/report/ladder/ladder_text.h"
#include "lib/report/preflight_report.h"
#include "lib/report/summary/summary_report.h"

namespace fedtriage {

namespace {

struct FormatName {
  ReportFormat format;
  std::string_view name;
};

// Each kind's formats in the order its help and its error message list them.
std::vector<FormatName> offered(ReportKind kind) {
  constexpr FormatName text{ReportFormat::Text, "text"}, json{ReportFormat::Json, "json"},
      csv{ReportFormat::Csv, "csv"}, md{ReportFormat::Markdown, "md"},
      svg{ReportFormat::Svg, "svg"};
  switch (kind) {
    case ReportKind::Call:
      return {text, md, svg, json};
    case ReportKind::Conversation:
      return {text, md, json};
    case ReportKind::CallList:
    case ReportKind::Summary:
      return {text, json, csv};
    case ReportKind::Analysis:
    case ReportKind::Preflight:
      break;
  }
  return {text, json};
}

}  // namespace

std::string format_names(ReportKind kind) {
  std::string out;
  for (const FormatName& f : offered(kind)) {
    if (!out.empty()) out += '|';
    out += f.name;
  }
  return out;
}

std::optional<ReportFormat> parse_report_format(ReportKind kind, std::string_view name,
                                                std::string* error) {
  const std::vector<FormatName> formats = offered(kind);
  std::string list;
  for (size_t i = 0; i < formats.size(); ++i) {
    if (formats[i].name == name) return formats[i].format;
    list += i == 0 ? "" : i + 1 == formats.size() ? " or " : ", ";
    list += formats[i].name;
  }
  if (error) *error = "--format: " + list;
  return std::nullopt;
}

std::string render_call(const StoredCall& call, ReportFormat format,
                        const LadderTextOptions& options) {
  switch (format) {
    case ReportFormat::Json:
      return call_to_json(call);
    case ReportFormat::Svg:
      return call_to_svg(call, build_ladder(call));
    case ReportFormat::Markdown:
      return call_to_markdown(call, build_ladder(call), options.width);
    case ReportFormat::Text:
    case ReportFormat::Csv:
      break;
  }
  return call_to_text(call, build_ladder(call), options);
}

std::string render_conversation(const StoredConversation& conversation,
                                const std::vector<StoredCall>& legs, ReportFormat format,
                                const LadderTextOptions& options) {
  switch (format) {
    case ReportFormat::Json:
      return conversation_to_json(conversation, legs);
    case ReportFormat::Markdown:
      return conversation_to_markdown(conversation, legs, options.width);
    case ReportFormat::Text:
    case ReportFormat::Csv:
    case ReportFormat::Svg:
      break;
  }
  return conversation_to_text(conversation, legs, options);
}

std::string render_call_list(const std::vector<CallSummary>& calls, ReportFormat format) {
  switch (format) {
    case ReportFormat::Json:
      return calls_to_json(calls);
    case ReportFormat::Csv:
      return calls_to_csv(calls);
    case ReportFormat::Text:
    case ReportFormat::Markdown:
    case ReportFormat::Svg:
      break;
  }
  return calls_to_text(calls);
}

std::string render_summary(const CrossCaseSummary& summary, ReportFormat format) {
  switch (format) {
    case ReportFormat::Json:
      return summary_to_json(summary);
    case ReportFormat::Csv:
      return summary_to_csv(summary);
    case ReportFormat::Text:
    case ReportFormat::Markdown:
    case ReportFormat::Svg:
      break;
  }
  return summary_to_text(summary);
}

std::string render_preflight(const std::vector<preflight::DomainReport>& reports,
                             ReportFormat format, bool color) {
  return format == ReportFormat::Json ? preflight::reports_to_json(reports)
                                      : preflight::reports_to_text(reports, color);
}

}  // namespace fedtriage
