// The top bar of the staff screens (shelter, battery, sync, staff; language and log out at the
// right) and the navigation: a column beside the screen, or on a narrow screen for the text size
// a menu button in the top bar. Texts that do not fit beside the buttons get rows of their own.
#include <algorithm>
#include <string>
#include <vector>

#include "core/ops/status_report_build.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

struct Part {
  std::string text;
  ImVec4 color;
  const char* mark;  // nullptr: none
};

std::vector<Part> StatusParts(App& app) {
  Palette pal = ColorsFor(app.theme());
  std::vector<Part> parts;
  parts.push_back({app.shelter().name.empty() ? app.T("app.title") : app.shelter().name,
                   ImGui::GetStyleColorVec4(ImGuiCol_Text), nullptr});
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
  parts.push_back({(low ? "⚠ " : "") + battery, low ? pal.danger : pal.muted, nullptr});
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
    parts.push_back({(warn ? "⚠ " : "") + st, warn ? pal.danger : pal.muted, "topbar.sync"});
  }
  if (app.node().session())
    parts.push_back({std::string(app.T("staff.label")) + ": " + app.node().session()->handle,
                     pal.muted, nullptr});
  return parts;
}

// Rows the texts take when they flow in `width` (a text wider than the row wraps).
int RowsFor(const std::vector<Part>& parts, float width) {
  float spacing = ImGui::GetStyle().ItemSpacing.x, x = 0;
  int rows = 1;
  for (const auto& p : parts) {
    float w = ImGui::CalcTextSize(p.text.c_str()).x;
    if (w > width) {  // wraps on rows of its own
      rows += (x > 0 ? 1 : 0) + static_cast<int>(w / width);
      x = w - width * static_cast<int>(w / width);
      continue;
    }
    if (x > 0 && x + spacing + w > width) {
      ++rows;
      x = 0;
    }
    x += (x > 0 ? spacing : 0) + w;
  }
  return rows;
}

struct NavItem {
  const char* id;
  const char* key;
  Screen screen;
};
const NavItem kNavItems[] = {{"nav.dashboard", "nav.dashboard", Screen::kDashboard},
                             {"nav.register", "nav.register", Screen::kRegister},
                             {"nav.search", "nav.search", Screen::kSearch},
                             {"nav.needs", "nav.needs", Screen::kNeeds},
                             {"nav.verify", "nav.verify", Screen::kVerify},
                             {"nav.sync", "nav.sync", Screen::kSync},
                             {"nav.report", "nav.report", Screen::kReport},
                             {"nav.settings", "nav.settings", Screen::kSettings}};

void NavItems(App& app, float w) {
  const bool may_report = core::MayReportStatus(app.node(), app.node().device().shelter_scope).ok();
  for (const auto& it : kNavItems)
    if ((it.screen != Screen::kReport || may_report) &&
        Toggle(app, it.id, app.T(it.key), app.screen() == it.screen, w)) {
      app.Go(it.screen);
      ImGui::CloseCurrentPopup();  // the menu (no-op in the column)
    }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  if (Button(app, "nav.kiosk", app.T("nav.kiosk"), w)) app.EnterKiosk();
}

}  // namespace

void DrawTopBar(App& app, bool compact) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float touch = TouchPx(app.theme());
  const std::vector<Part> parts = StatusParts(app);
  const std::string logout = app.T("nav.logout");
  const std::string menu = app.T("nav.menu");
  const float inner = ImGui::GetContentRegionAvail().x - 2 * st.WindowPadding.x;
  const float right = LanguageSwitchWidth(app) + st.ItemSpacing.x + ButtonWidth(app, logout);
  const float left = compact ? ButtonWidth(app, menu) + st.ItemSpacing.x : 0;
  float texts = 0;
  for (const auto& p : parts)
    texts += (texts > 0 ? st.ItemSpacing.x : 0) + ImGui::CalcTextSize(p.text.c_str()).x;
  // The texts stay on the buttons' row when they fit there; otherwise they flow under it.
  const bool one_row = left + texts + st.ItemSpacing.x + right <= inner;
  const int text_rows = one_row ? 0 : RowsFor(parts, inner);
  const float h =
      touch + 2 * st.WindowPadding.y + text_rows * ImGui::GetTextLineHeightWithSpacing();
  ImGui::BeginChild("topbar", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
  const float row_y = st.WindowPadding.y;
  if (compact) {
    if (Button(app, "nav.menu", menu)) ImGui::OpenPopup("nav-menu");
    if (ImGui::BeginPopup("nav-menu")) {
      NavItems(app, std::max(ImGui::GetFontSize() * 10, touch * 4));
      ImGui::EndPopup();
    }
    ImGui::SameLine();
  }
  auto draw_texts = [&](bool flow) {
    for (size_t i = 0; i < parts.size(); ++i) {
      float w = ImGui::CalcTextSize(parts[i].text.c_str()).x;
      if (i > 0) {
        if (flow)
          FlowNext(w);
        else
          ImGui::SameLine();
      }
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(parts[i].color, "%s", parts[i].text.c_str());
      ImGui::PopTextWrapPos();
      if (parts[i].mark) app.Mark(parts[i].mark);
    }
  };
  if (one_row) {
    ImGui::SetCursorPosY(row_y + (touch - ImGui::GetFontSize()) / 2);
    draw_texts(false);
    ImGui::SameLine();
  }
  // Right-aligned: language and log out.
  ImGui::SetCursorPos(
      ImVec2(std::max(ImGui::GetCursorPosX(), st.WindowPadding.x + inner - right), row_y));
  LanguageSwitch(app, "lang");
  ImGui::SameLine();
  if (Button(app, "nav.logout", logout)) app.Logout();
  if (!one_row) draw_texts(true);
  ImGui::EndChild();
}

float NavWidth(App& app) {
  float w = std::max(ImGui::GetFontSize() * 9.0f, 200.0f);
  float labels = ButtonWidth(app, app.T("nav.kiosk"));
  for (const auto& it : kNavItems)
    labels = std::max(labels, ButtonWidth(app, std::string("✓ ") + app.T(it.key)));
  const ImGuiStyle& st = ImGui::GetStyle();
  return std::max(w, labels + 2 * st.WindowPadding.x + st.ScrollbarSize + 2);
}

void DrawNav(App& app) {
  float w = NavWidth(app);
  ImGui::BeginChild("nav", ImVec2(w, 0), true);
  NavItems(app, -1);
  ImGui::EndChild();
}

}  // namespace shelter::ui
