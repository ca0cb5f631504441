// Shelter dashboard: who is where (in shelter / out / at home / in car / ... / left), each tile
// opening the list of its people, capacity used, people in the shelter with care needs by kind,
// records in conflict, and the undo bar after a move. Counts come from State::Counts.
#include <map>

#include "ui/screens/screens.hpp"
#include "ui/screens/stays.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void DrawDashboard(App& app) {
  if (app.stays.list) return PeopleList(app, *app.stays.list);
  Palette pal = ColorsFor(app.theme());
  Heading(app, app.T("dashboard.title"));
  UndoBar(app);
  const auto& c = app.counts();
  float avail = ImGui::GetContentRegionAvail().x;
  float w = (avail - 3 * ImGui::GetStyle().ItemSpacing.x) / 4;
  // Where the people are (core/model/stay_status.hpp): a tap lists the people counted there.
  using core::Whereabouts;
  struct Where {
    const char* id;
    const char* key;
    int64_t n;
    const char* icon;
    ImVec4 color;
    Whereabouts where;
  };
  const Where tiles[] = {
      {"tile.in", "status.in_shelter", c.in_shelter, "●", pal.ok, Whereabouts::kInShelter},
      {"tile.out", "status.out", c.out, "○", pal.muted, Whereabouts::kOut},
      {"tile.home", "status.at_home", c.at_home, "⌂", pal.info, Whereabouts::kAtHome},
      {"tile.car", "status.in_car", c.in_car, "▣", pal.info, Whereabouts::kInCar},
      {"tile.elsewhere", "status.elsewhere", c.elsewhere, "…", pal.info, Whereabouts::kElsewhere},
      {"tile.not_arrived", "status.not_arrived", c.never_arrived, "◌", pal.muted,
       Whereabouts::kNeverArrived},
      {"tile.left", "status.left", c.left, "→", pal.muted, Whereabouts::kLeft},
  };
  int col = 0;
  for (const Where& t : tiles) {
    if (col++ % 4) ImGui::SameLine();
    if (CountTile(app, t.id, app.T(t.key), t.n, t.icon, t.color, w)) app.ShowPeople(t.where);
  }
  ImGui::SameLine();
  CountTile(app, "tile.households", app.T("dashboard.households"), c.households, "■", pal.muted, w);
  if (CountTile(app, "tile.needs", app.T("dashboard.with_needs"), c.in_shelter_with_needs, "♥",
                pal.warn, w))
    app.Go(Screen::kNeeds);
  ImGui::SameLine();
  CountTile(app, "tile.conflicts", app.T("dashboard.conflicts"), c.conflicts, "⚠",
            c.conflicts ? pal.danger : pal.muted, w);

  // Capacity: a bar with its numbers and words; over capacity is said, not only coloured.
  ImGui::Spacing();
  int64_t cap = app.shelter().capacity;
  if (cap > 0) {
    float frac = static_cast<float>(c.in_shelter) / static_cast<float>(cap);
    std::string text =
        app.F("dashboard.capacity", {{"n", std::to_string(c.in_shelter)},
                                     {"cap", std::to_string(cap)},
                                     {"pct", std::to_string(static_cast<int>(frac * 100 + 0.5f))}});
    if (frac > 1.0f) text = "⚠ " + text + " — " + app.T("dashboard.over_capacity");
    ImGui::TextUnformatted(text.c_str());
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, frac > 1.0f   ? pal.danger
                                                  : frac > 0.9f ? pal.warn
                                                                : pal.ok);
    ImGui::ProgressBar(std::min(frac, 1.0f), ImVec2(-1, ImGui::GetFontSize() * 1.2f), "");
    ImGui::PopStyleColor();
  } else {
    ImGui::TextUnformatted(app.T("dashboard.capacity_unknown"));
  }

  // Needs by kind, in shelter.
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("dashboard.needs_by_kind"));
  std::map<std::string, int> by_need;
  for (const auto& p : app.roster())
    if (p.InShelter())
      for (const auto& n : p.needs) ++by_need[n];
  if (by_need.empty()) ImGui::TextColored(pal.muted, "%s", app.T("dashboard.no_needs"));
  col = 0;
  for (const auto& code : core::NeedCodes()) {
    auto it = by_need.find(code);
    if (it == by_need.end()) continue;
    if (col++ % 3 != 0) ImGui::SameLine();
    std::string s = NeedLabel(app, code) + ": " + std::to_string(it->second);
    if (Button(app, "dash.need." + code, s, avail / 3 - 10)) app.Go(Screen::kNeeds);
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  if (Button(app, "dash.register", app.T("nav.register"))) app.Go(Screen::kRegister);
  ImGui::SameLine();
  if (Button(app, "dash.search", app.T("nav.search"))) app.Go(Screen::kSearch);
  ImGui::SameLine();
  if (Button(app, "dash.needs", app.T("nav.needs"))) app.Go(Screen::kNeeds);
}

std::string NeedLabel(App& app, const std::string& code) {
  std::string key = "need." + code;
  if (app.catalog().Has(app.lang(), key) || app.catalog().Has(0, key)) return app.T(key);
  return code;
}

}  // namespace shelter::ui
