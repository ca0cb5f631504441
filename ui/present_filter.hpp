// Which part of the next frame needs drawing: ImGui's draw data compared with the last frame's,
// triangle by triangle. An unchanged frame is not rendered or presented at all; a changed one on
// the software renderer is redrawn only inside the rectangle around what changed (the window
// surface keeps the rest of the last frame's pixels), in up to four rectangles, one pass each.
// A pointer crossing the screen changes a button's colour, not 1280×800 pixels. UI thread only.
#pragma once

#include <cstddef>
#include <vector>

#include <imgui.h>

#include "ui/damage_region.hpp"

struct SDL_Renderer;

namespace shelter::ui {

struct Damage {
  bool none = false;  // identical to the last frame: skip render and present (`full` is moot)
  bool full = true;   // redraw everything (`rects` is then empty)
  std::vector<PixelRect> rects;  // what to redraw, in display pixels, when not `full`
};

class PresentFilter {
 public:
  // `partial_ok`: the renderer keeps the last frame's pixels (software renderer on the window
  // surface), so a partial redraw is allowed; otherwise a changed frame is always drawn in full.
  // The environment may ask for every frame in full (SHELTER_APP_FULL_REDRAW: the figures
  // before this filter), or for each partial or skipped frame to be checked against a full
  // redraw of it, pixel for pixel (SHELTER_APP_CHECK_PARTIAL: tests; counts go to stderr).
  explicit PresentFilter(bool partial_ok);
  ~PresentFilter();
  PresentFilter(const PresentFilter&) = delete;
  PresentFilter& operator=(const PresentFilter&) = delete;

  // Compares `dd` with the previous call's and remembers it. Images other than the font atlas (a
  // camera preview, a QR code) may change their pixels under the same texture id, so a frame
  // showing one is always drawn in full.
  Damage Compare(const ImDrawData& dd, ImTextureID font_texture);
  // The next frame is drawn in full (window resized or exposed, fonts rebuilt).
  void Invalidate() { valid_ = false; }
  // The next frame will be read back (a screenshot). The software renderer's surface holds the
  // whole frame as shown, partial redraws included; another renderer's back buffer must be drawn
  // in full.
  void BeforeReadback() {
    if (!partial_ok_) Invalidate();
  }
  // Limits every command of `dd` to `r` cut from the command's clip rectangle in `clips` (the
  // backend then skips what lies outside). REQUIRES: `clips` is the clip rectangles of `dd`.
  static void ClipTo(ImDrawData& dd, const PixelRect& r,
                     const std::vector<std::vector<ImVec4>>& clips);
  // Compare(), then draws what changed of `dd` with the SDL_Renderer backend on the window
  // background colour. False when nothing changed: the frame need not be presented.
  bool Render(SDL_Renderer* renderer, ImDrawData* dd);

 private:
  struct List {
    std::vector<ImDrawVert> vtx;
    std::vector<ImDrawIdx> idx;
    std::vector<ImDrawCmd> cmd;
  };
  bool partial_ok_;
  bool full_redraw_ = false, check_ = false;
  size_t checked_partial_ = 0, checked_unchanged_ = 0, mismatches_ = 0, multi_rect_ = 0;
  bool valid_ = false;
  ImVec2 size_{0, 0};
  std::vector<List> last_;
};

}  // namespace shelter::ui
