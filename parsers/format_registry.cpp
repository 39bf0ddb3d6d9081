// The log-format registry: recognition by content and the parser factory, the one place in
// parsers/ that knows every format (lib/core/product.h knows the products).
#include <mutex>
#include <vector>

#include "lib/core/product.h"
#include "parsers/client/ucc_api_log_parser.h"
#include "parsers/edge/edge_trace_parser.h"
#include "parsers/expressway/expressway_parser.h"
#include "parsers/expressway/summary_twins.h"
#include "parsers/log_parser.h"

namespace fedtriage {

void report_problem(const ParserContext& context, uint64_t line, std::string message,
                    Problem::Severity severity) {
  if (context.problems == nullptr) return;
  context.problems->on_problem(Problem{severity, context.file, line, std::move(message)});
}

namespace {

std::unique_ptr<LogParser> make_expressway(ParserContext context) {
  return std::make_unique<ExpresswayParser>(std::move(context));
}
std::unique_ptr<LogParser> make_edge(ParserContext context) {
  return std::make_unique<EdgeTraceParser>(std::move(context));
}
std::unique_ptr<LogParser> make_client(ParserContext context) {
  return std::make_unique<UccApiLogParser>(std::move(context));
}

// Tried in this order: the first whose recogniser accepts the head wins.
struct FormatRegistry {
  std::mutex mutex;  // registration only
  std::vector<LogFormatInfo> formats = {
      {LogFormat::Expressway, "expressway", Source::Expressway, looks_like_expressway_log,
       "tvcs record lines (UTCTime= / Event=)", "Expressway tvcs lines", make_expressway, nullptr,
       expressway_cut_before, make_expressway_stitcher, is_expressway_stitch_marker},
      {LogFormat::EdgeTrace, "edge", Source::Edge, looks_like_edge_trace,
       "Skype/Lync CLS trace records (TL_<LEVEL>(TF_<FLAG>))", "Edge TL_ records", make_edge,
       nullptr, edge_cut_before},
      {LogFormat::ClientUccApi, "client", Source::Client, looks_like_ucc_api_log,
       "Skype/Lync client UccApiLog lines (MM/DD/YYYY|time)", "UccApiLog lines", make_client,
       named_like_ucc_api_log, ucc_api_log_cut_before},
  };
};

FormatRegistry& registry() {
  static FormatRegistry r;
  return r;
}

const LogFormatInfo* find_format(LogFormat f) {
  for (const LogFormatInfo& info : registry().formats) {
    if (info.format == f) return &info;
  }
  return nullptr;
}

}  // namespace

bool register_log_format(const LogFormatInfo& info, std::string* error) {
  FormatRegistry& r = registry();
  std::lock_guard lock(r.mutex);
  if (info.format == LogFormat::Unknown || find_format(info.format) || !info.looks_like ||
      !info.make || !find_product(info.source)) {
    if (error) *error = "log format '" + std::string(info.name) + "': id taken or incomplete";
    return false;
  }
  r.formats.push_back(info);
  return true;
}

const LogFormatInfo* find_log_format(LogFormat f) {
  return find_format(f);
}

std::string_view to_string(LogFormat f) {
  const LogFormatInfo* info = find_format(f);
  return info ? info->name : "unknown";
}

SniffResult sniff_format(std::string_view head, std::string_view file_name) {
  if (head.empty()) return {LogFormat::Unknown, "empty file"};
  const std::vector<LogFormatInfo>& formats = registry().formats;
  std::string looked_for;  // "A, B or C"
  for (size_t i = 0; i < formats.size(); ++i) {
    if (formats[i].looks_like(head))
      return {formats[i].format, std::string(formats[i].recognised_by)};
    looked_for += i == 0 ? "" : i + 1 == formats.size() ? " or " : ", ";
    looked_for += formats[i].telltale;
  }
  if (head.find('\0') != std::string_view::npos) {
    return {LogFormat::Unknown, "binary content (NUL bytes) and no known log layout"};
  }
  // The last path component ("bundle.zip!/logs/Lync-UccApi-1.UccApilog" -> the file).
  const size_t slash = file_name.find_last_of('/');
  const std::string_view base =
      slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  for (const LogFormatInfo& f : formats) {
    if (!base.empty() && f.named_like && f.named_like(base)) {
      return {f.format,
              "named like a " + std::string(f.name) + " log, though no " + std::string(f.telltale) +
                  " in its first " + std::to_string(head.size()) +
                  " bytes (a rotated log that starts mid-message?)",
              true};
    }
  }
  return {LogFormat::Unknown,
          "no " + looked_for + " in the first " + std::to_string(head.size()) + " bytes"};
}

std::unique_ptr<LogParser> make_parser(LogFormat format, ParserContext context) {
  const LogFormatInfo* info = find_format(format);
  return info ? info->make(std::move(context)) : nullptr;
}

}  // namespace fedtriage
