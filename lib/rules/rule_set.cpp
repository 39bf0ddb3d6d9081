#include "lib/rules/rule_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "lib/rules/rule_loader.h"
#include "lib/rules/rule_model.h"

namespace fedtriage {
namespace {

// rules/*.yaml as compiled in by scripts/embed_text.cmake; the last entry is a sentinel so
// that an empty rules/ still compiles.
constexpr std::pair<std::string_view, std::string_view> kEmbeddedRules[] = {
#include "embedded_rules.inc"
    {std::string_view(), std::string_view()},
};

}  // namespace

std::string to_string(const RuleLoadError& e) {
  std::string out = e.file;
  if (e.line) out += ":" + std::to_string(e.line);
  out += ": ";
  if (!e.rule_id.empty()) out += "[" + e.rule_id + "] ";
  out += e.message;
  return out;
}

RuleSet::RuleSet() : impl_(std::make_unique<Impl>()) {}
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

RuleSet RuleSet::embedded() {
  RuleSet set;
  for (const auto& [name, text] : kEmbeddedRules) {
    if (name.empty()) continue;
    set.add_text("rules/" + std::string(name), text);
  }
  return set;
}

RuleSet RuleSet::from_directory(const std::string& dir) {
  RuleSet set;
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string ext = p.extension().string();
    std::error_code type_ec;
    if ((ext == ".yaml" || ext == ".yml") && fs::is_regular_file(p, type_ec)) paths.push_back(p);
  }
  if (ec) {
    set.impl_->errors.push_back(
        RuleLoadError{dir, 0, 0, "", "cannot read rule directory: " + ec.message()});
    return set;
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in.is_open()) {
      set.impl_->errors.push_back(RuleLoadError{p.string(), 0, 0, "", "cannot open file"});
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    set.add_text(p.string(), text.str());
  }
  return set;
}

RuleSet RuleSet::from_text(std::string_view file_name, std::string_view yaml) {
  RuleSet set;
  set.add_text(file_name, yaml);
  return set;
}

void RuleSet::add_text(std::string_view file_name, std::string_view yaml) {
  rules::load_rule_file(file_name, yaml, *impl_);
}

const std::vector<RuleLoadError>& RuleSet::errors() const {
  return impl_->errors;
}
const std::vector<RuleSourceFile>& RuleSet::files() const {
  return impl_->files;
}
const std::vector<std::string>& RuleSet::conversation_link_headers() const {
  return impl_->link_headers;
}

size_t RuleSet::size() const {
  return impl_->rules.size();
}

std::vector<RuleSummary> RuleSet::list() const {
  std::vector<RuleSummary> out;
  for (const rules::Rule& r : impl_->rules) {
    out.push_back(RuleSummary{r.id, r.title, r.severity, r.priority, r.explains_failure, r.file,
                              r.line, r.samples.size()});
  }
  return out;
}

}  // namespace fedtriage
