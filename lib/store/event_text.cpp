#include "lib/store/event_text.h"

#include <stdexcept>
#include <unordered_map>

#include "lib/base/varint.h"
#include "lib/store/json_columns.h"
#include "lib/store/raw_text.h"

namespace fedtriage::store_cold {
namespace {

void append_part(std::string& out, std::string_view part) {
  append_varint(out, part.size());
  out.append(part);
}

std::string_view read_part(const char*& p, const char* end) {
  uint64_t n = 0;
  if (!read_varint(p, end, &n) || n > static_cast<uint64_t>(end - p)) {
    throw std::runtime_error("damaged event text record");
  }
  std::string_view out(p, static_cast<size_t>(n));
  p += n;
  return out;
}

}  // namespace

ColdText cold_text(const Event& e) {
  const SipMessage* sip = e.sip ? &*e.sip : nullptr;
  ColdText t;
  t.raw = e.raw;
  t.summary = e.summary;
  t.fields = store_json::from_fields(e.fields);
  t.local = e.local;
  t.remote = e.remote;
  if (sip) t.request_uri = sip->request_uri;
  return t;
}

std::vector<RecordPlace> pack(const std::vector<ColdText>& texts, store_raw::Packer& packer,
                              const StoreFrame& store) {
  std::vector<RecordPlace> places;
  places.reserve(texts.size());
  std::string text, frame;
  std::vector<size_t> sizes;
  size_t first = 0;  // the first record of the frame being filled
  auto flush = [&] {
    const int64_t dict = packer.pack(text, sizes, frame);
    const int64_t id = store(frame, dict);
    for (size_t k = first; k < places.size(); ++k) places[k].text_id = id;
    first = places.size();
    text.clear();
    sizes.clear();
  };
  for (const ColdText& t : texts) {
    if (!sizes.empty() && text.size() + t.raw.size() > kFrameBytes) flush();
    const size_t start = text.size();
    places.push_back(
        RecordPlace{0, static_cast<int64_t>(start), static_cast<int64_t>(t.raw.size())});
    text.append(t.raw);
    for (const std::string* part : {&t.summary, &t.fields, &t.local, &t.remote, &t.request_uri}) {
      append_part(text, *part);
    }
    sizes.push_back(text.size() - start);
  }
  if (!sizes.empty()) flush();
  return places;
}

struct TextReader::Impl {
  LoadFrame load;
  store_raw::Unpacker unpacker;
  // The last frames read: a call's events share one, a few events another call's.
  std::unordered_map<int64_t, std::string> texts;

  Impl(LoadFrame f, TextReader::LoadDictionary d) : load(std::move(f)), unpacker(std::move(d)) {}

  const std::string& text(int64_t id) {
    auto it = texts.find(id);
    if (it != texts.end()) return it->second;
    Frame f = load(id);
    if (!f.found) throw std::runtime_error("event text " + std::to_string(id) + " is missing");
    if (texts.size() >= 64) texts.clear();
    return texts.emplace(id, unpacker.unpack(f.zstd, f.dict)).first->second;
  }
};

TextReader::TextReader(LoadFrame frame, LoadDictionary dictionary)
    : impl_(std::make_unique<Impl>(std::move(frame), std::move(dictionary))) {}

TextReader::~TextReader() = default;

std::string_view TextReader::record(int64_t text_id, int64_t at, int64_t raw_len) {
  const std::string& text = impl_->text(text_id);
  if (at < 0 || raw_len < 0 || static_cast<uint64_t>(at) > text.size() ||
      static_cast<uint64_t>(raw_len) > text.size() - static_cast<uint64_t>(at)) {
    throw std::runtime_error("event text record outside its frame");
  }
  return std::string_view(text).substr(static_cast<size_t>(at));
}

std::string TextReader::raw(int64_t text_id, int64_t at, int64_t raw_len) {
  return std::string(record(text_id, at, raw_len).substr(0, static_cast<size_t>(raw_len)));
}

void TextReader::fill(StoredEvent& e, int64_t text_id, int64_t at, int64_t raw_len) {
  const std::string_view rec = record(text_id, at, raw_len);
  const auto n = static_cast<size_t>(raw_len);
  e.raw.assign(rec.substr(0, n));
  const char* p = rec.data() + n;
  const char* end = rec.data() + rec.size();
  e.summary = read_part(p, end);
  e.fields = store_json::to_fields(read_part(p, end));
  e.local = read_part(p, end);
  e.remote = read_part(p, end);
  e.request_uri = read_part(p, end);
}

}  // namespace fedtriage::store_cold
