// The translation catalog: every language has every key, placeholders match, lookups fall back.
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "core/text/i18n.hpp"

using shelter::core::Catalog;
using shelter::core::DecodeUtf8;

namespace {

std::set<std::string> Placeholders(const std::string& s) {
  std::set<std::string> out;
  static const std::regex re("\\{[a-z_]+\\}");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

}  // namespace

TEST_CASE("the shipped catalog has every key in every language") {
  auto cat = Catalog::Load(std::string(SHELTER_SOURCE_DIR) + "/assets/i18n");
  REQUIRE_MESSAGE(cat.ok(), cat.error().ToString());
  for (const char* code : {"ja", "en", "ja-easy", "zh-Hans", "ko", "vi"})
    CHECK_MESSAGE(cat->IndexOf(code) >= 0, "missing language ", code);
  CHECK(cat->languages().front() == "ja");  // Japanese first: the reference and the fallback
  auto missing = cat->MissingKeys();
  for (const auto& m : missing) FAIL_CHECK("missing translation ", m);
  CHECK(missing.empty());
}

TEST_CASE("translations keep the reference text's placeholders") {
  auto cat = Catalog::Load(std::string(SHELTER_SOURCE_DIR) + "/assets/i18n");
  REQUIRE(cat.ok());
  // Keys are the reference language's; MissingKeys covers keys that exist elsewhere only.
  std::string dir = std::string(SHELTER_SOURCE_DIR) + "/assets/i18n";
  for (int lang = 1; lang < static_cast<int>(cat->languages().size()); ++lang) {
    for (const char* key : {"battery.percent", "dashboard.capacity", "register.done",
                            "conflict.count", "conflict.keep", "kiosk.hello", "needs.people"}) {
      CHECK_MESSAGE(Placeholders(cat->Text(lang, key)) == Placeholders(cat->Text(0, key)),
                    cat->languages()[lang], ":", key);
    }
  }
}

TEST_CASE("a key missing in one language is reported, and lookups fall back") {
  Catalog c =
      Catalog::FromTables({{"ja", {{"a", "あ"}, {"b", "い"}}}, {"en", {{"a", "A"}, {"c", ""}}}});
  auto missing = c.MissingKeys();
  CHECK(missing == std::vector<std::string>{"ja:c", "en:b", "en:c"});
  CHECK(c.Text(1, "a") == "A");
  CHECK(c.Text(1, "b") == "い");     // falls back to the reference language
  CHECK(c.Text(1, "zzz") == "zzz");  // then to the key: never an empty label
  CHECK(c.Format(0, "a", {}) == "あ");
}

TEST_CASE("Format replaces every placeholder occurrence") {
  Catalog c = Catalog::FromTables({{"en", {{"k", "{n} of {cap}, {n}"}}}});
  CHECK(c.Format(0, "k", {{"n", "3"}, {"cap", "10"}}) == "3 of 10, 3");
  CHECK(c.Format(0, "k", {{"n", "{n}"}}) == "{n} of {cap}, {n}");  // no endless replacement
}

TEST_CASE("Codepoints collects the glyphs the fonts must cover") {
  Catalog c = Catalog::FromTables({{"ja", {{"a", "避難"}}}, {"vi", {{"a", "Việt"}}}});
  auto cps = c.Codepoints();
  CHECK(std::count(cps.begin(), cps.end(), U'避') == 1);
  CHECK(std::count(cps.begin(), cps.end(), U'ệ') == 1);
}

TEST_CASE("DecodeUtf8 skips malformed bytes") {
  CHECK(DecodeUtf8("a\xE3\x81\x82") == std::vector<char32_t>{U'a', U'あ'});
  CHECK(DecodeUtf8("\xFF"
                   "b") == std::vector<char32_t>{U'b'});
  CHECK(DecodeUtf8("\xE3\x81") == std::vector<char32_t>{});  // truncated
}

TEST_CASE("Load reports a missing or malformed catalog") {
  CHECK(Catalog::Load("/nonexistent-dir").error().code == shelter::core::ErrorCode::kNotFound);
}
