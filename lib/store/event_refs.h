// The events one write takes, by reference: a caller writes some of a call's events (those not
// written with an earlier call) without copying them. Read like a std::vector<Event>.
#pragma once

#include <cstddef>
#include <vector>

#include "lib/core/event.h"

namespace fedtriage {

class EventRefs {
 public:
  EventRefs() = default;
  explicit EventRefs(const std::vector<Event>& all) {
    refs_.reserve(all.size());
    for (const Event& e : all) refs_.push_back(&e);
  }
  void reserve(size_t n) { refs_.reserve(n); }
  void push_back(const Event& e) { refs_.push_back(&e); }

  size_t size() const { return refs_.size(); }
  bool empty() const { return refs_.empty(); }
  const Event& operator[](size_t k) const { return *refs_[k]; }

  class const_iterator {
   public:
    explicit const_iterator(std::vector<const Event*>::const_iterator at) : at_(at) {}
    const Event& operator*() const { return **at_; }
    const Event* operator->() const { return *at_; }
    const_iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const const_iterator& other) const { return at_ == other.at_; }
    bool operator!=(const const_iterator& other) const { return at_ != other.at_; }

   private:
    std::vector<const Event*>::const_iterator at_;
  };
  const_iterator begin() const { return const_iterator(refs_.begin()); }
  const_iterator end() const { return const_iterator(refs_.end()); }

 private:
  std::vector<const Event*> refs_;
};

}  // namespace fedtriage
