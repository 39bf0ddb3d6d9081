#include "lib/redact/bundle_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "lib/base/sys_error.h"
#include "lib/input/archive_walker.h"
#include "lib/input/input_walker.h"
#include "lib/input/line_reader.h"
#include "lib/input/sniffed_source.h"
#include "lib/redact/archive_output.h"
#include "lib/redact/log_redactor.h"

namespace fedtriage::redact {
namespace {

constexpr size_t kReadSize = 64 * 1024;
constexpr size_t kWriteSize = 256 * 1024;

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t w = ::write(fd, data.data(), data.size());
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data.remove_prefix(static_cast<size_t>(w));
  }
  return true;
}

std::string base_name(const std::string& path) {
  if (path == "-") return "stdin";
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
  if (base.empty() || base == "." || base == ".." || base == "/") base = "input";
  return base;
}

// Member names must not climb out of the output folder.
std::string safe_relative(std::string name) {
  std::string out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string part = name.substr(start, slash == std::string::npos ? slash : slash - start);
    if (!part.empty() && part != "." && part != "..") {
      if (!out.empty()) out += '/';
      out += part;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out.empty() ? "unnamed" : out;
}

}  // namespace

struct BundleWriter::Frame {
  std::string name;
  std::string scratch;
  int fd = -1;
  std::unique_ptr<ArchiveOutput> out;
};

BundleWriter::BundleWriter(TextRedactor& text, std::string out_dir, ProblemSink& problems)
    : text_(text), pem_(text), out_dir_(std::move(out_dir)), problems_(problems) {}

BundleWriter::~BundleWriter() {
  for (auto& f : frames_) {
    f->out.reset();
    if (f->fd >= 0) ::close(f->fd);
    ::unlink(f->scratch.c_str());
  }
}

void BundleWriter::report(Problem::Severity severity, const std::string& file,
                          std::string message) {
  Problem p;
  p.severity = severity;
  p.file = file;
  p.message = std::move(message);
  problems_.on_problem(std::move(p));
}

int BundleWriter::open_scratch(std::string* path) {
  for (;;) {
    std::string name = out_dir_ + "/.fedtriage-partial-" + std::to_string(::getpid()) + "-" +
                       std::to_string(++scratch_counter_);
    // Files that become part of the copy get the usual mode; buffers stay private.
    int fd =
        ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, path != nullptr ? 0644 : 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) {
      report(Problem::Severity::Error, name, "cannot create: " + sys_error_message(errno));
      return -1;
    }
    if (path != nullptr) {
      *path = name;
    } else {
      ::unlink(name.c_str());  // anonymous: gone whatever happens to the process
    }
    return fd;
  }
}

void BundleWriter::redact_input(const std::string& path, const WalkOptions& options) {
  input_ = path == "-" ? kStdinDisplayName : display_safe(path);
  std::string root = text_.file_name(base_name(path));
  if (root.empty() || root[0] == '.') root = "_" + root;
  for (int n = 2; !used_roots_.insert(root).second; ++n) {
    root = text_.file_name(base_name(path)) + "-" + std::to_string(n);
  }
  input_root_ = root;
  struct stat st {};
  if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir_ + "/" + root, ec);
  }
  walk_inputs({path}, options, *this, problems_);
}

std::string BundleWriter::top_level_path(const std::string& display_name) {
  if (display_name == input_) return out_dir_ + "/" + input_root_;
  std::string prefix = input_.ends_with('/') ? input_ : input_ + "/";
  std::string rel =
      display_name.starts_with(prefix) ? display_name.substr(prefix.size()) : display_name;
  return out_dir_ + "/" + input_root_ + "/" + safe_relative(text_.file_name(rel));
}

void BundleWriter::place(const std::string& scratch, const std::string& final_path,
                         const std::string& display_name) {
  std::error_code ec;
  std::filesystem::path target(final_path);
  std::filesystem::create_directories(target.parent_path(), ec);
  // Two originals whose redacted names coincide must not overwrite each other.
  for (int n = 2; std::filesystem::exists(target, ec); ++n) {
    target = final_path + "-" + std::to_string(n);
  }
  if (::rename(scratch.c_str(), target.c_str()) != 0) {
    report(Problem::Severity::Error, display_name,
           "cannot write " + target.string() + ": " + sys_error_message(errno));
    ::unlink(scratch.c_str());
  }
}

bool BundleWriter::redact_stream(ByteSource& source, int fd, const std::string& display_name) {
  std::string out;
  bool write_failed = false;
  auto flush = [&] {
    if (!write_failed && !write_all(fd, out)) {
      write_failed = true;
      report(Problem::Severity::Error, display_name,
             "cannot write the redacted copy: " + sys_error_message(errno));
    }
    stats_.bytes_out += out.size();
    out.clear();
  };
  LogRedactor redactor(
      text_,
      [&](std::string_view s) {
        out.append(s);
        if (out.size() >= kWriteSize) flush();
      },
      &pem_);

  std::string pending;
  char buf[kReadSize];
  SniffedSource sniffed(source, 2);
  // UTF-16 (with a byte order mark): decoded by the project's line reader, written as UTF-8.
  const std::string_view bom = sniffed.head();
  if (bom == "\xff\xfe" || bom == "\xfe\xff") {
    struct Counting : ByteSource {
      Counting(ByteSource& s, uint64_t& n) : inner(s), bytes(n) {}
      ssize_t read(char* b, size_t k) override {
        const ssize_t r = inner.read(b, k);
        if (r > 0) bytes += static_cast<uint64_t>(r);
        return r;
      }
      const std::string& error() const override { return inner.error(); }
      ByteSource& inner;
      uint64_t& bytes;
    } counted(sniffed, stats_.bytes_in);
    LineReader lines(counted);
    std::string_view line;
    while (lines.next(line)) redactor.line(line, "\r\n");
    redactor.finish();
    flush();
    ++stats_.files;
    return !write_failed;
  }
  ssize_t r = sniffed.read(buf, sizeof buf);
  if (r > 0) stats_.bytes_in += static_cast<uint64_t>(r);
  while (r > 0) {
    pending.append(buf, static_cast<size_t>(r));
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string_view content(pending.data() + start, nl - start);
      if (!content.empty() && content.back() == '\r') {
        content.remove_suffix(1);
        redactor.line(content, "\r\n");
      } else {
        redactor.line(content, "\n");
      }
    }
    pending.erase(0, start);
    r = sniffed.read(buf, sizeof buf);
    if (r > 0) stats_.bytes_in += static_cast<uint64_t>(r);
  }
  if (!pending.empty()) redactor.line(pending, "");
  redactor.finish();
  flush();
  ++stats_.files;
  return !write_failed;
}

void BundleWriter::on_leaf(const std::string& display_name, ByteSource& source) {
  if (frames_.empty()) {
    std::string scratch;
    int fd = open_scratch(&scratch);
    if (fd < 0) return;
    const bool ok = redact_stream(source, fd, display_name);
    ::close(fd);
    if (ok) {
      place(scratch, top_level_path(display_name), display_name);
    } else {
      ::unlink(scratch.c_str());
    }
    return;
  }
  Frame& frame = *frames_.back();
  int fd = open_scratch(nullptr);
  if (fd < 0) return;
  const bool ok = redact_stream(source, fd, display_name);
  const std::string prefix = frame.name + kMemberSeparator;
  std::string member =
      display_name.starts_with(prefix) ? display_name.substr(prefix.size()) : display_name;
  std::string why;
  if (ok && frame.out && !frame.out->add_file(safe_relative(text_.file_name(member)), fd, &why)) {
    report(Problem::Severity::Error, display_name, "cannot add to the redacted archive: " + why);
  }
  ::close(fd);
}

void BundleWriter::on_archive_begin(const std::string& display_name,
                                    const std::vector<int>& filters, int format) {
  auto frame = std::make_unique<Frame>();
  frame->name = display_name;
  frame->fd = open_scratch(&frame->scratch);
  if (frame->fd >= 0) {
    std::string note, why;
    frame->out = ArchiveOutput::open(frame->fd, filters, format, &note, &why);
    if (!frame->out) {
      report(Problem::Severity::Error, display_name, "cannot re-pack: " + why);
    } else if (!note.empty()) {
      report(Problem::Severity::Warning, display_name, note);
    }
  }
  ++stats_.archives;
  frames_.push_back(std::move(frame));
}

void BundleWriter::on_archive_end(const std::string& display_name) {
  if (frames_.empty() || frames_.back()->name != display_name) return;
  std::unique_ptr<Frame> frame = std::move(frames_.back());
  frames_.pop_back();
  std::string why;
  bool ok = frame->out != nullptr && frame->out->close(&why);
  if (frame->out && !ok) report(Problem::Severity::Error, display_name, why);
  frame->out.reset();
  if (frames_.empty()) {
    if (frame->fd >= 0) ::close(frame->fd);
    if (ok) {
      place(frame->scratch, top_level_path(display_name), display_name);
    } else {
      ::unlink(frame->scratch.c_str());
    }
    return;
  }
  Frame& parent = *frames_.back();
  const std::string prefix = parent.name + kMemberSeparator;
  std::string member =
      display_name.starts_with(prefix) ? display_name.substr(prefix.size()) : display_name;
  if (ok && parent.out &&
      !parent.out->add_file(safe_relative(text_.file_name(member)), frame->fd, &why)) {
    report(Problem::Severity::Error, display_name, "cannot add to the redacted archive: " + why);
  }
  if (frame->fd >= 0) ::close(frame->fd);
  ::unlink(frame->scratch.c_str());
}

}  // namespace fedtriage::redact
