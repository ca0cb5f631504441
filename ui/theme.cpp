#include "ui/theme.hpp"

#include <algorithm>

namespace shelter::ui {

float DpPx(const ThemeOptions& t, float dp) { return dp * std::clamp(t.ui_scale, 1.0f, 3.0f); }

float FontPx(const ThemeOptions& t) {
  return DpPx(t, kBaseFontPx) * static_cast<float>(std::clamp(t.text_scale_pct, 100, 200)) / 100.0f;
}

float TouchPx(const ThemeOptions& t) {
  return std::max(DpPx(t, kMinTouchPx + 8.0f), FontPx(t) * 2.4f);
}

void ApplyTheme(const ThemeOptions& t) {
  ImGuiStyle style;
  float s = FontPx(t) / kBaseFontPx;
  if (t.high_contrast) {
    ImGui::StyleColorsDark(&style);
    ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1.0f, 0.9f, 0.0f, 1);
    for (auto& c : style.Colors) c = black;
    style.Colors[ImGuiCol_Text] = white;
    style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.85f, 0.85f, 0.85f, 1);
    style.Colors[ImGuiCol_Border] = white;
    style.Colors[ImGuiCol_Button] = ImVec4(0.1f, 0.1f, 0.1f, 1);
    style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.2f, 0.2f, 0.0f, 1);
    style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.35f, 0.35f, 0.0f, 1);
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.08f, 0.08f, 0.08f, 1);
    style.Colors[ImGuiCol_FrameBgHovered] = ImVec4(0.2f, 0.2f, 0.0f, 1);
    style.Colors[ImGuiCol_FrameBgActive] = ImVec4(0.3f, 0.3f, 0.0f, 1);
    style.Colors[ImGuiCol_CheckMark] = yellow;
    style.Colors[ImGuiCol_SliderGrab] = yellow;
    style.Colors[ImGuiCol_SliderGrabActive] = yellow;
    style.Colors[ImGuiCol_Header] = ImVec4(0.25f, 0.25f, 0.0f, 1);
    style.Colors[ImGuiCol_HeaderHovered] = ImVec4(0.35f, 0.35f, 0.0f, 1);
    style.Colors[ImGuiCol_HeaderActive] = ImVec4(0.45f, 0.45f, 0.0f, 1);
    style.Colors[ImGuiCol_Tab] = ImVec4(0.1f, 0.1f, 0.1f, 1);
    style.Colors[ImGuiCol_TabActive] = ImVec4(0.35f, 0.35f, 0.0f, 1);
    style.Colors[ImGuiCol_TabHovered] = ImVec4(0.3f, 0.3f, 0.0f, 1);
    style.Colors[ImGuiCol_TableHeaderBg] = ImVec4(0.15f, 0.15f, 0.15f, 1);
    style.Colors[ImGuiCol_TableBorderStrong] = white;
    style.Colors[ImGuiCol_TableBorderLight] = ImVec4(0.6f, 0.6f, 0.6f, 1);
    style.Colors[ImGuiCol_TableRowBgAlt] = ImVec4(0.1f, 0.1f, 0.1f, 1);
    style.Colors[ImGuiCol_ScrollbarGrab] = white;
    style.Colors[ImGuiCol_Separator] = white;
    style.Colors[ImGuiCol_NavHighlight] = yellow;
    style.Colors[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.8f);
    style.FrameBorderSize = 2.0f;
    style.ChildBorderSize = 2.0f;
  } else {
    ImGui::StyleColorsLight(&style);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    style.Colors[ImGuiCol_Button] = ImVec4(0.84f, 0.89f, 0.96f, 1);
    style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.70f, 0.80f, 0.95f, 1);
    style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.55f, 0.70f, 0.92f, 1);
    style.Colors[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
    style.Colors[ImGuiCol_Border] = ImVec4(0.55f, 0.58f, 0.62f, 1);
    style.Colors[ImGuiCol_Text] = ImVec4(0.08f, 0.09f, 0.11f, 1);
    style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.35f, 0.37f, 0.40f, 1);
    style.FrameBorderSize = 1.0f;
    style.ChildBorderSize = 1.0f;
  }
  style.WindowRounding = 0;
  style.FrameRounding = 6.0f;
  style.ChildRounding = 6.0f;
  style.WindowPadding = ImVec2(16, 12);
  style.FramePadding = ImVec2(12, 10);
  style.ItemSpacing = ImVec2(12, 10);
  style.ItemInnerSpacing = ImVec2(10, 8);
  style.CellPadding = ImVec2(8, 6);
  style.ScaleAllSizes(s);
  // A finger can drag a scrollbar: 48 dp wide whatever the text size (a swipe scrolls too).
  style.ScrollbarSize = DpPx(t, kMinTouchPx);
  style.GrabMinSize = DpPx(t, kMinTouchPx);
  ImGui::GetStyle() = style;
}

Palette ColorsFor(const ThemeOptions& t) {
  if (t.high_contrast)
    return {ImVec4(0.3f, 1.0f, 0.3f, 1),    ImVec4(1.0f, 0.9f, 0.0f, 1),
            ImVec4(1.0f, 0.45f, 0.45f, 1),  ImVec4(0.5f, 0.85f, 1.0f, 1),
            ImVec4(0.85f, 0.85f, 0.85f, 1), ImVec4(0, 0, 0, 1)};
  return {ImVec4(0.05f, 0.45f, 0.15f, 1), ImVec4(0.62f, 0.38f, 0.0f, 1),
          ImVec4(0.72f, 0.08f, 0.08f, 1), ImVec4(0.05f, 0.30f, 0.65f, 1),
          ImVec4(0.35f, 0.37f, 0.40f, 1), ImVec4(1, 1, 1, 1)};
}

}  // namespace shelter::ui
