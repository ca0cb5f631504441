// One function per screen or panel; each draws from App's state and calls App's actions.
// UI thread only.
#pragma once

#include "ui/app.hpp"

namespace shelter::ui {

// Below this many font sizes of width the navigation column folds into the top bar's menu.
inline constexpr float kCompactWidthEm = 40.0f;
void DrawTopBar(App& app, bool compact);
void DrawNav(App& app);
float NavWidth(App& app);  // the navigation column's width: its longest label fits
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
