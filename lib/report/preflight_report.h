// `fedtriage check` output: a text report for a person, or the JSON object
// {"domains": [{"domain", "srv", "tls", "findings"}]}. Everything taken from DNS answers and
// certificates is made terminal-safe (text) or escaped (JSON), like log text.
#pragma once

#include <string>
#include <vector>

#include "lib/preflight/preflight_model.h"

namespace fedtriage::preflight {

std::string reports_to_text(const std::vector<DomainReport>& reports, bool color);
std::string reports_to_json(const std::vector<DomainReport>& reports, int indent = 2);

// The "domains" array alone, as compact JSON text, for other reports to embed.
std::string domains_json_text(const std::vector<DomainReport>& reports);

}  // namespace fedtriage::preflight
