// Printable shelter passes: a household's QR codes laid out on A4 pages, eight to a page with
// dashed cut lines; beside each code the holder's name, kana, birth date, shelter and issue date
// (what a worker checks against the person showing it), and "2/4  label" under it. Every code is
// read back before it is printed: a text the QR would not carry unchanged is refused.
// Rendering uses process-wide font configuration: call from one thread at a time.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/codec/qr_code.hpp"
#include "core/model/entities.hpp"

namespace shelter::platform {

struct PassEntry {
  PassEntry() = default;
  PassEntry(std::string code, std::string holder)
      : text(std::move(code)), name(std::move(holder)) {}
  std::string text;     // the QR payload: printable UTF-8, one line
  std::string name;     // printed beside the code; may be empty (as may the rest)
  std::string kana;     // フリガナ
  std::string birth;    // YYYY-MM-DD, printed as 生年月日 1980年4月1日
  std::string shelter;  // the shelter's name
  std::string issued;   // YYYY-MM-DD, printed as 発行日 …
};

// One person's pass: the payload and what is printed beside it (the name, or the kana alone).
PassEntry PassEntryFor(std::string text, const core::Person& person, std::string shelter,
                       std::string issued_iso);

// Why `text` cannot go on a pass, or "" when it can: empty, over kMaxPassText bytes, not UTF-8,
// or holding a control character (a line break would split it when read back line by line).
constexpr size_t kMaxPassText = 1200;
std::string PassTextProblem(std::string_view text);

struct PassSheetOptions {
  std::string label;  // printed after "i/N" on every pass (e.g. the shelter)
  core::QrEcc ecc = core::QrEcc::kQ;
  int dpi = 300;  // A4 is 2480×3508 pixels at 300 dpi
};

constexpr int kPassesPerPage = 8;  // 2 columns × 4 rows, each about 93 × 68 mm

// One grayscale page per kPassesPerPage passes, white paper and black ink. Returns
// kInvalidArgument for no passes, a dpi outside 72..1200, a text PassTextProblem refuses or whose
// code does not read back as the same text, or a payload too large to print at two pixels per
// module in a cell, naming the pass by its number; kNotFound when the font "Noto Sans CJK JP"
// (fonts-noto-cjk) is not installed; kInternal if cairo fails.
core::Result<std::vector<core::GrayImage>> RenderPassSheet(const std::vector<PassEntry>& passes,
                                                           const PassSheetOptions& options);

// The same pages as one A4 PDF for `lp`, drawn as vectors: modules are exact squares and the
// captions are text (a subset of the font embedded), so the PDF is small and searchable. The same
// checks and errors as RenderPassSheet (options.dpi is not used).
core::Result<core::Bytes> PassSheetPdf(const std::vector<PassEntry>& passes,
                                       const PassSheetOptions& options);

// cairo's and fontconfig's process-wide font caches are freed by ReleaseRenderCaches()
// (platform/printer.hpp), once, after the last render.

}  // namespace shelter::platform
