// JSR1 parts: a report cut into SMS parts joins back from any order and duplicates; a missing,
// foreign, tampered, truncated or oversized part is refused with an error that says which.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "core/formats/report_parts.hpp"
#include "core/formats/status_report.hpp"
#include "core/ops/households.hpp"
#include "core/ops/registration.hpp"
#include "core/ops/status_summary.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

// A signed report of a shelter with a few people and needs: a realistic length.
std::string ReportText(Node& tab, const Id16& shelter, int64_t as_of = 1782864000) {
  Household h;
  for (const char* dob : {"1950-01-01", "1984-05-05", "2023-02-02", "2012-03-03"}) {
    Person p;
    p.kana = "てすと";
    p.dob = dob;
    p.sex = "female";
    p.needs = {"ELD", "INF"};
    h.members.push_back(p);
  }
  REQUIRE(RegisterHousehold(tab, h, shelter, true).ok());
  auto r = Summarize(tab, shelter, as_of);
  REQUIRE(r.ok());
  auto text = EncodeStatusReport(*r, [&tab](ByteView m) { return tab.SignAsDevice(m); });
  REQUIRE(text.ok());
  return *text;
}

std::vector<std::string> Split(const std::string& text) {
  auto parts = SplitReportText(text);
  REQUIRE_MESSAGE(parts.ok(), parts.error().ToString());
  return *parts;
}

Error JoinError(const std::vector<std::string>& parts) {
  auto joined = JoinReportParts(parts);
  REQUIRE_FALSE(joined.ok());
  return joined.error();
}

}  // namespace

TEST_CASE("JSR1 parts: ASCII SMS of at most 160 characters that join in any order") {
  TestShelter t(1);
  std::string text = ReportText(t.tablet(0), t.shelter_id());
  auto parts = Split(text);
  CHECK(parts.size() >= 2);
  CHECK(parts.size() <= 3);
  for (size_t i = 0; i < parts.size(); ++i) {
    CAPTURE(parts[i]);
    CHECK(parts[i].size() <= kMaxReportPartChars);
    CHECK(parts[i].rfind("JSR1 " + std::to_string(i + 1) + "/" + std::to_string(parts.size()) + " ",
                         0) == 0);
    // Only GSM-7 basic characters that are ASCII too, and no space inside a chunk (a gateway
    // may trim or collapse one at a part's edge).
    for (char c : parts[i])
      CHECK(((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
             std::string_view(" $%*+-./:_").find(c) != std::string::npos));
    CHECK(parts[i].substr(16).find(' ') == std::string::npos);
  }
  std::vector<std::string> shuffled = parts;
  shuffled.push_back(parts[0]);  // a duplicate
  shuffled.push_back("");        // a blank line
  std::mt19937 rng(7);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto joined = JoinReportParts(shuffled);
    REQUIRE_MESSAGE(joined.ok(), joined.error().ToString());
    CHECK(*joined == text);
  }
  auto parsed = ParseStatusReport(*JoinReportParts(parts));
  REQUIRE(parsed.ok());
  CHECK(VerifyStatusReport(*parsed, t.tablet(0).device()).ok());

  SUBCASE("a message pasted with CRLF, indentation and blank lines") {
    std::string message = "\r\n";
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) message += "  " + *it + " \r\n\r\n";
    auto from = ReportTextFromMessage(message);
    REQUIRE_MESSAGE(from.ok(), from.error().ToString());
    CHECK(*from == text);
  }
  SUBCASE("the whole text, split by a gateway, passes through to the report parser") {
    std::string message = text.substr(0, 100) + "\n" + text.substr(100) + "\n";
    auto from = ReportTextFromMessage(message);
    REQUIRE(from.ok());
    auto p = ParseStatusReport(*from);
    CHECK(p.ok());
  }
}

TEST_CASE("JSR1 parts: a missing part is named") {
  TestShelter t(1);
  auto parts = Split(ReportText(t.tablet(0), t.shelter_id()));
  REQUIRE(parts.size() >= 2);
  Error e = JoinError({parts.back()});
  CHECK(e.code == ErrorCode::kNotFound);
  std::string n = std::to_string(parts.size());
  if (parts.size() == 2)
    CHECK(e.detail == "part 1 of 2 is missing");
  else
    CHECK(e.detail == "parts 1, 2 of " + n + " are missing");
  std::vector<std::string> without_first(parts.begin() + 1, parts.end());
  CHECK(JoinError(without_first).detail == "part 1 of " + n + " is missing");
  CHECK(JoinError({}).code == ErrorCode::kParse);
}

TEST_CASE("JSR1 parts: a part of another report is refused") {
  TestShelter t(1);
  auto a = Split(ReportText(t.tablet(0), t.shelter_id(), 1782864000));
  auto b = Split(ReportText(t.tablet(0), t.shelter_id(), 1782864600));  // ten minutes later
  std::vector<std::string> mixed = a;
  mixed[1] = b[1];
  Error e = JoinError(mixed);
  CHECK(e.code == ErrorCode::kInvalidArgument);
  CHECK(e.detail.find("from another report") != std::string::npos);
  CHECK(e.detail.find("line 2") != std::string::npos);
}

TEST_CASE("JSR1 parts: tampered, truncated and malformed parts are refused") {
  TestShelter t(1);
  std::string text = ReportText(t.tablet(0), t.shelter_id());
  auto parts = Split(text);
  SUBCASE("one character changed") {
    auto changed = parts;
    char& c = changed[0][40];
    c = c == 'A' ? 'B' : 'A';
    Error e = JoinError(changed);
    CHECK(e.code == ErrorCode::kParse);
    CHECK(e.detail.find("do not match their report tag") != std::string::npos);
    // Given next to the true part, the change is named as such.
    changed.push_back(parts[0]);
    CHECK(JoinError(changed).detail.find("given twice with different texts") != std::string::npos);
  }
  SUBCASE("a part cut short") {
    auto cut = parts;
    cut[0].resize(cut[0].size() - 10);
    CHECK(JoinError(cut).code == ErrorCode::kParse);
    cut[0] = cut[0].substr(0, 16);  // the header alone
    CHECK(JoinError(cut).code == ErrorCode::kParse);
  }
  SUBCASE("the header") {
    auto bad = [&](std::string part) {
      auto p = parts;
      p[0] = std::move(part);
      return JoinError(p);
    };
    std::string body = parts[0].substr(16);
    CHECK(bad("JSR1 0/3 " + parts[0].substr(9)).code == ErrorCode::kParse);
    CHECK(bad("JSR1 4/3 " + parts[0].substr(9)).detail.find("beyond") != std::string::npos);
    CHECK(bad("JSR1 10/12 ABCDEF " + body).code == ErrorCode::kParse);
    CHECK(bad("JSR1 1/3 abcdef " + body).detail.find("6 hex digits") != std::string::npos);
    CHECK(bad("JSR2 1/3 ABCDEF " + body).code == ErrorCode::kParse);
    std::string head = parts[0].substr(0, parts[0].size() - 3);
    CHECK(bad(head + "\xE3\x81\x82").detail.find("not in a JSR1 report") != std::string::npos);
    CHECK(bad(head + "abc").detail.find("not in a JSR1 report") != std::string::npos);
  }
}

TEST_CASE("JSR1 parts: oversized input is refused before it is joined") {
  TestShelter t(1);
  auto parts = Split(ReportText(t.tablet(0), t.shelter_id()));
  auto longer = parts;
  longer[0] += std::string(kMaxReportPartChars, 'A');
  CHECK(JoinError(longer).detail.find("longer than 160") != std::string::npos);
  std::vector<std::string> flood(kMaxReportPartLines + 1, parts[0]);
  CHECK(JoinError(flood).code == ErrorCode::kParse);
  std::string message;
  for (size_t i = 0; i <= kMaxReportPartLines; ++i) message += parts[0] + "\n";
  CHECK_FALSE(ReportTextFromMessage(message).ok());
  CHECK_FALSE(ReportTextFromMessage(std::string(70'000, 'A')).ok());
  // A text that would need more than nine parts is not split (a report is ~350 characters).
  CHECK(SplitReportText("JSR1:" + std::string(9 * 144, 'A')).error().code ==
        ErrorCode::kInvalidArgument);
  CHECK(SplitReportText("JSR1:AB\nCD").error().code == ErrorCode::kInvalidArgument);
  CHECK(SplitReportText("JSP1:ABCD").error().code == ErrorCode::kInvalidArgument);
}
