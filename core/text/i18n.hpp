// Translation catalog: one flat JSON object per language (assets/i18n/<lang>.json, key -> UTF-8
// text with {name} placeholders), languages listed in order in assets/i18n/languages.json.
// Immutable after Load(): lookups are safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::core {

class Catalog {
 public:
  Catalog() = default;
  // Reads `dir`/languages.json (a JSON array of language codes, first = the reference language)
  // and each `dir`/<code>.json. kNotFound for a missing file, kParse for malformed JSON,
  // kInvalidArgument for a non-string value or a malformed code.
  static Result<Catalog> Load(const std::string& dir);
  // Builds a catalog from memory (tests): code -> (key -> text), in the given order.
  static Catalog FromTables(
      std::vector<std::pair<std::string, std::map<std::string, std::string>>> t);

  const std::vector<std::string>& languages() const { return codes_; }
  // Index of `code` in languages(), or -1.
  int IndexOf(std::string_view code) const;
  // The text of `key` in language `lang` (an index into languages()); falls back to the reference
  // language, then to the key itself, so a screen never shows an empty label.
  const std::string& Text(int lang, std::string_view key) const;
  // Text() with {name} placeholders replaced by the given values.
  std::string Format(int lang, std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> args) const;
  bool Has(int lang, std::string_view key) const;

  // Every key of any language that some language lacks or leaves empty, as "<code>:<key>".
  std::vector<std::string> MissingKeys() const;
  // Every code point used by any text of any language, sorted and unique (the font loader
  // bakes these glyphs; a test checks the fonts cover them).
  std::vector<char32_t> Codepoints() const;

 private:
  std::vector<std::string> codes_;
  std::vector<std::map<std::string, std::string, std::less<>>> tables_;
};

// Decodes UTF-8 into code points, skipping malformed bytes. Pure function.
std::vector<char32_t> DecodeUtf8(std::string_view s);

}  // namespace shelter::core
