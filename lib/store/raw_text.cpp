#include "lib/store/raw_text.h"

#define ZDICT_STATIC_LINKING_ONLY  // ZDICT_trainFromBuffer_fastCover, exported by libzstd
#include <zdict.h>
#include <zstd.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace fedtriage::store_raw {
namespace {

// 1 MiB of samples (~1000 SIP messages) trains a 64 KiB dictionary; a case smaller than that
// is stored without one. Level 1: on the dense bench profile's messages, levels 1 / 3 / 9 / 19
// with this dictionary give 4.05x / 4.20x / 4.22x / 4.69x, and level 3 cost 12 % of
// `analyze --db`'s CPU (bench/README.md); the random tokens of each message (branch, tags,
// Call-ID) are what is left, and no level removes them.
constexpr size_t kTrainBytes = size_t{1} << 20;
constexpr size_t kDictionaryBytes = 64 * 1024;
constexpr int kLevel = 1;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct CDictFree {
  void operator()(ZSTD_CDict* c) const { ZSTD_freeCDict(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};
struct DDictFree {
  void operator()(ZSTD_DDict* c) const { ZSTD_freeDDict(c); }
};

// Digesting a 64 KiB dictionary costs more than decompressing a call's frame, and readers
// that open one call at a time (`report` on thousands of calls, `show`) make an Unpacker per
// call: the digested dictionaries are shared, keyed by their bytes (not by row id: ids can be
// reused after a case is deleted). In-use ones stay alive through their shared_ptr.
std::shared_ptr<ZSTD_DDict> shared_dictionary(const std::string& bytes) {
  constexpr size_t kKept = 16;
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<ZSTD_DDict>> kept;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = kept.find(bytes); it != kept.end()) return it->second;
  std::shared_ptr<ZSTD_DDict> d(ZSTD_createDDict(bytes.data(), bytes.size()), DDictFree());
  if (!d) return d;
  if (kept.size() >= kKept) kept.clear();
  kept.emplace(bytes, d);
  return d;
}

// One decompression context per thread, for every Unpacker of that thread.
ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx{ZSTD_createDCtx()};
  if (!dctx) throw std::bad_alloc();
  return dctx.get();
}

}  // namespace

struct Packer::Impl {
  SaveDictionary save;
  std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx{ZSTD_createCCtx()};
  std::unique_ptr<ZSTD_CDict, CDictFree> cdict;
  int64_t dict_id = 0;
  bool training_done = false;
  std::string samples;
  std::vector<size_t> sizes;

  void train() {
    training_done = true;
    std::string dict(kDictionaryBytes, '\0');
    // fastCover with the k that ZDICT_trainFromBuffer's search picks on SIP text (1998 of
    // [50, 2000] on both bench profiles): one pass instead of its search over k, 0.03 s
    // instead of 0.15-0.20 s, the same database size to the byte (bench/README.md).
    ZDICT_fastCover_params_t params{};
    params.k = 2000;
    params.d = 8;
    params.f = 20;
    params.accel = 1;
    params.splitPoint = 1.0;
    params.zParams.compressionLevel = kLevel;
    const size_t n =
        ZDICT_trainFromBuffer_fastCover(dict.data(), dict.size(), samples.data(), sizes.data(),
                                        static_cast<unsigned>(sizes.size()), params);
    samples = std::string();
    sizes = std::vector<size_t>();
    if (ZDICT_isError(n)) return;  // too few or too uniform samples: go on without one
    dict.resize(n);
    cdict.reset(ZSTD_createCDict(dict.data(), dict.size(), kLevel));
    if (!cdict) return;
    dict_id = save(dict);
  }
};

Packer::Packer(SaveDictionary save) : impl_(std::make_unique<Impl>()) {
  impl_->save = std::move(save);
  if (!impl_->cctx) throw std::bad_alloc();
}

Packer::~Packer() = default;

int64_t Packer::pack(std::string_view raw, std::string& frame) {
  return pack(raw, std::vector<size_t>{raw.size()}, frame);
}

int64_t Packer::pack(std::string_view text, const std::vector<size_t>& part_sizes,
                     std::string& frame) {
  Impl& m = *impl_;
  frame.resize(ZSTD_compressBound(text.size()));
  size_t n = 0;
  if (m.cdict) {
    n = ZSTD_compress_usingCDict(m.cctx.get(), frame.data(), frame.size(), text.data(), text.size(),
                                 m.cdict.get());
  } else {
    n = ZSTD_compressCCtx(m.cctx.get(), frame.data(), frame.size(), text.data(), text.size(),
                          kLevel);
  }
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  frame.resize(n);
  const int64_t used = m.cdict ? m.dict_id : 0;
  if (!m.training_done) {
    size_t at = 0;
    for (size_t size : part_sizes) {
      if (size == 0 || at + size > text.size()) continue;
      m.samples.append(text.substr(at, size));
      m.sizes.push_back(size);
      at += size;
    }
    if (m.samples.size() >= kTrainBytes) m.train();
  }
  return used;
}

struct Unpacker::Impl {
  LoadDictionary load;
  std::unordered_map<int64_t, std::shared_ptr<ZSTD_DDict>> dicts;

  ZSTD_DDict* dict(int64_t id) {
    auto it = dicts.find(id);
    if (it != dicts.end()) return it->second.get();
    const std::string bytes = load(id);
    if (bytes.empty())
      throw std::runtime_error("raw text dictionary " + std::to_string(id) + " is missing");
    std::shared_ptr<ZSTD_DDict> d = shared_dictionary(bytes);
    if (!d) throw std::runtime_error("raw text dictionary " + std::to_string(id) + " is damaged");
    return dicts.emplace(id, std::move(d)).first->second.get();
  }
};

Unpacker::Unpacker(LoadDictionary load) : impl_(std::make_unique<Impl>()) {
  impl_->load = std::move(load);
}

Unpacker::~Unpacker() = default;

std::string Unpacker::unpack(std::string_view frame, int64_t dict) {
  Impl& m = *impl_;
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  // Raw texts are lines of at most a few MB: a larger claim is a damaged frame.
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1u << 30)) {
    throw std::runtime_error("damaged raw text frame");
  }
  std::string out(static_cast<size_t>(size), '\0');
  const size_t n =
      dict ? ZSTD_decompress_usingDDict(thread_dctx(), out.data(), out.size(), frame.data(),
                                        frame.size(), m.dict(dict))
           : ZSTD_decompressDCtx(thread_dctx(), out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) || n != out.size()) {
    throw std::runtime_error(std::string("damaged raw text frame: ") +
                             (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short"));
  }
  return out;
}

}  // namespace fedtriage::store_raw
