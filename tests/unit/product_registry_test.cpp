// A fourth product, registered at run time, as a new log format would be added: its own
// recogniser and parser (below, standing for parsers/<format>/) plus registry entries, and
// nothing else. Its events must come through ingest, the spool, correlation, rules, JSON, the
// store and the ladder under its own name and label.
#include "lib/analysis/read.h"
#include "lib/core/product.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/analysis/analyzer.h"
#include "lib/report/event_json.h"
#include "lib/report/ladder/ladder.h"
#include "lib/rules/rule_set.h"
#include "lib/sip/sip_message.h"
#include "lib/spool/event_codec.h"
#include "lib/store/open_store.h"
#include "parsers/log_parser.h"
#include "tests/support/collecting_sinks.h"

namespace fedtriage {
namespace {

constexpr Source kFakePbx{9};
constexpr LogFormat kFakePbxLog{9};

// "@@ <epoch ms> <host> <in|out> <peer>" opens a SIP message, "@@end" closes it.
class FakePbxParser : public LogParser {
 public:
  explicit FakePbxParser(ParserContext context) : context_(std::move(context)) {}
  void feed(std::string_view line, uint64_t line_no) override {
    if (line.starts_with("@@end")) {
      emit();
    } else if (line.starts_with("@@ ")) {
      header_ = std::string(line.substr(3));
      first_line_ = line_no;
      text_.clear();
    } else if (!header_.empty()) {
      text_.append(line).append("\r\n");
    }
  }
  void finish() override {}

 private:
  void emit() {
    std::istringstream head(header_);
    int64_t ts = 0;
    std::string host, dir, peer;
    head >> ts >> host >> dir >> peer;
    Event e;
    e.ts_ms = ts;
    e.source = kFakePbx;
    e.kind = EventKind::Sip;
    e.origin.file = context_.file;
    e.origin.line = first_line_;
    e.host = host;
    e.direction = dir == "in" ? Direction::In : Direction::Out;
    e.remote = peer;
    e.sip = parse_sip_message(text_ + "\r\n");
    if (!e.sip) {
      report_problem(context_, first_line_, "not a SIP message");
    } else {
      e.call_id = e.sip->call_id;
      e.cseq = e.sip->cseq();
      e.raw = text_;
      context_.events->on_event(std::move(e));
    }
    header_.clear();
  }

  ParserContext context_;
  std::string header_;
  std::string text_;
  uint64_t first_line_ = 0;
};

bool looks_like_fake_pbx(std::string_view head) {
  return head.starts_with("FAKEPBX LOG");
}

std::unique_ptr<LogParser> make_fake_pbx(ParserContext context) {
  return std::make_unique<FakePbxParser>(std::move(context));
}

void register_fake_pbx() {
  static const bool done = [] {
    std::string error;
    EXPECT_TRUE(register_product({kFakePbx, "fakepbx", "Fake PBX", "cms"}, &error)) << error;
    EXPECT_TRUE(register_log_format({kFakePbxLog, "fakepbx", kFakePbx, looks_like_fake_pbx,
                                     "FAKEPBX LOG header", "FAKEPBX headers", make_fake_pbx},
                                    &error))
        << error;
    return true;
  }();
  (void)done;
}

constexpr const char* kLog =
    "FAKEPBX LOG v1\n"
    "@@ 1704103200000 pbx1 out 192.0.2.7:5060\n"
    "INVITE sip:bob@b.example SIP/2.0\n"
    "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-1\n"
    "From: <sip:alice@a.example>;tag=1\n"
    "To: <sip:bob@b.example>\n"
    "Call-ID: fake-call-1\n"
    "CSeq: 1 INVITE\n"
    "Content-Length: 0\n"
    "@@end\n"
    "@@ 1704103201000 pbx1 in 192.0.2.7:5060\n"
    "SIP/2.0 486 Busy Here\n"
    "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-1\n"
    "From: <sip:alice@a.example>;tag=1\n"
    "To: <sip:bob@b.example>;tag=2\n"
    "Call-ID: fake-call-1\n"
    "CSeq: 1 INVITE\n"
    "Content-Length: 0\n"
    "@@end\n";

constexpr const char* kRule = R"(id: fakepbx-busy
title: the fake PBX says busy
severity: info
priority: 50
explains: failure
match:
  - source: fakepbx
    kind: sip
    status: 486
root_cause: The callee was busy.
fix: Call again later.
)";

class ProductRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    register_fake_pbx();
    dir_ = std::filesystem::temp_directory_path() /
           ("fedtriage-product-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    log_ = (dir_ / "pbx.log").string();
    std::ofstream(log_) << kLog;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string log_;
};

TEST_F(ProductRegistryTest, BuiltInProductsKeepTheirNames) {
  EXPECT_EQ(to_string(Source::Expressway), "expressway");
  EXPECT_EQ(find_product("EDGE")->source, Source::Edge);
  EXPECT_TRUE(local_clock(Source::Client));
  EXPECT_TRUE(answers_for_next_hop(Source::Expressway));
  EXPECT_EQ(find_product(Source{200}), nullptr);
  std::string error;
  EXPECT_FALSE(register_product({Source{201}, "edge", "again", "edge"}, &error));
}

TEST_F(ProductRegistryTest, ANewProductFlowsThroughEveryLayer) {
  EXPECT_EQ(sniff_format("FAKEPBX LOG v1\n").format, kFakePbxLog);

  RuleSet rules = RuleSet::embedded();
  rules.add_text("fakepbx.yaml", kRule);
  ASSERT_TRUE(rules.errors().empty()) << to_string(rules.errors().front());

  testing::CollectingProblems problems;
  Analysis analysis;
  IngestResult read = read_in_memory({log_}, IngestOptions{}, problems);
  ASSERT_EQ(read.events.size(), 2u);
  analysis.inputs = read.inputs;
  analysis.events = read.events;
  explain(analysis, rules);

  // JSON and the spool carry the product by name / id.
  const Event& invite = analysis.events.front();
  EXPECT_NE(event_to_json(invite).find("\"source\":\"fakepbx\""), std::string::npos);
  std::string bytes;
  encode_event(invite, bytes);
  Event back;
  ASSERT_TRUE(decode_event(bytes, back));
  EXPECT_EQ(back.source, kFakePbx);

  // Rules match on its name.
  ASSERT_EQ(analysis.findings.size(), 1u);
  EXPECT_EQ(analysis.findings.front().rule_id, "fakepbx-busy");

  // The store keeps it, the ladder labels its host.
  std::string error;
  auto store = open_store((dir_ / "t.db").string(), &error);
  ASSERT_TRUE(store) << error;
  ASSERT_TRUE(store->write_analysis("case", analysis.inputs, analysis.events, analysis.calls,
                                    analysis.findings, {}, &error))
      << error;
  auto call = store->load_call("fake-call-1", "", &error);
  ASSERT_TRUE(call) << error;
  ASSERT_EQ(call->events.size(), 2u);
  EXPECT_EQ(call->events.front().source, kFakePbx);
  const Ladder ladder = build_ladder(*call);
  bool labelled = false;
  for (const LadderColumn& c : ladder.columns) labelled |= c.label == "Fake PBX pbx1";
  EXPECT_TRUE(labelled);
}

}  // namespace
}  // namespace fedtriage
