// Tests for core/text/text_width: display columns of Japanese text, for tables such as
// `shelter-hq shelters`.
#include "core/text/text_width.hpp"

#include <doctest/doctest.h>

namespace shelter::core {
namespace {

TEST_CASE("TextWidth: kanji and kana take two columns, half-width katakana one") {
  CHECK(DisplayWidth("") == 0);
  CHECK(DisplayWidth("abc") == 3);
  CHECK(DisplayWidth("麹町小学校") == 10);
  CHECK(DisplayWidth("ひらがなカタカナ") == 16);
  CHECK(DisplayWidth("ｶﾀｶﾅ") == 4);
  CHECK(DisplayWidth("ＡＢＣ１") == 8);
  CHECK(DisplayWidth("\xE3\x81\x8B\xE3\x82\x99") == 2);  // か + combining dakuten
  CHECK(DisplayWidth("𠮷野家") == 6);                    // a CJK extension B kanji
}

TEST_CASE("TextWidth: the shelters table aligns full-width names with ASCII ones") {
  // Padding by bytes (printf %-30s) left a 10-character kanji name 10 columns short.
  std::string kanji = PadToWidth("千代田区立麹町小学校", 30);
  std::string ascii = PadToWidth("Kojimachi School", 30);
  CHECK(DisplayWidth(kanji) == 30);
  CHECK(DisplayWidth(ascii) == 30);
  CHECK(kanji == "千代田区立麹町小学校" + std::string(10, ' '));
  CHECK(PadToWidth("とても長い避難所の名前がここにあります", 10) ==
        "とても長い避難所の名前がここにあります");
}

}  // namespace
}  // namespace shelter::core
