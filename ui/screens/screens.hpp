// One function per screen or panel; each draws from App's state and calls App's actions.
// UI thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ui/app.hpp"

namespace shelter::ui {

// Below this many font sizes of width the navigation column folds into the top bar's menu.
inline constexpr float kCompactWidthEm = 40.0f;
// A text of a top bar, in `color`, marked `mark` for event scripts unless null.
struct BarText {
  std::string text;
  ImVec4 color;
  const char* mark = nullptr;
};
// A top bar in a child `id`: a menu button "nav.menu" when `menu` is given (drawn in its popup at
// a width it is passed), `parts`, and at the right the language switch and, when `logout`, the
// button "nav.logout". True when log out was pressed.
bool DrawBar(App& app, const char* id, const std::vector<BarText>& parts,
             const std::function<void(float)>* menu, bool logout);
// A navigation column's width, its longest label (with a check mark) fitting.
float NavColumnWidth(App& app, const std::vector<std::string>& labels);
// The navigation goes into the top bar's menu: the screen is narrow for the text size, or a
// column of `nav_width` would take more than a third of it.
bool NavFolds(float nav_width);
void DrawTopBar(App& app, bool compact);
void DrawNav(App& app, float width);
float NavWidth(App& app);  // the staff navigation column's width
void DrawNotice(App& app);
void DrawLogin(App& app);
void DrawDashboard(App& app);
void DrawRegister(App& app);
void DrawSearch(App& app);
void DrawHousehold(App& app);
void DrawNeeds(App& app);
void DrawPass(App& app);
void DrawSettings(App& app);
void DrawKiosk(App& app);
void DrawVerify(App& app);
void DrawVerifyPicker(App& app);  // the verify screen's file picker panel (verify_picker.cpp)
void DrawSync(App& app);
void DrawReport(App& app);
void DrawCertificates(App& app);  // the open household's certificates (certs.cpp)
void DrawAssessment(App& app);    // its damage assessments (assess.cpp)

// A person row shared by search, household and needs: name (kana), birth date, status text and
// badges. Returns nothing; buttons are drawn by the caller.
void PersonCells(App& app, const core::PersonSummary& p);
std::string NeedLabel(App& app, const std::string& code);

// One person's fields, marked `id` + "name", "kana", "dob", "sex.<code>", ... (person_form.cpp).
// A draft member (register, a member being added) also has the phone and allergies; a stored
// member (household editor) the note.
// `problems` (may be null): those of member `member` are shown under their fields, marked
// `error_id` + field ("error.member0.name").
enum class PersonFormKind { kDraft, kStored };
void PersonForm(App& app, const std::string& id, core::Person& m, PersonFormKind kind,
                FormProblems* problems = nullptr, int member = -1,
                const std::string& error_id = "");
// A household's pets (pets_form.cpp): kind, count and 同行 / 同伴 per pet, add and remove; ids
// `id` + "pet<i>.kind", ...; problems of pet i are marked "error.pet<i>." + field.
void PetsForm(App& app, const std::string& id, std::vector<core::Pet>& pets,
              FormProblems* problems = nullptr);

// Form problems (field_problems.cpp): the problems of one field (member/pet -1: the household's)
// under it, in the UI language, marked `mark_id`; the first one drawn after a refused save is
// scrolled into view. ProblemDetails: the English detail for staff behind a "details" toggle.
std::string ProblemText(App& app, const core::FieldProblem& p);
void FieldProblems(App& app, FormProblems* problems, int member, int pet, const char* field,
                   const std::string& mark_id);
void ProblemDetails(App& app, const std::string& id, FormProblems& problems);

}  // namespace shelter::ui
