// `fedtriage db init|status [--db PATH|URL]`: create or check the store's schema, for a team
// setting up a shared PostgreSQL database (or an SQLite file).
#include <boost/program_options.hpp>
#include <iostream>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/db_option.h"
#include "app/exit_status.h"
#include "lib/output/terminal_text.h"
#include "lib/store/open_store.h"

namespace po = boost::program_options;

namespace fedtriage::cli {

int run_db(const Args& args, const GlobalOptions&) {
  std::string db_path = default_db(), action;
  po::options_description desc(
      "Usage: fedtriage db init|status [--db PATH|URL]\n\n"
      "init    create the fedtriage schema in the database (an empty PostgreSQL database, or\n"
      "        a new SQLite file), or migrate an older one; nothing happens when it is current\n"
      "status  show the database, its schema version and how many rows it holds; exit 1\n"
      "        when this fedtriage cannot use it (unreachable, another application's tables,\n"
      "        a newer schema)\n\nOptions");
  desc.add_options()("help,h", "this help")("db", db_value(&db_path), db_option_help("").c_str());
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action));
  po::positional_options_description pos;
  pos.add("action", 1);
  po::variables_map vm;
  if (auto stop = parse_command_line({"db", &desc, &hidden, &pos}, args, vm, [&] {
        if (action != "init" && action != "status")
          throw std::invalid_argument("expected init or status");
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
