#include "lib/batch/source_selection.h"

#include <memory>
#include <string_view>
#include <unordered_map>

#include "lib/ingest/sha256_source.h"
#include "lib/input/file_source.h"

namespace fedtriage {

std::string hash_file(const std::string& path, std::string* error) {
  std::unique_ptr<FileSource> file = FileSource::open(path, error);
  if (!file) return "";
  Sha256Source hashed(*file);
  std::unique_ptr<char[]> buf(new char[1 << 16]);
  for (;;) {
    const ssize_t n = hashed.read(buf.get(), 1 << 16);
    if (n == 0) break;
    if (n < 0) {
      if (error) *error = hashed.error();
      return "";
    }
  }
  return hashed.hex_digest();
}

CaseSelection select_new_files(const PlannedCase& c, const std::vector<std::string>& hashes,
                               const std::function<bool(const std::string&, bool)>& known,
                               const std::vector<bool>& hash_later) {
  CaseSelection out;
  std::vector<bool> is_new(c.files.size());
  for (size_t i = 0; i < c.files.size(); ++i) {
    const std::string& sha = i < hashes.size() ? hashes[i] : std::string();
    const bool later = i < hash_later.size() && hash_later[i];
    const bool in_folder = c.files[i].path != c.paths[c.path_index[i]];
    is_new[i] = later || sha.empty() || !known(sha, in_folder);
    if (is_new[i]) {
      out.read_bytes += c.files[i].bytes;
      if (later || !sha.empty()) out.sources.push_back({c.files[i].path, sha, c.files[i].bytes});
    } else {
      out.skipped.push_back(c.files[i].path);
      out.skipped_bytes += c.files[i].bytes;
    }
  }
  for (size_t p = 0; p < c.paths.size(); ++p) {
    bool all_new = true, any_new = false;
    for (size_t k = 0; k < c.files.size(); ++k) {
      if (c.path_index[k] != p) continue;
      all_new = all_new && is_new[k];
      any_new = any_new || is_new[k];
    }
    if (all_new) {
      out.read_paths.push_back(c.paths[p]);  // also an empty or unlistable folder: reading says so
    } else if (any_new) {
      for (size_t k = 0; k < c.files.size(); ++k) {
        if (c.path_index[k] == p && is_new[k]) out.read_paths.push_back(c.files[k].path);
      }
    }
  }
  return out;
}

void fill_source_hashes(std::vector<SourceRecord>& sources,
                        const std::vector<InputRecord>& inputs) {
  std::unordered_map<std::string_view, const InputRecord*> by_name;
  for (const InputRecord& r : inputs) by_name.emplace(r.name, &r);
  std::vector<SourceRecord> kept;
  kept.reserve(sources.size());
  for (SourceRecord& s : sources) {
    if (s.sha256.empty()) {
      auto it = by_name.find(s.name);
      if (it != by_name.end() && !it->second->skipped && it->second->bytes == s.bytes &&
          !it->second->sha256.empty()) {
        s.sha256 = it->second->sha256;
      } else {
        s.sha256 = hash_file(s.name, nullptr);
      }
      if (s.sha256.empty()) continue;  // unreadable now: not remembered, as if never hashed
    }
    kept.push_back(std::move(s));
  }
  sources = std::move(kept);
}

}  // namespace fedtriage
