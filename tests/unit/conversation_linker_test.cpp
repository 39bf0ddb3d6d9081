// The conversation linker: which calls are legs of one conversation, and why.
#include "lib/correlate/conversation_linker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/analysis/analyzer.h"
#include "lib/analysis/read.h"
#include "lib/correlate/conversation_keys.h"
#include "lib/ingest/ingest.h"
#include "lib/rules/rule_set.h"
#include "tests/support/collecting_sinks.h"
#include "tests/support/shared_logs.h"

namespace fedtriage {
namespace {

// A call whose SIP messages carry `headers` ("Name: value" each).
Call call_with(std::vector<Event>& events, const std::string& call_id, const std::string& method,
               const std::vector<std::string>& headers) {
  std::string text = method +
                     " sip:bob@b.test SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.0.1;branch=z9hG4bK" +
                     call_id + "\r\nCall-ID: " + call_id + "\r\nCSeq: 1 " + method + "\r\n";
  for (const std::string& h : headers) text += h + "\r\n";
  text += "\r\n";
  Event e;
  e.call_id = call_id;
  e.sip = parse_sip_message(text);
  events.push_back(std::move(e));
  Call c;
  c.call_id = call_id;
  c.method = method;
  c.events = {events.size() - 1};
  return c;
}

std::vector<CallKeys> keys_of(std::vector<std::pair<std::string, std::vector<std::string>>> calls,
                              const std::string& method = "INVITE",
                              const std::vector<std::string>& extra = {}) {
  std::vector<Event> events;
  events.reserve(calls.size());
  std::vector<CallKeys> out;
  for (auto& [id, headers] : calls) {
    const Call c = call_with(events, id, method, headers);
    out.push_back(call_link_keys(
        c, [&](size_t i) -> const Event& { return events[i]; }, extra));
  }
  return out;
}

TEST(SessionUuid, NormalizesAndRefusesAllZero) {
  EXPECT_EQ(session_uuid("C6A7E32D00255000A0000988EFD00000"), "c6a7e32d00255000a0000988efd00000");
  EXPECT_EQ(session_uuid("c6a7e32d-0025-5000-a000-0988efd00000"),
            "c6a7e32d00255000a0000988efd00000");
  EXPECT_EQ(session_uuid("00000000000000000000000000000000"), "");
  EXPECT_EQ(session_uuid(""), "");
  EXPECT_EQ(session_uuid("not-a-uuid"), "");
  EXPECT_EQ(session_uuid("abc1"), "");                 // too short to identify anything
  EXPECT_EQ(session_uuid(std::string(200, 'a')), "");  // runaway value
  // Other headers: an over-long value is no identifier either.
  const auto legs = keys_of({{"a", {"X-CID: " + std::string(300, 'x')}}});
  EXPECT_TRUE(legs[0].keys.empty());
}

TEST(ConversationLinker, SwappedUuidOrderLinksBothDirections) {
  const auto legs = keys_of({
      {"leg-a",
       {"Session-ID: aaaa0000000000000000000000000001;remote=bbbb0000000000000000000000000002"}},
      {"leg-b",
       {"Session-ID: BBBB0000000000000000000000000002;remote=aaaa0000000000000000000000000001"}},
  });
  const ConversationSet set = link_conversations(legs);
  ASSERT_EQ(set.conversations.size(), 1u);
  EXPECT_EQ(set.conversations[0].call_ids, (std::vector<std::string>{"leg-a", "leg-b"}));
  ASSERT_EQ(set.conversations[0].links.size(), 2u);  // both UUIDs, each a stated reason
  EXPECT_EQ(set.conversations[0].links[0].key.kind, "session-id");
  EXPECT_EQ(set.conversations[0].links[0].call_a, "leg-a");
  EXPECT_EQ(set.conversations[0].links[0].call_b, "leg-b");
  EXPECT_EQ(set.of("leg-b"), &set.conversations[0]);
}

TEST(ConversationLinker, AllZeroSessionIdLinksNothing) {
  const auto legs = keys_of({
      {"leg-a",
       {"Session-ID: 00000000000000000000000000000000;remote=aaaa0000000000000000000000000001"}},
      {"leg-b",
       {"Session-ID: 00000000000000000000000000000000;remote=cccc0000000000000000000000000003"}},
  });
  const ConversationSet set = link_conversations(legs);
  EXPECT_EQ(set.conversations.size(), 2u);
  for (const CallKeys& k : legs) {
    for (const LinkKey& key : k.keys) EXPECT_NE(key.value, "00000000000000000000000000000000");
  }
}

TEST(ConversationLinker, UnrelatedCallsStayConversationsOfOne) {
  const auto legs = keys_of({{"one", {"Session-ID: aaaa0000000000000000000000000001"}},
                             {"two", {"Session-ID: bbbb0000000000000000000000000002"}},
                             {"three", {}}});
  const ConversationSet set = link_conversations(legs);
  ASSERT_EQ(set.conversations.size(), 3u);
  for (const Conversation& c : set.conversations) {
    EXPECT_EQ(c.call_ids.size(), 1u);
    EXPECT_TRUE(c.links.empty());
  }
  EXPECT_NE(set.conversations[0].id, set.conversations[1].id);
  EXPECT_EQ(set.conversations[2].id.size(), 19u);  // "cv-" + 16 hex digits
}

TEST(ConversationLinker, TransitiveLinksAcrossKeyKinds) {
  // a-b by Session-ID, b-c by Ms-Conversation-ID, c-d by a header the rule set names.
  const auto legs = keys_of(
      {{"a", {"Session-ID: aaaa0000000000000000000000000001"}},
       {"b", {"Session-ID: aaaa0000000000000000000000000001", "Ms-Conversation-ID: AcX+12=="}},
       {"c", {"Ms-Conversation-ID: AcX+12==", "X-Corr: k1"}},
       {"d", {"x-corr: k1"}},
       {"e", {"X-CID: other"}}},
      "INVITE", {"X-Corr"});
  const ConversationSet set = link_conversations(legs);
  ASSERT_EQ(set.conversations.size(), 2u);
  EXPECT_EQ(set.conversations[0].call_ids, (std::vector<std::string>{"a", "b", "c", "d"}));
  std::vector<std::string> kinds;
  for (const ConversationLink& l : set.conversations[0].links) kinds.push_back(l.key.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"ms-conversation-id", "session-id", "x-corr"}));
  // Stable: the same calls in another order give the same id.
  std::vector<CallKeys> reversed(legs.rbegin(), legs.rend());
  const ConversationSet again = link_conversations(reversed);
  EXPECT_EQ(again.of("a")->id, set.of("a")->id);
}

TEST(ConversationLinker, OverSharedKeyIsRefusedAndReported) {
  std::vector<std::pair<std::string, std::vector<std::string>>> calls;
  for (int i = 0; i < 20; ++i)
    calls.push_back({"call-" + std::to_string(i), {"X-Call-ID: constant"}});
  calls[0].second.push_back("Session-ID: aaaa0000000000000000000000000001");
  calls[1].second.push_back("Session-ID: aaaa0000000000000000000000000001");
  const ConversationSet set = link_conversations(keys_of(calls));
  EXPECT_EQ(set.conversations.size(), 19u);  // only call-0 and call-1 are tied
  EXPECT_EQ(set.of("call-0"), set.of("call-1"));
  ASSERT_EQ(set.notes.size(), 1u);
  EXPECT_NE(set.notes[0].find("x-call-id=constant is carried by 20 calls"), std::string::npos)
      << set.notes[0];
}

TEST(ConversationLinker, PresenceAndRegistrationDialogsGlueNothing) {
  for (const char* method : {"SUBSCRIBE", "REGISTER", "OPTIONS", "NOTIFY", "PUBLISH"}) {
    // Their keys are not even gathered...
    const auto gathered = keys_of({{"p0", {"Ms-Conversation-ID: same"}}}, method);
    EXPECT_TRUE(gathered[0].keys.empty()) << method;
    // ...and keys given anyway tie nothing.
    const LinkKey same{"ms-conversation-id", "same"};
    std::vector<CallKeys> legs(3);
    legs[0].call_id = "p1";
    legs[1].call_id = "p2";
    legs[2].call_id = "call";
    legs[0].method = legs[1].method = method;
    legs[2].method = "INVITE";
    for (CallKeys& l : legs) l.keys = {same};
    const ConversationSet set = link_conversations(legs);
    EXPECT_EQ(set.conversations.size(), 3u) << method;
  }
}

TEST(ConversationLinker, ExpresswaySummaryAndEventTagsAreKeys) {
  std::vector<Event> events(2);
  events[0].kind = EventKind::Sip;
  events[0].sip = SipMessage();
  events[0].fields = {{"local_sessionid", "00000000000000000000000000000000"},
                      {"remote_sessionid", "C6A7E32D00255000A0000988EFD00000"}};
  events[1].kind = EventKind::CallEvent;
  events[1].fields = {{"tag", "EA969993-c4a8-48a3-83fb-ba427f0622a4"}};
  Call c;
  c.call_id = "x";
  c.method = "INVITE";
  c.events = {0, 1};
  const CallKeys k = call_link_keys(c, [&](size_t i) -> const Event& { return events[i]; });
  EXPECT_EQ(k.keys, (std::vector<LinkKey>{{"session-id", "c6a7e32d00255000a0000988efd00000"},
                                          {"x-taatag", "ea969993-c4a8-48a3-83fb-ba427f0622a4"}}));
}

TEST(ConversationLinker, RuleSetNamesExtraLinkHeaders) {
  RuleSet set = RuleSet::from_text("rules/links.yaml",
                                   "conversation_link_headers: [X-Corr-ID, P-Correlation]\n");
  set.add_text("rules/bad.yaml", "conversation_link_headers: X-Not-A-List\n");
  EXPECT_EQ(set.conversation_link_headers(),
            (std::vector<std::string>{"X-Corr-ID", "P-Correlation"}));
  ASSERT_EQ(set.errors().size(), 1u);
  EXPECT_NE(set.errors()[0].message.find("expected a list of header names"), std::string::npos);
  // The embedded rules still load beside it, and the named header ties two legs.
  const auto legs = keys_of({{"a", {"x-corr-id: 77"}}, {"b", {"X-Corr-ID:  77 "}}}, "INVITE",
                            set.conversation_link_headers());
  const ConversationSet linked = link_conversations(legs);
  ASSERT_EQ(linked.conversations.size(), 1u);
  EXPECT_EQ(linked.conversations[0].links[0].key.kind, "x-corr-id");
}

TEST(ConversationLinker, RealExpresswayLogTiesJabberAndCucmLegs) {
  FEDTRIAGE_REFERENCE_LOG_OR_SKIP(path, "expressway-e_mra_x8.11.txt");
  testing::CollectingProblems problems;
  IngestResult read = read_in_memory({path}, IngestOptions{}, problems);
  Analysis a;
  a.events = std::move(read.events);
  explain(a, RuleSet::embedded());
  const std::string jabber = "e7e75ff9a67fb2435b25eab2a1498171";
  const std::string cucm = "22794c00-a4a17661-3a-6936510a@10.81.54.105";
  const Conversation* c = a.conversations.of(jabber);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->call_ids, (std::vector<std::string>{jabber, cucm}));
  EXPECT_EQ(a.conversations.of(cucm), c);
  bool by_session_id = false;
  for (const ConversationLink& l : c->links) {
    by_session_id |=
        l.key.kind == "session-id" && l.key.value == "c6a7e32d00255000a0000988efd00000";
  }
  EXPECT_TRUE(by_session_id);
}

TEST(ConversationSet, FindsTheConversationOfEveryCallAndNoneOfAnUnknownOne) {
  // Many calls, pairs of them tied by a shared X-CID: every call is found, in its pair's
  // conversation, also in a copy of the set; an unknown Call-ID has none.
  std::vector<std::pair<std::string, std::vector<std::string>>> calls;
  for (int i = 0; i < 2000; ++i) {
    calls.push_back({"call-" + std::to_string(i) + "@10.0.0." + std::to_string(i % 7),
                     {"X-CID: cid-" + std::to_string(i / 2)}});
  }
  const ConversationSet set = link_conversations(keys_of(calls));
  ASSERT_EQ(set.conversations.size(), 1000u);
  const ConversationSet copy = set;
  for (size_t i = 0; i < calls.size(); ++i) {
    const Conversation* c = set.of(calls[i].first);
    ASSERT_NE(c, nullptr) << calls[i].first;
    EXPECT_EQ(c, &set.conversations[i / 2]);
    EXPECT_EQ(copy.of(calls[i].first), &copy.conversations[i / 2]);
  }
  EXPECT_EQ(set.of("call-2000@10.0.0.1"), nullptr);
  EXPECT_EQ(set.of(""), nullptr);
  EXPECT_EQ(ConversationSet().of("call-0@10.0.0.0"), nullptr);
}

}  // namespace
}  // namespace fedtriage
