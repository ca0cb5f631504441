// One function per screen or panel; each draws from App's state and calls App's actions.
// UI thread only.
#pragma once

#include "ui/app.hpp"

namespace shelter::ui {

void DrawTopBar(App& app);
void DrawNav(App& app);
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
void DrawSync(App& app);
void DrawReport(App& app);

// A person row shared by search, household and needs: name (kana), birth date, status text and
// badges. Returns nothing; buttons are drawn by the caller.
void PersonCells(App& app, const core::PersonSummary& p);
std::string NeedLabel(App& app, const std::string& code);

// One person's fields, marked `id` + "name", "kana", "dob", ... (person_form.cpp). A draft member
// (register) also has the phone, sex and allergies; a stored member (household editor) the note.
enum class PersonFormKind { kDraft, kStored };
void PersonForm(App& app, const std::string& id, core::Person& m, PersonFormKind kind);

}  // namespace shelter::ui
