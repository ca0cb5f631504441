#include "ui/fonts.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include <imgui.h>
#include <imgui_freetype.h>
#include <stb/stb_truetype.h>

#include "core/text/i18n.hpp"

namespace shelter::ui {

using core::ErrorCode;
using core::MakeError;

namespace {

// A read-only mapping of a font file: only the pages the cmap look-ups and the baker touch are
// read, so opening the 19 MB CJK collection costs almost nothing.
core::Result<std::pair<std::shared_ptr<const unsigned char>, size_t>> MapFile(
    const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kNotFound, "cannot open font " + path);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    return MakeError(ErrorCode::kIo, "cannot stat font " + path);
  }
  void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return MakeError(ErrorCode::kIo, "cannot map font " + path);
  size_t size = static_cast<size_t>(st.st_size);
  std::shared_ptr<const unsigned char> data(
      static_cast<const unsigned char*>(p),
      [size](const unsigned char* q) { ::munmap(const_cast<unsigned char*>(q), size); });
  return std::make_pair(std::move(data), size);
}

bool ForLanguage(const FontFace& f, const std::string& lang) {
  return f.languages.empty() ||
         std::find(f.languages.begin(), f.languages.end(), lang) != f.languages.end();
}

}  // namespace

core::Result<FontLoader> FontLoader::Open(const std::string& fonts_txt) {
  std::ifstream in(fonts_txt);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open " + fonts_txt);
  FontLoader loader;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    FontFace f;
    ls >> f.path >> f.face;
    for (std::string l; ls >> l;) f.languages.push_back(l);
    if (f.path.empty()) continue;
    auto known = std::find(loader.file_paths_.begin(), loader.file_paths_.end(), f.path);
    size_t file_index = known - loader.file_paths_.begin();
    if (known == loader.file_paths_.end()) {
      SHELTER_ASSIGN_OR_RETURN(auto m, MapFile(f.path));
      loader.file_paths_.push_back(f.path);
      loader.files_.push_back({std::move(m.first), m.second});
    }
    const unsigned char* data = loader.files_[file_index].data.get();
    int offset = stbtt_GetFontOffsetForIndex(data, f.face);
    if (offset < 0) return MakeError(ErrorCode::kNotFound, "no such face in " + f.path);
    auto info = std::make_shared<stbtt_fontinfo>();
    if (!stbtt_InitFont(info.get(), data, offset))
      return MakeError(ErrorCode::kParse, "cannot read font " + f.path);
    loader.loaded_.push_back(Loaded{std::move(f), file_index, offset, std::move(info)});
  }
  if (loader.loaded_.empty()) return MakeError(ErrorCode::kNotFound, "no fonts listed");
  return loader;
}

void FontLoader::AddBase(const std::vector<char32_t>& cps) {
  for (char32_t c : cps)
    if (c >= 0x20 && c <= 0xFFFF) {
      wanted_.insert(c);
      large_set_.insert(c);
    }
}

void FontLoader::AddBodyOnlyDeferred(const std::vector<char32_t>& cps) {
  deferred_.insert(deferred_.end(), cps.begin(), cps.end());
}

bool FontLoader::TakeDeferred() {
  bool added = false;
  for (char32_t c : deferred_)
    if (c >= 0x20 && c <= 0xFFFF) added |= wanted_.insert(c).second;
  deferred_.clear();
  deferred_.shrink_to_fit();
  return added;
}

bool FontLoader::AddSeen(const std::string& utf8) {
  bool added = false;
  for (char32_t c : core::DecodeUtf8(utf8))
    if (c >= 0x20 && c <= 0xFFFF) {
      added |= wanted_.insert(c).second;
      added |= large_set_.insert(c).second;
    }
  return added;
}

int FontLoader::FontFor(char32_t cp, const std::string& lang) const {
  for (size_t i = 0; i < loaded_.size(); ++i) {
    if (!ForLanguage(loaded_[i].face, lang)) continue;
    if (stbtt_FindGlyphIndex(loaded_[i].info.get(), static_cast<int>(cp)) != 0)
      return static_cast<int>(i);
  }
  return -1;
}

std::vector<char32_t> FontLoader::Uncovered(const std::vector<char32_t>& cps,
                                            const std::string& lang) const {
  std::vector<char32_t> out;
  for (char32_t c : cps)
    if (c >= 0x20 && FontFor(c, lang) < 0) out.push_back(c);
  return out;
}

std::vector<ImWchar> FontLoader::Ranges(const std::set<char32_t>& cps, const std::string& lang,
                                        int font, FontBuildStats* stats) const {
  std::vector<ImWchar> r;
  for (char32_t c : cps) {
    int f = FontFor(c, lang);
    if (f < 0 && stats && c > 0x20) stats->missing.push_back(c);
    if (f != font) continue;
    if (!r.empty() && r.back() + 1 == static_cast<ImWchar>(c)) {
      r.back() = static_cast<ImWchar>(c);
    } else {
      r.push_back(static_cast<ImWchar>(c));
      r.push_back(static_cast<ImWchar>(c));
    }
    if (stats) ++stats->glyphs;
  }
  return r;
}

core::Result<FontBuildStats> FontLoader::Build(const std::string& lang, float pixel_size,
                                               float heading_size, float large_size) {
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  FontBuildStats stats;
  ranges_.clear();
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
  atlas->TexDesiredWidth = 4096;
  // FreeType reads the CFF outlines of Noto Sans CJK several times faster than stb_truetype,
  // which keeps the first frame quick, and hints small text better.
  atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  // Each font is the first listed font that has any wanted glyph, merged with the others: a glyph
  // comes from the first font (for this language) that has it.
  auto add = [&](const std::set<char32_t>& cps, float size, FontBuildStats* st) -> ImFont* {
    ImFont* font = nullptr;
    if (st) st->missing.clear();
    for (size_t i = 0; i < loaded_.size(); ++i) {
      if (!ForLanguage(loaded_[i].face, lang)) continue;
      std::vector<ImWchar> r = Ranges(cps, lang, static_cast<int>(i), i == 0 ? st : nullptr);
      if (r.empty()) continue;
      r.push_back(0);
      ranges_.push_back(std::move(r));
      ImFontConfig cfg;
      // Dear ImGui 1.86 copies font data it does not own, once per font size: 19 MB for Noto Sans
      // CJK each time, which reads every page of the mapping too (the peak memory of a font
      // rebuild). Handed over as "owned" it is not copied; taken back at once below, so that the
      // atlas never frees our mapping.
      cfg.FontDataOwnedByAtlas = true;
      cfg.FontNo = loaded_[i].face.face;
      cfg.OversampleH = 1;  // dense CJK glyphs: no oversampling keeps the atlas small and quick
      cfg.OversampleV = 1;
      cfg.PixelSnapH = true;
      cfg.MergeMode = font != nullptr;
      const auto& file = files_[loaded_[i].file];
      ImFont* f = atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(file.data.get()),
                                              static_cast<int>(file.size), size, &cfg,
                                              ranges_.back().data());
      atlas->ConfigData.back().FontDataOwnedByAtlas = false;  // the mapping stays ours
      if (!font) font = f;
    }
    return font;
  };
  // Ranges() counts glyphs and missing code points only on the first font's pass.
  for (char32_t c : wanted_) {
    if (FontFor(c, lang) >= 0)
      ++stats.glyphs;
    else if (c > 0x20)
      stats.missing.push_back(c);
  }
  ImFont* body = add(wanted_, pixel_size, nullptr);
  heading_ = add(large_set_, heading_size, nullptr);
  large_ = add(large_set_, large_size, nullptr);
  if (!body || !heading_ || !large_)
    return MakeError(ErrorCode::kNotFound, "no font has any wanted glyph");
  if (!atlas->Build()) return MakeError(ErrorCode::kInternal, "font atlas build failed");
  stats.atlas_w = atlas->TexWidth;
  stats.atlas_h = atlas->TexHeight;
  stats.ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  stats.cpu_ms = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  return stats;
}

std::vector<char32_t> JapaneseBaseCodepoints() {
  std::vector<char32_t> out;
  ImFontAtlas atlas;  // the ranges are static tables; no ImGui context needed
  const ImWchar* r = atlas.GetGlyphRangesJapanese();
  for (; r[0] != 0; r += 2)
    for (uint32_t c = r[0]; c <= r[1]; ++c) out.push_back(c);
  return out;
}

}  // namespace shelter::ui
