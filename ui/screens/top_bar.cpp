// The top bar (DrawBar: a menu button on a narrow screen, texts, language and log out at the
// right; texts that do not fit beside the buttons get rows of their own), shared by the staff
// screens and HQ; the staff texts (shelter, battery, sync, staff) and the staff navigation: a
// column beside the screen, or on a narrow screen for the text size the top bar's menu.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "core/ops/status_report_build.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

using Part = BarText;

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

bool DrawBar(App& app, const char* id, const std::vector<BarText>& parts,
             const std::function<void(float)>* menu, bool logout) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float touch = TouchPx(app.theme());
  const std::string logout_label = app.T("nav.logout");
  const std::string menu_label = app.T("nav.menu");
  const float inner = ImGui::GetContentRegionAvail().x - 2 * st.WindowPadding.x;
  const float right = LanguageSwitchWidth(app) +
                      (logout ? st.ItemSpacing.x + ButtonWidth(app, logout_label) : 0.0f);
  const float left = menu ? ButtonWidth(app, menu_label) + st.ItemSpacing.x : 0;
  float texts = 0;
  for (const auto& p : parts)
    texts += (texts > 0 ? st.ItemSpacing.x : 0) + ImGui::CalcTextSize(p.text.c_str()).x;
  // The texts stay on the buttons' row when they fit there; otherwise they flow under it.
  const bool one_row = left + texts + st.ItemSpacing.x + right <= inner;
  const int text_rows = one_row ? 0 : RowsFor(parts, inner);
  const float h =
      touch + 2 * st.WindowPadding.y + text_rows * ImGui::GetTextLineHeightWithSpacing();
  ImGui::BeginChild(id, ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
  const float row_y = st.WindowPadding.y;
  if (menu) {
    if (Button(app, "nav.menu", menu_label)) ImGui::OpenPopup("nav-menu");
    if (ImGui::BeginPopup("nav-menu")) {
      (*menu)(std::max(ImGui::GetFontSize() * 10, touch * 4));
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
  bool out = false;
  if (logout) {
    ImGui::SameLine();
    out = Button(app, "nav.logout", logout_label);
  }
  if (!one_row) draw_texts(true);
  ImGui::EndChild();
  return out;
}

float NavColumnWidth(App& app, const std::vector<std::string>& labels) {
  float w = std::max(ImGui::GetFontSize() * 9.0f, 200.0f);
  float widest = 0;
  for (const auto& l : labels) widest = std::max(widest, ButtonWidth(app, "✓ " + l));
  const ImGuiStyle& st = ImGui::GetStyle();
  return std::max(w, widest + 2 * st.WindowPadding.x + st.ScrollbarSize + 2);
}

bool NavFolds(float nav_width) {
  // A narrow screen for the text size (1024x600 at 200 %) folds the navigation column into a
  // menu in the top bar: the screen gets the whole width. So does a column whose longest label
  // would take more than a third of the width.
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  return vp->WorkSize.x < ImGui::GetFontSize() * kCompactWidthEm || nav_width > vp->WorkSize.x / 3;
}

void DrawTopBar(App& app, bool compact) {
  const std::function<void(float)> menu = [&](float w) { NavItems(app, w); };
  if (DrawBar(app, "topbar", StatusParts(app), compact ? &menu : nullptr, true)) app.Logout();
}

float NavWidth(App& app) {
  std::vector<std::string> labels{app.T("nav.kiosk")};
  for (const auto& it : kNavItems) labels.push_back(app.T(it.key));
  return NavColumnWidth(app, labels);
}

void DrawNav(App& app, float width) {
  ImGui::BeginChild("nav", ImVec2(width, 0), true);
  NavItems(app, -1);
  ImGui::EndChild();
}

}  // namespace shelter::ui
