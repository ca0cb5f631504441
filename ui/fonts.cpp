#include "ui/fonts.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include <imgui.h>
#include <stb/stb_truetype.h>

#include "core/i18n.hpp"

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
  std::shared_ptr<const unsigned char> data(static_cast<const unsigned char*>(p),
                                            [size](const unsigned char* q) {
                                              ::munmap(const_cast<unsigned char*>(q), size);
                                            });
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
    if (c >= 0x20 && c <= 0xFFFF) wanted_.insert(c);
}

bool FontLoader::AddSeen(const std::string& utf8) {
  bool added = false;
  for (char32_t c : core::DecodeUtf8(utf8))
    if (c >= 0x20 && c <= 0xFFFF) added |= wanted_.insert(c).second;
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

core::Result<FontBuildStats> FontLoader::Build(const std::string& lang, float pixel_size) {
  auto t0 = std::chrono::steady_clock::now();
  FontBuildStats stats;
  // Code points per font, as ImGui glyph ranges (pairs, zero-terminated).
  std::vector<std::vector<ImWchar>> ranges(loaded_.size());
  char32_t prev_cp = 0;
  int prev_font = -2;
  for (char32_t c : wanted_) {
    int f = FontFor(c, lang);
    if (f < 0) {
      if (c > 0x20) stats.missing.push_back(c);
      continue;
    }
    auto& r = ranges[f];
    if (f == prev_font && c == prev_cp + 1 && !r.empty() && r.back() == prev_cp) {
      r.back() = static_cast<ImWchar>(c);
    } else {
      r.push_back(static_cast<ImWchar>(c));
      r.push_back(static_cast<ImWchar>(c));
    }
    prev_cp = c;
    prev_font = f;
    ++stats.glyphs;
  }
  ranges_.clear();
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
  atlas->TexDesiredWidth = 4096;
  bool first = true;
  for (size_t i = 0; i < loaded_.size(); ++i) {
    if (ranges[i].empty()) continue;
    ranges[i].push_back(0);
    ranges_.push_back(std::move(ranges[i]));
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the mapping stays ours
    cfg.FontNo = loaded_[i].face.face;
    cfg.OversampleH = 1;  // CJK glyphs are dense: no horizontal oversampling keeps the atlas small
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    cfg.MergeMode = !first;
    const auto& file = files_[loaded_[i].file];
    atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(file.data.get()),
                                static_cast<int>(file.size), pixel_size, &cfg,
                                ranges_.back().data());
    first = false;
  }
  if (first) return MakeError(ErrorCode::kNotFound, "no font has any wanted glyph");
  if (!atlas->Build()) return MakeError(ErrorCode::kInternal, "font atlas build failed");
  stats.atlas_w = atlas->TexWidth;
  stats.atlas_h = atlas->TexHeight;
  stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return stats;
}

std::vector<char32_t> JapaneseBaseCodepoints() {
  std::vector<char32_t> out;
  ImFontAtlas atlas;  // the ranges are static tables; no ImGui context needed
  const ImWchar* r = atlas.GetGlyphRangesJapanese();
  for (; r[0] != 0; r += 2)
    for (uint32_t c = r[0]; c <= r[1]; ++c) out.push_back(c);
  for (char32_t c : core::DecodeUtf8(kUiSymbols)) out.push_back(c);
  return out;
}

}  // namespace shelter::ui
