// Whereabouts panels shared by the dashboard, the register flow and the household editor: the
// place picker, the undo bar and the people list a count tile opens. UI thread only.
#pragma once

#include <optional>
#include <string>

#include "ui/app.hpp"

namespace shelter::ui {

// Large buttons for the places of `kind` (check-in: shelter, 車中泊, 在宅, tent, relatives,
// welfare shelter; check-out: 外出, 外泊, 退所), `current` drawn as selected; each marked
// `id` + ".place." + the place's wire name. Returns the place tapped.
std::optional<core::Place> PlacePicker(App& app, const std::string& id, PickerKind kind,
                                       std::optional<core::Place> current);
// The picker for person `person` when it is the one being picked (App::PickPlace), with a cancel
// button; a tap moves the person (App::MoveTo). Marked `id` + ".picker".
void PersonPlacePicker(App& app, const std::string& id, const core::PersonSummary& person);
// While a check-in or check-out can be undone: what was done and an undo button ("undo.bar",
// "undo.do"), at the bottom of the screen under the page (screens/frame.cpp), so that it is in
// view wherever the page is scrolled. UndoBarHeight is the room it takes (0 when there is none).
float UndoBarHeight(App& app);
void DrawUndoBar(App& app);
// The people a tile counts (App::ShowPeople), each with their household and a move; marked
// "people.list=<class>", rows "people.<i>.household" and "people.<i>.move".
void PeopleList(App& app, core::Whereabouts where);

}  // namespace shelter::ui
