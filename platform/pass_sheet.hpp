// Printable shelter passes: a household's QR codes laid out on A4 pages, each with a caption
// ("2/4  label" and the person's name, Japanese included) under the code, and dashed cut lines.
// Rendering uses process-wide font configuration: call from one thread at a time.
#pragma once

#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/codec/qr_code.hpp"

namespace shelter::platform {

struct PassEntry {
  std::string text;  // the QR payload
  std::string name;  // printed under the code; may be empty
};

struct PassSheetOptions {
  std::string label;  // printed after "i/N" on every pass (e.g. the shelter)
  core::QrEcc ecc = core::QrEcc::kQ;
  int dpi = 300;  // A4 is 2480×3508 pixels at 300 dpi
};

constexpr int kPassesPerPage = 8;  // 2 columns × 4 rows, each about 93 × 68 mm

// One grayscale page per kPassesPerPage passes, white paper and black ink. Returns
// kInvalidArgument for no passes, a dpi outside 72..1200, or a payload too large to print at
// two pixels per module in a cell; kNotFound when the font "Noto Sans CJK JP"
// (fonts-noto-cjk) is not installed; kInternal if cairo fails.
core::Result<std::vector<core::GrayImage>> RenderPassSheet(const std::vector<PassEntry>& passes,
                                                           const PassSheetOptions& options);

// The rendered pages as one A4 PDF (each page embedded as a 1-bit-clean grayscale image at `dpi`,
// drawn without smoothing so the codes stay crisp), for `lp`. kInvalidArgument for no pages or a
// dpi outside 72..1200; kInternal if cairo fails.
core::Result<core::Bytes> PassSheetPdf(const std::vector<core::GrayImage>& pages, int dpi);

// cairo's and fontconfig's process-wide font caches are freed by ReleaseRenderCaches()
// (platform/printer.hpp), once, after the last render.

}  // namespace shelter::platform
