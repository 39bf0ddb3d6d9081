#include "lib/spool/event_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string_view>

#include "lib/base/sys_error.h"
#include "lib/base/temp_file.h"
#include "lib/spool/event_codec.h"

namespace fedtriage {
namespace {

static_assert(sizeof(off_t) == 8, "spool offsets need a 64-bit off_t");

// A writer's buffer and the range it reserves in the file at a time. 1 MiB: large enough that
// the reservation (one atomic add) and the pwrite are rare next to the encoding, small enough
// that a few writers' buffers are no memory to speak of.
constexpr size_t kRegionBytes = size_t{1} << 20;

}  // namespace

struct EventSpool::Impl {
  int fd = -1;  // -1: the memory fallback
  EventDetail kept = EventDetail::Whole;
  // End of the ranges reserved so far: the next writer's range starts here.
  std::atomic<uint64_t> reserved{0};
  std::atomic<uint64_t> written{0};
  // Set with the first error; writers check it (relaxed, before each event) to stop early.
  std::atomic<bool> failed{false};
  mutable std::mutex error_mutex;
  std::string error;

  // Memory fallback: each flushed buffer, by the offset of its range. Loads share the lock, a
  // flush takes it alone.
  mutable std::shared_mutex chunks_mutex;
  std::map<uint64_t, std::string> chunks;

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  uint64_t reserve(uint64_t n) { return reserved.fetch_add(n, std::memory_order_relaxed); }

  void record_error(int err) {
    std::lock_guard lock(error_mutex);
    if (error.empty()) error = sys_error_message(err);
    failed.store(true, std::memory_order_relaxed);
  }

  // Writes `data` at `offset`; records the error and returns false when it cannot.
  bool write_at(std::string_view data, uint64_t offset) {
    if (fd < 0) {
      std::unique_lock lock(chunks_mutex);
      chunks.emplace(offset, std::string(data));
    } else {
      while (!data.empty()) {
        const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          // A write of 0 bytes makes no progress: treat it as the disk being full.
          record_error(n < 0 ? errno : ENOSPC);
          return false;
        }
        data.remove_prefix(static_cast<size_t>(n));
        offset += static_cast<uint64_t>(n);
      }
    }
    return true;
  }
};

struct EventSpool::Writer::State {
  EventSpool::Impl* spool = nullptr;
  std::string buffer;
  // The range reserved in the file: buffer[i] goes to region_start + i. Records are appended
  // to the buffer while they fit in the range, so their offsets are known at append.
  uint64_t region_start = 0;
  uint64_t region_size = 0;

  // Writes out buffer[0, n) and moves the range on past it.
  void write_front(size_t n) {
    if (n == 0) return;
    if (spool->write_at(std::string_view(buffer).substr(0, n), region_start)) {
      spool->written.fetch_add(n, std::memory_order_relaxed);
    }
    region_start += n;
    region_size -= n;
  }
};

EventSpool::EventSpool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventSpool::~EventSpool() = default;

std::unique_ptr<EventSpool> EventSpool::create(std::string* note, EventDetail kept) {
  auto impl = std::make_unique<Impl>();
  impl->kept = kept;
  std::string why;
  impl->fd = open_temporary_file(&why);
  if (impl->fd < 0 && note != nullptr) {
    *note = "temporary spool: " + why + ": events kept in memory";
  }
  return std::unique_ptr<EventSpool>(new EventSpool(std::move(impl)));
}

std::unique_ptr<EventSpool::Writer> EventSpool::writer() {
  auto state = std::make_unique<Writer::State>();
  state->spool = impl_.get();
  return std::unique_ptr<Writer>(new Writer(std::move(state)));
}

EventSpool::Writer::Writer(std::unique_ptr<State> state) : state_(std::move(state)) {}

EventSpool::Writer::~Writer() {
  flush();
}

SpoolRef EventSpool::Writer::append(const Event& e) {
  State& s = *state_;
  if (s.spool->failed.load(std::memory_order_relaxed)) return {};
  if (s.buffer.capacity() < kRegionBytes) s.buffer.reserve(kRegionBytes);
  const size_t pos = s.buffer.size();
  // Encoded straight into the buffer: no copy of the event's bytes but the one into the file.
  encode_event(e, s.buffer, s.spool->kept);
  const size_t n = s.buffer.size() - pos;
  if (n > std::numeric_limits<uint32_t>::max()) {
    s.buffer.resize(pos);
    s.spool->record_error(EFBIG);
    return {};
  }
  if (pos + n > s.region_size) {
    // Past the range: write out what is before this record, move the record to the front
    // (one memmove of one event per MiB) and reserve a new range for it and its successors.
    // The rest of the old range stays a hole in the file.
    s.write_front(pos);
    s.buffer.erase(0, pos);
    s.region_size = std::max<uint64_t>(kRegionBytes, n);
    s.region_start = s.spool->reserve(s.region_size);
    if (s.spool->failed.load(std::memory_order_relaxed)) {
      s.buffer.clear();
      return {};
    }
    return {s.region_start, static_cast<uint32_t>(n)};
  }
  return {s.region_start + pos, static_cast<uint32_t>(n)};
}

void EventSpool::Writer::flush() {
  State& s = *state_;
  if (s.spool->failed.load(std::memory_order_relaxed)) {
    s.buffer.clear();
    return;
  }
  // The range is kept: later appends go on right after what was written.
  s.write_front(s.buffer.size());
  s.buffer.clear();
}

bool EventSpool::load(SpoolRef ref, Event& e, std::string& scratch, std::string* error) const {
  const Impl& impl = *impl_;
  auto fail = [&](std::string message) {
    if (error != nullptr) *error = std::move(message);
    return false;
  };
  const uint64_t end = impl.reserved.load(std::memory_order_relaxed);
  if (ref.size == 0 || ref.offset > end || ref.size > end - ref.offset) {
    return fail("temporary spool: no record at offset " + std::to_string(ref.offset));
  }
  std::string_view bytes;
  std::shared_lock<std::shared_mutex> lock;
  if (impl.fd < 0) {
    lock = std::shared_lock(impl.chunks_mutex);
    auto it = impl.chunks.upper_bound(ref.offset);
    if (it == impl.chunks.begin()) {
      return fail("temporary spool: no record at offset " + std::to_string(ref.offset));
    }
    --it;
    const uint64_t in_chunk = ref.offset - it->first;
    if (in_chunk > it->second.size() || ref.size > it->second.size() - in_chunk) {
      return fail("temporary spool: no record at offset " + std::to_string(ref.offset));
    }
    // Decoded in place: the chunk cannot change while the lock is held.
    bytes = std::string_view(it->second).substr(static_cast<size_t>(in_chunk), ref.size);
  } else {
    scratch.resize(ref.size);
    size_t done = 0;
    while (done < ref.size) {
      const ssize_t n = ::pread(impl.fd, scratch.data() + done, ref.size - done,
                                static_cast<off_t>(ref.offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail("temporary spool: " + sys_error_message(errno));
      if (n == 0) {
        return fail("temporary spool: record at offset " + std::to_string(ref.offset) +
                    " not written (writer not flushed?)");
      }
      done += static_cast<size_t>(n);
    }
    bytes = scratch;
  }
  if (!decode_event(bytes, e)) {
    return fail("temporary spool: corrupt record at offset " + std::to_string(ref.offset));
  }
  return true;
}

bool EventSpool::load_all(const std::vector<SpoolRef>& refs, const std::vector<Event*>& out,
                          std::string& scratch, std::string* error) const {
  const Impl& impl = *impl_;
  if (refs.size() != out.size()) {
    if (error) *error = "temporary spool: events and places do not match";
    return false;
  }
  if (impl.fd < 0) {  // in memory: nothing to batch
    for (size_t k = 0; k < refs.size(); ++k) {
      if (!load(refs[k], *out[k], scratch, error)) return false;
    }
    return true;
  }
  // Records whose gap is under kGap share one read of at most kSpan bytes (a single larger
  // record is read alone, by load()).
  constexpr uint64_t kGap = 16 * 1024, kSpan = 1024 * 1024;
  std::vector<size_t> order(refs.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return refs[a].offset < refs[b].offset; });
  const uint64_t end = impl.reserved.load(std::memory_order_relaxed);
  std::string& block = scratch;
  for (size_t i = 0; i < order.size();) {
    const SpoolRef first = refs[order[i]];
    uint64_t group_end = first.offset + first.size;
    size_t j = i + 1;
    while (j < order.size()) {
      const SpoolRef& r = refs[order[j]];
      if (r.offset > group_end + kGap || r.offset + r.size - first.offset > kSpan) break;
      group_end = std::max<uint64_t>(group_end, r.offset + r.size);
      ++j;
    }
    if (j == i + 1 || group_end > end) {  // alone, or a ref this spool did not return: load() says
      if (!load(first, *out[order[i]], block, error)) return false;
      ++i;
      continue;
    }
    block.resize(static_cast<size_t>(group_end - first.offset));
    size_t done = 0;
    while (done < block.size()) {
      const ssize_t n = ::pread(impl.fd, block.data() + done, block.size() - done,
                                static_cast<off_t>(first.offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {  // short: let load() name the record and the reason
        block.resize(done);
        break;
      }
      done += static_cast<size_t>(n);
    }
    for (; i < j; ++i) {
      const SpoolRef& r = refs[order[i]];
      const uint64_t at = r.offset - first.offset;
      if (r.size == 0 || at + r.size > block.size()) {
        std::string own;  // the block is still in use
        if (!load(r, *out[order[i]], own, error)) return false;
        continue;
      }
      if (!decode_event(std::string_view(block).substr(static_cast<size_t>(at), r.size),
                        *out[order[i]])) {
        if (error) *error = "temporary spool: corrupt record at offset " + std::to_string(r.offset);
        return false;
      }
    }
  }
  return true;
}

uint64_t EventSpool::bytes() const {
  return impl_->written.load(std::memory_order_relaxed);
}

bool EventSpool::in_memory() const {
  return impl_->fd < 0;
}

std::string EventSpool::error() const {
  std::lock_guard lock(impl_->error_mutex);
  return impl_->error;
}

}  // namespace fedtriage
