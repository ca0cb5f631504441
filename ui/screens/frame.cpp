// The frame around every staff screen: top bar (shelter, battery, staff, language, log out), the
// navigation column and the notice line. App::Draw picks the screen.
#include <algorithm>
#include <string>

#include "core/ops/status_report_build.hpp"
#include "ui/screens/screens.hpp"
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
    DrawTopBar(*this);
    DrawNav(*this);
    ImGui::SameLine();
    // One child per screen: each keeps its own scroll position, and a new screen starts at the top.
    ImGui::BeginChild(static_cast<ImGuiID>(1000 + static_cast<int>(screen_)), ImVec2(0, 0), false);
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
      default: break;
    }
    EndPage();
    ImGui::EndChild();
  }
  DrawNotice(*this);
  ImGui::End();
}

void DrawTopBar(App& app) {
  Palette pal = ColorsFor(app.theme());
  float h = TouchPx(app.theme()) + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::BeginChild("topbar", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
  ImGui::AlignTextToFramePadding();
  std::string title = app.shelter().name.empty() ? app.T("app.title") : app.shelter().name;
  ImGui::SetCursorPosY((h - ImGui::GetFontSize()) / 2 - 2);
  ImGui::TextUnformatted(title.c_str());
  ImGui::SameLine();
  // Battery: a number and words, never a colour alone.
  std::string battery;
  if (app.power() && app.power()->percent) {
    battery = app.F("battery.percent", {{"n", std::to_string(*app.power()->percent)}});
    if (app.power()->charging) battery += " · " + std::string(app.T("battery.charging"));
  } else if (app.power() && app.power()->on_ac) {
    battery = app.T("battery.ac");
  } else {
    battery = app.T("battery.unknown");
  }
  if (app.low_power()) battery += " · " + std::string(app.T("battery.low_power"));
  bool low =
      app.power() && app.power()->percent && *app.power()->percent <= 20 && !app.power()->on_ac;
  ImGui::TextColored(low ? pal.danger : pal.muted, "%s%s", low ? "⚠ " : "", battery.c_str());
  ImGui::SameLine();
  if (app.background_sync()) {
    const sync::SyncSnapshot& ss = app.sync.snap;
    std::string st;
    bool warn = false;
    if (!app.background_sync()->config().enabled) {
      st = app.T("sync.disabled");
    } else if (ss.error) {
      st = app.T("sync.error");
      warn = true;
    } else if (ss.last_sync_ms) {
      int64_t mins = std::max<int64_t>(0, (app.Now() - ss.last_sync_ms) / 60'000);
      st = app.F("sync.header_last", {{"n", std::to_string(mins)}});
    } else {
      st = app.T("sync.header_waiting");
    }
    ImGui::TextColored(warn ? pal.danger : pal.muted, "%s%s", warn ? "⚠ " : "", st.c_str());
    app.Mark("topbar.sync");
    ImGui::SameLine();
  }
  if (app.node().session())
    ImGui::TextColored(pal.muted, "%s: %s", app.T("staff.label"),
                       app.node().session()->handle.c_str());
  // Right-aligned: language and log out.
  std::string logout = app.T("nav.logout");
  float pad = ImGui::GetStyle().FramePadding.x * 2;
  float right = LanguageSwitchWidth(app) + ImGui::CalcTextSize(logout.c_str()).x + pad +
                ImGui::GetStyle().ItemSpacing.x + ImGui::GetStyle().WindowPadding.x + 8;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - right));
  ImGui::SetCursorPosY(ImGui::GetStyle().WindowPadding.y);
  LanguageSwitch(app, "lang");
  ImGui::SameLine();
  if (Button(app, "nav.logout", logout)) app.Logout();
  ImGui::EndChild();
}

void DrawNav(App& app) {
  float w = std::max(ImGui::GetFontSize() * 9.0f, 200.0f);
  ImGui::BeginChild("nav", ImVec2(w, 0), true);
  struct Item {
    const char* id;
    const char* key;
    Screen screen;
  };
  const Item items[] = {{"nav.dashboard", "nav.dashboard", Screen::kDashboard},
                        {"nav.register", "nav.register", Screen::kRegister},
                        {"nav.search", "nav.search", Screen::kSearch},
                        {"nav.needs", "nav.needs", Screen::kNeeds},
                        {"nav.verify", "nav.verify", Screen::kVerify},
                        {"nav.sync", "nav.sync", Screen::kSync},
                        {"nav.report", "nav.report", Screen::kReport},
                        {"nav.settings", "nav.settings", Screen::kSettings}};
  const bool may_report = core::MayReportStatus(app.node(), app.node().device().shelter_scope).ok();
  for (const auto& it : items)
    if ((it.screen != Screen::kReport || may_report) &&
        Toggle(app, it.id, app.T(it.key), app.screen() == it.screen, -1))
      app.Go(it.screen);
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  if (Button(app, "nav.kiosk", app.T("nav.kiosk"), -1)) app.EnterKiosk();
  ImGui::EndChild();
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
