// One consolidated to-do list per case, after the per-call findings: each DNS record to change,
// each certificate to issue with every name it needs, each TLS trust to fix, each log still to
// collect, each with the calls it explains. Several calls that need the same change give one
// item, so a case never asks for two certificates for the same Expressway.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

class CaseView;

struct TodoItem {
  std::string kind;                   // "dns", "certificate", "tls", "logs", "other"
  std::string action;                 // one sentence: what to do
  std::vector<std::string> details;   // names, values, the rule's fix when it says more
  std::vector<std::string> rules;     // the rules that asked for it
  std::vector<std::string> call_ids;  // the calls it explains, in call order
};

// Builds the list from the failure finding of each failed call, in call order (from memory or
// from the store). Items come in a stable order: DNS, certificates, TLS, logs, other; within a
// kind by first call.
class CaseTodo {
 public:
  CaseTodo();
  ~CaseTodo();
  void add(const std::string& call_id, const std::string& rule_id, const std::string& title,
           const std::string& fix, const Fields& fields);
  std::vector<TodoItem> items();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The list of a case just analysed (case_view.h).
std::vector<TodoItem> case_todo(const CaseView& view);

}  // namespace fedtriage
