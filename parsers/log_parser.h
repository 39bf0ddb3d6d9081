// The contract every log-format parser keeps: lines in, events and problems out.
// Parsers know nothing of files, archives, storage or output formats.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lib/core/event.h"
#include "lib/core/problem.h"

namespace fedtriage {

// Open like Source: formats beyond these register with register_log_format().
enum class LogFormat : uint8_t { Unknown, Expressway, EdgeTrace, ClientUccApi };

std::string_view to_string(LogFormat f);

struct ParserOptions {
  // Client (UccApiLog) timestamps are local; minutes east of UTC when the user gave it.
  std::optional<int> client_utc_offset_minutes;
};

struct ParserContext {
  std::string file;  // display name put into every event's origin and every problem
  EventSink* events = nullptr;
  ProblemSink* problems = nullptr;
  ParserOptions options;
  // The parser reads one piece of a split file (see LogFormatInfo::cut_before): what needs more
  // than the piece is left to the format's stitcher, which gets this parser's events.
  bool chunk = false;
};

// Reports a problem with context.file at `line` (1-based; 0 = the whole file). A context
// without a problem sink drops it.
void report_problem(const ParserContext& context, uint64_t line, std::string message,
                    Problem::Severity severity = Problem::Severity::Warning);

class LogParser {
 public:
  virtual ~LogParser() = default;
  // One line without its "\n" and without a trailing "\r". line_no is 1-based. The view is
  // only valid during the call: copy what must outlive it.
  virtual void feed(std::string_view line, uint64_t line_no) = 0;
  // End of input: emit or report whatever record is still open (a file cut off mid-record).
  virtual void finish() = 0;
};

struct SniffResult {
  LogFormat format = LogFormat::Unknown;
  std::string reason;    // why it was (or was not) recognised, for `-v`
  bool by_name = false;  // recognised by the file's name only: its head shows no record
};

// Recognises a format from the first bytes of a file (up to 64 KiB, BOM already removed),
// or else from the file's name (`file_name`, "" when unknown): a rotated log may begin with
// more than 64 KiB of one message's continuation lines, and must not be dropped for it.
SniffResult sniff_format(std::string_view head, std::string_view file_name = {});

std::unique_ptr<LogParser> make_parser(LogFormat format, ParserContext context);

// What a split file's pieces' events go through, in file order (LogFormatInfo::make_stitcher).
class EventStitcher : public EventSink {
 public:
  virtual void finish() = 0;  // end of the file
};

// A log format: how its files are recognised and read, and the product that writes them.
struct LogFormatInfo {
  LogFormat format{};
  std::string_view name;  // "expressway": shown for inputs
  Source source{};        // the product (lib/core/product.h) its events belong to
  bool (*looks_like)(std::string_view head) = nullptr;  // recognises the first bytes
  std::string_view recognised_by;                       // why it was recognised, for -v
  std::string_view telltale;  // what was looked for: "Edge TL_ records" (when not found)
  std::unique_ptr<LogParser> (*make)(ParserContext context) = nullptr;
  // Recognises the product's own file names ("Lync-UccApi-1.UccApilog"); nullptr: none.
  bool (*named_like)(std::string_view base_name) = nullptr;

  // Splitting one large file across cores (lib/ingest): the file is cut into pieces before
  // lines where this says yes, each piece is read by a parser of its own (context.chunk) in
  // parallel, and their output, in file order, goes through the stitcher (when the format has
  // one) to the events sink. True only when a parser that read everything up to `previous`
  // is left with no open record, so that a new parser starting at `line` carries on exactly
  // as it would have. nullptr: files of this format are read by one parser.
  bool (*cut_before)(std::string_view previous, std::string_view line) = nullptr;
  // The sequential step after the pieces' parsers (cross-record work such as pairing lines
  // far apart); its context.events is where the stitched events go. nullptr: the pieces'
  // events are the file's events.
  std::unique_ptr<EventStitcher> (*make_stitcher)(ParserContext context) = nullptr;
  // With a stitcher: true for the marker events a piece's parser puts out for the stitcher
  // alone (Event::origin.line is the line a marker names). The stitcher must pass every other
  // event on as it is and at once, unless a marker before it in the piece named its line (a
  // twin), and may put out events at a marker only, of lines before the marker's: lib/ingest
  // then spools a piece's events on the piece's own thread.
  bool (*stitch_marker)(const Event& e) = nullptr;
};

// The registered format `f`, or nullptr. Valid until the next register_log_format().
const LogFormatInfo* find_log_format(LogFormat f);

// Adds a format at run time, tried after the built-in ones (parsers/format_registry.cpp).
// Its product must be registered first; its id must be new. False with `*error` otherwise.
bool register_log_format(const LogFormatInfo& info, std::string* error);

}  // namespace fedtriage
