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
#include "lib/ladder/call_json.h"
#include "lib/ladder/call_markdown.h"
#include "lib/ladder/call_svg.h"
#include "lib/ladder/ladder.h"
#include "lib/ladder/ladder_text.h"
#include "lib/output/terminal_text.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_show(const Args& args, const GlobalOptions&) {
  std::string db_path = default_db(), case_name, call_id, color = "auto", format = "text";
  int width = 80;
  po::options_description desc(
      "Usage: fedtriage show [options] CALL-ID\n\n"
      "Print one call from the database `fedtriage analyze` wrote: who took part, its SIP\n"
      "ladder (one column per host, one arrow per message however many hosts logged it, the\n"
      "failing response marked with !), every message with the file:line that logged it, the\n"
      "other events (Edge diagnostics, TLS, DNS) and the findings with their evidence.\n"
      "CALL-ID may be a unique prefix (list the calls with `fedtriage calls`).\n\nOptions");
  desc.add_options()("help,h", "this help")("db", db_value(&db_path),
                                            db_option_help("to read").c_str())(
      "case", po::value(&case_name)->value_name("NAME"),
      "look in this case only (default: the case written last that has the call)")(
      "format", po::value(&format)->value_name("text|md|svg|json"),
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
        if (call_id.empty()) throw std::invalid_argument("no CALL-ID given");
        if (width < 40 || width > 1000) throw std::invalid_argument("--width: 40 to 1000");
        if (vm.count("no-color")) color = "never";
        if (color != "auto" && color != "always" && color != "never") {
          throw std::invalid_argument("--color: auto, always or never");
        }
        if (format != "text" && format != "md" && format != "json" && format != "svg") {
          throw std::invalid_argument("--format: text, md, svg or json");
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
              << terminal_safe(error) << "\n";
    return kFatal;
  }
  std::string message;
  auto call = find_call(*store, call_id, case_name, &message);
  if (!call) {
    std::cerr << "fedtriage show: " << message << "\n";
    return kFatal;
  }
  if (format == "json") {
    std::cout << call_to_json(*call) << std::flush;
    return kOk;
  }
  if (format == "svg") {
    std::cout << call_to_svg(*call, build_ladder(*call)) << std::flush;
    return kOk;
  }
  if (format == "md") {
    std::cout << call_to_markdown(*call, build_ladder(*call), width) << std::flush;
    return kOk;
  }
  LadderTextOptions options;
  options.width = width;
  options.color = color == "always" ||
                  (color == "auto" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr);
  std::cout << call_to_text(*call, build_ladder(*call), options) << std::flush;
  return kOk;
}

}  // namespace fedtriage::cli
