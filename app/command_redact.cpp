// `fedtriage redact INPUT... -o OUTDIR`: a copy of bundles that can be shared, with the same
// diagnosis (names, addresses and numbers pseudonymised consistently, secrets removed).
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "app/cli_support.h"
#include "app/command_line.h"
#include "app/exit_status.h"
#include "app/input_options.h"
#include "lib/redact/bundle_writer.h"
#include "lib/redact/pseudonym_map.h"
#include "lib/redact/text_redactor.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace fedtriage::cli {
namespace {

// Absolute, with symbolic links resolved as far as the path exists.
fs::path resolved(const std::string& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p) : r;
}

bool inside(const fs::path& child, const fs::path& parent) {
  auto c = child.begin();
  for (auto p = parent.begin(); p != parent.end(); ++p, ++c) {
    if (p->empty()) continue;  // a trailing separator
    if (c == child.end() || *c != *p) return false;
  }
  return true;
}

}  // namespace

int run_redact(const Args& args, const GlobalOptions& global) {
  std::vector<std::string> inputs;
  std::vector<std::string> keep;
  std::string out_dir;
  std::string map_path;
  uint64_t max_expanded_mb = 64 * 1024;
  po::options_description desc(
      "Usage: fedtriage redact INPUT... -o OUTDIR [--map FILE] [--keep DOMAIN[,DOMAIN...]]...\n\n"
      "Write a copy of each INPUT (file, folder, archive, - for stdin) into OUTDIR with the same\n"
      "layout, in which domains, hosts, users, display names, phone numbers and IP addresses are\n"
      "replaced by consistent pseudonyms and secrets (Authorization headers, NTLM/Kerberos/\n"
      "TLS-DSK tokens, passwords) are removed. Analysing the copy gives the same findings.\n"
      "The map (original -> pseudonym) is written to --map, and reused when it exists.\n\nOptions");
  desc.add_options()("help,h", "this help")(
      "output,o", po::value(&out_dir)->value_name("OUTDIR"),
      "folder for the copy: must not exist, or be empty, and not lie inside an input")(
      "map", po::value(&map_path)->value_name("FILE"),
      "the pseudonym map to read (if it exists) and write; default OUTDIR.map.tsv beside "
      "OUTDIR, never inside it")("keep", po::value(&keep)->value_name("DOMAIN"),
                                 "leave this domain and its subdomains as they are (repeatable, or "
                                 "comma-separated)")(
      "max-expanded-mb",
      number_option(&max_expanded_mb, "max-expanded-mb", kMinExpandedMb, kMaxExpandedMb)
          ->value_name("N"),
      "stop expanding an input's archives after N MiB (default 65536)");
  po::options_description hidden;
  hidden.add_options()("input", po::value(&inputs));
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  if (auto stop = parse_command_line({"redact", &desc, &hidden, &pos}, args, vm, [&] {
        if (inputs.empty()) throw std::invalid_argument("no INPUT given (use - for stdin)");
        if (out_dir.empty()) throw std::invalid_argument("no output folder given (-o OUTDIR)");
        while (out_dir.size() > 1 && out_dir.back() == '/') out_dir.pop_back();
        if (map_path.empty()) map_path = out_dir + ".map.tsv";
        std::error_code ec;
        if (fs::exists(out_dir, ec) &&
            (!fs::is_directory(out_dir, ec) || !fs::is_empty(out_dir, ec))) {
          throw std::invalid_argument("output folder " + out_dir +
                                      " exists and is not an empty folder");
        }
        const fs::path out_resolved = resolved(out_dir);
        for (const std::string& in : inputs) {
          if (in != "-" && inside(out_resolved, resolved(in))) {
            throw std::invalid_argument("output folder " + out_dir + " lies inside input " + in);
          }
        }
        if (inside(resolved(map_path), out_resolved)) {
          throw std::invalid_argument(
              "the map " + map_path +
              " must not be inside the output folder (it holds the originals)");
        }
      })) {
    return *stop;
  }

  redact::PseudonymMap map;
  std::error_code ec;
  if (fs::exists(map_path, ec)) {
    std::string why;
    if (!map.load(map_path, &why)) {
      std::cerr << "fedtriage redact: cannot read the map: " << why << "\n";
      return kFatal;
    }
  }
  // One value per --keep (several comma-separated): a list taking every following word would
  // swallow the INPUTs.
  for (const std::string& k : keep) {
    for (size_t start = 0; start <= k.size();) {
      size_t comma = k.find(',', start);
      if (comma == std::string::npos) comma = k.size();
      map.keep_domain(k.substr(start, comma - start));
      start = comma + 1;
    }
  }
  fs::create_directories(out_dir, ec);
  if (ec) {
    std::cerr << "fedtriage redact: cannot create " << out_dir << ": " << ec.message() << "\n";
    return kFatal;
  }

  StderrProblemReporter reporter(global);
  redact::TextRedactor text(map);
  redact::BundleWriter writer(text, out_dir, reporter);
  WalkOptions walk;
  walk.max_expanded_bytes = max_expanded_mb << 20;
  for (const std::string& in : inputs) writer.redact_input(in, walk);

  std::string why;
  if (!map.save(map_path, &why)) {
    std::cerr << "fedtriage redact: cannot write the map: " << why << "\n";
    return kFatal;
  }
  const auto& s = writer.stats();
  if (global.verbosity >= 0) {
    std::cerr << "fedtriage: redacted " << s.files << " file(s) in " << s.archives
              << " archive(s), " << s.bytes_in << " -> " << s.bytes_out << " bytes, into "
              << out_dir << "; map: " << map_path << " (" << map.entries().size() << " entries)\n";
  }
  if (s.files == 0 && reporter.errors() > 0) return kFatal;
  return reporter.errors() + reporter.warnings() > 0 ? kPartialInput : kOk;
}

}  // namespace fedtriage::cli
