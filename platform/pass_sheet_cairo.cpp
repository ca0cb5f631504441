// Pass sheets drawn with cairo on an 8-bit alpha surface (ink = alpha), so a page costs one
// byte per pixel. QR modules are whole-pixel rectangles drawn without antialiasing, so the
// printed code is crisp; captions use cairo's text API with fontconfig choosing
// "Noto Sans CJK JP", which covers kana, kanji and Latin.
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "core/text/text_normalize.hpp"
#include "platform/pass_sheet.hpp"

namespace shelter::platform {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr const char* kFont = "Noto Sans CJK JP";

bool FontInstalled() {
  FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(kFont));
  if (!pattern) return false;
  FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pattern, &result);
  bool found = false;
  FcChar8* family = nullptr;
  for (int i = 0; match && FcPatternGetString(match, FC_FAMILY, i, &family) == FcResultMatch; ++i)
    if (std::string(reinterpret_cast<const char*>(family)) == kFont) found = true;
  if (match) FcPatternDestroy(match);
  FcPatternDestroy(pattern);
  return found;
}

struct SurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

// One line of text from (x, baseline), shrunk until it fits `max_width` (to 60 % of `size`),
// then clipped to it: a long shelter name never runs into the next pass.
void LineText(cairo_t* cr, const std::string& text, double x, double baseline, double size,
              double max_width, bool bold) {
  if (text.empty()) return;
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_text_extents_t ext;
  for (double s = size;; s *= 0.92) {
    cairo_set_font_size(cr, s);
    cairo_text_extents(cr, text.c_str(), &ext);
    if (ext.x_advance <= max_width || s < size * 0.6) break;
  }
  cairo_save(cr);
  cairo_rectangle(cr, x, baseline - size * 1.2, max_width, size * 1.5);
  cairo_clip(cr);
  cairo_move_to(cr, x, baseline);
  cairo_show_text(cr, text.c_str());
  cairo_restore(cr);
}

// "1980-04-01" -> "1980年4月1日"; anything else as it is (a partial date stays readable).
std::string JapaneseDate(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (iso.size() == 10 && std::sscanf(iso.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
      m >= 1 && m <= 12 && d >= 1 && d <= 31)
    return std::to_string(y) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
  return iso;
}

cairo_status_t AppendPdfBytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<core::Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

// The page geometry in millimetres: A4, 2 × 4 cells, the code on the left of each cell.
constexpr double kPageW = 210, kPageH = 297, kMargin = 12, kPad = 4, kGap = 3;
constexpr double kCellW = (kPageW - 2 * kMargin) / 2, kCellH = (kPageH - 2 * kMargin) / 4;
constexpr double kQrBox = kCellW * 0.56;  // 52 mm, quiet zone included
constexpr double kMinModuleMm = 0.25;     // 3 printer dots at 300 dpi
constexpr int kQuiet = 4;

// Checks every text, encodes it and reads the code back: the symbols, or the first refusal.
core::Result<std::vector<core::QrSymbol>> PrepareCodes(const std::vector<PassEntry>& passes,
                                                       const PassSheetOptions& options) {
  if (passes.empty()) return MakeError(ErrorCode::kInvalidArgument, "no passes to print");
  if (!FontInstalled())
    return MakeError(ErrorCode::kNotFound,
                     std::string("font '") + kFont + "' is not installed (package fonts-noto-cjk)");
  std::vector<core::QrSymbol> symbols;
  for (size_t i = 0; i < passes.size(); ++i) {
    const std::string which = "pass " + std::to_string(i + 1);
    if (std::string problem = PassTextProblem(passes[i].text); !problem.empty())
      return MakeError(ErrorCode::kInvalidArgument, which + ": " + problem);
    auto symbol = core::EncodeQr(passes[i].text, options.ecc);
    if (!symbol.ok())
      return MakeError(ErrorCode::kInvalidArgument, which + " does not fit a QR code");
    if (kQrBox / (symbol->size + 2 * kQuiet) < kMinModuleMm)
      return MakeError(ErrorCode::kInvalidArgument, which + " is too large to print on a pass");
    // Read back as a scanner would: what the code holds must be the text, byte for byte.
    core::GrayImage probe = core::RenderQr(*symbol, 3, kQuiet);
    bool same = false;
    for (const auto& r : core::DecodeQr(probe.view())) same = same || r.text == passes[i].text;
    if (!same)
      return MakeError(ErrorCode::kInvalidArgument,
                       which + ": its QR code would not read back as the same text");
    symbols.push_back(std::move(*symbol));
  }
  return symbols;
}

// Draws the passes [first, first + kPassesPerPage) of one page. `u` is device units per mm;
// with `whole_pixels` (an image) every module is a whole number of pixels, `min_module` or more.
core::Status DrawPage(cairo_t* c, const std::vector<PassEntry>& passes,
                      const std::vector<core::QrSymbol>& symbols, int first,
                      const PassSheetOptions& options, double u, bool whole_pixels) {
  const int total = int(passes.size());
  cairo_set_source_rgba(c, 0, 0, 0, 1);
  for (int i = first; i < std::min(total, first + kPassesPerPage); ++i) {
    const int slot = i - first;
    const double x0 = (kMargin + (slot % 2) * kCellW) * u, y0 = (kMargin + (slot / 2) * kCellH) * u;
    const double dash[] = {3 * u, 2 * u};
    cairo_set_dash(c, dash, 2, 0);
    cairo_set_line_width(c, std::max(whole_pixels ? 1.0 : 0.0, 0.2 * u));
    cairo_set_source_rgba(c, 0, 0, 0, 0.5);
    cairo_rectangle(c, x0, y0, kCellW * u, kCellH * u);
    cairo_stroke(c);
    cairo_set_dash(c, nullptr, 0, 0);
    cairo_set_source_rgba(c, 0, 0, 0, 1);

    const core::QrSymbol& symbol = symbols[size_t(i)];
    const int modules = symbol.size + 2 * kQuiet;
    double module = kQrBox * u / modules;
    if (whole_pixels) {
      module = std::floor(module);
      if (module < 2)
        return MakeError(ErrorCode::kInvalidArgument,
                         "pass " + std::to_string(i + 1) + " is too large to print at this dpi");
    }
    const double side = module * modules;
    double qx = x0 + kPad * u + kQuiet * module,
           qy = y0 + (kCellH * u - side) / 2 + kQuiet * module;
    if (whole_pixels) qx = std::floor(qx), qy = std::floor(qy);
    cairo_set_antialias(c, CAIRO_ANTIALIAS_NONE);
    for (int y = 0; y < symbol.size; ++y)
      for (int x = 0; x < symbol.size; ++x)
        if (symbol.Dark(x, y)) cairo_rectangle(c, qx + x * module, qy + y * module, module, module);
    cairo_fill(c);
    cairo_set_antialias(c, CAIRO_ANTIALIAS_DEFAULT);

    // The text column beside the code.
    const PassEntry& p = passes[size_t(i)];
    const double tx = x0 + (kPad + kQrBox + kGap) * u, tw = x0 + (kCellW - kPad) * u - tx;
    double y = y0 + (kPad + 5) * u;
    LineText(c, p.name, tx, y, 4.6 * u, tw, true);
    y += 5 * u;
    LineText(c, p.kana, tx, y, 3.0 * u, tw, false);
    const std::pair<const char*, std::string> fields[] = {
        {"生年月日", JapaneseDate(p.birth)},
        {"避難所", p.shelter},
        {"発行日", JapaneseDate(p.issued)},
    };
    for (const auto& [label, value] : fields) {
      if (value.empty()) continue;
      y += 5.5 * u;
      LineText(c, label, tx, y, 2.6 * u, tw, false);
      y += 4.2 * u;
      LineText(c, value, tx, y, 3.4 * u, tw, false);
    }
    const double bottom = y0 + (kCellH - kPad) * u;
    LineText(c, std::to_string(i + 1) + "/" + std::to_string(total), tx, bottom - 4.2 * u, 3.0 * u,
             tw, false);
    LineText(c, options.label, tx, bottom, 3.0 * u, tw, false);
  }
  return core::Ok();
}

}  // namespace

PassEntry PassEntryFor(std::string text, const core::Person& person, std::string shelter,
                       std::string issued_iso) {
  PassEntry e;
  e.text = std::move(text);
  e.name = person.name.empty() ? person.kana : person.name;
  if (!person.name.empty()) e.kana = person.kana;
  e.birth = person.dob;
  e.shelter = std::move(shelter);
  e.issued = std::move(issued_iso);
  return e;
}

std::string PassTextProblem(std::string_view text) {
  if (text.empty()) return "the text is empty";
  if (text.size() > kMaxPassText)
    return "the text is over " + std::to_string(kMaxPassText) + " bytes";
  if (!core::IsValidUtf8(text)) return "the text is not UTF-8";
  for (unsigned char ch : text)
    if (ch < 0x20 || ch == 0x7f)
      return "the text holds a control character (a line break or tab would split it)";
  return "";
}

core::Result<std::vector<core::GrayImage>> RenderPassSheet(const std::vector<PassEntry>& passes,
                                                           const PassSheetOptions& options) {
  if (options.dpi < 72 || options.dpi > 1200)
    return MakeError(ErrorCode::kInvalidArgument, "dpi must be between 72 and 1200");
  SHELTER_ASSIGN_OR_RETURN(auto symbols, PrepareCodes(passes, options));
  const double u = options.dpi / 25.4;
  const int page_w = int(std::lround(kPageW * u)), page_h = int(std::lround(kPageH * u));
  std::vector<core::GrayImage> pages;
  for (int first = 0; first < int(passes.size()); first += kPassesPerPage) {
    std::unique_ptr<cairo_surface_t, SurfaceFree> surface(
        cairo_image_surface_create(CAIRO_FORMAT_A8, page_w, page_h));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      return MakeError(ErrorCode::kInternal, "cannot create the page surface");
    std::unique_ptr<cairo_t, ContextFree> cr(cairo_create(surface.get()));
    SHELTER_TRY(DrawPage(cr.get(), passes, symbols, first, options, u, true));
    cairo_surface_flush(surface.get());
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
      return MakeError(ErrorCode::kInternal, "cairo failed to draw the page");

    core::GrayImage page;
    page.width = page_w;
    page.height = page_h;
    page.pixels.resize(size_t(page_w) * page_h);
    const int stride = cairo_image_surface_get_stride(surface.get());
    const uint8_t* alpha = cairo_image_surface_get_data(surface.get());
    for (int y = 0; y < page_h; ++y)
      for (int x = 0; x < page_w; ++x)
        page.pixels[size_t(y) * page_w + x] = uint8_t(255 - alpha[size_t(y) * stride + x]);
    pages.push_back(std::move(page));
  }
  return pages;
}

core::Result<core::Bytes> PassSheetPdf(const std::vector<PassEntry>& passes,
                                       const PassSheetOptions& options) {
  SHELTER_ASSIGN_OR_RETURN(auto symbols, PrepareCodes(passes, options));
  const double u = 72 / 25.4;  // points per mm
  core::Bytes out;
  std::unique_ptr<cairo_surface_t, SurfaceFree> pdf(
      cairo_pdf_surface_create_for_stream(AppendPdfBytes, &out, kPageW * u, kPageH * u));
  cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_CREATOR, "shelterkit");
  std::unique_ptr<cairo_t, ContextFree> cr(cairo_create(pdf.get()));
  for (int first = 0; first < int(passes.size()); first += kPassesPerPage) {
    SHELTER_TRY(DrawPage(cr.get(), passes, symbols, first, options, u, false));
    cairo_show_page(cr.get());
  }
  cairo_status_t st = cairo_status(cr.get());
  cr.reset();
  cairo_surface_finish(pdf.get());
  if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(pdf.get());
  if (st != CAIRO_STATUS_SUCCESS)
    return MakeError(ErrorCode::kInternal, std::string("cairo: ") + cairo_status_to_string(st));
  return out;
}

}  // namespace shelter::platform
