// Search by kana, kanji or birth date (State::SearchPersons folds widths, kana types and eras);
// check in / check out from the result list, or open the household.
#include <algorithm>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void PersonCells(App& app, const core::PersonSummary& p) {
  Palette pal = ColorsFor(app.theme());
  // Each piece goes on the line while it fits, on the next one otherwise (narrow screens).
  ImGui::TextUnformatted(p.name.empty() ? "—" : p.name.c_str());
  std::string details = "(" + p.kana + ")  " + (p.dob.empty() ? "—" : p.dob);
  FlowNext(ImGui::CalcTextSize(details.c_str()).x);
  ImGui::TextColored(pal.muted, "%s", details.c_str());
  const char* key = StatusKey(p);
  bool in = p.InShelter();
  std::string status = std::string(in ? "● " : "○ ") + app.T(key);
  Badge(status, in ? pal.ok : pal.muted, pal.badge_text);
  for (const auto& n : p.needs) {
    std::string b = "♥ " + NeedLabel(app, n);
    FlowNext(BadgeWidth(b));
    Badge(b, pal.warn, pal.badge_text);
  }
  if (p.conflict) {
    std::string b = "⚠ " + std::string(app.T("conflict.badge"));
    FlowNext(BadgeWidth(b));
    Badge(b, pal.danger, pal.badge_text);
  }
}

void DrawSearch(App& app) {
  SearchState& ss = app.search;
  Heading(app, app.T("search.title"));
  float bw = std::max(ImGui::GetFontSize() * 6, ButtonWidth(app, app.T("search.go")));
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
  // The results are part of the page (one scroll, one swipe), not a box of their own.
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
    FlowNext(ButtonWidth(app, app.T("action.open_household")));
    if (Button(app, id + ".open", app.T("action.open_household"))) app.OpenHousehold(p.household);
    ImGui::Separator();
    ImGui::PopID();
  }
}

}  // namespace shelter::ui
