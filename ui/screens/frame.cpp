// The frame around every staff screen: the top bar and navigation (screens/top_bar.cpp), the
// screen's own scrolling page and the notice line. App::Draw picks the screen.
#include <algorithm>
#include <string>

#include "core/ops/status_report_build.hpp"
#include "ui/screens/screens.hpp"
#include "ui/screens/stays.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void App::Draw() {
  BeginFrame();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("shelter-app", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (mode_) {
    mode_->Draw(*this);
  } else if (screen_ == Screen::kLogin || kiosk.active) {
    // A page of its own with a scrollbar: on a small screen at large text the keypad and the
    // buttons below it are reached by a swipe (ui/touch_input) or the bar.
    ImGui::BeginChild(kiosk.active ? "kiosk.page" : "login.page", ImVec2(0, 0), false);
    if (screen_ == Screen::kLogin)
      DrawLogin(*this);
    else
      DrawKiosk(*this);
    EndPage();
    ImGui::EndChild();
  } else {
    const float nav_w = NavWidth(*this);  // once a frame: it measures every label
    const bool compact = NavFolds(nav_w);
    DrawTopBar(*this, compact);
    if (!compact) {
      DrawNav(*this, nav_w);
      ImGui::SameLine();
    }
    // One child per screen: each keeps its own scroll position, and a new screen starts at the top.
    // Under it the undo bar while a move can be undone.
    const float undo_h = UndoBarHeight(*this);
    ImGui::BeginGroup();
    ImGui::BeginChild(static_cast<ImGuiID>(1000 + static_cast<int>(screen_)), ImVec2(0, -undo_h),
                      false);
    switch (screen_) {
      case Screen::kDashboard: DrawDashboard(*this); break;
      case Screen::kRegister: DrawRegister(*this); break;
      case Screen::kSearch: DrawSearch(*this); break;
      case Screen::kHousehold: DrawHousehold(*this); break;
      case Screen::kNeeds: DrawNeeds(*this); break;
      case Screen::kPass: DrawPass(*this); break;
      case Screen::kSettings: DrawSettings(*this); break;
      case Screen::kVerify: DrawVerify(*this); break;
      case Screen::kSync: DrawSync(*this); break;
      case Screen::kReport: DrawReport(*this); break;
      case Screen::kCertificates: DrawCertificates(*this); break;
      case Screen::kAssessment: DrawAssessment(*this); break;
      default: break;
    }
    EndPage();
    ImGui::EndChild();
    DrawUndoBar(*this);
    ImGui::EndGroup();
  }
  DrawNotice(*this);
  ImGui::End();
}

void DrawNotice(App& app) {
  if (!app.notice()) return;
  Palette pal = ColorsFor(app.theme());
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  std::string text = (app.notice()->error ? "⚠ " : "✓ ") + app.notice()->text;
  ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, vp->WorkSize.x * 0.8f);
  ImVec2 pad(24, 14);
  // Over the top bar's middle: it never hides the buttons at the bottom of a form.
  ImVec2 p0(vp->WorkPos.x + (vp->WorkSize.x - size.x) / 2 - pad.x, vp->WorkPos.y + 10);
  ImVec2 p1(p0.x + size.x + 2 * pad.x, p0.y + size.y + 2 * pad.y);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  dl->AddRectFilled(
      p0, p1, ImGui::ColorConvertFloat4ToU32(app.notice()->error ? pal.danger : pal.ok), 8.0f);
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border), 8.0f, 0, 2.0f);
  dl->AddText(nullptr, 0.0f, ImVec2(p0.x + pad.x, p0.y + pad.y),
              ImGui::ColorConvertFloat4ToU32(pal.badge_text), text.c_str(), nullptr,
              vp->WorkSize.x * 0.8f);
  // Marks for event scripts: "notice.error" / "notice.ok", and "notice.latin" when the text has
  // Latin letters (a notice in Japanese must not carry untranslated English detail).
  ImGui::SetCursorScreenPos(p0);
  ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
  app.Mark(app.notice()->error ? "notice.error" : "notice.ok");
  for (char c : app.notice()->text)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      app.Mark("notice.latin");
      break;
    }
}

}  // namespace shelter::ui
