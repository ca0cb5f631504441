// Shelter dashboard: who is where (in shelter / out / at home / in car / ... / left), each tile
// opening the list of its people, capacity used, people in the shelter with care needs by kind,
// and records in conflict. Counts come from State::Counts.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <optional>

#include "ui/screens/screens.hpp"
#include "ui/screens/stays.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

std::string Figure(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf,
                v == static_cast<double>(static_cast<int64_t>(v)) ? "%.0f" : "%.2f", v);
  return buf;
}

// The Sphere figures (core/ops/facilities): each line says met / below / not recorded in words
// and with a mark, coloured as well; a missed figure is the danger colour with ⚠.
void DrawLivingConditions(App& app, const Palette& pal) {
  if (!app.living()) return;
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("living.title"));
  for (const core::LivingRatio& r : app.living()->ratios) {
    std::string line = app.T("living." + r.key);
    line += ": ";
    line += r.value ? Figure(*r.value) : std::string("—");
    line += " (" +
            app.F(r.at_most ? "living.at_most" : "living.at_least", {{"t", Figure(r.target)}}) +
            ") — ";
    ImVec4 color = pal.muted;
    const char* mark = "? ";
    switch (r.state) {
      case core::RatioState::kMet:
        line += app.T("living.met");
        color = pal.ok;
        mark = "✓ ";
        break;
      case core::RatioState::kMissed:
        line += app.T("living.missed");
        color = pal.danger;
        mark = "⚠ ";
        break;
      case core::RatioState::kUnknown: line += app.T("living.unknown"); break;
    }
    line = mark + line;
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextWrapped("%s", line.c_str());
    ImGui::PopStyleColor();
    app.Mark("living." + r.key + "." + core::RatioStateName(r.state));  // for test scripts
  }
}

// The facilities form under the figures: a lead or admin edits the counts and saves them (core
// checks the role again); anyone else sees the counts read-only and is told who may edit.
struct FacilitiesForm {
  bool open = false;
  std::string values[6];
  std::string message;
  std::string handle;  // whose form it is: another login starts closed
};
FacilitiesForm& Form() {
  static FacilitiesForm f;  // the app draws from one thread
  return f;
}

void DrawFacilitiesForm(App& app, const Palette& pal) {
  if (!app.living()) return;
  FacilitiesForm& form = Form();
  const core::Facilities& f = app.living()->facilities;
  const std::optional<int64_t>* now[] = {&f.toilets_women, &f.toilets_men, &f.toilets_accessible,
                                         &f.baths,         &f.floor_m2,    &f.beds};
  static const char* kItems[] = {"toilets_women", "toilets_men", "toilets_accessible",
                                 "baths",         "floor_m2",    "beds"};
  const auto& session = app.node().session();
  const bool may_edit = session && (session->role == core::StaffRole::kLead ||
                                    session->role == core::StaffRole::kAdmin);
  const std::string handle = session ? session->handle : "";
  if (form.handle != handle) {
    form = FacilitiesForm();
    form.handle = handle;
  }
  if (Button(app, "dash.facilities", app.T("living.edit"))) {
    form.open = !form.open;
    form.message.clear();
    for (int i = 0; i < 6; ++i) form.values[i] = *now[i] ? std::to_string(**now[i]) : "";
  }
  if (!form.open) return;
  if (!may_edit) ImGui::TextColored(pal.warn, "%s", app.T("living.lead_only"));
  Grid grid(ImGui::GetFontSize() * 12, 3);
  for (int i = 0; i < 6; ++i) {
    grid.Next();
    const std::string key = std::string("living.f.") + kItems[i];
    if (may_edit) {
      TextField(app, "facilities." + std::string(kItems[i]), app.T(key), &form.values[i],
                grid.cell_w(), ImGuiInputTextFlags_CharsDecimal);
    } else {
      ImGui::TextWrapped("%s: %s", app.T(key),
                         form.values[i].empty() ? "—" : form.values[i].c_str());
    }
  }
  if (!may_edit) return;
  if (Button(app, "facilities.save", app.T("living.save"))) {
    core::FacilitiesChange c;
    std::optional<int64_t>* out[] = {&c.toilets_women, &c.toilets_men, &c.toilets_accessible,
                                     &c.baths,         &c.floor_m2,    &c.beds};
    bool bad = false;
    for (int i = 0; i < 6; ++i) {
      const std::string& v = form.values[i];
      if (v.empty()) continue;
      int64_t n = -1;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size() || n < 0)
        bad = true;
      else if (!*now[i] || **now[i] != n)
        *out[i] = n;
    }
    if (bad) {
      form.message = app.T("living.bad_number");
    } else if (c.Empty()) {
      form.message = app.T("living.saved");
    } else if (auto s = app.SaveFacilities(c); s.ok()) {
      form.message = app.T("living.saved");
    } else {
      form.message = s.error().code == core::ErrorCode::kPermissionDenied
                         ? app.T("living.lead_only")
                         : app.T("living.bad_number");
    }
  }
  if (!form.message.empty()) ImGui::TextWrapped("%s", form.message.c_str());
}

}  // namespace

void DrawDashboard(App& app) {
  if (app.stays.list) return PeopleList(app, *app.stays.list);
  Palette pal = ColorsFor(app.theme());
  Heading(app, app.T("dashboard.title"));
  const auto& c = app.counts();
  // Where the people are (core/model/stay_status.hpp): a tap lists the people counted there.
  // Four tiles in a row where the labels fit, fewer on a narrow screen or at large text.
  using core::Whereabouts;
  struct Where {
    const char* id;
    const char* key;
    int64_t n;
    const char* icon;
    ImVec4 color;
    std::optional<Whereabouts> where;  // none: a tally, not a place
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
      {"tile.households", "dashboard.households", c.households, "■", pal.muted, std::nullopt},
      {"tile.needs", "dashboard.with_needs", c.in_shelter_with_needs, "♥", pal.warn, std::nullopt},
      {"tile.conflicts", "dashboard.conflicts", c.conflicts, "⚠",
       c.conflicts ? pal.danger : pal.muted, std::nullopt},
  };
  float min_w = 0;
  for (const auto& t : tiles) min_w = std::max(min_w, CountTileMinWidth(app.T(t.key), t.icon));
  Grid tile_grid(min_w, 4);
  for (const Where& t : tiles) {
    tile_grid.Next();
    if (CountTile(app, t.id, app.T(t.key), t.n, t.icon, t.color, tile_grid.cell_w())) {
      if (t.where)
        app.ShowPeople(*t.where);
      else if (std::string(t.id) == "tile.needs")
        app.Go(Screen::kNeeds);
    }
  }

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

  DrawLivingConditions(app, pal);
  DrawFacilitiesForm(app, pal);

  // Needs by kind, in shelter.
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("dashboard.needs_by_kind"));
  std::map<std::string, int> by_need;
  for (const auto& p : app.roster())
    if (p.InShelter())
      for (const auto& n : p.needs) ++by_need[n];
  if (by_need.empty()) ImGui::TextColored(pal.muted, "%s", app.T("dashboard.no_needs"));
  float need_w = 0;
  for (const auto& [code, n] : by_need)
    need_w = std::max(need_w, ButtonWidth(app, NeedLabel(app, code) + ": " + std::to_string(n)));
  Grid need_grid(need_w, 3);
  for (const auto& code : core::NeedCodes()) {
    auto it = by_need.find(code);
    if (it == by_need.end()) continue;
    need_grid.Next();
    std::string s = NeedLabel(app, code) + ": " + std::to_string(it->second);
    if (Button(app, "dash.need." + code, s, need_grid.cell_w())) app.Go(Screen::kNeeds);
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  if (Button(app, "dash.register", app.T("nav.register"))) app.Go(Screen::kRegister);
  FlowNext(ButtonWidth(app, app.T("nav.search")));
  if (Button(app, "dash.search", app.T("nav.search"))) app.Go(Screen::kSearch);
  FlowNext(ButtonWidth(app, app.T("nav.needs")));
  if (Button(app, "dash.needs", app.T("nav.needs"))) app.Go(Screen::kNeeds);
}

std::string NeedLabel(App& app, const std::string& code) {
  std::string key = "need." + code;
  if (app.catalog().Has(app.lang(), key) || app.catalog().Has(0, key)) return app.T(key);
  return code;
}

}  // namespace shelter::ui
