// Needs board: everyone in the shelter with a care need, grouped by need, the urgent kinds first
// (power for a medical device, medical care, allergies, infants, pregnancy, ...).
#include <string>

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
  bool any = false;
  for (const char* code : kOrder) {
    std::vector<const core::PersonSummary*> people;
    for (const auto& p : app.roster())
      if (p.InShelter() && std::find(p.needs.begin(), p.needs.end(), code) != p.needs.end())
        people.push_back(&p);
    if (people.empty()) continue;
    any = true;
    ImGui::Spacing();
    bool urgent = std::string(code) == "MED-POWER" || std::string(code) == "MED";
    Badge((urgent ? "⚠ " : "♥ ") + NeedLabel(app, code) + " — " +
              app.F("needs.people", {{"n", std::to_string(people.size())}}),
          urgent ? pal.danger : pal.warn, pal.badge_text);
    for (size_t i = 0; i < people.size(); ++i) {
      const auto* p = people[i];
      std::string label = p->name + "  (" + p->kana + ")  " + (p->dob.empty() ? "" : p->dob);
      if (i > 0) FlowNext(ButtonWidth(app, label));  // as many in a row as fit
      if (Button(app, std::string("needs.") + code + "." + std::to_string(i), label))
        app.OpenHousehold(p->household);
    }
  }
  if (!any) ImGui::TextDisabled("%s", app.T("dashboard.no_needs"));
}

}  // namespace shelter::ui
