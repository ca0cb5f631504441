// The HQ dashboard's frame (the shared top bar, the navigation: a column, or the top bar's menu on
// a narrow screen) and the city summary panel.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "ui/hq/hq_panels.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

struct HqNavItem {
  const char* id;
  const char* key;
  HqScreen screen;
};
const HqNavItem kHqNav[] = {{"hq.nav.summary", "hq.nav.summary", HqScreen::kSummary},
                            {"hq.nav.table", "hq.nav.table", HqScreen::kTable},
                            {"hq.nav.map", "hq.nav.map", HqScreen::kMap},
                            {"hq.nav.trend", "hq.nav.trend", HqScreen::kTrend},
                            {"hq.nav.shelter", "hq.nav.shelter", HqScreen::kShelter},
                            {"hq.nav.anpi", "hq.nav.anpi", HqScreen::kAnpi},
                            {"hq.nav.settings", "nav.settings", HqScreen::kSettings}};

// The items, `w` wide (-1: the column's width); in the top bar's menu a choice closes it.
void HqNavItems(App& app, HqDashboard& hq, float w) {
  for (const auto& it : kHqNav) {
    if (it.screen == HqScreen::kShelter && !hq.selected) continue;
    if (Toggle(app, it.id, app.T(it.key), hq.screen == it.screen, w)) {
      hq.Go(it.screen);
      ImGui::CloseCurrentPopup();  // the menu (no-op in the column)
    }
  }
}

float HqNavWidth(App& app) {
  std::vector<std::string> labels;
  for (const auto& it : kHqNav) labels.push_back(app.T(it.key));
  return NavColumnWidth(app, labels);
}

// HQ's top bar: the title, how fresh the data is (or that the database failed), who is logged in;
// the navigation's menu on a narrow screen; log out while someone is logged in.
void DrawHqTopBar(App& app, HqDashboard& hq, bool compact) {
  Palette pal = ColorsFor(app.theme());
  std::vector<BarText> parts;
  parts.push_back({app.T("hq.title"), ImGui::GetStyleColorVec4(ImGuiCol_Text)});
  int64_t as_of = 0;
  for (const auto& s : hq.rows) as_of = std::max(as_of, s.as_of_ms);
  if (!hq.db_error.empty())
    parts.push_back({std::string("⚠ ") + app.T("hq.db_error"), pal.danger});
  else
    parts.push_back({app.F("hq.as_of", {{"time", HqTime(as_of, app.Now())}}), pal.muted});
  const bool session = app.node().session().has_value();
  if (session)
    parts.push_back(
        {std::string(app.T("staff.label")) + ": " + app.node().session()->handle, pal.muted});
  const std::function<void(float)> menu = [&](float w) { HqNavItems(app, hq, w); };
  if (DrawBar(app, "hq.topbar", parts, compact ? &menu : nullptr, session)) app.Logout();
}

}  // namespace

void HqDashboard::Draw(App& app) {
  // 安否 results are personal data: they go with the session, however it ended (log out, idle).
  if (!app.node().session()) anpi_results.reset();
  const float nav_w = HqNavWidth(app);
  const bool compact = NavFolds(nav_w);
  DrawHqTopBar(app, *this, compact);
  if (!compact) {
    ImGui::BeginChild("hq.nav", ImVec2(nav_w, 0), true);
    HqNavItems(app, *this, -1);
    ImGui::EndChild();
    ImGui::SameLine();
  }
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
      std::string name = "⚠ " + s.name;
      std::string how = std::to_string(static_cast<int>(s.used * 100 + 0.5)) + "% " +
                        app.T("hq.over") + " (" + std::to_string(s.pop.in_shelter) + " / " +
                        std::to_string(s.capacity) + ")";
      std::string label = name + " — " + how;
      float h = 0;  // the touch size
      if (ButtonWidth(app, label) > ImGui::GetContentRegionAvail().x) {
        // Too wide for one line (a narrow screen, large text): the shelter, then the figures.
        label = name + "\n" + how;
        h = ImGui::GetTextLineHeightWithSpacing() + ImGui::GetFontSize() +
            2 * ImGui::GetStyle().FramePadding.y;
      }
      ImGui::PushStyleColor(ImGuiCol_Text, pal.danger);
      bool go = Button(app, "hq.alarm." + s.common_id, label, -1, h);
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
