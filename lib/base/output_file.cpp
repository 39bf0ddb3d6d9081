#include "lib/base/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <streambuf>
#include <vector>

#include "lib/base/sys_error.h"

namespace fedtriage {
namespace {

// The named temporary file of the fallback path, for remove_pending_output_file(): a fixed
// buffer, published through an atomic flag, since a signal handler may read it at any time.
char g_pending_path[4096];
std::atomic<bool> g_pending{false};

// An unbuffered-to-the-caller ostream buffer over a descriptor that remembers the first error.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd), buffer_(64 * 1024) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  int error() const { return error_; }
  bool drain() {
    const char* p = pbase();
    size_t left = static_cast<size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      const ssize_t w = ::write(fd_, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        error_ = w < 0 ? errno : EIO;
        break;
      }
      p += w;
      left -= static_cast<size_t>(w);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  int fd_;
  int error_ = 0;
  std::vector<char> buffer_;
};

// A symbolic link's final target (relative links resolve against their own directory); the
// path itself when it is not a link. A dangling link yields the path it points to.
std::string follow_links(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) break;
    const fs::path next = fs::read_symlink(p, ec);
    if (ec) break;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  return p.string();
}

mode_t current_umask() {
  const mode_t m = ::umask(0);
  ::umask(m);
  return m;
}

std::string directory_of(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return dir.empty() ? "." : dir.string();
}

}  // namespace

struct OutputFile::Impl {
  std::string shown;   // the name the user gave, for messages
  std::string target;  // the file finally written (links followed)
  std::string dir;     // its directory
  int fd = -1;
  bool owns_fd = true;     // false for standard output
  bool in_place = false;   // FIFO, device or stdout: written directly
  bool anonymous = false;  // O_TMPFILE
  std::string named_temp;  // fallback temporary file
  std::unique_ptr<FdBuf> buf;
  std::unique_ptr<std::ostream> out;

  void drop_temp() {
    if (!named_temp.empty()) {
      g_pending.store(false);
      ::unlink(named_temp.c_str());
      named_temp.clear();
    }
  }
  ~Impl() {
    drop_temp();
    if (fd >= 0 && owns_fd) ::close(fd);
  }
};

OutputFile::OutputFile() : impl_(std::make_unique<Impl>()) {}
OutputFile::~OutputFile() = default;

bool OutputFile::open(const std::string& path, std::string* why, mode_t mode) {
  Impl& im = *impl_;
  im.shown = path;
  auto fail = [&](int err) {
    *why = "cannot write to " + path + ": " + sys_error_message(err);
    return false;
  };
  if (path == "-") {
    im.shown = "standard output";
    im.fd = STDOUT_FILENO;
    im.owns_fd = false;
    im.in_place = true;
  } else {
    im.target = follow_links(path);
    im.dir = directory_of(im.target);
    struct stat st {};
    const bool exists = ::stat(im.target.c_str(), &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
      if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
        *why = "cannot write to " + path + ": not a regular file, FIFO or character device";
        return false;
      }
      im.fd = ::open(im.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (im.fd < 0) return fail(errno);
      im.in_place = true;
    } else {
      if (exists && ::access(im.target.c_str(), W_OK) != 0) return fail(errno);
      // O_TMPFILE: a file with no name until commit(), so nothing is left behind however the
      // process ends. Not every file system has it: then a named file, removed on failure and
      // by the interrupt handler.
      im.fd = ::open(im.dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
      if (im.fd >= 0) {
        im.anonymous = true;
      } else {
        std::string name =
            im.dir + "/." + std::filesystem::path(im.target).filename().string() + ".XXXXXX";
        if (name.size() >= sizeof g_pending_path) return fail(ENAMETOOLONG);
        im.fd = ::mkostemp(name.data(), O_CLOEXEC);
        if (im.fd < 0) return fail(errno);
        im.named_temp = name;
        memcpy(g_pending_path, name.c_str(), name.size() + 1);
        g_pending.store(true);
        ::fchmod(im.fd, mode & ~current_umask());
      }
      if (exists) ::fchmod(im.fd, st.st_mode & 07777);
    }
  }
  im.buf = std::make_unique<FdBuf>(im.fd);
  im.out = std::make_unique<std::ostream>(im.buf.get());
  return true;
}

std::ostream& OutputFile::stream() {
  return *impl_->out;
}

bool OutputFile::commit(std::string* why) {
  Impl& im = *impl_;
  auto fail = [&](int err) {
    *why = "cannot write to " + im.shown + ": " + sys_error_message(err);
    im.drop_temp();
    return false;
  };
  im.out->flush();
  if (!im.buf->drain() || im.buf->error() != 0) return fail(im.buf->error());
  if (im.in_place) return true;
  if (::fsync(im.fd) != 0 && errno != EINVAL) return fail(errno);
  // Linking and renaming must not be cut in half by Ctrl-C: signals wait until both are done.
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &old);
  int err = 0;
  if (im.anonymous) {
    // An unnamed file cannot replace an existing one directly: link it under a fresh name in
    // the same directory, then rename that over the target.
    const std::string proc = "/proc/self/fd/" + std::to_string(im.fd);
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string name = im.dir + "/." + std::filesystem::path(im.target).filename().string() +
                         "." + std::to_string(getpid()) + "." + std::to_string(attempt);
      if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        im.named_temp = name;
        break;
      }
      if (errno != EEXIST) {
        err = errno;
        break;
      }
    }
    if (err == 0 && im.named_temp.empty()) err = EEXIST;
  }
  if (err == 0 && ::rename(im.named_temp.c_str(), im.target.c_str()) != 0) err = errno;
  if (err == 0) {
    g_pending.store(false);
    im.named_temp.clear();
  }
  if (err != 0) im.drop_temp();
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (::close(im.fd) != 0 && err == 0) err = errno;
  im.fd = -1;
  if (err != 0) {
    *why = "cannot write to " + im.shown + ": " + sys_error_message(err);
    return false;
  }
  return true;
}

void remove_pending_output_file() {
  if (g_pending.load()) ::unlink(g_pending_path);
}

}  // namespace fedtriage
