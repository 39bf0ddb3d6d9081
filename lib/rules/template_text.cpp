#include "lib/rules/template_text.h"

#include "lib/base/ascii.h"

#include <cctype>

namespace fedtriage {
namespace {

struct Tag {
  char sigil = 0;  // 0, '#', '^' or '/'
  std::string_view name;
  std::string_view value;  // after '=' in a section tag
  bool has_value = false;
  size_t begin = 0;  // of "{{"
  size_t end = 0;    // after "}}"
};

// The next tag at or after `pos`, or false.
bool next_tag(std::string_view t, size_t pos, Tag* tag) {
  const size_t open = t.find("{{", pos);
  if (open == std::string_view::npos) return false;
  const size_t close = t.find("}}", open + 2);
  if (close == std::string_view::npos) return false;
  std::string_view inner = trim_ascii(t.substr(open + 2, close - open - 2));
  tag->begin = open;
  tag->end = close + 2;
  tag->sigil = 0;
  tag->has_value = false;
  tag->value = {};
  if (!inner.empty() && (inner[0] == '#' || inner[0] == '^' || inner[0] == '/')) {
    tag->sigil = inner[0];
    inner = trim_ascii(inner.substr(1));
  }
  if (tag->sigil == '#' || tag->sigil == '^') {
    if (size_t eq = inner.find('='); eq != std::string_view::npos) {
      tag->value = trim_ascii(inner.substr(eq + 1));
      tag->has_value = true;
      inner = trim_ascii(inner.substr(0, eq));
    }
  }
  tag->name = inner;
  return true;
}

// The {{/name}} that closes a section opened before `pos`, counting nested sections of the
// same name.
bool find_close(std::string_view t, size_t pos, std::string_view name, Tag* close) {
  int depth = 1;
  Tag tag;
  while (next_tag(t, pos, &tag)) {
    if (tag.name == name) {
      if (tag.sigil == '#' || tag.sigil == '^') ++depth;
      if (tag.sigil == '/' && --depth == 0) {
        *close = tag;
        return true;
      }
    }
    pos = tag.end;
  }
  return false;
}

const std::string* lookup(const Fields& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return &v;
  }
  return nullptr;
}

// Renders or (when `out` is null) only walks; returns false on a structural error.
bool walk(std::string_view t, const Fields* fields, std::string* out,
          std::vector<std::string>* names, std::string* error, int depth) {
  if (depth > 64) {
    if (error) *error = "sections nested too deeply";
    return false;
  }
  size_t pos = 0;
  Tag tag;
  while (next_tag(t, pos, &tag)) {
    if (out) out->append(t.substr(pos, tag.begin - pos));
    if (tag.name.empty()) {
      if (error) *error = "empty tag";
      if (!out) return false;
      out->append(t.substr(tag.begin, tag.end - tag.begin));
      pos = tag.end;
      continue;
    }
    if (names) names->emplace_back(tag.name);
    if (tag.sigil == 0) {
      if (out && fields) {
        if (const std::string* v = lookup(*fields, tag.name)) out->append(*v);
      }
      pos = tag.end;
      continue;
    }
    if (tag.sigil == '/') {
      if (error) *error = "{{/" + std::string(tag.name) + "}} closes no section";
      if (!out) return false;
      pos = tag.end;
      continue;
    }
    Tag close;
    if (!find_close(t, tag.end, tag.name, &close)) {
      if (error)
        *error =
            "section {{" + std::string(1, tag.sigil) + std::string(tag.name) + "}} is not closed";
      if (!out) return false;
      out->append(t.substr(tag.begin));
      return true;
    }
    const std::string_view inner = t.substr(tag.end, close.begin - tag.end);
    bool show = true;
    if (out && fields) {
      const std::string* v = lookup(*fields, tag.name);
      const bool cond = tag.has_value ? (v && iequals(*v, tag.value)) : (v && !v->empty());
      show = tag.sigil == '#' ? cond : !cond;
    }
    if (show && !walk(inner, fields, out, names, error, depth + 1) && !out) {
      return false;
    }
    pos = close.end;
  }
  if (out) out->append(t.substr(pos));
  return true;
}

// Sections that render nothing leave their surrounding spaces behind: one space per run, none
// before punctuation or at either end of a line.
std::string tidy(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool blank = c == ' ' || c == '\t';
    if (blank && (out.empty() || out.back() == ' ' || out.back() == '\n')) continue;
    if ((c == '.' || c == ',' || c == ';' || c == ':' || c == ')' || c == '\n') && !out.empty() &&
        out.back() == ' ') {
      out.pop_back();
    }
    out.push_back(blank ? ' ' : c);
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

}  // namespace

std::string render_template(std::string_view tpl, const Fields& fields) {
  std::string out;
  walk(tpl, &fields, &out, nullptr, nullptr, 0);
  return tidy(out);
}

bool template_field_names(std::string_view tpl, std::vector<std::string>* names,
                          std::string* error) {
  return walk(tpl, nullptr, nullptr, names, error, 0);
}

}  // namespace fedtriage
