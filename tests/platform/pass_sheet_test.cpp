// Specifies platform/pass_sheet (pass_sheet_cairo).
// Pass sheets: every code decodes back from the printed page image, captions are drawn, and a
// large household spills onto a second page.
#include "platform/pass_sheet.hpp"
#include "platform/printer.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/codec/qr_code.hpp"

using namespace shelter;

namespace {

// Font caches live for the process; free them at exit so the leak checker sees none.
struct ReleaseCachesAtExit {
  ~ReleaseCachesAtExit() { platform::ReleaseRenderCaches(); }
} release_caches_at_exit;

std::string Payload(int i) { return "JSP1:" + std::string(150, char('A' + i)) + std::to_string(i); }

std::vector<std::string> SortedTexts(const core::GrayImage& page) {
  std::vector<std::string> out;
  for (auto& r : core::DecodeQr(page.view())) out.push_back(r.text);
  std::sort(out.begin(), out.end());
  return out;
}

// Ink pixels in a band of rows (the caption area of the first row of passes).
size_t InkIn(const core::GrayImage& page, int y0, int y1, int x0, int x1) {
  size_t n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) n += page.pixels[size_t(y) * page.width + x] < 128;
  return n;
}

}  // namespace

TEST_CASE("pass sheet: four passes on one A4 page at 300 dpi decode back exactly") {
  std::vector<platform::PassEntry> passes;
  for (int i = 0; i < 4; ++i) passes.push_back({Payload(i), i == 0 ? "山田 太郎" : ""});
  platform::PassSheetOptions opt;
  opt.label = "千代田区立麹町小学校";
  auto pages = platform::RenderPassSheet(passes, opt);
  REQUIRE(pages.ok());
  REQUIRE(pages->size() == 1);
  const core::GrayImage& page = (*pages)[0];
  CHECK(page.width == 2480);
  CHECK(page.height == 3508);
  std::vector<std::string> want;
  for (auto& p : passes) want.push_back(p.text);
  std::sort(want.begin(), want.end());
  CHECK(SortedTexts(page) == want);
  // The caption band under the first pass (with a name) holds more ink than under the second.
  const int mm12 = 142, cell_h = (3508 - 2 * mm12) / 4, band0 = mm12 + cell_h - 189;
  size_t with_name = InkIn(page, band0, mm12 + cell_h - 5, mm12 + 5, 1240 - 5);
  size_t without = InkIn(page, band0, mm12 + cell_h - 5, 1240 + 5, 2480 - mm12 - 5);
  CHECK(without > 500);  // "2/4  千代田区立麹町小学校"
  CHECK(with_name > without + 500);
}

TEST_CASE("pass sheet: nine passes spill onto a second page, bad input is refused") {
  std::vector<platform::PassEntry> passes;
  for (int i = 0; i < 9; ++i) passes.push_back({Payload(i), ""});
  auto pages = platform::RenderPassSheet(passes, {});
  REQUIRE(pages.ok());
  REQUIRE(pages->size() == 2);
  CHECK(SortedTexts((*pages)[1]) == std::vector<std::string>{passes[8].text});
  CHECK(SortedTexts((*pages)[0]).size() == 8);

  CHECK_FALSE(platform::RenderPassSheet({}, {}).ok());
  platform::PassSheetOptions low;
  low.dpi = 10;
  CHECK_FALSE(platform::RenderPassSheet(passes, low).ok());
  auto huge = platform::RenderPassSheet({{std::string(2900, 'x'), ""}}, {});
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code == core::ErrorCode::kInvalidArgument);
}

TEST_CASE("pass sheet PDF: one A4 page per rendered page, bad input is refused") {
  std::vector<platform::PassEntry> passes;
  for (int i = 0; i < 9; ++i) passes.push_back({Payload(i), ""});
  platform::PassSheetOptions options;
  options.dpi = 150;
  auto pages = platform::RenderPassSheet(passes, options);
  REQUIRE(pages.ok());
  auto pdf = platform::PassSheetPdf(*pages, options.dpi);
  REQUIRE(pdf.ok());
  std::string text(pdf->begin(), pdf->end());
  CHECK(text.rfind("%PDF-", 0) == 0);
  size_t page_objects = 0;
  for (size_t at = text.find("/Type /Page"); at != std::string::npos;
       at = text.find("/Type /Page", at + 1))
    page_objects += text.compare(at, 12, "/Type /Pages") != 0;
  CHECK(page_objects == 2);
  CHECK(text.find("/MediaBox [ 0 0 595.") != std::string::npos);  // A4 in points

  CHECK_FALSE(platform::PassSheetPdf({}, 300).ok());
  CHECK_FALSE(platform::PassSheetPdf(*pages, 10).ok());
}
