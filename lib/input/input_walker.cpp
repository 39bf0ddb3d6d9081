#include "lib/input/input_walker.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <utility>

#include "lib/base/sys_error.h"
#include "lib/input/archive_walker.h"
#include "lib/input/file_source.h"

namespace fedtriage {
namespace {

// Finds the files to read; reading them is read_input()'s.
class InputWalker {
 public:
  InputWalker(ProblemSink& problems, const std::function<void(const std::string&)>& found)
      : problems_(problems), found_(found) {}

  void input(const std::string& path) {
    if (path == "-") {
      found_(path);
      return;
    }
    struct stat st;
    if (!stat_or_report(path, &st)) return;
    if (S_ISDIR(st.st_mode)) {
      directory(path, st);
    } else {
      // Named explicitly: read whatever it is (a pipe such as /dev/fd/63 included).
      file(path, st);
    }
  }

 private:
  void report(Problem::Severity severity, const std::string& path, std::string message) {
    Problem p;
    p.severity = severity;
    p.file = display_safe(path);
    p.message = std::move(message);
    problems_.on_problem(std::move(p));
  }

  // stat() following links; explains a failure, telling dangling and looping links apart.
  bool stat_or_report(const std::string& path, struct stat* st) {
    if (::stat(path.c_str(), st) == 0) return true;
    int err = errno;
    struct stat lst;
    if (::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
      report(Problem::Severity::Warning, path,
             err == ELOOP ? "symbolic link loop: skipped" : "broken symbolic link: skipped");
    } else {
      report(Problem::Severity::Error, path, "cannot access: " + sys_error_message(err));
    }
    return false;
  }

  void file(const std::string& path, const struct stat& st) {
    if (S_ISREG(st.st_mode) && !seen_files_.emplace(st.st_dev, st.st_ino).second) {
      report(Problem::Severity::Note, path, "same file as one already read: skipped");
      return;
    }
    found_(path);
  }

  void directory(const std::string& path, const struct stat& st) {
    if (!seen_dirs_.emplace(st.st_dev, st.st_ino).second) {
      report(Problem::Severity::Note, path,
             "directory already visited (symbolic link loop or duplicate): skipped");
      return;
    }
    std::vector<std::string> names;
    if (!list_directory(path, &names)) return;
    std::sort(names.begin(), names.end());
    const std::string prefix = path.ends_with('/') ? path : path + '/';
    for (const std::string& name : names) {
      std::string child = prefix + name;
      struct stat cst;
      if (!stat_or_report(child, &cst)) continue;
      if (S_ISDIR(cst.st_mode)) {
        directory(child, cst);
      } else if (S_ISREG(cst.st_mode)) {
        file(child, cst);
      } else {
        report(Problem::Severity::Note, child, "not a regular file: skipped");
      }
    }
  }

  // Reads all names first so that no directory stays open while its subdirectories are walked.
  bool list_directory(const std::string& path, std::vector<std::string>* names) {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) {
      report(Problem::Severity::Error, path, "cannot read directory: " + sys_error_message(errno));
      return false;
    }
    for (;;) {
      errno = 0;
      struct dirent* e = ::readdir(dir);
      if (e == nullptr) {
        if (errno != 0) {
          report(Problem::Severity::Error, path,
                 "cannot read directory: " + sys_error_message(errno));
        }
        break;
      }
      std::string_view name = e->d_name;
      if (name != "." && name != "..") names->emplace_back(name);
    }
    ::closedir(dir);
    return true;
  }

  ProblemSink& problems_;
  const std::function<void(const std::string&)>& found_;
  std::set<std::pair<dev_t, ino_t>> seen_dirs_;
  std::set<std::pair<dev_t, ino_t>> seen_files_;
};

}  // namespace

void find_inputs(const std::vector<std::string>& paths, ProblemSink& problems,
                 const std::function<void(const std::string& path)>& found) {
  InputWalker walker(problems, found);
  for (const std::string& path : paths) walker.input(path);
}

void read_input(const std::string& path, const WalkOptions& options, LeafHandler& handler,
                ProblemSink& problems) {
  if (path == "-") {
    FileSource in(STDIN_FILENO, false);
    walk_stream(in, kStdinDisplayName, options, handler, problems);
    return;
  }
  std::string error;
  std::unique_ptr<FileSource> source = FileSource::open(path, &error);
  if (!source) {
    Problem p;
    p.severity = Problem::Severity::Error;
    p.file = display_safe(path);
    p.message = "cannot open: " + error;
    problems.on_problem(std::move(p));
    return;
  }
  walk_stream(*source, display_safe(path), options, handler, problems);
}

void walk_inputs(const std::vector<std::string>& paths, const WalkOptions& options,
                 LeafHandler& handler, ProblemSink& problems) {
  find_inputs(paths, problems,
              [&](const std::string& path) { read_input(path, options, handler, problems); });
}

}  // namespace fedtriage
