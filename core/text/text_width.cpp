#include "core/text/text_width.hpp"

#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

int CodePointWidth(char32_t c) {
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF ||
      (c >= 0x3099 && c <= 0x309A) || (c >= 0xFE00 && c <= 0xFE0F) ||
      (c >= 0xE0100 && c <= 0xE01EF))
    return 0;
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
      (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  return 1;
}

}  // namespace

size_t DisplayWidth(std::string_view utf8) {
  size_t width = 0;
  for (char32_t c : DecodeUtf8Lossy(utf8)) width += static_cast<size_t>(CodePointWidth(c));
  return width;
}

std::string PadToWidth(std::string_view utf8, size_t columns) {
  std::string out(utf8);
  for (size_t w = DisplayWidth(utf8); w < columns; ++w) out.push_back(' ');
  return out;
}

}  // namespace shelter::core
