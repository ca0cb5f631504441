// Specifies platform/certificate_pdf_cairo.
// The certificate PDF renderer: a one-page PDF with the CJK font embedded; bad QR text is an error.
// (Text extraction and QR decoding of the rasterized page are checked in tests/integration.)
#include <doctest/doctest.h>

#include <string>

#include "platform/printer.hpp"

using namespace shelter;

TEST_CASE("certificate pdf: one A4 page with the Japanese font embedded") {
  platform::CertificatePage page;
  page.claims.type = core::CertType::kHinan;
  page.claims.serial = "K001-000001";
  page.claims.head_name = "山田 太郎";
  page.claims.shelter_name = "千代田区立麹町小学校";
  page.claims.stay_from = 20250810;
  page.claims.certified_on = 20250820;
  page.jdv1 = "JDV1:" + std::string(200, 'A');
  for (int i = 0; i < 2; ++i) REQUIRE(platform::RenderCertificatePdf(page).ok());
  auto pdf = platform::RenderCertificatePdf(page);
  REQUIRE_MESSAGE(pdf.ok(), pdf.error().ToString());
  std::string s(pdf->begin(), pdf->end());
  CHECK(s.rfind("%PDF-", 0) == 0);
  CHECK(s.find("/MediaBox [ 0 0 595.28") != std::string::npos);
  CHECK(s.find("NotoSansCJK") != std::string::npos);
  CHECK(s.find("/ToUnicode") != std::string::npos);

  page.jdv1 = std::string(8000, '7');  // does not fit a QR code
  auto bad = platform::RenderCertificatePdf(page);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == core::ErrorCode::kInvalidArgument);
  platform::ReleaseRenderCaches();  // last renderer in this binary: leave no cache for
                                    // LeakSanitizer
}
