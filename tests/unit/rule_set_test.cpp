// Rule loading, the rule file schema, the template language, domain relations, check_rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "lib/rules/domain_relation.h"
#include "lib/rules/rule_check.h"
#include "lib/rules/rule_set.h"
#include "lib/rules/template_text.h"

namespace fedtriage {
namespace {

std::vector<std::string> ids(const RuleSet& set) {
  std::vector<std::string> out;
  for (const RuleSummary& r : set.list()) out.push_back(r.id);
  return out;
}

bool has_id(const RuleSet& set, const std::string& id) {
  const auto all = ids(set);
  return std::find(all.begin(), all.end(), id) != all.end();
}

std::string errors_text(const RuleSet& set) {
  std::string out;
  for (const RuleLoadError& e : set.errors()) out += to_string(e) + "\n";
  return out;
}

constexpr const char* kGoodRule = R"(
id: good-rule
title: A good rule
severity: warning
match:
  - kind: sip
    status: 5xx
root_cause: A {{status}} came back.
fix: Nothing.
extract:
  status: sip.status
samples:
  - event: {source: expressway, status: 503}
    expect: {status: "503"}
)";

TEST(RuleSetTest, EmbeddedRulesLoadWithoutErrors) {
  const RuleSet set = RuleSet::embedded();
  EXPECT_TRUE(set.errors().empty()) << errors_text(set);
  for (const char* id :
       {"srv-domain-mismatch", "cert-fqdn-mismatch", "srv-record-missing",
        "tls-negotiation-failure", "unexplained-504", "ms-diag-1000-final-handshake-failed",
        "ms-diag-1003-user-not-found", "ms-diag-1008-srv-unresolved",
        "ms-diag-1011-no-diagnostics-from-previous-hop", "ms-diag-1014-a-record-unresolved",
        "ms-diag-1034-federated-peer-no-diagnostics"}) {
    EXPECT_TRUE(has_id(set, id)) << id;
  }
  // One rule per catalogue code 1000-1014 and 1034.
  for (int code = 1000; code <= 1014; ++code) {
    const std::string prefix = "ms-diag-" + std::to_string(code) + "-";
    const auto all = ids(set);
    EXPECT_EQ(1, std::count_if(all.begin(), all.end(),
                               [&](const std::string& id) { return id.starts_with(prefix); }))
        << code;
  }
}

TEST(RuleSetTest, ListNamesFileTitleSeverity) {
  const RuleSet set = RuleSet::embedded();
  bool found = false;
  for (const RuleSummary& r : set.list()) {
    if (r.id != "srv-domain-mismatch") continue;
    found = true;
    EXPECT_EQ("rules/srv-domain-mismatch.yaml", r.file);
    EXPECT_FALSE(r.title.empty());
    EXPECT_EQ(FindingSeverity::Error, r.severity);
    EXPECT_TRUE(r.explains_failure);
    EXPECT_GT(r.line, 0u);
    EXPECT_GE(r.samples, 2u);
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(set.files().empty());
}

TEST(RuleSetTest, AllEmbeddedSamplesPassCheck) {
  const RuleCheckReport report = check_rules(RuleSet::embedded());
  std::string failures;
  for (const auto& f : report.failures) {
    failures += f.file + ":" + std::to_string(f.line) + " [" + f.rule_id + "] " + f.sample + ": " +
                f.message + "\n";
  }
  EXPECT_TRUE(report.ok()) << failures;
  EXPECT_GT(report.rules, 20u);
  EXPECT_EQ(report.samples, report.samples_passed);
  EXPECT_GE(report.samples, report.rules);
}

TEST(RuleSetTest, YamlSyntaxErrorNamesFileAndLineAndOtherFilesStillLoad) {
  RuleSet set = RuleSet::from_text("rules/good.yaml", kGoodRule);
  set.add_text("rules/broken.yaml", "id: broken\ntitle: x\nmatch:\n  - kind: [sip\n");
  ASSERT_EQ(1u, set.errors().size());
  const RuleLoadError& e = set.errors()[0];
  EXPECT_EQ("rules/broken.yaml", e.file);
  EXPECT_GE(e.line, 4u);
  EXPECT_NE(std::string::npos, to_string(e).find("rules/broken.yaml:"));
  EXPECT_EQ(std::vector<std::string>{"good-rule"}, ids(set));
}

// yaml-cpp reports a nesting bomb as "bad file": the message says what is wrong.
TEST(RuleSetTest, DeeplyNestedFileSaysSo) {
  RuleSet set = RuleSet::from_text("rules/good.yaml", kGoodRule);
  set.add_text("rules/deep.yaml",
               "id: deep\nmatch: " + std::string(5000, '[') + std::string(5000, ']') + "\n");
  ASSERT_EQ(1u, set.errors().size());
  const std::string message = to_string(set.errors()[0]);
  EXPECT_NE(message.find("rules/deep.yaml:2"), std::string::npos) << message;
  EXPECT_NE(message.find("levels deep (a rule needs a few): not read"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("bad file"), std::string::npos) << message;
  EXPECT_EQ(std::vector<std::string>{"good-rule"}, ids(set));
}

TEST(RuleSetTest, BadRuleIsSkippedWithLineAndTheRestOfTheFileLoads) {
  const std::string text = std::string("rules:\n") +
                           "  - id: first-ok\n"
                           "    title: First\n"
                           "    severity: info\n"
                           "    match: [{kind: dns}]\n"
                           "    root_cause: r\n"
                           "    fix: f\n"
                           "  - id: bad-regex\n"
                           "    title: Bad\n"
                           "    severity: info\n"
                           "    match:\n"
                           "      - text: {regex: '(unclosed'}\n"
                           "    root_cause: r\n"
                           "    fix: f\n"
                           "  - id: last-ok\n"
                           "    title: Last\n"
                           "    severity: critical\n"
                           "    match: [{kind: tls}]\n"
                           "    root_cause: r\n"
                           "    fix: f\n";
  const RuleSet set = RuleSet::from_text("family.yaml", text);
  EXPECT_EQ((std::vector<std::string>{"first-ok", "last-ok"}), ids(set));
  ASSERT_EQ(1u, set.errors().size());
  EXPECT_EQ("family.yaml", set.errors()[0].file);
  EXPECT_EQ(12u, set.errors()[0].line);
  EXPECT_EQ("bad-regex", set.errors()[0].rule_id);
  EXPECT_NE(std::string::npos, set.errors()[0].message.find("regex"));
}

TEST(RuleSetTest, SchemaMistakesAreReported) {
  struct Case {
    const char* yaml;
    const char* message_part;
  };
  const Case cases[] = {
      {"id: a\ntitle: t\nseverity: error\nmatch: [{kind: sip}]\nroot_cause: '{{nope}}'\nfix: f\n",
       "{{nope}}"},
      {"id: a\ntitle: t\nseverity: loud\nmatch: [{kind: sip}]\nroot_cause: r\nfix: f\n",
       "severity"},
      {"id: a\ntitle: t\nseverity: error\nmatch: [{kind: sip, colour: red}]\nroot_cause: r\n"
       "fix: f\n",
       "colour"},
      {"id: a\ntitle: t\nseverity: error\nmatch: [{kind: sip}]\nextract: {x: nowhere.x}\n"
       "root_cause: r\nfix: f\n",
       "nowhere.x"},
      {"id: a\ntitle: t\nseverity: error\nmatch: [{kind: sip}]\ncompute: [frobnicate(x)]\n"
       "root_cause: r\nfix: f\n",
       "frobnicate"},
      {"id: a\ntitle: t\nseverity: error\nmatch: [{kind: sip}]\nroot_cause: '{{#x}}open'\n"
       "fix: f\n",
       "not closed"},
      {"id: Bad Id\ntitle: t\nseverity: error\nmatch: [{kind: sip}]\nroot_cause: r\nfix: f\n",
       "id"},
      {"id: a\ntitle: t\nseverity: error\nmatch: [{}]\nroot_cause: r\nfix: f\n", "empty"},
      {"id: a\ntitle: t\nseverity: error\nmatch: [{status: 999}]\nroot_cause: r\nfix: f\n",
       "status"},
  };
  for (const Case& c : cases) {
    const RuleSet set = RuleSet::from_text("x.yaml", c.yaml);
    EXPECT_EQ(0u, set.size()) << c.yaml;
    ASSERT_EQ(1u, set.errors().size()) << c.yaml;
    EXPECT_NE(std::string::npos, set.errors()[0].message.find(c.message_part))
        << set.errors()[0].message;
    EXPECT_GT(set.errors()[0].line, 0u);
  }
}

TEST(RuleSetTest, InputsThatHangYamlCpp07LoadAllReturn) {
  // A lone ',' made yaml-cpp 0.7's LoadAll allocate forever (jbeder/yaml-cpp#1040).
  for (const char* text : {",", "- !+(.,.)", "[:", "{:"}) {
    const RuleSet set = RuleSet::from_text("x.yaml", text);
    EXPECT_EQ(0u, set.size()) << text;
    EXPECT_LE(set.errors().size(), 1u) << text;  // "," reads as an empty document
  }
}

TEST(RuleSetTest, SecondYamlDocumentIsReported) {
  const RuleSet set =
      RuleSet::from_text("two.yaml", std::string("---\n") + kGoodRule + "---\nid: other\n");
  EXPECT_EQ(std::vector<std::string>{"good-rule"}, ids(set));
  ASSERT_EQ(1u, set.errors().size());
  EXPECT_NE(std::string::npos, set.errors()[0].message.find("one YAML document"));
}

TEST(RuleSetTest, DuplicateIdIsAnError) {
  RuleSet set = RuleSet::from_text("a.yaml", kGoodRule);
  set.add_text("b.yaml", kGoodRule);
  EXPECT_EQ(1u, set.size());
  ASSERT_EQ(1u, set.errors().size());
  EXPECT_EQ("b.yaml", set.errors()[0].file);
  EXPECT_NE(std::string::npos, set.errors()[0].message.find("duplicate"));
}

TEST(RuleSetTest, LoadsADirectory) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() /
      ("fedtriage_rules_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  std::ofstream(dir / "a_good.yaml") << kGoodRule;
  std::ofstream(dir / "b_bad.yaml") << "id: [unclosed\n";
  std::ofstream(dir / "readme.txt") << "not a rule";
  const RuleSet set = RuleSet::from_directory(dir.string());
  EXPECT_EQ(std::vector<std::string>{"good-rule"}, ids(set));
  ASSERT_EQ(1u, set.errors().size());
  EXPECT_NE(std::string::npos, set.errors()[0].file.find("b_bad.yaml"));
  EXPECT_EQ(2u, set.files().size());
  fs::remove_all(dir);

  const RuleSet missing = RuleSet::from_directory((dir / "missing").string());
  EXPECT_EQ(0u, missing.size());
  EXPECT_EQ(1u, missing.errors().size());
}

TEST(RuleSetTest, CheckReportsSampleThatDoesNotMatch) {
  const RuleSet set = RuleSet::from_text("x.yaml", R"(
id: check-me
title: t
severity: error
match: [{kind: sip, status: 504}]
extract: {code: sip.status}
root_cause: r
fix: f
samples:
  - name: wrong status
    event: {status: 503}
  - name: wrong field
    event: {status: 504}
    expect: {code: "503"}
)");
  ASSERT_TRUE(set.errors().empty()) << errors_text(set);
  const RuleCheckReport report = check_rules(set);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(2u, report.samples);
  EXPECT_EQ(0u, report.samples_passed);
  ASSERT_EQ(2u, report.failures.size());
  EXPECT_EQ("wrong status", report.failures[0].sample);
  EXPECT_NE(std::string::npos, report.failures[1].message.find("got '504'"));
}

// A template that leaves a gap where a sample lacks a value ("and got , so") fails the check.
TEST(RuleSetTest, CheckFindsSentencesWithAnEmptyValue) {
  const RuleSet set = RuleSet::from_text("gap.yaml", R"(
id: gap
title: t
severity: error
match: [{kind: sip}]
extract:
  fqdn: ms_diagnostics.param.fqdn1
root_cause: The server looked up the record and got {{fqdn}}, so it refused the call.
fix: f
samples:
  - event: {status: 504}
)");
  ASSERT_TRUE(set.errors().empty()) << errors_text(set);
  const RuleCheckReport report = check_rules(set);
  ASSERT_EQ(1u, report.failures.size());
  EXPECT_NE(std::string::npos, report.failures[0].message.find("an empty value leaves a gap"))
      << report.failures[0].message;
  EXPECT_NE(std::string::npos, report.failures[0].message.find("{{fqdn}} renders empty for this sample"))
      << report.failures[0].message;
}

TEST(RuleSetTest, CheckRequiresASample) {
  const RuleSet set = RuleSet::from_text(
      "x.yaml", "id: a\ntitle: t\nseverity: error\nmatch: [{kind: sip}]\nroot_cause: r\nfix: f\n");
  const RuleCheckReport report = check_rules(set);
  ASSERT_EQ(1u, report.failures.size());
  EXPECT_EQ("a", report.failures[0].rule_id);
}

TEST(RuleSetTest, FuzzLikeInputsDoNotCrash) {
  for (const char* text : {"", "~", "[]", "- 1\n- [a]", "rules: 5", "rules: [1, {id: x}]",
                           "{id: x, title: [1], severity: {a: b}}", "---\n---\n", "\t\x01",
                           "id: a\nmatch: [{ms_diagnostics: {code: [x]}}]"}) {
    const RuleSet set = RuleSet::from_text("f.yaml", text);
    (void)check_rules(set);
  }
}

TEST(RuleSetTest, AliasBlowUpIsCutShort) {
  // 300 aliases of a sample in one list, and 300 aliases of the rule that uses it: 90000
  // sample events from a few kilobytes. The loader stops at its value budget.
  std::string list;
  for (int i = 0; i < 300; ++i) list += i ? ", *s" : "*s";
  std::string rules;
  for (int i = 0; i < 300; ++i) rules += i ? ", *r" : "*r";
  const std::string text =
      "notes:\n  s: &s {event: {kind: sip, status: 504, server: RTC/6.0}}\n"
      "  r: &r {id: big, title: t, severity: info, match: [{kind: sip}], root_cause: r, fix: f,"
      " samples: [" +
      list +
      "]}\n"
      "rules: [" +
      rules + "]\n";
  const RuleSet set = RuleSet::from_text("big.yaml", text);
  EXPECT_LE(set.size(), 1u);
  ASSERT_FALSE(set.errors().empty());
  EXPECT_NE(std::string::npos, set.errors().back().message.find("too large"))
      << set.errors().back().message;
}

TEST(DomainRelationTest, SeedCases) {
  EXPECT_EQ(DomainRelation::Subdomain,
            domain_relation("cms.steven.lab", "vcse.sub.cms.steven.lab"));
  EXPECT_EQ(DomainRelation::DifferentDomain,
            domain_relation("acano.steven.lab", "vcse.steven.lab"));
  EXPECT_EQ(DomainRelation::Exact, domain_relation("cms.steven.lab", "vcse.cms.steven.lab:5061"));
  EXPECT_EQ(DomainRelation::Exact, domain_relation("CMS.steven.lab.", "VCSE.cms.steven.lab"));
  // "xcms.steven.lab" ends with "cms.steven.lab" but is not under it.
  EXPECT_EQ(DomainRelation::DifferentDomain,
            domain_relation("cms.steven.lab", "a.xcms.steven.lab"));
  EXPECT_FALSE(domain_relation("", "vcse.steven.lab"));
  EXPECT_EQ("sub.cms.steven.lab", fqdn_domain("vcse.sub.cms.steven.lab:5061"));
  EXPECT_EQ("_sipfederationtls._tcp.cms.steven.lab", federation_srv_record("cms.steven.lab"));
  EXPECT_EQ("vcse.steven.lab", strip_port("vcse.steven.lab:5061"));
  EXPECT_EQ("[2001:db8::1]", strip_port("[2001:db8::1]:5061"));
  EXPECT_EQ("2001:db8::1", strip_port("2001:db8::1"));
  EXPECT_EQ("host:", strip_port("host:"));
}

TEST(TemplateTextTest, FieldsAndSections) {
  const Fields f = {{"domain", "cms.steven.lab"}, {"relation", "subdomain"}, {"empty", ""}};
  EXPECT_EQ("Domain cms.steven.lab.", render_template("Domain {{domain}}.", f));
  EXPECT_EQ("in a subdomain.",
            render_template("in {{#relation=subdomain}}a subdomain{{/relation}}"
                            "{{#relation=different-domain}}another domain{{/relation}}.",
                            f));
  EXPECT_EQ("no value", render_template("{{#empty}}yes{{/empty}}{{^empty}}no value{{/empty}}", f));
  EXPECT_EQ("x", render_template("{{^relation=exact}}x{{/relation}}", f));
  EXPECT_EQ("a, b.", render_template("a {{missing}}, b {{#missing}}c{{/missing}} .", f));
  std::vector<std::string> names;
  std::string error;
  EXPECT_TRUE(template_field_names("{{a}} {{#b=c}}{{d}}{{/b}}", &names, &error));
  EXPECT_EQ((std::vector<std::string>{"a", "b", "d"}), names);
  EXPECT_FALSE(template_field_names("{{/b}}", &names, &error));
  EXPECT_FALSE(template_field_names("{{#b}}", &names, &error));
}

}  // namespace
}  // namespace fedtriage
