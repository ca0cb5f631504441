// The person form: one person's fields as the register screen (a draft member) and the household
// editor (a stored member, or a new one) draw them, with the same ids under each screen's prefix,
// and the problems of a refused save under the fields they belong to.
#include <algorithm>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

// A labelled field with its problems under it, `w` wide (so two can share a row).
void FieldWithProblems(App& app, const std::string& id, const char* label, std::string* value,
                       float w, FormProblems* problems, int member, const char* field,
                       const std::string& error_id) {
  ImGui::BeginGroup();
  TextField(app, id, label, value, w);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
  FieldProblems(app, problems, member, -1, field, error_id + field);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

}  // namespace

void PersonForm(App& app, const std::string& id, core::Person& m, PersonFormKind kind,
                FormProblems* problems, int member, const std::string& error_id) {
  const bool draft = kind == PersonFormKind::kDraft;
  float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (BeyondBmp(m.name)) ImGui::TextWrapped("⚠ %s", app.T("register.kept_as_read"));
  FieldWithProblems(app, id + "name", app.T("person.name"), &m.name, half, problems, member,
                    core::field::kName, error_id);
  ImGui::SameLine();
  FieldWithProblems(app, id + "kana", app.T("person.kana"), &m.kana, half, problems, member,
                    core::field::kKana, error_id);
  FieldWithProblems(app, id + "dob", app.T("person.dob"), &m.dob, half, problems, member,
                    core::field::kDob, error_id);
  ImGui::SameLine();
  if (draft)
    TextField(app, id + "phone", app.T("person.phone"), &m.phone, half);
  else
    TextField(app, id + "note", app.T("person.note"), &m.note, half);
  ImGui::TextUnformatted(app.T("person.sex"));
  for (const char* s : {"female", "male", "other", "unanswered"}) {
    if (std::string(s) != "female")
      FlowNext(ImGui::CalcTextSize(app.T(std::string("sex.") + s)).x + ImGui::GetFontSize() * 2.5f);
    if (Toggle(app, id + "sex." + s, app.T(std::string("sex.") + s), m.sex == s)) m.sex = s;
  }
  FieldProblems(app, problems, member, -1, core::field::kSex, error_id + core::field::kSex);
  ImGui::TextUnformatted(app.T("person.needs"));
  CodeToggles(
      app, id + "need.", core::NeedCodes(), [&](const std::string& c) { return NeedLabel(app, c); },
      &m.needs);
  FieldProblems(app, problems, member, -1, core::field::kNeeds, error_id + core::field::kNeeds);
  FieldProblems(app, problems, member, -1, core::field::kCareLevel,
                error_id + core::field::kCareLevel);
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
