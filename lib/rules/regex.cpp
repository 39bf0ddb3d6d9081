#include "lib/rules/regex.h"

#include <re2/re2.h>

#include <algorithm>
#include <vector>

namespace fedtriage {

struct Regex::Impl {
  std::string pattern;
  re2::RE2 re;
  std::vector<std::pair<int, std::string>> named;  // group index -> name
  explicit Impl(std::string_view p)
      : pattern(p), re(re2::StringPiece(p.data(), p.size()), re2::RE2::Quiet) {}
};

std::optional<Regex> Regex::compile(std::string_view pattern, std::string* error) {
  auto impl = std::make_shared<Impl>(pattern);
  if (!impl->re.ok()) {
    if (error) *error = impl->re.error();
    return std::nullopt;
  }
  for (const auto& [name, index] : impl->re.NamedCapturingGroups()) {
    impl->named.emplace_back(index, name);
  }
  std::sort(impl->named.begin(), impl->named.end());
  return Regex(std::move(impl));
}

bool Regex::search(std::string_view text, Fields* captures) const {
  const re2::RE2& re = impl_->re;
  const int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> sub(static_cast<size_t>(groups) + 1);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), re2::RE2::UNANCHORED,
                sub.data(), groups + 1)) {
    return false;
  }
  if (captures) {
    for (const auto& [index, name] : impl_->named) {
      const re2::StringPiece& s = sub[static_cast<size_t>(index)];
      if (s.data() != nullptr) captures->emplace_back(name, std::string(s.data(), s.size()));
    }
  }
  return true;
}

const std::string& Regex::pattern() const {
  return impl_->pattern;
}

std::vector<std::string> Regex::group_names() const {
  std::vector<std::string> out;
  for (const auto& [index, name] : impl_->named) out.push_back(name);
  return out;
}

}  // namespace fedtriage
