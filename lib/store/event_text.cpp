#include "lib/store/event_text.h"

#include <mutex>
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

struct BatchPacker::Impl {
  std::mutex mutex;
  std::shared_ptr<const std::string> dictionary;  // once trained
  // The dictionary is kept here and stored by the writer (store_packed); 1 stands for it.
  store_raw::Packer packer{[this](std::string_view d) {
    dictionary = std::make_shared<const std::string>(d);
    return int64_t{1};
  }};
  std::string text, frame;
  std::vector<size_t> sizes;
};

BatchPacker::BatchPacker() : impl_(std::make_unique<Impl>()) {}
BatchPacker::~BatchPacker() = default;

PackedEvents BatchPacker::pack(const std::vector<ColdText>& texts) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lock(m.mutex);
  PackedEvents out;
  out.places.reserve(texts.size());
  m.text.clear();
  m.sizes.clear();
  size_t first = 0;  // the first record of the frame being filled
  auto flush = [&] {
    const bool with_dictionary = m.packer.pack(m.text, m.sizes, m.frame) != 0;
    const int64_t index = static_cast<int64_t>(out.frames.size());
    out.frames.push_back({std::move(m.frame), with_dictionary});
    m.frame = std::string();
    if (with_dictionary) out.dictionary = m.dictionary;
    for (size_t k = first; k < out.places.size(); ++k) out.places[k].text_id = index;
    first = out.places.size();
    m.text.clear();
    m.sizes.clear();
  };
  for (const ColdText& t : texts) {
    if (!m.sizes.empty() && m.text.size() + t.raw.size() > kFrameBytes) flush();
    const size_t start = m.text.size();
    out.places.push_back(
        RecordPlace{0, static_cast<int64_t>(start), static_cast<int64_t>(t.raw.size())});
    m.text.append(t.raw);
    for (const std::string* part : {&t.summary, &t.fields, &t.local, &t.remote, &t.request_uri}) {
      append_part(m.text, *part);
    }
    m.sizes.push_back(m.text.size() - start);
  }
  if (!m.sizes.empty()) flush();
  return out;
}

std::vector<RecordPlace> store_packed(const PackedEvents& packed, int64_t& dictionary_row,
                                      const SaveDictionary& save_dictionary,
                                      const StoreFrame& store) {
  std::vector<int64_t> ids;
  ids.reserve(packed.frames.size());
  for (const PackedEvents::Frame& f : packed.frames) {
    int64_t dict = 0;
    if (f.with_dictionary) {
      if (!packed.dictionary) throw std::logic_error("packed frame without its dictionary");
      if (!dictionary_row) dictionary_row = save_dictionary(*packed.dictionary);
      dict = dictionary_row;
    }
    ids.push_back(store(f.zstd, dict));
  }
  std::vector<RecordPlace> places = packed.places;
  for (RecordPlace& p : places) {
    if (p.text_id < 0 || static_cast<size_t>(p.text_id) >= ids.size()) {
      throw std::logic_error("packed event without its frame");
    }
    p.text_id = ids[static_cast<size_t>(p.text_id)];
  }
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
