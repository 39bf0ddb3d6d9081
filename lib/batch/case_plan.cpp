#include "lib/batch/case_plan.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include "lib/batch/case_naming.h"

namespace fedtriage {
namespace {

// Lists files the way lib/input's walker visits them, so that names match its input names.
class FileLister {
 public:
  explicit FileLister(PlannedCase& out) : out_(out) {}

  void top(const std::string& path) {
    index_ = out_.paths.size();
    out_.paths.push_back(path);
    struct stat st;
    if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      directory(path, st);
    } else {
      const bool ok = path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
      add(path, ok ? static_cast<uint64_t>(st.st_size) : 0);
    }
  }

 private:
  void add(const std::string& path, uint64_t bytes) {
    out_.files.push_back({path, bytes});
    out_.path_index.push_back(index_);
    out_.bytes += bytes;
  }

  void directory(const std::string& path, const struct stat& st) {
    if (!seen_.emplace(st.st_dev, st.st_ino).second) return;
    std::vector<std::string> names;
    if (DIR* dir = ::opendir(path.c_str())) {
      while (struct dirent* e = ::readdir(dir)) {
        const std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(name);
      }
      ::closedir(dir);
    }
    std::sort(names.begin(), names.end());
    const std::string prefix = path.ends_with('/') ? path : path + '/';
    for (const std::string& name : names) {
      const std::string child = prefix + name;
      struct stat cst;
      if (::stat(child.c_str(), &cst) != 0) continue;
      if (S_ISDIR(cst.st_mode)) {
        directory(child, cst);
      } else if (S_ISREG(cst.st_mode) && seen_.emplace(cst.st_dev, cst.st_ino).second) {
        add(child, static_cast<uint64_t>(cst.st_size));
      }
    }
  }

  PlannedCase& out_;
  size_t index_ = 0;
  std::set<std::pair<dev_t, ino_t>> seen_;
};

// The full path of a bundle: its identity, whatever relative path or link names it.
std::string origin_of(const std::string& path) {
  if (path == "-") return "";
  char* full = ::realpath(path.c_str(), nullptr);
  if (full == nullptr) return path;  // unreadable: reading it reports why
  std::string out = full;
  std::free(full);
  return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string case_name_from(const std::string& path) {
  if (path == "-") return "stdin";
  std::string name = path;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  const size_t slash = name.rfind('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  for (const char* ext :
       {".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip", ".gz", ".txt", ".log"}) {
    if (ends_with(name, ext)) {
      name.resize(name.size() - std::string(ext).size());
      break;
    }
  }
  return name.empty() || name == "." || name == ".." ? "case" : name;
}

// A regular file that is not an archive or compressed stream (by its first bytes).
static bool is_loose_log_file(const std::string& path) {
  struct stat st;
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  unsigned char head[262] = {};
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  const size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  auto starts = [&](std::initializer_list<unsigned char> magic) {
    if (n < magic.size()) return false;
    return std::equal(magic.begin(), magic.end(), head);
  };
  const bool tar = n >= 262 && std::equal(head + 257, head + 262, "ustar");
  return !(tar || starts({0x1f, 0x8b}) || starts({'P', 'K', 3, 4}) || starts({'B', 'Z', 'h'}) ||
           starts({0xfd, '7', 'z', 'X', 'Z', 0}) || starts({0x28, 0xb5, 0x2f, 0xfd}) ||
           starts({'7', 'z', 0xbc, 0xaf}));
}

std::vector<PlannedCase> plan_cases(const std::vector<std::string>& paths,
                                    const std::string& single_case) {
  std::vector<PlannedCase> cases;
  if (!single_case.empty()) {
    PlannedCase c;
    c.name = c.base_name = single_case;
    FileLister lister(c);
    for (const std::string& p : paths) lister.top(p);
    cases.push_back(std::move(c));
    return cases;
  }
  // Archives and folders are bundles: one case each. Loose log files given together are the
  // pieces of one incident (an Expressway log, an Edge trace, a client log): they form one
  // case, named after the first of them, so that their calls are correlated.
  size_t loose_case = SIZE_MAX;
  for (const std::string& p : paths) {
    if (is_loose_log_file(p)) {
      if (loose_case != SIZE_MAX) {
        FileLister(cases[loose_case]).top(p);
        continue;
      }
      loose_case = cases.size();
    }
    PlannedCase c;
    c.name = c.base_name = case_name_from(p);
    c.origin = origin_of(p);
    FileLister(c).top(p);
    cases.push_back(std::move(c));
  }
  settle_case_names(cases, {});
  return cases;
}

}  // namespace fedtriage
