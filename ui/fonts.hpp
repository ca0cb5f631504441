// Font loading for the app: reads assets/fonts.txt, decides per code point which font supplies it
// (stb_truetype cmap look-ups) and bakes only the glyphs the UI needs into the ImGui atlas: the
// catalog's texts, kana and common kanji, and whatever the shelter's data or staff typing shows.
// Single-threaded (the UI thread).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/base/result.hpp"

struct ImFont;
struct stbtt_fontinfo;

namespace shelter::ui {

struct FontFace {
  std::string path;
  int face = 0;
  std::vector<std::string> languages;  // empty = every language
};

struct FontBuildStats {
  size_t glyphs = 0;
  double ms = 0;      // wall clock
  double cpu_ms = 0;  // process CPU time (wall clock suffers on a loaded machine)
  int atlas_w = 0, atlas_h = 0;
  std::vector<char32_t> missing;  // wanted code points no font has
};

class FontLoader {
 public:
  // Returns kNotFound when the list or a listed font file cannot be read.
  static core::Result<FontLoader> Open(const std::string& fonts_txt);

  // Code points always baked (catalog text, ASCII, kana, symbols): in the body and large fonts.
  void AddBase(const std::vector<char32_t>& cps);
  // Code points baked in the body font only (the ~3,000 common kanji staff may type), held back
  // until TakeDeferred() so the first frame needs only the small base set.
  void AddBodyOnlyDeferred(const std::vector<char32_t>& cps);
  // Moves the held-back code points into the body font; true when that needs a rebuild.
  bool TakeDeferred();
  // Adds code points seen in data or typed text; true when one was new (the atlas needs a rebuild).
  bool AddSeen(const std::string& utf8);
  bool Covers(char32_t cp) const { return wanted_.count(cp) > 0; }

  // Clears io.Fonts and bakes the body font (every wanted glyph at `pixel_size`, the default
  // font) and a large font (base and seen glyphs at `large_size`: headings, kiosk) for UI
  // language `lang`.
  // A heading font (base and seen glyphs at `heading_size`) is baked the same way.
  core::Result<FontBuildStats> Build(const std::string& lang, float pixel_size, float heading_size,
                                     float large_size);
  ImFont* heading() const { return heading_; }
  ImFont* large() const { return large_; }
  // Code points of `cps` that no listed font has (for the glyph self-check).
  std::vector<char32_t> Uncovered(const std::vector<char32_t>& cps, const std::string& lang) const;

 private:
  struct Loaded {
    FontFace face;
    size_t file = 0;  // index into files_
    int offset = 0;
    std::shared_ptr<stbtt_fontinfo> info;
  };
  struct File {
    std::shared_ptr<const unsigned char> data;  // read-only mapping, unmapped with the last copy
    size_t size = 0;
  };
  int FontFor(char32_t cp, const std::string& lang) const;  // index into loaded_, or -1

  std::vector<std::string> file_paths_;
  std::vector<File> files_;
  std::vector<Loaded> loaded_;
  std::vector<ImWchar> Ranges(const std::set<char32_t>& cps, const std::string& lang, int font,
                              FontBuildStats* stats) const;

  std::set<char32_t> wanted_;  // body font
  std::vector<char32_t> deferred_;
  std::set<char32_t> large_set_;  // large font (no bulk kanji: small atlas)
  ImFont* heading_ = nullptr;
  ImFont* large_ = nullptr;
  std::vector<std::vector<ImWchar>> ranges_;  // glyph ranges the atlas points at until rebuilt
};

// Symbols the screens draw next to their words (✓ selected, ⚠ warning, ♥ care need, ...).
inline constexpr const char* kUiSymbols = "✓✕⚠♥⌂▣◌○●■—…⌫·←→";

// Japanese kana and the common kanji set (Dear ImGui's Japanese ranges, ~3,000 kanji).
std::vector<char32_t> JapaneseBaseCodepoints();

}  // namespace shelter::ui
