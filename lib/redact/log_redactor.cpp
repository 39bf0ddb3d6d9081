#include "lib/redact/log_redactor.h"

#include "lib/redact/pem_redactor.h"
#include "lib/redact/sip_redactor.h"

namespace fedtriage::redact {
namespace {

// A record longer than this is written out as it stands (redacted line by line, lengths
// adjusted as far as it goes): memory stays bounded on a damaged log.
constexpr size_t kMaxRecordBytes = size_t{16} << 20;

bool contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

bool is_ucc_packet_start(std::string_view s) {
  return (contains(s, ":: Sending Packet") || contains(s, ":: Data Received")) &&
         !contains(s, ":: End of");
}

bool is_ucc_packet_end(std::string_view s) {
  return contains(s, ":: End of Sending Packet") || contains(s, ":: End of Data Received");
}

bool is_edge_header(std::string_view s) {
  return s.substr(0, 3) == "TL_";
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "... 900 bytes:" -> position of "900", or npos.
size_t byte_count_position(std::string_view line) {
  size_t b = line.rfind(" bytes");
  if (b == std::string_view::npos || b == 0) return std::string_view::npos;
  size_t start = b;
  while (start > 0 && line[start - 1] >= '0' && line[start - 1] <= '9') --start;
  return start == b ? std::string_view::npos : start;
}

bool is_pem_begin(std::string_view s) {
  return s.substr(0, 11) == "-----BEGIN " && s.size() > 16 && s.substr(s.size() - 5) == "-----";
}

bool is_pem_end(std::string_view s) {
  return s.substr(0, 9) == "-----END " && s.size() > 14 && s.substr(s.size() - 5) == "-----";
}

}  // namespace

void LogRedactor::write_plain(std::string_view content, std::string_view terminator) {
  std::string red = text_.line(content);
  red.append(terminator);
  write_(red);
}

void LogRedactor::start(Record kind, std::string_view content, std::string_view terminator) {
  record_ = kind;
  append(content, terminator);
}

void LogRedactor::append(std::string_view content, std::string_view terminator) {
  lines_.emplace_back(content);
  terminators_.emplace_back(terminator);
  buffered_bytes_ += content.size();
  if (buffered_bytes_ > kMaxRecordBytes) flush();
}

void LogRedactor::line(std::string_view content, std::string_view terminator) {
  const std::string_view trimmed = trim_right(content);
  switch (record_) {
    case Record::None:
      break;
    case Record::ExpresswaySipMsg:
      if (content.empty() || content[0] != ' ') {
        flush();  // the next record started without the closing " |"
        break;
      }
      append(content, terminator);
      // " |" closes; so does "|" glued to the last body line (X7), but not the start line.
      if (trimmed == " |" || (lines_.size() > 2 && trimmed.size() > 2 && trimmed.back() == '|')) {
        flush();
      }
      return;
    case Record::EdgeRecord:
      if (is_edge_header(content)) {
        flush();
        break;
      }
      append(content, terminator);
      if (trimmed == "$$end_record") flush();
      return;
    case Record::UccPacket:
      if (is_ucc_packet_start(content)) {
        flush();
        break;
      }
      append(content, terminator);
      if (is_ucc_packet_end(content)) flush();
      return;
    case Record::Pem:
      // Past the size limit the rest is dropped, not written as text: base64 is not text
      // redaction can see into. The block then fails to decode and becomes a comment.
      if (buffered_bytes_ <= kMaxRecordBytes || is_pem_end(trimmed)) {
        lines_.emplace_back(content);
        terminators_.emplace_back(terminator);
        buffered_bytes_ += content.size();
      }
      if (is_pem_end(trimmed)) flush();
      return;
  }
  if (is_pem_begin(trimmed)) {
    start(Record::Pem, content, terminator);
  } else if (trimmed == " SIPMSG:") {
    start(Record::ExpresswaySipMsg, content, terminator);
  } else if (is_edge_header(content) && contains(content, "$$begin_record")) {
    start(Record::EdgeRecord, content, terminator);
  } else if (is_ucc_packet_start(content) && byte_count_position(content) != std::string::npos) {
    start(Record::UccPacket, content, terminator);
  } else {
    write_plain(content, terminator);
  }
}

void LogRedactor::flush() {
  if (record_ == Record::None) return;
  const size_t n = lines_.size();
  switch (record_) {
    case Record::None:
      break;
    case Record::Pem: {
      // Never copied: replaced whole, every line ending as the BEGIN line did (the last as
      // the block's last line did: none at the end of a file).
      std::vector<std::string> replacement;
      if (pem_ != nullptr) {
        replacement = pem_->block(lines_);
      } else {
        replacement.emplace_back("# PEM block removed by fedtriage redact");
      }
      const std::string first = terminators_.front(), last = terminators_.back();
      lines_ = std::move(replacement);
      terminators_.assign(lines_.size(), first);
      if (!terminators_.empty()) terminators_.back() = last;
      break;
    }
    case Record::ExpresswaySipMsg: {
      // lines_[0] is " SIPMSG:", the message starts at 1; the body after the " " line.
      size_t body = n;
      for (size_t i = 2; i < n; ++i) {
        if (trim_right(lines_[i]).empty()) {
          body = i + 1;
          break;
        }
      }
      lines_[0] = text_.line(lines_[0]);
      redact_sip_message(lines_, 1, body, n, text_);
      break;
    }
    case Record::EdgeRecord: {
      size_t body = n;
      for (size_t i = 1; i < n; ++i) {
        if (lines_[i].rfind("Message-Body:", 0) == 0) {
          body = i;
          break;
        }
      }
      redact_sip_message(lines_, 0, body, n, text_);
      break;
    }
    case Record::UccPacket: {
      const bool closed = n >= 2 && is_ucc_packet_end(lines_[n - 1]);
      const size_t end = closed ? n - 1 : n;
      size_t body = end;
      for (size_t i = 2; i < end; ++i) {
        if (sip_text(trim_right(lines_[i])).empty()) {
          body = i + 1;
          break;
        }
      }
      const int64_t delta = redact_sip_message(lines_, 1, body, end, text_);
      for (size_t i : {size_t{0}, n - 1}) {
        if (i == n - 1 && !closed) continue;
        lines_[i] = text_.line(lines_[i]);
        size_t pos = byte_count_position(lines_[i]);
        if (pos != std::string::npos) adjust_number(lines_[i], pos, delta);
      }
      break;
    }
  }
  std::string out;
  for (size_t i = 0; i < lines_.size(); ++i) {
    out += lines_[i];
    out += terminators_[i];
  }
  write_(out);
  lines_.clear();
  terminators_.clear();
  buffered_bytes_ = 0;
  record_ = Record::None;
}

void LogRedactor::finish() {
  flush();
}

}  // namespace fedtriage::redact
