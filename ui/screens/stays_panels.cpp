// The place picker, the undo bar and the people lists (stays.hpp).
#include <algorithm>
#include <string>
#include <vector>

#include "ui/screens/screens.hpp"
#include "ui/screens/stays.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {
namespace {

bool Offered(core::Place p, PickerKind kind) {
  const bool away = core::EventForPlace(p) != core::StayEvent::kArrive;
  return kind == PickerKind::kAll || (kind == PickerKind::kCheckOut) == away;
}

}  // namespace

std::optional<core::Place> PlacePicker(App& app, const std::string& id, PickerKind kind,
                                       std::optional<core::Place> current) {
  std::optional<core::Place> picked;
  // Three in a row, fewer where the longest name (with its check mark) would not fit.
  float min_w = ImGui::GetFontSize() * 7;
  for (core::Place p : core::kPickerPlaces)
    min_w = std::max(min_w, ButtonWidth(app, std::string("✓ ") + app.PlaceLabel(p)));
  const float w = Grid(min_w, 3).cell_w();
  for (bool away : {false, true}) {
    if (!Offered(away ? core::Place::kLeft : core::Place::kShelter, kind)) continue;
    ImGui::TextUnformatted(app.T(away ? "stays.pick_away" : "stays.pick_stay"));
    bool first = true;
    for (core::Place p : core::kPickerPlaces) {
      if ((core::EventForPlace(p) != core::StayEvent::kArrive) != away) continue;
      if (!first) FlowNext(w);
      first = false;
      if (Toggle(app, id + ".place." + core::PlaceName(p), app.PlaceLabel(p), current == p, w))
        picked = p;
    }
  }
  return picked;
}

void PersonPlacePicker(App& app, const std::string& id, const core::PersonSummary& person) {
  if (app.stays.picking != person.id) return;
  ImGui::Indent();
  app.Mark(id + ".picker");
  auto now = core::CurrentPlace(person.event, person.place);
  if (auto p = PlacePicker(app, id, app.stays.picking_kind, now)) {
    app.MoveTo(person.id, *p);
  } else if (Button(app, id + ".picker.cancel", app.T("action.cancel"))) {
    app.PickPlace(std::nullopt);
  }
  ImGui::Unindent();
}

float UndoBarHeight(App& app) {
  if (!app.stays.undo) return 0;
  return TouchPx(app.theme()) + 2 * ImGui::GetStyle().WindowPadding.y +
         ImGui::GetStyle().ItemSpacing.y;
}

void DrawUndoBar(App& app) {
  if (!app.stays.undo) return;
  Palette pal = ColorsFor(app.theme());
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(pal.info.x, pal.info.y, pal.info.z, 0.25f));
  const float h = TouchPx(app.theme()) + 2 * ImGui::GetStyle().WindowPadding.y;
  ImGui::BeginChild("undo.bar", ImVec2(-1, h), true, ImGuiWindowFlags_NoScrollbar);
  const float bw = std::max(ImGui::GetFontSize() * 7,
                            ImGui::CalcTextSize(app.T("action.undo")).x + 4 * ImGui::GetFontSize());
  ImGui::AlignTextToFramePadding();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() +
                       (TouchPx(app.theme()) - ImGui::GetFrameHeight()) / 2);
  ImGui::TextUnformatted(("✓ " + app.stays.undo->text).c_str());
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(),
                           ImGui::GetWindowWidth() - bw - ImGui::GetStyle().WindowPadding.x));
  ImGui::SetCursorPosY(ImGui::GetStyle().WindowPadding.y);
  bool undo = Button(app, "undo.do", app.T("action.undo"), bw);
  ImGui::EndChild();
  ImGui::PopStyleColor();
  app.Mark("undo.bar");
  if (undo) app.Undo();
}

void PeopleList(App& app, core::Whereabouts where) {
  Palette pal = ColorsFor(app.theme());
  // A copy: a move or an undo below re-reads the roster.
  std::vector<core::PersonSummary> people;
  for (const auto& p : app.roster())
    if (p.where() == where) people.push_back(p);
  Heading(app, app.F("people.title",
                     {{"what", app.T(WhereaboutsKey(where))}, {"n", std::to_string(people.size())}})
                   .c_str());
  app.Mark(std::string("people.list=") + core::WhereaboutsName(where));
  if (Button(app, "people.back", std::string("← ") + app.T("action.back"))) {
    app.ShowPeople(std::nullopt);
    return;
  }
  if (people.empty()) ImGui::TextColored(pal.muted, "%s", app.T("people.empty"));
  for (size_t i = 0; i < people.size(); ++i) {
    const core::PersonSummary& p = people[i];
    ImGui::PushID(static_cast<int>(i));
    const std::string id = "people." + std::to_string(i);
    ImGui::Separator();
    ImGui::BeginGroup();
    PersonCells(app, p);
    ImGui::EndGroup();
    app.Mark(id);
    if (Button(app, id + ".household", app.T("action.open_household")))
      app.OpenHousehold(p.household);
    FlowNext(ImGui::CalcTextSize(app.T("action.move")).x +
             2 * ImGui::GetStyle().FramePadding.x);  // wraps on a narrow screen or large text
    if (Button(app, id + ".move", app.T("action.move"))) app.PickPlace(p.id, PickerKind::kAll);
    PersonPlacePicker(app, id, p);
    ImGui::PopID();
  }
}

}  // namespace shelter::ui
