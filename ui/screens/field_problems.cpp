// Problems beside the fields that caused them: a ⚠ line in the danger colour (an icon and words,
// never colour alone) under each field, in the UI language, and the English detail for staff
// folded away under "details".
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

std::string ProblemText(App& app, const core::FieldProblem& p) {
  std::string specific = "problem." + p.field + "." + p.code;
  if (app.catalog().Has(0, specific)) return app.T(specific);
  std::string general = "problem." + p.code;
  if (app.catalog().Has(0, general)) return app.T(general);
  return app.T("error.invalid");
}

void FieldProblems(App& app, FormProblems* problems, int member, int pet, const char* field,
                   const std::string& mark_id) {
  if (!problems) return;
  Palette pal = ColorsFor(app.theme());
  for (const auto& p : problems->list) {
    if (p.member != member || p.pet != pet || p.field != field) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, pal.danger);
    ImGui::TextWrapped("⚠ %s", ProblemText(app, p).c_str());
    ImGui::PopStyleColor();
    app.Mark(mark_id);
    if (problems->scroll) {  // the first problem drawn: bring it into view once
      ImGui::SetScrollHereY(0.3f);
      problems->scroll = false;
    }
  }
}

void ProblemDetails(App& app, const std::string& id, FormProblems& problems) {
  if (problems.detail.empty()) return;
  if (Toggle(app, id, app.T("error.details"), problems.details_open))
    problems.details_open = !problems.details_open;
  if (!problems.details_open) return;
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", problems.detail.c_str());
  ImGui::PopTextWrapPos();
  app.Mark(id + ".open");
}

}  // namespace shelter::ui
