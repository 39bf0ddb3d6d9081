#include "lib/analysis/call_archive.h"

#include <cstdint>
#include <string_view>

#include "lib/analysis/call_link_codec.h"
#include "lib/base/record_codec.h"

namespace fedtriage {
namespace {

void encode(const Call& c, const std::vector<Finding>& findings, std::string& out) {
  RecordWriter w(out);
  for (const std::string* s :
       {&c.call_id, &c.from_uri, &c.from_display, &c.to_uri, &c.request_uri, &c.method,
        &c.final_reason, &c.failure_reason, &c.failure_method, &c.failure_request_uri}) {
    w.str(*s);
  }
  w.u64(static_cast<uint64_t>(c.outcome));
  w.u64(static_cast<uint64_t>(c.phase));
  w.i64(c.failure_status);
  w.i64(c.first_ms);
  w.i64(c.last_ms);
  w.i64(c.final_status);
  w.u64(c.sources.size());
  for (Source s : c.sources) w.u64(static_cast<uint64_t>(s));
  w.u64(c.hosts.size());
  for (const std::string& h : c.hosts) w.str(h);
  w.u64(c.event_count);
  w.u64(c.message_count);
  w.u64(c.sighting_count);
  w.u64(c.links.size());
  for (const CallLink& l : c.links) encode_link(w, l);
  w.u64(findings.size());
  for (const Finding& f : findings) {
    for (const std::string* s : {&f.call_id, &f.rule_id, &f.title, &f.root_cause, &f.fix}) {
      w.str(*s);
    }
    w.u64(static_cast<uint64_t>(f.severity));
    w.u64(f.fields.size());
    for (const auto& [k, v] : f.fields) {
      w.str(k);
      w.str(v);
    }
    w.u64(f.evidence.size());
    for (const Evidence& e : f.evidence) {
      w.u64(e.event);
      w.str(e.file);
      w.u64(e.line);
      w.str(e.text);
      w.u64(e.record_line);
    }
    w.u64(f.related_rules.size());
    for (const std::string& r : f.related_rules) w.str(r);
  }
}

bool decode(std::string_view in, Call& c, std::vector<Finding>& findings) {
  RecordReader r(in);
  c = Call();
  for (std::string* s :
       {&c.call_id, &c.from_uri, &c.from_display, &c.to_uri, &c.request_uri, &c.method,
        &c.final_reason, &c.failure_reason, &c.failure_method, &c.failure_request_uri}) {
    *s = r.str();
  }
  c.outcome = static_cast<Outcome>(r.u64());
  c.phase = static_cast<CallPhase>(r.u64());
  c.failure_status = static_cast<int>(r.i64());
  c.first_ms = r.i64();
  c.last_ms = r.i64();
  c.final_status = static_cast<int>(r.i64());
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n)
    c.sources.push_back(static_cast<Source>(r.u64()));
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n) c.hosts.push_back(r.str());
  c.event_count = r.u64();
  c.message_count = r.u64();
  c.sighting_count = r.u64();
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n) {
    decode_link(r, c.links.emplace_back());
  }
  findings.clear();
  for (uint64_t n = r.u64(); n > 0 && r.good(); --n) {
    Finding& f = findings.emplace_back();
    for (std::string* s : {&f.call_id, &f.rule_id, &f.title, &f.root_cause, &f.fix}) *s = r.str();
    f.severity = static_cast<FindingSeverity>(r.u64());
    for (uint64_t k = r.u64(); k > 0 && r.good(); --k) {
      std::string key = r.str();
      f.fields.emplace_back(std::move(key), r.str());
    }
    for (uint64_t k = r.u64(); k > 0 && r.good(); --k) {
      Evidence& e = f.evidence.emplace_back();
      e.event = r.u64();
      e.file = r.str();
      e.line = r.u64();
      e.text = r.str();
      e.record_line = r.u64();
    }
    for (uint64_t k = r.u64(); k > 0 && r.good(); --k) f.related_rules.push_back(r.str());
  }
  return r.done();
}

}  // namespace

bool CallArchive::add(const Call& call, const std::vector<Finding>& findings, std::string* error) {
  buffer_.clear();
  encode(call, findings, buffer_);
  std::string why;
  if (records_.append(buffer_, &why)) return true;
  if (error) *error = "temporary call file: " + why;
  return false;
}

bool CallArchive::for_each(const std::function<void(const Call&, const std::vector<Finding>&)>& fn,
                           std::string* error) const {
  Call call;
  std::vector<Finding> findings;
  bool damaged = false;
  std::string why;
  const bool read = records_.for_each(
      [&](std::string_view record) {
        if (damaged) return;
        if (!decode(record, call, findings)) {
          damaged = true;
          return;
        }
        fn(call, findings);
      },
      &why);
  if (read && !damaged) return true;
  if (error) *error = "temporary call file: " + (damaged ? std::string("damaged record") : why);
  return false;
}

}  // namespace fedtriage
