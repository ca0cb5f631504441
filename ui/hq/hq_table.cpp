// The shelter table: one touch-high row per shelter, sorted by the buttons above it (name,
// people in shelter, capacity used, care needs, as-of); a row opens the shelter's drill-down.
#include <algorithm>
#include <string>

#include "ui/hq/hq_panels.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

// Text in the current cell, vertically centred in a row `h` high.
void Cell(const std::string& text, float h, const ImVec4* color = nullptr, bool right = false) {
  ImGui::TableNextColumn();
  float y = ImGui::GetCursorPosY() + (h - ImGui::GetFontSize()) / 2 - 1;
  ImGui::SetCursorPosY(y);
  if (right) {
    float w = ImGui::CalcTextSize(text.c_str()).x;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, ImGui::GetColumnWidth() - w - 4));
  }
  if (color)
    ImGui::TextColored(*color, "%s", text.c_str());
  else
    ImGui::TextUnformatted(text.c_str());
}

}  // namespace

void DrawHqTable(App& app, HqDashboard& hq) {
  Palette pal = ColorsFor(app.theme());
  Heading(app, app.T("hq.table.title"));
  // Sorting: big buttons (column headers are too small to hit with a finger).
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(app.T("hq.sort"));
  struct SortItem {
    const char* id;
    const char* key;
    HqSort sort;
  };
  const SortItem sorts[] = {{"hq.sort.name", "hq.col.name", HqSort::kName},
                            {"hq.sort.in_shelter", "status.in_shelter", HqSort::kInShelter},
                            {"hq.sort.used", "hq.col.used", HqSort::kUsed},
                            {"hq.sort.needs", "hq.col.needs", HqSort::kNeeds},
                            {"hq.sort.as_of", "hq.col.as_of", HqSort::kAsOf}};
  for (const auto& s : sorts) {
    std::string label = app.T(s.key);
    bool on = hq.sort == s.sort;
    if (on) label += hq.sort_ascending ? " ▲" : " ▼";
    FlowNext(ImGui::CalcTextSize(label.c_str()).x + 60);
    if (Toggle(app, s.id, label, on)) hq.SortBy(s.sort);
  }
  ImGui::Spacing();
  if (hq.rows.empty()) {
    ImGui::TextColored(pal.muted, "%s", app.T("hq.no_shelters"));
    return;
  }
  float h = TouchPx(app.theme());
  ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  // The rest of the page, but never fewer than four rows: on a small screen at large text the
  // sort buttons take most of the height, and the page then scrolls to the table.
  const float table_h =
      std::max(ImGui::GetContentRegionAvail().y, 5 * (h + ImGui::GetStyle().CellPadding.y * 2));
  const ImVec2 at = ImGui::GetCursorPos();
  if (!ImGui::BeginTable("hq.table", 8, flags, ImVec2(0, table_h))) {
    // Wholly out of view (Dear ImGui then draws no row): the rows are marked where the table
    // will be, so that a script scrolls the page to them as a swipe would.
    // One row's height at the table's top; the page's height already counts the whole table.
    ImGui::SetCursorPos(at);
    ImGui::Dummy(ImVec2(ImGui::GetContentRegionAvail().x, h));
    for (const auto& s : hq.rows) app.Mark("hq.row." + (s.common_id.empty() ? s.id : s.common_id));
    return;
  }
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(app.T("hq.col.name"), ImGuiTableColumnFlags_WidthStretch, 2.9f);
  ImGui::TableSetupColumn(app.T("hq.col.open"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(app.T("status.in_shelter"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(app.T("hq.col.capacity"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(app.T("hq.col.used"), ImGuiTableColumnFlags_WidthStretch, 2.4f);
  ImGui::TableSetupColumn(app.T("hq.col.needs"), ImGuiTableColumnFlags_WidthStretch, 1.1f);
  ImGui::TableSetupColumn(app.T("hq.col.source"), ImGuiTableColumnFlags_WidthStretch, 0.9f);
  ImGui::TableSetupColumn(app.T("hq.col.as_of"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (const auto& s : hq.rows) {
    ImGui::TableNextRow(0, h);
    ImGui::TableNextColumn();
    bool sel = hq.selected && hq.selected->id == s.id;
    std::string name = s.name.empty() ? s.id.substr(0, 12) : s.name;
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
    if (ImGui::Selectable((name + "##row" + s.id).c_str(), sel, ImGuiSelectableFlags_SpanAllColumns,
                          ImVec2(0, h)))
      hq.Select(app, s.id, true);
    ImGui::PopStyleVar();
    app.MarkInCell("hq.row." + (s.common_id.empty() ? s.id : s.common_id));
    ImVec4 open_c = s.open ? pal.ok : pal.muted;
    Cell(s.open ? std::string("✓ ") + app.T("hq.open") : std::string("— ") + app.T("hq.closed"), h,
         &open_c);
    Cell(std::to_string(s.pop.in_shelter), h, nullptr, true);
    Cell(s.capacity > 0 ? std::to_string(s.capacity) : "—", h, nullptr, true);
    ImVec4 used_c = HqUsedColor(app, s);
    Cell(HqUsedText(app, s), h, &used_c);
    Cell(std::to_string(s.pop.in_shelter_with_needs), h, nullptr, true);
    Cell(s.source.empty() ? "—" : app.T("hq.source." + s.source), h);
    Cell(HqTime(s.as_of_ms, app.Now()), h);
  }
  ImGui::EndTable();
}

}  // namespace shelter::ui
