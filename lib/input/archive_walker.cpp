#include "lib/input/archive_walker.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "lib/input/memory_source.h"
#include "lib/input/sniffed_source.h"

namespace fedtriage {
namespace {

// Enough to see "ustar" at offset 257 and every other magic number we look for.
constexpr size_t kSniffBytes = 512;
constexpr size_t kArchiveReadSize = 256 * 1024;
// A damaged archive can fail header after header; give up on it after this many in a row.
constexpr int kMaxConsecutiveHeaderFailures = 16;

struct WalkContext {
  const WalkOptions& options;
  LeafHandler& handler;
  ProblemSink& problems;
  uint64_t expanded_bytes = 0;
  uint64_t members = 0;  // headers read, at every nesting level
  bool aborted = false;  // a limit was hit: abandon the whole input

  void report(Problem::Severity severity, const std::string& file, std::string message) {
    Problem p;
    p.severity = severity;
    p.file = file;
    p.message = std::move(message);
    problems.on_problem(std::move(p));
  }
};

bool starts_with_at(std::string_view head, size_t offset, std::string_view magic) {
  return head.size() >= offset + magic.size() && head.substr(offset, magic.size()) == magic;
}

// Our own sniffing decides whether libarchive is involved at all: plain text (nearly every
// leaf) then streams straight through, and libarchive's looser format bidders never see it.
bool looks_like_archive(std::string_view h) {
  using namespace std::string_view_literals;
  static constexpr std::array<std::string_view, 14> kMagics = {
      "\x1f\x8b\x08"sv,              // gzip (deflate)
      "\xfd\x37\x7a\x58\x5a\x00"sv,  // xz
      "\x28\xb5\x2f\xfd"sv,          // zstd
      "\x04\x22\x4d\x18"sv,          // lz4
      "\x1f\x9d"sv,                  // compress (.Z)
      "LZIP"sv,                      // lzip
      "PK\x03\x04"sv,                // zip
      "PK\x05\x06"sv,                // empty zip
      "PK00PK\x03\x04"sv,            // zip, spanning marker
      "7z\xbc\xaf\x27\x1c"sv,        // 7-Zip
      "Rar!\x1a\x07"sv,              // RAR
      "MSCF\0\0\0\0"sv,              // Microsoft cabinet
      "070701"sv,                    // cpio (newc)
      "070707"sv,                    // cpio (odc)
  };
  for (std::string_view m : kMagics) {
    if (starts_with_at(h, 0, m)) return true;
  }
  // bzip2: "BZh", block size digit, then a block or end-of-stream signature.
  if (h.size() >= 10 && starts_with_at(h, 0, "BZh") && h[3] >= '1' && h[3] <= '9' &&
      (h.substr(4, 6) == "\x31\x41\x59\x26\x53\x59"sv ||
       h.substr(4, 6) == "\x17\x72\x45\x38\x50\x90"sv)) {
    return true;
  }
  return starts_with_at(h, 0, "070702") || starts_with_at(h, 0, "!<arch>\n") ||
         starts_with_at(h, 0, "xar!") || starts_with_at(h, 257, "ustar");
}

// What libarchive reads from: the (sniffed) source of the archive itself.
struct ArchiveInput {
  SniffedSource* source;
  std::unique_ptr<char[]> buffer = std::make_unique_for_overwrite<char[]>(kArchiveReadSize);
  bool upstream_failed = false;  // the failure is the source's: its owner reports it
};

la_ssize_t read_callback(struct archive* a, void* client_data, const void** out) {
  auto* in = static_cast<ArchiveInput*>(client_data);
  ssize_t r = in->source->read(in->buffer.get(), kArchiveReadSize);
  if (r < 0) {
    in->upstream_failed = true;
    archive_set_error(a, EIO, "%s", in->source->error().c_str());
    return -1;
  }
  *out = in->buffer.get();
  return r;
}

std::string archive_message(struct archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown error";
}

// The data of the current archive member, counted against the input's expansion limit.
class EntrySource : public ByteSource {
 public:
  EntrySource(struct archive* a, const ArchiveInput& in, WalkContext& ctx, const std::string& name)
      : a_(a), in_(in), ctx_(ctx), name_(name) {}

  ssize_t read(char* buf, size_t n) override {
    if (n == 0 || !next_block()) return state_ == State::kEnd ? 0 : -1;
    size_t k = static_cast<size_t>(std::min<uint64_t>(n, hole_ > 0 ? hole_ : block_size_));
    k = charge(k);
    if (k == 0) return -1;
    if (hole_ > 0) {
      std::memset(buf, 0, k);
      hole_ -= k;
    } else {
      std::memcpy(buf, block_, k);
      block_ += k;
      block_size_ -= k;
    }
    position_ += k;
    return static_cast<ssize_t>(k);
  }
  const std::string& error() const override { return error_; }

  // Reads what the consumer left, so that skipped data counts against the limit too.
  void drain() {
    while (next_block()) {
      uint64_t want = hole_ > 0 ? hole_ : block_size_;
      uint64_t k = charge(want);
      if (hole_ > 0) {
        hole_ -= k;
      } else {
        block_ += k;
        block_size_ -= k;
      }
      position_ += k;
      if (k < want) return;
    }
  }

  bool failed() const { return state_ != State::kReading && state_ != State::kEnd; }
  bool limit_hit() const { return state_ == State::kLimitHit; }
  bool upstream_failed() const { return state_ == State::kUpstreamFailed; }
  bool fatal() const { return fatal_; }

 private:
  enum class State { kReading, kEnd, kFailed, kUpstreamFailed, kLimitHit };

  // Makes sure there is something to hand out. libarchive's block interface is used rather than
  // archive_read_data(), which drops the bytes it had copied when an error follows them.
  bool next_block() {
    while (state_ == State::kReading && hole_ == 0 && block_size_ == 0) {
      const void* block = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      int r = archive_read_data_block(a_, &block, &size, &offset);
      if (r == ARCHIVE_EOF) {
        state_ = State::kEnd;
      } else if (r < ARCHIVE_OK) {  // ARCHIVE_WARN included: the block is not usable
        state_ = in_.upstream_failed ? State::kUpstreamFailed : State::kFailed;
        fatal_ = r == ARCHIVE_FATAL;
        error_ = archive_message(a_);
      } else {
        // Sparse members: the gap before a block reads as zeros.
        if (offset > 0 && static_cast<uint64_t>(offset) > position_) {
          hole_ = static_cast<uint64_t>(offset) - position_;
        }
        block_ = static_cast<const char*>(block);
        block_size_ = size;
      }
    }
    return state_ == State::kReading;
  }

  // Counts n bytes against the limit; returns how many may be handed out.
  size_t charge(uint64_t n) {
    uint64_t limit = ctx_.options.max_expanded_bytes;
    uint64_t room = limit - std::min(limit, ctx_.expanded_bytes);
    if (n > room) {
      state_ = State::kLimitHit;
      error_ =
          "decompressed size limit of " + std::to_string(limit) + " bytes exceeded in " + name_;
      n = room;
    }
    ctx_.expanded_bytes += n;
    return static_cast<size_t>(n);
  }

  struct archive* a_;
  const ArchiveInput& in_;
  WalkContext& ctx_;
  const std::string& name_;
  State state_ = State::kReading;
  const char* block_ = nullptr;
  size_t block_size_ = 0;
  uint64_t hole_ = 0;
  uint64_t position_ = 0;
  bool fatal_ = false;
  std::string error_;
};

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// The name of the one stream inside a compressed file, as gunzip would name it:
// "x.log.gz" -> "x.log", "x.tgz" -> "x.tar"; one suffix per compression layer.
std::string raw_member_name(const std::string& container, int layers) {
  std::string_view base = container;
  size_t slash = base.rfind('/');
  if (slash != std::string_view::npos) base.remove_prefix(slash + 1);
  struct Suffix {
    std::string_view ext;
    std::string_view replacement;
  };
  static constexpr std::array<Suffix, 16> kSuffixes = {{
      {".tgz", ".tar"},
      {".taz", ".tar"},
      {".tbz2", ".tar"},
      {".tbz", ".tar"},
      {".txz", ".tar"},
      {".tzst", ".tar"},
      {".gz", ""},
      {".bz2", ""},
      {".xz", ""},
      {".zst", ""},
      {".lz4", ""},
      {".lzma", ""},
      {".lz", ""},
      {".z", ""},
      {".gzip", ""},
      {".zstd", ""},
  }};
  std::string name(base);
  bool stripped = false;
  for (int i = 0; i < layers; ++i) {
    bool found = false;
    for (const Suffix& s : kSuffixes) {
      if (name.size() > s.ext.size() && ends_with_nocase(name, s.ext)) {
        name.resize(name.size() - s.ext.size());
        name += s.replacement;
        found = stripped = true;
        break;
      }
    }
    if (!found) break;
  }
  return stripped ? name : "data";
}

std::string member_name(struct archive_entry* e) {
  const char* p = archive_entry_pathname_utf8(e);
  if (p == nullptr) p = archive_entry_pathname(e);
  std::string_view name = p != nullptr ? p : "";
  while (name.size() > 2 && name.substr(0, 2) == "./") name.remove_prefix(2);
  return name.empty() ? "(unnamed)" : display_safe(name);
}

void expand_archive(SniffedSource& source, const std::string& name, int depth, WalkContext& ctx);

// Returns false when reading source failed (its owner reports that).
bool walk(ByteSource& source, const std::string& name, int depth, WalkContext& ctx) {
  SniffedSource sniffed(source, kSniffBytes);
  if (sniffed.failed() || !looks_like_archive(sniffed.head())) {
    ctx.handler.on_leaf(name, sniffed);
    return !sniffed.failed();
  }
  if (depth >= ctx.options.max_nesting) {
    ctx.report(Problem::Severity::Warning, name,
               "archive nested deeper than " + std::to_string(ctx.options.max_nesting) +
                   " levels: not expanded");
    return true;
  }
  expand_archive(sniffed, name, depth, ctx);
  return !sniffed.failed();
}

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

void expand_archive(SniffedSource& source, const std::string& name, int depth, WalkContext& ctx) {
  std::unique_ptr<struct archive, ArchiveDeleter> holder(archive_read_new());
  struct archive* a = holder.get();
  if (a == nullptr) {
    ctx.report(Problem::Severity::Error, name, "cannot open archive: out of memory");
    return;
  }
  archive_read_support_filter_all(a);
  // All formats but mtree, whose bidder takes plain text for a file list: a compressed log
  // must come out as one raw member, not as thousands of bogus "files".
  archive_read_support_format_7zip(a);
  archive_read_support_format_ar(a);
  archive_read_support_format_cab(a);
  archive_read_support_format_cpio(a);
  archive_read_support_format_empty(a);
  archive_read_support_format_iso9660(a);
  archive_read_support_format_lha(a);
  archive_read_support_format_rar(a);
  archive_read_support_format_rar5(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_warc(a);
  archive_read_support_format_xar(a);
  archive_read_support_format_zip(a);
  archive_read_support_format_raw(a);
  ArchiveInput in{&source};
  if (archive_read_open(a, &in, nullptr, read_callback, nullptr) != ARCHIVE_OK) {
    if (!in.upstream_failed) {
      ctx.report(Problem::Severity::Error, name, "cannot open archive: " + archive_message(a));
    }
    return;
  }
  const int compression_layers = archive_filter_count(a) - 1;  // the last one is "none"
  // Announced once the format is known (after the first header), closed on every way out.
  struct Announcement {
    LeafHandler& handler;
    const std::string& name;
    bool open = false;
    ~Announcement() {
      if (open) handler.on_archive_end(name);
    }
  } announcement{ctx.handler, name};
  auto announce = [&] {
    if (announcement.open) return;
    const bool raw = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW;
    if (raw && compression_layers == 0) return;  // not an archive after all
    std::vector<int> filters;
    for (int f = 0; f < compression_layers; ++f) filters.push_back(archive_filter_code(a, f));
    ctx.handler.on_archive_begin(name, filters, archive_format(a));
    announcement.open = true;
  };
  std::string last_member;
  uint64_t members = 0;
  uint64_t files = 0;
  uint64_t encrypted = 0;
  int header_failures = 0;
  for (;;) {
    struct archive_entry* entry = nullptr;
    int r = archive_read_next_header(a, &entry);
    if (r == ARCHIVE_OK || r == ARCHIVE_WARN || r == ARCHIVE_EOF) announce();
    if (r == ARCHIVE_EOF) break;
    const bool member_failed = r == ARCHIVE_FAILED || r == ARCHIVE_RETRY;
    if (r == ARCHIVE_FATAL ||
        (member_failed && ++header_failures > kMaxConsecutiveHeaderFailures)) {
      if (!in.upstream_failed) {
        std::string where = last_member.empty() ? "" : " after member " + last_member;
        ctx.report(Problem::Severity::Error, name,
                   "corrupt or truncated archive" + where + ": " + archive_message(a));
      }
      return;
    }
    if (member_failed) {  // this member is unusable, the next may be fine
      ctx.report(Problem::Severity::Warning, name, "member skipped: " + archive_message(a));
      continue;
    }
    header_failures = 0;
    ++members;
    // Headers cost time and memory without bytes: they count against both limits.
    ctx.expanded_bytes += WalkOptions::kMemberHeaderBytes;
    if (++ctx.members > ctx.options.max_archive_members ||
        ctx.expanded_bytes > ctx.options.max_expanded_bytes) {
      ctx.report(Problem::Severity::Error, name,
                 ctx.members > ctx.options.max_archive_members
                     ? "more than " + std::to_string(ctx.options.max_archive_members) +
                           " archive members (--max-archive-members): the rest is not read"
                     : "decompressed size limit of " +
                           std::to_string(ctx.options.max_expanded_bytes) +
                           " bytes exceeded (member headers included): the rest is not read");
      ctx.aborted = true;
      return;
    }

    const bool raw = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW;
    std::string child;
    int child_depth = depth + 1;
    if (raw && compression_layers == 0) {
      // The magic bytes matched by chance: not an archive after all, just the bytes.
      child = name;
      child_depth = depth;
    } else if (raw) {
      child = name + kMemberSeparator + raw_member_name(name, compression_layers);
    } else {
      if (archive_entry_filetype(entry) != AE_IFREG) continue;  // dirs, links, devices
      if (archive_entry_hardlink(entry) != nullptr && archive_entry_size(entry) == 0) continue;
      last_member = member_name(entry);
      child = name + kMemberSeparator + last_member;
      if (archive_entry_is_encrypted(entry)) {
        ctx.report(Problem::Severity::Warning, child, "encrypted member skipped");
        ++encrypted;
        continue;
      }
    }
    // E.g. a name not convertible to the current locale: the data is still good.
    if (r == ARCHIVE_WARN) ctx.report(Problem::Severity::Warning, child, archive_message(a));
    ++files;

    EntrySource data(a, in, ctx, child);
    if (child_depth == depth) {
      ctx.handler.on_leaf(child, data);
    } else {
      walk(data, child, child_depth, ctx);
    }
    if (!ctx.aborted) data.drain();
    if (data.limit_hit()) {
      if (!ctx.aborted) ctx.report(Problem::Severity::Error, child, data.error());
      ctx.aborted = true;
    } else if (data.failed() && !data.upstream_failed()) {
      ctx.report(Problem::Severity::Error, child,
                 "corrupt or truncated archive member: " + data.error());
    }
    if (ctx.aborted || data.upstream_failed() || data.fatal()) return;
  }
  if (members == 0 && compression_layers > 0 &&
      (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_EMPTY) {
    // A compressed empty file: libarchive sees no member, the user sees an empty file.
    MemorySource empty("");
    ctx.handler.on_leaf(name + kMemberSeparator + raw_member_name(name, compression_layers), empty);
  } else if (files == 0 && encrypted > 0) {
    ctx.report(Problem::Severity::Error, name,
               "every file in the archive is encrypted (" + std::to_string(encrypted) +
                   "): nothing could be read; ask for the bundle without a password");
  } else if (files == 0) {
    ctx.report(Problem::Severity::Note, name, "archive holds no files");
  }
}

}  // namespace

std::string display_safe(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return out;
}

void walk_stream(ByteSource& source, const std::string& display_name, const WalkOptions& options,
                 LeafHandler& handler, ProblemSink& problems) {
  WalkContext ctx{options, handler, problems};
  if (!walk(source, display_name, 0, ctx)) {
    const std::string& why = source.error();
    ctx.report(Problem::Severity::Error, display_name, why.empty() ? "read error" : why);
  }
}

}  // namespace fedtriage
