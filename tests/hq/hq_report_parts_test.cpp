// Specifies sync/hq/hq_reports with the channels a shelter has when only a phone works: the SMS
// parts of a report (core/formats/report_parts) joined in any order and a photo of the tablet's
// report screen. Forged, replayed and future-dated reports sent as parts are refused or counted
// once, exactly as their text would be.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/codec/image_io.hpp"
#include "core/formats/report_parts.hpp"
#include "core/formats/status_report.hpp"
#include "core/ops/households.hpp"
#include "core/ops/status_report_build.hpp"
#include "core/ops/status_summary.hpp"
#include "tests/hq/hq_fixture.hpp"
#include "tools/fixtures/image_transforms.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;
using namespace shelter::test;

namespace {

std::vector<std::string> PartsOf(const StatusReport& r, Node& tab) {
  auto text = EncodeStatusReport(r, [&tab](ByteView m) { return tab.SignAsDevice(m); });
  REQUIRE(text.ok());
  auto parts = SplitReportText(*text);
  REQUIRE(parts.ok());
  std::reverse(parts->begin(), parts->end());  // SMS arrive in any order
  return *parts;
}

Result<ReportResult> IngestParts(Hq& hq, const std::vector<std::string>& parts, int64_t now_ms) {
  SHELTER_ASSIGN_OR_RETURN(std::string text, JoinReportParts(parts));
  return IngestReport(hq.node->store().db(), text, hq.node->node().known_devices(), now_ms);
}

int64_t InShelter(Hq& hq) {
  auto c = Summarize(hq.node->store().db());
  REQUIRE(c.ok());
  return c->total.in_shelter;
}

}  // namespace

TEST_CASE("HQ: a report's SMS parts, forged, replayed and future-dated") {
  test::TestShelter t(1);
  auto& tab = t.tablet(0);
  REQUIRE(RegisterHousehold(tab, Family(), t.shelter_id(), true).ok());
  Hq hq(t);
  const int64_t now_s = kNowMs / 1000;
  auto report = core::Summarize(tab, t.shelter_id(), now_s);
  REQUIRE(report.ok());
  auto parts = PartsOf(*report, tab);

  auto r = IngestParts(hq, parts, kNowMs);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->outcome == ReportOutcome::kAccepted);
  CHECK(InShelter(hq) == 3);

  SUBCASE("replayed: the same parts again count once; an older report's parts stay out") {
    r = IngestParts(hq, parts, kNowMs + 1000);
    REQUIRE(r.ok());
    CHECK(r->outcome == ReportOutcome::kDuplicate);
    StatusReport older = *report;
    older.as_of_s -= 600;
    older.in_shelter = 2;
    older.households = 1;
    older.male = 1;
    older.female = 1;
    older.ages = {1, 0, 0, 1, 0, 0};
    older.needs = {{"INF", 1}};
    r = IngestParts(hq, PartsOf(older, tab), kNowMs + 2000);
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    CHECK(r->outcome == ReportOutcome::kOlder);
    CHECK(InShelter(hq) == 3);
  }
  SUBCASE("forged: parts made from a report signed by another key join, and are refused") {
    StatusReport inflated = *report;
    inflated.as_of_s += 60;
    inflated.in_shelter = 3000;
    auto text = EncodeStatusReport(inflated, [](ByteView m) -> Result<crypto::Signature> {
      return crypto::Sign(crypto::GenerateSignKeyPair().sk, m);
    });
    REQUIRE(text.ok());
    auto forged = SplitReportText(*text);
    REQUIRE(forged.ok());
    r = IngestParts(hq, *forged, kNowMs + 1000);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kCrypto);
    CHECK(InShelter(hq) == 3);
  }
  SUBCASE("tampered: a part whose digits were changed never reaches the store") {
    auto changed = parts;
    char& c = changed[0].back();
    c = c == '0' ? '1' : '0';
    CHECK_FALSE(IngestParts(hq, changed, kNowMs + 1000).ok());
    CHECK(InShelter(hq) == 3);
  }
  SUBCASE("future-dated: parts of a report from 2100 are refused") {
    auto future = core::Summarize(tab, t.shelter_id(), 4'102'444'800);
    REQUIRE(future.ok());
    r = IngestParts(hq, PartsOf(*future, tab), kNowMs + 1000);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
    CHECK(r.error().detail.find("ahead of this HQ's clock") != std::string::npos);
  }
}

// The report screen as a phone photographs it from about a metre: the code drawn at the screen's
// module size (10 px on a 1280x800 tablet) beside text, then tilted and shrunk into a camera
// frame, blurred, unevenly lit, noisy and JPEG-compressed.
TEST_CASE("HQ: a photo of the tablet's report screen is ingested with the tablet's counts") {
  test::TestShelter t(1);
  auto& tab = t.tablet(0);
  REQUIRE(RegisterHousehold(tab, Family(), t.shelter_id(), true).ok());
  auto built = BuildStatusReport(tab, t.shelter_id());
  REQUIRE_MESSAGE(built.ok(), built.error().ToString());
  GrayImage screen = Canvas(1280, 800, 235);
  GrayImage qr = RenderQr(built->qr, 10);
  Point2 at[4] = {{230.0, 80.0},
                  {230.0 + qr.width, 80.0},
                  {230.0 + qr.width, 80.0 + qr.height},
                  {230.0, 80.0 + qr.height}};
  PlaceQuad(screen, qr, at, 1);
  GrayImage photo = Canvas(1600, 1200, 90);
  Point2 quad[4] = {{400, 330}, {1250, 290}, {1290, 860}, {370, 910}};  // tilted, in perspective
  PlaceQuad(photo, screen, quad);
  GaussianBlur(photo, 1.2);
  LightingGradient(photo, 1.1, 0.75);
  AddNoise(photo, 6, 42);
  photo = JpegRoundTrip(photo, 80);
  std::string path = t.root() + "/photo.png";
  REQUIRE(WritePngFile(path, photo.view()).ok());

  Hq hq(t);
  auto found = ReadReportImage(path);
  REQUIRE_MESSAGE(found.ok(), found.error().ToString());
  REQUIRE(found->size() == 1);
  CHECK(found->front() == built->text);
  auto r = IngestReport(hq.node->store().db(), found->front(), hq.node->node().known_devices(),
                        tab.NowMs());
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  auto c = tab.state().Counts(t.shelter_id());
  REQUIRE(c.ok());
  CHECK(InShelter(hq) == c->in_shelter);
}
