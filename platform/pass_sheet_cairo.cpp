// Pass sheets drawn with cairo on an 8-bit alpha surface (ink = alpha), so a page costs one
// byte per pixel. QR modules are whole-pixel rectangles drawn without antialiasing, so the
// printed code is crisp; captions use cairo's text API with fontconfig choosing
// "Noto Sans CJK JP", which covers kana, kanji and Latin.
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

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

// Centred text on one line, shrunk until it fits `max_width`.
void CentredText(cairo_t* cr, const std::string& text, double cx, double baseline, double size,
                 double max_width, bool bold) {
  if (text.empty()) return;
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_text_extents_t ext;
  for (;;) {
    cairo_set_font_size(cr, size);
    cairo_text_extents(cr, text.c_str(), &ext);
    if (ext.x_advance <= max_width || size < 8) break;
    size *= 0.9;
  }
  cairo_move_to(cr, cx - ext.x_advance / 2, baseline);
  cairo_show_text(cr, text.c_str());
}

cairo_status_t AppendPdfBytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<core::Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

core::Result<std::vector<core::GrayImage>> RenderPassSheet(const std::vector<PassEntry>& passes,
                                                           const PassSheetOptions& options) {
  if (passes.empty()) return MakeError(ErrorCode::kInvalidArgument, "no passes to print");
  if (options.dpi < 72 || options.dpi > 1200)
    return MakeError(ErrorCode::kInvalidArgument, "dpi must be between 72 and 1200");
  if (!FontInstalled())
    return MakeError(ErrorCode::kNotFound,
                     std::string("font '") + kFont + "' is not installed (package fonts-noto-cjk)");
  const double mm = options.dpi / 25.4;
  const int page_w = int(std::lround(210 * mm)), page_h = int(std::lround(297 * mm));
  const double margin = 12 * mm, caption_h = 16 * mm, pad = 4 * mm;
  const double cell_w = (page_w - 2 * margin) / 2, cell_h = (page_h - 2 * margin) / 4;
  const double qr_box = std::min(cell_w, cell_h - caption_h) - 2 * pad;
  const double font_px = 3.6 * mm;  // about 10 pt
  const int total = int(passes.size());

  std::vector<core::GrayImage> pages;
  for (int first = 0; first < total; first += kPassesPerPage) {
    std::unique_ptr<cairo_surface_t, SurfaceFree> surface(
        cairo_image_surface_create(CAIRO_FORMAT_A8, page_w, page_h));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      return MakeError(ErrorCode::kInternal, "cannot create the page surface");
    std::unique_ptr<cairo_t, ContextFree> cr(cairo_create(surface.get()));
    cairo_t* c = cr.get();
    cairo_set_source_rgba(c, 0, 0, 0, 1);

    for (int i = first; i < std::min(total, first + kPassesPerPage); ++i) {
      const int slot = i - first;
      const double x0 = margin + (slot % 2) * cell_w, y0 = margin + (slot / 2) * cell_h;
      // Cut lines.
      const double dash[] = {3 * mm, 2 * mm};
      cairo_set_dash(c, dash, 2, 0);
      cairo_set_line_width(c, std::max(1.0, 0.2 * mm));
      cairo_set_source_rgba(c, 0, 0, 0, 0.5);
      cairo_rectangle(c, x0, y0, cell_w, cell_h);
      cairo_stroke(c);
      cairo_set_dash(c, nullptr, 0, 0);
      cairo_set_source_rgba(c, 0, 0, 0, 1);

      auto symbol = core::EncodeQr(passes[size_t(i)].text, options.ecc);
      if (!symbol.ok()) return symbol.error();
      const int modules = symbol->size + 8;  // with the 4-module quiet zone
      const int module_px = int(qr_box / modules);
      if (module_px < 2)
        return MakeError(ErrorCode::kInvalidArgument,
                         "pass " + std::to_string(i + 1) + " is too large to print at this dpi");
      const int side = module_px * symbol->size;
      const int qx = int(x0 + (cell_w - side) / 2),
                qy = int(y0 + pad + (qr_box - side) / 2 + 4 * module_px);
      cairo_set_antialias(c, CAIRO_ANTIALIAS_NONE);
      for (int y = 0; y < symbol->size; ++y)
        for (int x = 0; x < symbol->size; ++x)
          if (symbol->Dark(x, y))
            cairo_rectangle(c, qx + x * module_px, qy + y * module_px, module_px, module_px);
      cairo_fill(c);
      cairo_set_antialias(c, CAIRO_ANTIALIAS_DEFAULT);

      const double cx = x0 + cell_w / 2, text_top = y0 + cell_h - caption_h;
      std::string line1 = std::to_string(i + 1) + "/" + std::to_string(total);
      if (!options.label.empty()) line1 += "  " + options.label;
      CentredText(c, line1, cx, text_top + font_px, font_px, cell_w - 2 * pad, false);
      CentredText(c, passes[size_t(i)].name, cx, text_top + 2.3 * font_px, font_px * 1.2,
                  cell_w - 2 * pad, true);
    }
    cairo_surface_flush(surface.get());
    if (cairo_status(c) != CAIRO_STATUS_SUCCESS)
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

core::Result<core::Bytes> PassSheetPdf(const std::vector<core::GrayImage>& pages, int dpi) {
  if (pages.empty()) return MakeError(ErrorCode::kInvalidArgument, "no pages");
  if (dpi < 72 || dpi > 1200)
    return MakeError(ErrorCode::kInvalidArgument, "dpi must be between 72 and 1200");
  constexpr double kA4W = 595.276, kA4H = 841.89;  // points
  core::Bytes out;
  std::unique_ptr<cairo_surface_t, SurfaceFree> pdf(
      cairo_pdf_surface_create_for_stream(AppendPdfBytes, &out, kA4W, kA4H));
  cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_CREATOR, "shelterkit");
  std::unique_ptr<cairo_t, ContextFree> cr(cairo_create(pdf.get()));
  for (const auto& page : pages) {
    // Ink as alpha (255 - gray), painted black through it: one byte per pixel, as rendered.
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_A8, page.width);
    std::unique_ptr<cairo_surface_t, SurfaceFree> ink(
        cairo_image_surface_create(CAIRO_FORMAT_A8, page.width, page.height));
    if (cairo_surface_status(ink.get()) != CAIRO_STATUS_SUCCESS)
      return MakeError(ErrorCode::kInternal, "cairo: cannot allocate a page");
    cairo_surface_flush(ink.get());
    unsigned char* dst = cairo_image_surface_get_data(ink.get());
    for (int y = 0; y < page.height; ++y)
      for (int x = 0; x < page.width; ++x)
        dst[size_t(y) * stride + x] = uint8_t(255 - page.pixels[size_t(y) * page.width + x]);
    cairo_surface_mark_dirty(ink.get());
    cairo_save(cr.get());
    cairo_scale(cr.get(), 72.0 / dpi, 72.0 / dpi);
    cairo_set_source_rgb(cr.get(), 0, 0, 0);
    cairo_pattern_t* mask = cairo_pattern_create_for_surface(ink.get());
    cairo_pattern_set_filter(mask, CAIRO_FILTER_NEAREST);
    cairo_mask(cr.get(), mask);
    cairo_pattern_destroy(mask);
    cairo_restore(cr.get());
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
