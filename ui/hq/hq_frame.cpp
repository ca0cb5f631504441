// The HQ dashboard's frame (top bar, navigation column) and the city summary panel.
#include <string>

#include "ui/hq/hq_panels.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

void DrawHqTopBar(App& app, HqDashboard& hq) {
  Palette pal = ColorsFor(app.theme());
  float h = TouchPx(app.theme()) + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::BeginChild("hq.topbar", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
  ImGui::SetCursorPosY((h - ImGui::GetFontSize()) / 2 - 2);
  ImGui::TextUnformatted(app.T("hq.title"));
  ImGui::SameLine();
  int64_t as_of = 0;
  for (const auto& s : hq.rows) as_of = std::max(as_of, s.as_of_ms);
  if (!hq.db_error.empty())
    ImGui::TextColored(pal.danger, "⚠ %s", app.T("hq.db_error"));
  else
    ImGui::TextColored(pal.muted, "%s",
                       app.F("hq.as_of", {{"time", HqTime(as_of, app.Now())}}).c_str());
  std::string who;
  if (const auto& s = app.node().session()) {
    ImGui::SameLine();
    ImGui::TextColored(pal.muted, "%s: %s", app.T("staff.label"), s->handle.c_str());
  }
  // Right-aligned: language, and log out while someone is logged in.
  std::string lang_label =
      std::string(app.T("lang.switch")) + ": " + app.catalog().Text(app.lang(), "lang.name");
  std::string logout = app.T("nav.logout");
  float pad = ImGui::GetStyle().FramePadding.x * 2;
  float right =
      ImGui::CalcTextSize(lang_label.c_str()).x + pad + ImGui::GetStyle().WindowPadding.x + 8;
  if (app.node().session())
    right += ImGui::CalcTextSize(logout.c_str()).x + pad + ImGui::GetStyle().ItemSpacing.x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - right));
  ImGui::SetCursorPosY(ImGui::GetStyle().WindowPadding.y);
  LanguageSwitch(app, "lang");
  if (app.node().session()) {
    ImGui::SameLine();
    if (Button(app, "hq.logout", logout)) {
      hq.anpi_results.reset();
      app.Logout();
    }
  }
  ImGui::EndChild();
}

void DrawHqNav(App& app, HqDashboard& hq) {
  float w = std::max(ImGui::GetFontSize() * 9.0f, 200.0f);
  ImGui::BeginChild("hq.nav", ImVec2(w, 0), true);
  struct Item {
    const char* id;
    const char* key;
    HqScreen screen;
  };
  const Item items[] = {{"hq.nav.summary", "hq.nav.summary", HqScreen::kSummary},
                        {"hq.nav.table", "hq.nav.table", HqScreen::kTable},
                        {"hq.nav.map", "hq.nav.map", HqScreen::kMap},
                        {"hq.nav.trend", "hq.nav.trend", HqScreen::kTrend},
                        {"hq.nav.shelter", "hq.nav.shelter", HqScreen::kShelter},
                        {"hq.nav.anpi", "hq.nav.anpi", HqScreen::kAnpi},
                        {"hq.nav.settings", "nav.settings", HqScreen::kSettings}};
  for (const auto& it : items) {
    if (it.screen == HqScreen::kShelter && !hq.selected) continue;
    if (Toggle(app, it.id, app.T(it.key), hq.screen == it.screen, -1)) hq.Go(it.screen);
  }
  ImGui::EndChild();
}

}  // namespace

void HqDashboard::Draw(App& app) {
  DrawHqTopBar(app, *this);
  DrawHqNav(app, *this);
  ImGui::SameLine();
  ImGui::BeginChild(static_cast<ImGuiID>(2000 + static_cast<int>(screen)), ImVec2(0, 0), false);
  switch (screen) {
    case HqScreen::kSummary: DrawHqSummary(app, *this); break;
    case HqScreen::kTable: DrawHqTable(app, *this); break;
    case HqScreen::kMap: DrawHqMap(app, *this); break;
    case HqScreen::kTrend: DrawHqTrend(app, *this); break;
    case HqScreen::kShelter: DrawHqShelter(app, *this); break;
    case HqScreen::kAnpi: DrawHqAnpi(app, *this); break;
    case HqScreen::kSettings: DrawSettings(app); break;
  }
  EndPage();
  ImGui::EndChild();
}

void DrawHqSummary(App& app, HqDashboard& hq) {
  Palette pal = ColorsFor(app.theme());
  const hq::CitySummary& c = hq.city;
  Heading(app, app.T("hq.summary.title"));
  ImGui::TextUnformatted(
      app.F("hq.summary.shelters", {{"n", std::to_string(c.shelters)},
                                    {"open", std::to_string(c.shelters_open)},
                                    {"reports", std::to_string(c.shelters_from_reports)}})
          .c_str());
  const hq::Population& p = c.total;
  HqTileGrid(app,
             {{"hq.tile.in_shelter", app.T("status.in_shelter"), p.in_shelter, "●", pal.ok},
              {"hq.tile.out", app.T("status.out"), p.out, "○", pal.muted},
              {"hq.tile.at_home", app.T("status.at_home"), p.at_home, "⌂", pal.info},
              {"hq.tile.in_car", app.T("status.in_car"), p.in_car, "▣", pal.info},
              {"hq.tile.persons", app.T("hq.persons"), p.persons, "■", pal.muted},
              {"hq.tile.households", app.T("dashboard.households"), p.households, "■", pal.muted},
              {"hq.tile.infants", app.T("hq.infants"), p.infants, "◌", pal.info},
              {"hq.tile.in_shelter_with_needs", app.T("dashboard.with_needs"),
               p.in_shelter_with_needs, "♥", pal.warn}});

  ImGui::Spacing();
  if (c.capacity > 0) {
    int pct = static_cast<int>(100.0 * static_cast<double>(p.in_shelter) / c.capacity + 0.5);
    ImGui::TextUnformatted(app.F("dashboard.capacity", {{"n", std::to_string(p.in_shelter)},
                                                        {"cap", std::to_string(c.capacity)},
                                                        {"pct", std::to_string(pct)}})
                               .c_str());
  }
  // Over-capacity alarms: words and an icon, each a button into the shelter's drill-down.
  ImGui::Spacing();
  if (c.shelters_over_capacity == 0) {
    ImGui::TextColored(pal.ok, "✓ %s", app.T("hq.alarm.none"));
  } else {
    ImGui::TextColored(
        pal.danger, "⚠ %s",
        app.F("hq.alarm.title", {{"n", std::to_string(c.shelters_over_capacity)}}).c_str());
    for (const auto& s : hq.rows) {
      if (!s.over_capacity) continue;
      std::string label = "⚠ " + s.name + " — " +
                          std::to_string(static_cast<int>(s.used * 100 + 0.5)) + "% " +
                          app.T("hq.over") + " (" + std::to_string(s.pop.in_shelter) + " / " +
                          std::to_string(s.capacity) + ")";
      ImGui::PushStyleColor(ImGuiCol_Text, pal.danger);
      bool go = Button(app, "hq.alarm." + s.common_id, label, -1);
      ImGui::PopStyleColor();
      if (go) hq.Select(app, s.id, true);
    }
  }
  ImGui::Spacing();
  ImGui::Separator();
  BigText(app, app.T("hq.by_sex_band"), kHeadingScale);
  HqSexBandTable(app, "hq.summary.sexband", c.in_shelter_by_sex_band);
  ImGui::Spacing();
  BigText(app, app.T("hq.needs_title"), kHeadingScale);
  HqNeedsTable(app, "hq.summary.needs", c.in_shelter_needs, c.outside_needs);
}

}  // namespace shelter::ui
