#include "lib/analysis/plan_spool.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <unistd.h>

#include "lib/base/temp_file.h"
#include "lib/base/varint.h"

namespace fedtriage {
namespace {

void put_str(std::string& out, const std::string& s) {
  append_varint(out, s.size());
  out += s;
}

// Reads what encode() wrote; `ok` turns false on a damaged record.
class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  uint64_t u64() {
    uint64_t v = 0;
    if (!ok_ || !read_varint(p_, end_, &v)) ok_ = false;
    return ok_ ? v : 0;
  }
  std::string str() {
    const uint64_t n = u64();
    if (!ok_ || n > static_cast<uint64_t>(end_ - p_)) {
      ok_ = false;
      return {};
    }
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  bool good() const { return ok_; }
  bool done() const { return ok_ && p_ == end_; }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

void encode(const CallPlan& plan, std::string& out) {
  put_str(out, plan.call_id);
  append_varint(out, plan.events.size());
  int64_t last = 0;
  for (uint32_t e : plan.events) {  // time order: mostly small steps
    append_varint(out, zigzag(static_cast<int64_t>(e) - last));
    last = e;
  }
  append_varint(out, plan.links.size());
  for (const CallLink& l : plan.links) {
    append_varint(out, l.event);
    put_str(out, l.reason);
    put_str(out, l.file);
    append_varint(out, l.line);
    append_varint(out, static_cast<uint64_t>(l.kind));
  }
}

bool decode(std::string_view in, CallPlan& plan) {
  Reader r(in);
  plan = CallPlan();
  plan.call_id = r.str();
  int64_t last = 0;
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n) {
    last += unzigzag(r.u64());
    plan.events.push_back(static_cast<uint32_t>(last));
  }
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n) {
    CallLink& l = plan.links.emplace_back();
    l.event = r.u64();
    l.reason = r.str();
    l.file = r.str();
    l.line = r.u64();
    l.kind = static_cast<EventKind>(r.u64());
  }
  return r.done();
}

}  // namespace

PlanSpool::PlanSpool() {
  const int fd = open_temporary_file(nullptr);
  if (fd >= 0 && (file_ = ::fdopen(fd, "w+")) == nullptr) ::close(fd);
}

PlanSpool::~PlanSpool() {
  if (file_) std::fclose(file_);
}

bool PlanSpool::add(const CallPlan& plan, std::string* error) {
  buffer_.clear();
  encode(plan, buffer_);
  ++count_;
  if (!file_) {
    memory_.push_back(buffer_);
    return true;
  }
  const uint64_t size = buffer_.size();
  if (std::fwrite(&size, sizeof size, 1, file_) != 1 ||
      std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    if (error) *error = std::string("temporary plan file: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool PlanSpool::next(CallPlan& plan, std::string* error) {
  auto fail = [&](const std::string& why) {
    if (error) *error = "temporary plan file: " + why;
    return false;
  };
  if (read_ == count_) return false;
  if (!file_) {
    std::string& record = memory_[read_++];
    const bool ok = decode(record, plan);
    std::string().swap(record);  // read once: memory goes down as plans are taken
    return ok || fail("damaged record");
  }
  if (!reading_) {
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
      return fail(std::strerror(errno));
    }
    reading_ = true;
  }
  uint64_t size = 0;
  if (std::fread(&size, sizeof size, 1, file_) != 1) return fail("short read");
  buffer_.resize(size);
  if (std::fread(buffer_.data(), 1, size, file_) != size) return fail("short read");
  ++read_;
  return decode(buffer_, plan) || fail("damaged record");
}

}  // namespace fedtriage
