// The one table of --format names: what each command offers, in its help's order, and the
// message naming them when a name is not one of them.
#include "lib/report/report_format.h"

#include <gtest/gtest.h>

#include "lib/report/summary/cross_case_summary.h"

namespace fedtriage {
namespace {

TEST(ReportFormat, EachKindOffersItsFormatsInHelpOrder) {
  EXPECT_EQ(format_names(ReportKind::Analysis), "text|json");
  EXPECT_EQ(format_names(ReportKind::Call), "text|md|svg|json");
  EXPECT_EQ(format_names(ReportKind::Conversation), "text|md|json");
  EXPECT_EQ(format_names(ReportKind::CallList), "text|json|csv");
  EXPECT_EQ(format_names(ReportKind::Summary), "text|json|csv");
  EXPECT_EQ(format_names(ReportKind::Preflight), "text|json");
}

TEST(ReportFormat, ParsesOnlyTheNamesTheKindOffers) {
  std::string error;
  EXPECT_EQ(parse_report_format(ReportKind::Call, "md", &error), ReportFormat::Markdown);
  EXPECT_EQ(parse_report_format(ReportKind::Call, "svg", &error), ReportFormat::Svg);
  EXPECT_EQ(parse_report_format(ReportKind::Summary, "csv", &error), ReportFormat::Csv);
  EXPECT_TRUE(error.empty());
  EXPECT_FALSE(parse_report_format(ReportKind::Analysis, "csv", &error));
  EXPECT_EQ(error, "--format: text or json");
  EXPECT_FALSE(parse_report_format(ReportKind::Call, "JSON", &error));
  EXPECT_EQ(error, "--format: text, md, svg or json");
  EXPECT_FALSE(parse_report_format(ReportKind::CallList, "", &error));
  EXPECT_EQ(error, "--format: text, json or csv");
}

TEST(ReportFormat, RendersWithTheRendererOfTheFormat) {
  CrossCaseSummary empty;
  EXPECT_EQ(render_summary(empty, ReportFormat::Json).front(), '{');
  EXPECT_EQ(render_summary(empty, ReportFormat::Csv).rfind("section,", 0), 0u);
  EXPECT_EQ(render_call_list({}, ReportFormat::Json).front(), '[');
}

}  // namespace
}  // namespace fedtriage
