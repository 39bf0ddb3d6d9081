// `fedtriage events PATH...`: every normalized event as JSON Lines, in time order.
#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <mutex>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/exit_status.h"
#include "app/input_options.h"
#include "lib/analysis/read.h"
#include "lib/base/ordered_jobs.h"
#include "lib/base/unique_prefix.h"
#include "lib/report/event_json.h"
#include "lib/report/terminal_text.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_events(const Args& args, const GlobalOptions& global) {
  InputArgs input;
  bool raw = false;
  std::string call_id;
  po::options_description desc(
      "Usage: fedtriage events [options] PATH...\n\n"
      "Print every normalized event (SIP messages, Edge diagnostics, TLS, DNS, call events)\n"
      "as one JSON object per line, in UTC time order.\n\nOptions");
  desc.add_options()("help,h", "this help")("raw", po::bool_switch(&raw),
                                            "include each record's original text as \"raw\"")(
      "call-id", po::value(&call_id)->value_name("ID"),
      "only events of this Call-ID (or of the one Call-ID starting with ID, as `show` takes)");
  add_input_options(desc, input);
  po::options_description hidden;
  hidden.add_options()("path", po::value(&input.paths));
  po::positional_options_description pos;
  pos.add("path", -1);
  po::variables_map vm;
  IngestOptions options;
  if (auto stop = parse_command_line({"events", &desc, &hidden, &pos}, args, vm, [&] {
        if (input.paths.empty()) throw std::invalid_argument("no PATH given (use - for stdin)");
        options = to_ingest_options(input);
        options.hash_inputs = false;     // events shows no input hashes
        options.split_when_idle = true;  // a lone large file on every core (ingest.h)
        // The JSON has no headers, Vias nor body: without --raw the spool keeps no text.
        options.spool_detail = raw ? EventDetail::Whole : EventDetail::NoText;
      })) {
    return *stop;
  }

  StderrProblemReporter reporter(global);
  const SpooledRead read = read_timeline(input.paths, options, reporter);
  for (const auto& note : read.clock_notes) std::cerr << "fedtriage: note: " << note << "\n";
  EventJsonOptions json_options;
  json_options.include_raw = raw;
  // Events are loaded back from the spool and rendered in chunks on every core, printed in
  // time order: memory holds the sketches and a few chunks, never all events.
  const std::vector<EventSketch>& sketches = read.sketches.events;
  uint32_t only_call = call_id.empty() ? 0 : read.sketches.strings.find(call_id);
  if (!call_id.empty()) {
    // The Call-IDs seen, in first-seen order, for a unique prefix (the same rule as `show`).
    std::vector<uint32_t> seen;
    std::vector<std::string> ids;
    for (const EventSketch& s : sketches) {
      if (s.call == 0) continue;
      if (seen.size() <= s.call) seen.resize(s.call + 1, 0);
      if (seen[s.call]++ == 0) ids.emplace_back(read.sketches.strings.at(s.call));
    }
    const PrefixMatch match = match_unique_prefix(call_id, ids);
    if (match.matches.size() > 1) {
      std::vector<std::string> shown;  // terminal-safe line by line
      for (const std::string& m : match.matches) shown.push_back(terminal_safe(m));
      std::cerr << "fedtriage events: "
                << ambiguous_prefix_message(terminal_safe(call_id), shown, "Call-IDs") << "\n";
      return kUsage;
    }
    if (!match.name.empty()) only_call = read.sketches.strings.find(match.name);
    if (only_call == 0) {
      // As `show` does: an empty answer would read as "this call logged nothing".
      std::cerr << "fedtriage events: no Call-ID " << terminal_safe(call_id)
                << " (nor one starting with it) in the events read\n";
      return kFatal;
    }
  }
  // 256 events: a chunk's buffer is a few hundred KB, soon printed and rendered into again
  // (2048-event chunks of a 100 MB read were each touched page by page: 0.94x the wall time,
  // 26 % fewer page faults with 256; no change on dense 1 GB).
  constexpr size_t kChunk = 256;
  const size_t chunks = call_id.empty() || only_call ? (sketches.size() + kChunk - 1) / kChunk : 0;
  std::vector<std::string> rendered(chunks);
  std::vector<std::string> errors(chunks);
  // Printed chunks' buffers are rendered into again: a fresh one would be faulted in page by
  // page as it grows, for every chunk.
  std::mutex spare_mu;
  std::vector<std::string> spare;
  bool lost = false;
  run_ordered_jobs(
      chunks, default_jobs(),
      [&](size_t c) {
        // Loaded in batches: records close together in the spool are read at once.
        constexpr size_t kBatch = 128;
        // Kept by the thread from chunk to chunk: decoding into them again reuses their strings.
        thread_local std::vector<Event> batch;
        thread_local std::vector<size_t> positions;
        thread_local std::string scratch;
        std::string& out = rendered[c];
        {
          std::lock_guard lock(spare_mu);
          if (!spare.empty()) {
            out = std::move(spare.back());
            spare.pop_back();
          }
        }
        const size_t end = std::min(sketches.size(), (c + 1) * kChunk);
        for (size_t i = c * kChunk; i < end;) {
          positions.clear();
          for (; i < end && positions.size() < kBatch; ++i) {
            if (only_call && sketches[i].call != only_call) continue;
            positions.push_back(i);
          }
          if (!read.load_all(positions, batch, scratch, &errors[c])) return;
          for (const Event& e : batch) {
            append_event_json(out, e, json_options);
            out += '\n';
          }
        }
      },
      [&](size_t c) {
        std::cout << rendered[c];
        rendered[c].clear();
        {
          std::lock_guard lock(spare_mu);
          if (spare.size() < 2 * default_jobs()) spare.push_back(std::move(rendered[c]));
        }
        std::string().swap(rendered[c]);
        if (!errors[c].empty() && !lost) {
          lost = true;
          reporter.on_problem(
              {Problem::Severity::Error, "spool", 0, "cannot read back events: " + errors[c]});
        }
      });
  std::cout << std::flush;
  if (lost || !read.spool_error.empty()) return kFatal;
  return input_exit_status(read.inputs, reporter);
}

}  // namespace fedtriage::cli
