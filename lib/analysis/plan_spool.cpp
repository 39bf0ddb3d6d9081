#include "lib/analysis/plan_spool.h"

#include <cstdint>
#include <string_view>

#include "lib/analysis/call_link_codec.h"
#include "lib/base/record_codec.h"

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

bool PlanSpool::add(const CallPlan& plan, std::string* error) {
  buffer_.clear();
  encode(plan, buffer_);
  std::string why;
  if (records_.append(buffer_, &why)) return true;
  if (error) *error = "temporary plan file: " + why;
  return false;
}

bool PlanSpool::next(CallPlan& plan, std::string* error) {
  std::string why;
  if (records_.take(&buffer_, &why)) {
    if (decode(buffer_, plan)) return true;
    why = "damaged record";
  }
  if (!why.empty() && error) *error = "temporary plan file: " + why;
  return false;
}

}  // namespace fedtriage
