// Japanese text folding for name search, duplicate detection and address comparison, plus
// parsing of the date spellings staff type (Western, 和暦, full-width). Own small tables, no ICU.
// Thread-safety: pure functions over constant tables; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::core {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Code points of `s`; malformed sequences are skipped.
std::u32string DecodeUtf8Lossy(std::string_view s);
std::string EncodeUtf8(std::u32string_view s);

// Folds a name (or any short text) so that spellings of the same name compare equal:
//  - full-width ASCII -> ASCII; whitespace (ASCII, U+3000, other Unicode spaces), zero-width
//    characters and control characters removed;
//  - half-width katakana -> full-width, with a following ﾞ/ﾟ composed (ｶﾞ -> ガ, ﾊﾟ -> パ);
//    combining U+3099/U+309A (and spacing ゛/゜) composed onto the preceding kana;
//  - katakana -> hiragana (ァ..ヶ, ヴ -> ゔ, ヽヾ -> ゝゞ); ー is kept;
//  - Latin, Greek and Cyrillic letters lower-cased;
//  - name-part separators removed: middle dots (・ ･ · ‧), hyphen/dash variants (- ‐ ‑ ‒ – — ―
//    − －), double hyphens (゠ ＝);
//  - old and variant kanji folded to the common form (髙 -> 高, 﨑 -> 崎, 邊 -> 辺, 齋 -> 斎, ...),
//    including the compatibility ideographs that Shift_JIS/JIS X 0213 data produces;
//    variation selectors (U+FE00..FE0F, U+E0100..E01EF) removed;
//  - invalid UTF-8 bytes dropped.
// The result is valid UTF-8 and FoldForSearch(FoldForSearch(x)) == FoldForSearch(x).
std::string FoldForSearch(std::string_view utf8);

// Keys to index a name under, each already folded: the full name with separators removed, each
// part (split at whitespace and middle dots: family, given, ...), and the parts joined in reverse
// order, so that "太郎 山田" finds "山田 太郎". De-duplicated in that order; empty keys omitted.
std::vector<std::string> NameSearchKeys(std::string_view utf8);

// Parses a date typed by staff or read from a card and returns it as "YYYY-MM-DD".
// Accepts 1980-04-01, 1980/4/1, 1980.4.1, 19800401, 1980年4月1日, full-width digits and
// separators, and Japanese eras: 昭和55年4月1日, 昭55.4.1, S55.4.1, H2/1/3, R2.1.3, T, M, ㍼55年...
// (明治 1868-, 大正 1912-07-30-, 昭和 1926-12-25-, 平成 1989-01-08-, 令和 2019-05-01-; 元年 = 1).
// The calendar is checked (leap years; an era date must fall inside that era). Years 1868..2199.
// When `allow_partial`, also "1980" -> "1980" and "1980-04", "1980/4", "昭和55年4月" -> "1980-04".
// Returns kInvalidArgument otherwise; the error detail never echoes the input.
Result<std::string> NormalizeDate(std::string_view text, bool allow_partial = false);

// Folds a Japanese address so that spellings of the same address compare equal:
//  - width folding, kana composition, lower-casing and kanji folding as in FoldForSearch (kana
//    keep their script; dots and dashes are kept); whitespace removed;
//  - 大字/字 removed; ヶ/ケ/ヵ/が/ガ between kanji -> ヶ (霞が関 == 霞ケ関);
//    ノ between kanji -> の (一ノ瀬 == 一の瀬);
//  - kanji numerals -> ASCII digits before 丁目/番地/番/号/条 and at the end after one of those
//    (一丁目二番三 -> 1-2-3, 北一条 -> 北1条, 一番町 -> 1番町);
//  - 丁目/番地/番/号 after a digit, dash variants, ー after a digit and の between numbers -> "-";
//    repeated "-" collapsed, trailing "-" removed. A 番/号 followed by kanji (1番町, 2号館) stays.
// "東京都千代田区霞が関１丁目２番３号" and "東京都千代田区霞ヶ関1-2-3" fold to the same string.
// The result is valid UTF-8 and FoldAddress(FoldAddress(x)) == FoldAddress(x).
std::string FoldAddress(std::string_view utf8);

}  // namespace shelter::core
