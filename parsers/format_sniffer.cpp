// Format recognition by content, and the parser factory: the one place that knows every
// format.
#include "parsers/client/ucc_api_log_parser.h"
#include "parsers/edge/edge_trace_parser.h"
#include "parsers/expressway/expressway_parser.h"
#include "parsers/log_parser.h"

namespace fedtriage {

void report_problem(const ParserContext& context, uint64_t line, std::string message,
                    Problem::Severity severity) {
  if (context.problems == nullptr) return;
  context.problems->on_problem(Problem{severity, context.file, line, std::move(message)});
}

std::string_view to_string(LogFormat f) {
  switch (f) {
    case LogFormat::Expressway:
      return "expressway";
    case LogFormat::EdgeTrace:
      return "edge";
    case LogFormat::ClientUccApi:
      return "client";
    case LogFormat::Unknown:
      return "unknown";
  }
  return "unknown";
}

SniffResult sniff_format(std::string_view head) {
  if (head.empty()) return {LogFormat::Unknown, "empty file"};
  if (looks_like_expressway_log(head)) {
    return {LogFormat::Expressway, "tvcs record lines (UTCTime= / Event=)"};
  }
  if (looks_like_edge_trace(head)) {
    return {LogFormat::EdgeTrace, "Skype/Lync CLS trace records (TL_<LEVEL>(TF_<FLAG>))"};
  }
  if (looks_like_ucc_api_log(head)) {
    return {LogFormat::ClientUccApi, "Skype/Lync client UccApiLog lines (MM/DD/YYYY|time)"};
  }
  if (head.find('\0') != std::string_view::npos) {
    return {LogFormat::Unknown, "binary content (NUL bytes) and no known log layout"};
  }
  return {LogFormat::Unknown,
          "no Expressway tvcs lines, Edge TL_ records or UccApiLog lines in the first " +
              std::to_string(head.size()) + " bytes"};
}

std::unique_ptr<LogParser> make_parser(LogFormat format, ParserContext context) {
  switch (format) {
    case LogFormat::Expressway:
      return std::make_unique<ExpresswayParser>(std::move(context));
    case LogFormat::EdgeTrace:
      return std::make_unique<EdgeTraceParser>(std::move(context));
    case LogFormat::ClientUccApi:
      return std::make_unique<UccApiLogParser>(std::move(context));
    default:
      return nullptr;
  }
}

}  // namespace fedtriage
