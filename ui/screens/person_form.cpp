// The person form: one person's fields as the register screen (a draft member) and the household
// editor (a stored member) both draw them, with the same ids under each screen's prefix.
#include <algorithm>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void PersonForm(App& app, const std::string& id, core::Person& m, PersonFormKind kind) {
  const bool draft = kind == PersonFormKind::kDraft;
  float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (BeyondBmp(m.name)) ImGui::TextWrapped("⚠ %s", app.T("register.kept_as_read"));
  TextField(app, id + "name", app.T("person.name"), &m.name, half);
  ImGui::SameLine();
  TextField(app, id + "kana", app.T("person.kana"), &m.kana, half);
  TextField(app, id + "dob", app.T("person.dob"), &m.dob, half);
  ImGui::SameLine();
  if (draft)
    TextField(app, id + "phone", app.T("person.phone"), &m.phone, half);
  else
    TextField(app, id + "note", app.T("person.note"), &m.note, half);
  if (draft) {
    ImGui::TextUnformatted(app.T("person.sex"));
    for (const char* s : {"female", "male", "other", "unanswered"}) {
      if (std::string(s) != "female")
        FlowNext(ImGui::CalcTextSize(app.T(std::string("sex.") + s)).x +
                 ImGui::GetFontSize() * 2.5f);
      if (Toggle(app, id + "sex." + s, app.T(std::string("sex.") + s), m.sex == s)) m.sex = s;
    }
  }
  ImGui::TextUnformatted(app.T("person.needs"));
  CodeToggles(
      app, id + "need.", core::NeedCodes(), [&](const std::string& c) { return NeedLabel(app, c); },
      &m.needs);
  if (!draft) return;
  bool allergic = std::find(m.needs.begin(), m.needs.end(), "ALG") != m.needs.end();
  if (allergic || !m.allergies.empty()) {
    ImGui::TextUnformatted(app.T("person.allergies"));
    CodeToggles(
        app, id + "alg.", core::AllergenCodes(),
        [&](const std::string& a) { return std::string(app.T("allergen." + a)); }, &m.allergies);
  }
}

}  // namespace shelter::ui
