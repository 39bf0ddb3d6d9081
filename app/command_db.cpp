// `fedtriage db init|status [--db PATH|URL]`: create or check the store's schema, for a team
// setting up a shared PostgreSQL database (or an SQLite file). `db message ID`: one event's
// raw text, which the store keeps compressed.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/db_option.h"
#include "app/exit_status.h"
#include "lib/report/terminal_text.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_db(const Args& args, const GlobalOptions&) {
  std::string db_path = default_db(), action, id_text;
  po::options_description desc(
      "Usage: fedtriage db init|status [--db PATH|URL]\n"
      "       fedtriage db message EVENT-ID [--db PATH|URL]\n\n"
      "init    create the fedtriage schema in the database (an empty PostgreSQL database, or\n"
      "        a new SQLite file), or migrate an older one; nothing happens when it is current\n"
      "status  show the database, its schema version and how many rows it holds; exit 1\n"
      "        when this fedtriage cannot use it (unreachable, another application's tables,\n"
      "        a newer schema)\n"
      "message the raw text of one event (events.id), exact bytes (escaped on a terminal);\n"
      "        exit 1 when there is no such event\n\nOptions");
  desc.add_options()("help,h", "this help")("db", db_value(&db_path), db_option_help("").c_str());
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action))("id", po::value(&id_text));
  po::positional_options_description pos;
  pos.add("action", 1).add("id", 1);
  po::variables_map vm;
  if (auto stop = parse_command_line({"db", &desc, &hidden, &pos}, args, vm, [&] {
        if (action != "init" && action != "status" && action != "message")
          throw std::invalid_argument("expected init, status or message");
        if ((action == "message") != !id_text.empty())
          throw std::invalid_argument(action == "message" ? "message needs an EVENT-ID"
                                                          : "unexpected argument " + id_text);
        if (action == "message" &&
            (id_text.size() > 18 || id_text.find_first_not_of("0123456789") != std::string::npos))
          throw std::invalid_argument("EVENT-ID must be a number (events.id)");
      })) {
    return *stop;
  }
  std::string error;
  if (action == "init") {
    auto store = open_store(db_path, &error);
    if (!store) {
      std::cerr << "fedtriage db init: cannot use database " << terminal_safe(shown_db(db_path))
                << ": " << terminal_safe(error) << "\n";
      return kFatal;
    }
    std::cout << "fedtriage schema version " << Store::schema_version() << " ready in "
              << terminal_safe(store->name()) << "\n";
    return kOk;
  }
  if (action == "message") {
    auto store = open_store(db_path, &error);
    if (!store) {
      std::cerr << "fedtriage db message: cannot use database " << terminal_safe(shown_db(db_path))
                << ": " << terminal_safe(error) << "\n";
      return kFatal;
    }
    const std::optional<std::string> raw = store->event_raw(std::stoll(id_text), &error);
    if (!raw) {
      std::cerr << "fedtriage db message: "
                << (error.empty() ? "no event " + id_text : terminal_safe(error)) << "\n";
      return kFatal;
    }
    if (!isatty(STDOUT_FILENO)) {
      std::cout << *raw;  // exact bytes, for a file or a pipe
    } else {
      for (size_t start = 0; start < raw->size();) {
        size_t end = raw->find('\n', start);
        if (end == std::string::npos) end = raw->size();
        std::cout << terminal_safe(raw->substr(start, end - start)) << "\n";
        start = end + 1;
      }
    }
    std::cout.flush();
    return std::cout ? kOk : kFatal;
  }
  std::string report;
  const bool ok = describe_store(db_path, &report, &error);
  for (size_t start = 0; start < report.size();) {  // line by line: terminal_safe escapes '\n'
    size_t end = report.find('\n', start);
    if (end == std::string::npos) end = report.size();
    std::cout << terminal_safe(report.substr(start, end - start)) << "\n";
    start = end + 1;
  }
  if (!ok) {
    if (!error.empty()) {
      std::cerr << "fedtriage db status: cannot use database " << terminal_safe(shown_db(db_path))
                << ": " << terminal_safe(error) << "\n";
    }
    return kFatal;
  }
  return kOk;
}

}  // namespace fedtriage::cli
