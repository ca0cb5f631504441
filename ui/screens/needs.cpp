// Needs board: everyone in the shelter with a care need, grouped by need, the urgent kinds first
// (power for a medical device, medical care, allergies, infants, pregnancy, ...). A shelter of
// thousands has long groups: only the rows on screen are drawn (ImGuiListClipper).
#include <algorithm>
#include <string>
#include <vector>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void DrawNeeds(App& app) {
  Palette pal = ColorsFor(app.theme());
  Heading(app, app.T("needs.title"));
  ImGui::TextWrapped("%s", app.T("needs.help"));
  static const char* kOrder[] = {"MED-POWER", "MED",   "ALG",   "INF",   "PRG", "DIS-P",
                                 "DIS-V",     "DIS-H", "DIS-I", "DIS-M", "NUR", "ELD",
                                 "CHR",       "ILL",   "DIET",  "FOR"};
  constexpr size_t kKinds = sizeof kOrder / sizeof kOrder[0];
  // One pass over the roster (thousands of people) sorts them into the kinds, in roster order.
  std::vector<const core::PersonSummary*> people[kKinds];
  for (const auto& p : app.roster()) {
    if (!p.InShelter()) continue;
    for (size_t k = 0; k < kKinds; ++k)
      if (std::find(p.needs.begin(), p.needs.end(), kOrder[k]) != p.needs.end())
        people[k].push_back(&p);
  }
  bool any = false;
  const float row_h = TouchPx(app.theme()) + ImGui::GetStyle().ItemSpacing.y;
  for (size_t k = 0; k < kKinds; ++k) {
    const char* code = kOrder[k];
    const auto& list = people[k];
    if (list.empty()) continue;
    any = true;
    ImGui::Spacing();
    bool urgent = std::string(code) == "MED-POWER" || std::string(code) == "MED";
    Badge((urgent ? "⚠ " : "♥ ") + NeedLabel(app, code) + " — " +
              app.F("needs.people", {{"n", std::to_string(list.size())}}),
          urgent ? pal.danger : pal.warn, pal.badge_text);
    // As many people in a row as their names fit (three at most); only the rows on screen are
    // laid out and drawn.
    auto label_of = [](const core::PersonSummary* p) {
      return p->name + "  (" + p->kana + ")  " + (p->dob.empty() ? "" : p->dob);
    };
    // The columns from the first names (measuring thousands every frame would cost more than
    // drawing them).
    float min_w = 0;
    for (size_t i = 0; i < std::min<size_t>(list.size(), 64); ++i)
      min_w = std::max(min_w, ButtonWidth(app, label_of(list[i])));
    Grid grid(min_w, 3);
    const size_t cols = static_cast<size_t>(grid.cols());
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>((list.size() + cols - 1) / cols), row_h);
    while (clipper.Step()) {
      for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
        size_t first = static_cast<size_t>(row) * cols;
        for (size_t i = first; i < std::min(list.size(), first + cols); ++i) {
          if (i != first) ImGui::SameLine();
          if (Button(app, std::string("needs.") + code + "." + std::to_string(i), label_of(list[i]),
                     grid.cell_w()))
            app.OpenHousehold(list[i]->household);
        }
      }
    }
    clipper.End();
  }
  if (!any) ImGui::TextDisabled("%s", app.T("dashboard.no_needs"));
}

}  // namespace shelter::ui
