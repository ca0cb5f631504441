// Search by kana, kanji or birth date (State::SearchPersons folds widths, kana types and eras);
// check in / check out from the result list, or open the household.
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void PersonCells(App& app, const core::PersonSummary& p) {
  Palette pal = ColorsFor(app.theme());
  ImGui::TextUnformatted(p.name.empty() ? "—" : p.name.c_str());
  ImGui::SameLine();
  ImGui::TextColored(pal.muted, "(%s)  %s", p.kana.c_str(), p.dob.empty() ? "—" : p.dob.c_str());
  const char* key = StatusKey(p);
  bool in = p.InShelter();
  std::string status = std::string(in ? "● " : "○ ") + app.T(key);
  Badge(status, in ? pal.ok : pal.muted, pal.badge_text);
  for (const auto& n : p.needs) {
    ImGui::SameLine();
    Badge("♥ " + NeedLabel(app, n), pal.warn, pal.badge_text);
  }
  if (p.conflict) {
    ImGui::SameLine();
    Badge("⚠ " + std::string(app.T("conflict.badge")), pal.danger, pal.badge_text);
  }
}

void DrawSearch(App& app) {
  SearchState& ss = app.search;
  Heading(app, app.T("search.title"));
  float bw = ImGui::GetFontSize() * 6;
  bool enter = TextField(app, "search.query", app.T("search.hint"), &ss.query,
                         ImGui::GetContentRegionAvail().x - bw - ImGui::GetStyle().ItemSpacing.x,
                         ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetTextLineHeightWithSpacing());
  if (Button(app, "search.go", app.T("search.go"), bw) || enter) app.Search(ss.query);
  ImGui::Spacing();
  if (ss.results.empty()) {
    ImGui::TextDisabled("%s", ss.query.empty() ? app.T("search.empty") : app.T("search.none"));
    return;
  }
  ImGui::BeginChild("results");
  for (size_t i = 0; i < ss.results.size(); ++i) {
    const auto p = ss.results[i];  // a copy: actions below refresh the list
    std::string id = "result." + std::to_string(i);
    ImGui::PushID(static_cast<int>(i));
    ImGui::BeginGroup();
    PersonCells(app, p);
    ImGui::EndGroup();
    if (!p.InShelter()) {
      if (Button(app, id + ".checkin", app.T("action.check_in"))) app.CheckIn(p.id);
    } else {
      if (Button(app, id + ".checkout", app.T("action.check_out"))) app.CheckOut(p.id);
    }
    ImGui::SameLine();
    if (Button(app, id + ".open", app.T("action.open_household"))) app.OpenHousehold(p.household);
    ImGui::Separator();
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace shelter::ui
