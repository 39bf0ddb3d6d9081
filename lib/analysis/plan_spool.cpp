#include "lib/analysis/plan_spool.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <unistd.h>

#include "lib/analysis/call_link_codec.h"
#include "lib/base/record_codec.h"
#include "lib/base/temp_file.h"

namespace fedtriage {
namespace {

void encode(const CallPlan& plan, std::string& out) {
  RecordWriter w(out);
  w.str(plan.call_id);
  w.u64(plan.events.size());
  int64_t last = 0;
  for (uint32_t e : plan.events) {  // time order: mostly small steps
    w.i64(static_cast<int64_t>(e) - last);
    last = e;
  }
  w.u64(plan.links.size());
  for (const CallLink& l : plan.links) encode_link(w, l);
}

bool decode(std::string_view in, CallPlan& plan) {
  RecordReader r(in);
  plan = CallPlan();
  plan.call_id = r.str();
  int64_t last = 0;
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n) {
    last += r.i64();
    plan.events.push_back(static_cast<uint32_t>(last));
  }
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n) decode_link(r, plan.links.emplace_back());
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
