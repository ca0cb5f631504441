// Terminal display width of UTF-8 text (East Asian Width), so that tables of Japanese names line
// up. Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace shelter::core {

// Columns `utf8` takes in a terminal: 2 for wide and full-width characters (kanji, kana,
// full-width forms, Hangul, most emoji), 0 for combining marks, variation selectors and
// zero-width characters, 1 otherwise (half-width katakana too). Malformed bytes are skipped.
size_t DisplayWidth(std::string_view utf8);
// `utf8` followed by spaces up to `columns` display columns (unchanged when already as wide).
std::string PadToWidth(std::string_view utf8, size_t columns);

}  // namespace shelter::core
