// Where and how big the app's window opens, and how much the layout scales, from the display it
// is on: fullscreen on a tablet-sized screen, a resizable window that fills the screen elsewhere,
// never larger than the screen; 1.0 at 160 dpi, more on denser screens. Pure function.
#pragma once

namespace shelter::ui {

struct DisplayInfo {
  int usable_w = 0, usable_h = 0;  // the display without task bars; 0: unknown (no display)
  float dpi = 0;                   // diagonal dpi as SDL reports it; 0: unknown
};

enum class WindowMode { kAuto, kFullscreen, kWindow };

struct WindowRequest {
  int width = 0, height = 0;  // --size; 0: not given
  WindowMode mode = WindowMode::kAuto;
  float dpi = 0;  // --dpi: overrides what the display reports
  bool headless = false;
};

struct WindowPlan {
  int width = 1280, height = 800;
  bool fullscreen = false;
  bool maximized = false;
  bool resizable = true;
  float ui_scale = 1.0f;  // layout and touch targets relative to 160 dpi, 1.0 .. 3.0
};

// Screens up to this size are tablets: the app takes the whole screen.
inline constexpr int kTabletMaxW = 1366, kTabletMaxH = 800;
inline constexpr int kDefaultW = 1280, kDefaultH = 800;

WindowPlan PlanWindow(const DisplayInfo& d, const WindowRequest& r);

}  // namespace shelter::ui
