// Specifies sync/hq/hq_reports.
// Bad JSR1 input at HQ stays bounded: an image too large is refused from its header, and a
// report dated ahead of HQ's clock is refused instead of blocking every later one.
#include <doctest/doctest.h>

#include <fstream>

#include "core/formats/status_report.hpp"
#include "core/ops/households.hpp"
#include "core/ops/status_summary.hpp"
#include "tests/hq/hq_fixture.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;
using namespace shelter::test;

TEST_CASE("HQ: a 20000x20000 report image is refused from its header, never decoded") {
  test::TestShelter t(0);
  std::string path = t.root() + "/huge.pgm";
  {
    std::ofstream f(path, std::ios::binary);
    f << "P5\n20000 20000\n255\n" << std::string(4096, '\xff');
  }
  auto found = ReadReportImage(path);
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("HQ: a JSR1 report dated ahead of HQ's clock is refused and blocks no later report") {
  test::TestShelter t(1);
  auto& tab = t.tablet(0);
  REQUIRE(RegisterHousehold(tab, Family(), t.shelter_id(), true).ok());
  Hq hq(t);
  SqlConn& db = hq.node->store().db();
  auto signer = [&](ByteView m) { return tab.SignAsDevice(m); };
  auto& devices = hq.node->node().known_devices();
  const int64_t now_s = kNowMs / 1000;
  auto future = Summarize(tab, t.shelter_id(), 4'102'444'800);  // 2100-01-01
  REQUIRE(future.ok());
  auto r = IngestReport(db, *EncodeStatusReport(*future, signer), devices, kNowMs);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kInvalidArgument);
  CHECK(r.error().detail.find("ahead of this HQ's clock") != std::string::npos);
  auto soon = Summarize(tab, t.shelter_id(), now_s + kMaxReportAheadS + 1);
  REQUIRE(soon.ok());
  CHECK_FALSE(IngestReport(db, *EncodeStatusReport(*soon, signer), devices, kNowMs).ok());
  // A tablet clock a few minutes fast is fine, and the true report of now is taken.
  auto fast = Summarize(tab, t.shelter_id(), now_s + kMaxReportAheadS);
  REQUIRE(fast.ok());
  r = IngestReport(db, *EncodeStatusReport(*fast, signer), devices, kNowMs);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->outcome == ReportOutcome::kAccepted);
  auto c = Summarize(db);
  REQUIRE(c.ok());
  CHECK(c->total.in_shelter == 3);
}
