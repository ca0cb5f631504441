// Visual theme of the app: normal or high-contrast colours, text scale (100-200 %), the display's
// density (ui_scale: 1.0 at 160 dpi) and the minimum touch-target size (48 dp at 160 dpi). Applies
// to the current ImGui context; UI thread.
#pragma once

#include <imgui.h>

namespace shelter::ui {

struct ThemeOptions {
  int text_scale_pct = 100;  // 100..200
  bool high_contrast = false;
  float ui_scale = 1.0f;  // from the display (ui/window_plan), not a user setting
};

// Base text size in pixels at 100 % on a 160-dpi screen.
inline constexpr float kBaseFontPx = 22.0f;
// The large font (headings, kiosk, big numbers) relative to the body text.
inline constexpr float kLargeScale = 1.8f;
inline constexpr float kHeadingScale = 1.3f;
// 48 dp at 160 dpi is 48 px; the app's targets are a little larger than the minimum.
inline constexpr float kMinTouchPx = 48.0f;

float FontPx(const ThemeOptions& t);
float TouchPx(const ThemeOptions& t);         // height of buttons and inputs, >= kMinTouchPx dp
float DpPx(const ThemeOptions& t, float dp);  // density-independent pixels on this screen
void ApplyTheme(const ThemeOptions& t);

// Semantic colours; every use is paired with a text or icon label (never colour alone).
struct Palette {
  ImVec4 ok, warn, danger, info, muted, badge_text;
};
Palette ColorsFor(const ThemeOptions& t);

}  // namespace shelter::ui
