#include "lib/redact/archive_output.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "lib/base/sys_error.h"

namespace fedtriage::redact {
namespace {

std::string message(struct archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown error";
}

}  // namespace

std::unique_ptr<ArchiveOutput> ArchiveOutput::open(int fd, const std::vector<int>& filters,
                                                   int format, std::string* note,
                                                   std::string* why) {
  struct archive* a = archive_write_new();
  if (a == nullptr) {
    *why = "out of memory";
    return nullptr;
  }
  std::unique_ptr<ArchiveOutput> out(new ArchiveOutput(a));
  // The read side lists filters from the format outwards; the write side stacks each new
  // filter outside the previous ones.
  for (int code : filters) {
    if (archive_write_add_filter(a, code) != ARCHIVE_OK) {
      *why = "cannot write compression filter " + std::to_string(code) + ": " + message(a);
      return nullptr;
    }
  }
  int r = ARCHIVE_OK;
  switch (format & ARCHIVE_FORMAT_BASE_MASK) {
    case ARCHIVE_FORMAT_TAR:
      r = archive_write_set_format_pax_restricted(a);
      break;
    case ARCHIVE_FORMAT_ZIP:
      r = archive_write_set_format_zip(a);
      break;
    case ARCHIVE_FORMAT_CPIO:
      r = archive_write_set_format_cpio_newc(a);
      break;
    case ARCHIVE_FORMAT_7ZIP:
      r = archive_write_set_format_7zip(a);
      break;
    case ARCHIVE_FORMAT_AR:
      r = archive_write_set_format_ar_bsd(a);
      break;
    case ARCHIVE_FORMAT_RAW:
    case ARCHIVE_FORMAT_EMPTY:
      r = archive_write_set_format_raw(a);
      break;
    default:
      *note = "archive format cannot be written: re-packed as tar";
      r = archive_write_set_format_pax_restricted(a);
      break;
  }
  if (r != ARCHIVE_OK) {
    *why = "cannot set archive format: " + message(a);
    return nullptr;
  }
  if (archive_write_open_fd(a, fd) != ARCHIVE_OK) {
    *why = "cannot open archive for writing: " + message(a);
    return nullptr;
  }
  return out;
}

ArchiveOutput::~ArchiveOutput() {
  if (!closed_) archive_write_close(a_);
  archive_write_free(a_);
}

bool ArchiveOutput::add_file(const std::string& name, int data_fd, std::string* why) {
  struct stat st {};
  if (fstat(data_fd, &st) != 0 || lseek(data_fd, 0, SEEK_SET) != 0) {
    *why = sys_error_message(errno);
    return false;
  }
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_pathname_utf8(e, name.c_str());
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, st.st_size);
  archive_entry_set_mtime(e, std::time(nullptr), 0);
  int r = archive_write_header(a_, e);
  archive_entry_free(e);
  if (r < ARCHIVE_WARN) {
    *why = "cannot write member header: " + message(a_);
    return false;
  }
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(data_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *why = sys_error_message(errno);
      return false;
    }
    if (n == 0) break;
    if (archive_write_data(a_, buf, static_cast<size_t>(n)) < 0) {
      *why = "cannot write member data: " + message(a_);
      return false;
    }
  }
  if (archive_write_finish_entry(a_) < ARCHIVE_WARN) {
    *why = "cannot finish member: " + message(a_);
    return false;
  }
  return true;
}

bool ArchiveOutput::close(std::string* why) {
  closed_ = true;
  if (archive_write_close(a_) != ARCHIVE_OK) {
    *why = "cannot finish archive: " + message(a_);
    return false;
  }
  return true;
}

}  // namespace fedtriage::redact
