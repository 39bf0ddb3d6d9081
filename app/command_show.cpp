// `fedtriage show CALL-ID --db PATH`: one stored call for a terminal, with its SIP ladder; or
// as Markdown for a ticket, or as JSON.
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/db_option.h"
#include "app/exit_status.h"
#include "app/stored_call_lookup.h"
#include "lib/base/unique_prefix.h"
#include "lib/report/ladder/ladder_text.h"
#include "lib/report/report_format.h"
#include "lib/report/terminal_text.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {
namespace {

// The conversation named by `id`: a conversation id or a Call-ID, exact or a unique prefix of
// either (conversation ids first). `*message` as find_call's.
std::optional<StoredConversation> find_conversation(Store& store, const std::string& id,
                                                    const std::string& case_name,
                                                    std::string* message) {
  std::string error;
  auto found = store.load_conversation(id, case_name, &error);
  if (found || !error.empty()) {
    *message = terminal_safe(error);
    return found;
  }
  const PrefixMatch by_id = match_unique_prefix(id, store.list_conversation_ids(case_name, &error));
  if (!error.empty()) {
    *message = terminal_safe(error);
    return std::nullopt;
  }
  if (!by_id.name.empty()) {
    found = store.load_conversation(by_id.name, case_name, &error);
    *message = terminal_safe(error);
    return found;
  }
  if (!by_id.matches.empty()) {
    std::vector<std::string> shown;
    for (const std::string& m : by_id.matches) shown.push_back(terminal_safe(m));
    *message = ambiguous_prefix_message(terminal_safe(id), shown, "conversations");
    return std::nullopt;
  }
  auto call = find_call(store, id, case_name, message);
  if (!call) {
    if (message->starts_with("no call ")) {
      *message = "no conversation or call " + terminal_safe(id) +
                 (case_name.empty() ? "" : " in case " + terminal_safe(case_name)) +
                 " (list the stored calls with `fedtriage calls`)";
    }
    return std::nullopt;
  }
  found = store.load_conversation(call->call.call_id, call->call.case_name, &error);
  *message = found || !error.empty()
                 ? terminal_safe(error)
                 : "call " + terminal_safe(call->call.call_id) +
                       " has no conversation stored (analyse it again with this fedtriage)";
  return found;
}

int show_conversation(Store& store, const std::string& id, const std::string& case_name,
                      ReportFormat format, const LadderTextOptions& options) {
  std::string message;
  auto cv = find_conversation(store, id, case_name, &message);
  if (!cv) {
    std::cerr << "fedtriage show: " << message << "\n";
    return kFatal;
  }
  std::vector<StoredCall> legs;
  for (const std::string& call_id : cv->call_ids) {
    std::string error;
    auto leg = store.load_call(call_id, cv->case_name, &error);
    if (!leg) {
      std::cerr << "fedtriage show: "
                << terminal_safe(error.empty() ? "leg " + call_id + " is not stored" : error)
                << "\n";
      return kFatal;
    }
    legs.push_back(std::move(*leg));
  }
  std::cout << render_conversation(*cv, legs, format, options) << std::flush;
  return kOk;
}

}  // namespace

int run_show(const Args& args, const GlobalOptions&) {
  std::string db_path = default_db(), case_name, call_id, conversation, color = "auto",
              format_name = "text";
  ReportFormat format = ReportFormat::Text;
  int width = 80;
  po::options_description desc(
      "Usage: fedtriage show [options] CALL-ID\n\n"
      "Print one call from the database `fedtriage analyze` wrote: who took part, its SIP\n"
      "ladder (one column per host, one arrow per message however many hosts logged it, the\n"
      "failing response marked with !), every message with the file:line that logged it, the\n"
      "other events (Edge diagnostics, TLS, DNS) and the findings with their evidence.\n"
      "CALL-ID may be a unique prefix (list the calls with `fedtriage calls`).\n"
      "With --conversation, every leg of the call's conversation (the Call-IDs a B2BUA tied\n"
      "together) in one ladder.\n\nOptions");
  desc.add_options()("help,h", "this help")("db", db_value(&db_path),
                                            db_option_help("to read").c_str())(
      "case", po::value(&case_name)->value_name("NAME"),
      "look in this case only (default: the case written last that has the call)")(
      "conversation", po::value(&conversation)->value_name("ID|CALL-ID"),
      "show the whole conversation: a conversation id (cv-...) or a Call-ID of one of its legs, "
      "or a unique prefix of either (text, md or json)")(
      "format", po::value(&format_name)->value_name(format_names(ReportKind::Call)),
      "text (terminal), md (Markdown for a ticket: ladder and findings), svg (a picture of "
      "the ladder and findings to attach to a ticket) or json (the stored call: events, "
      "findings)")("width", number_option(&width, "width", 40, 1000)->value_name("N"),
                   "draw the ladder in N columns (default 80)")(
      "color", po::value(&color)->value_name("auto|always|never"),
      "colour (auto: on a terminal, unless NO_COLOR is set)")("no-color", "same as --color never");
  po::options_description hidden;
  hidden.add_options()("call-id", po::value(&call_id));
  po::positional_options_description pos;
  pos.add("call-id", 1);
  po::variables_map vm;
  if (auto stop = parse_command_line({"show", &desc, &hidden, &pos}, args, vm, [&] {
        if (call_id.empty() && conversation.empty())
          throw std::invalid_argument("no CALL-ID given");
        if (!call_id.empty() && !conversation.empty()) {
          throw std::invalid_argument("give either CALL-ID or --conversation, not both");
        }
        if (width < 40 || width > 1000) throw std::invalid_argument("--width: 40 to 1000");
        if (vm.count("no-color")) color = "never";
        if (color != "auto" && color != "always" && color != "never") {
          throw std::invalid_argument("--color: auto, always or never");
        }
        std::string format_error;
        auto parsed = parse_report_format(ReportKind::Call, format_name, &format_error);
        if (!parsed) throw std::invalid_argument(format_error);
        format = *parsed;
        if (format == ReportFormat::Svg && !conversation.empty()) {
          throw std::invalid_argument("--format svg: one call at a time (give its CALL-ID)");
        }
      })) {
    return *stop;
  }

  StoreOptions so;
  so.read_only = true;  // showing never writes (works on a read-only copy)
  std::string error;
  auto store = open_store(db_path, so, &error);
  if (!store) {
    std::cerr << "fedtriage show: cannot read database " << terminal_safe(shown_db(db_path)) << ": "
              << terminal_safe(error) << default_db_hint(db_path) << "\n";
    return kFatal;
  }
  LadderTextOptions options;
  options.width = width;
  options.color = color == "always" ||
                  (color == "auto" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr);
  if (!conversation.empty()) {
    return show_conversation(*store, conversation, case_name, format, options);
  }
  std::string message;
  auto call = find_call(*store, call_id, case_name, &message);
  if (!call) {
    std::cerr << "fedtriage show: " << message << "\n";
    return kFatal;
  }
  std::cout << render_call(*call, format, options) << std::flush;
  return kOk;
}

}  // namespace fedtriage::cli
