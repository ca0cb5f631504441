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
}

// The text column beside the first pass's code (mm from the page's corner: x 73..101, y 12..80).
size_t TextColumnInk(const core::GrayImage& page, double dpi) {
  const double u = dpi / 25.4;
  return InkIn(page, int(14 * u), int(78 * u), int(70 * u), int(100 * u));
}

TEST_CASE(
    "pass sheet: name, kana, birth date, shelter and issue date are printed beside the code") {
  core::Person person;
  person.name = "山田 太郎";
  person.kana = "ヤマダ タロウ";
  person.dob = "1980-04-01";
  auto full = platform::PassEntryFor(Payload(0), person, "千代田区立麹町小学校", "2026-12-04");
  CHECK(full.kana == "ヤマダ タロウ");
  CHECK(full.birth == "1980-04-01");
  platform::PassEntry bare{Payload(0), ""};
  auto with = platform::RenderPassSheet({full}, {});
  auto without = platform::RenderPassSheet({bare}, {});
  REQUIRE(with.ok());
  REQUIRE(without.ok());
  const size_t ink_with = TextColumnInk((*with)[0], 300),
               ink_without = TextColumnInk((*without)[0], 300);
  // Five lines of text and three labels against "1/1" alone.
  CHECK(ink_with > ink_without + 10000);  // measured: 17,459 against 328
  CHECK(SortedTexts((*with)[0]) == std::vector<std::string>{full.text});
  // A person with the kana only prints it as the name.
  core::Person kana_only;
  kana_only.kana = "スズキ ハナ";
  auto k = platform::PassEntryFor("JSP1:X", kana_only, "", "");
  CHECK(k.name == "スズキ ハナ");
  CHECK(k.kana.empty());
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

TEST_CASE("pass sheet: a text its code would break is refused, naming the pass") {
  std::vector<platform::PassEntry> passes = {{"JSP1:GOOD", ""}, {"JSP1:TWO\nLINES", ""}};
  auto r = platform::RenderPassSheet(passes, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == core::ErrorCode::kInvalidArgument);
  CHECK(r.error().detail.find("pass 2") != std::string::npos);
  CHECK(r.error().detail.find("control character") != std::string::npos);
  CHECK_FALSE(platform::PassSheetPdf(passes, {}).ok());
  CHECK(platform::PassTextProblem("JSP1:\xff\xfe") == "the text is not UTF-8");
  CHECK(platform::PassTextProblem("").size() > 0);
  CHECK(platform::PassTextProblem(std::string(platform::kMaxPassText + 1, 'A')).size() > 0);
  CHECK(platform::PassTextProblem("避難所 JSP1:ABC").empty());
  CHECK(platform::PassTextProblem("tab\there").size() > 0);
}

TEST_CASE("pass sheet PDF: one A4 page per eight passes, drawn as vectors, bad input is refused") {
  std::vector<platform::PassEntry> passes;
  for (int i = 0; i < 9; ++i) passes.push_back({Payload(i), ""});
  auto pdf = platform::PassSheetPdf(passes, {});
  REQUIRE(pdf.ok());
  std::string text(pdf->begin(), pdf->end());
  CHECK(text.rfind("%PDF-", 0) == 0);
  size_t page_objects = 0;
  for (size_t at = text.find("/Type /Page"); at != std::string::npos;
       at = text.find("/Type /Page", at + 1))
    page_objects += text.compare(at, 12, "/Type /Pages") != 0;
  CHECK(page_objects == 2);
  CHECK(text.find("/MediaBox [ 0 0 595.") != std::string::npos);  // A4 in points
  CHECK(text.find("/Subtype /Image") == std::string::npos);       // vectors, not a picture
  CHECK(pdf->size() < 200 * 1024);

  CHECK_FALSE(platform::PassSheetPdf({}, {}).ok());
}
