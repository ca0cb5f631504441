// Drawing helpers shared by the HQ panels: time and capacity labels, tiles, count tables.
#include <ctime>

#include "core/model/entities.hpp"
#include "ui/hq/hq_panels.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

std::string HqTime(int64_t ms, int64_t now_ms) {
  if (ms <= 0) return "—";
  std::time_t t = static_cast<std::time_t>(ms / 1000),
              now = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{}, today{};
  localtime_r(&t, &tm);
  localtime_r(&now, &today);
  char buf[32];
  if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
    std::strftime(buf, sizeof buf, "%H:%M", &tm);
  else
    std::strftime(buf, sizeof buf, "%m/%d %H:%M", &tm);
  return buf;
}

std::string HqUsedText(App& app, const hq::ShelterRow& s) {
  if (s.capacity <= 0) return "—";
  std::string pct = std::to_string(static_cast<int>(s.used * 100 + 0.5)) + "%";
  if (s.over_capacity) return "⚠ " + pct + " " + app.T("hq.over");
  return pct;
}

ImVec4 HqUsedColor(App& app, const hq::ShelterRow& s) {
  Palette pal = ColorsFor(app.theme());
  if (s.capacity <= 0) return pal.muted;
  if (s.over_capacity) return pal.danger;
  if (s.used > 0.8) return pal.warn;
  return pal.ok;
}

void HqTileGrid(App& app, const std::vector<HqTileSpec>& tiles) {
  float avail = ImGui::GetContentRegionAvail().x;
  int cols = avail >= ImGui::GetFontSize() * 36 ? 4 : 2;
  float w = (avail - (cols - 1) * ImGui::GetStyle().ItemSpacing.x) / cols;
  for (size_t i = 0; i < tiles.size(); ++i) {
    if (i % cols != 0) ImGui::SameLine();
    const HqTileSpec& t = tiles[i];
    CountTile(app, t.id, t.label, t.value, t.icon, t.color, w);
  }
}

namespace {

void RightAligned(const std::string& text) {
  float w = ImGui::CalcTextSize(text.c_str()).x;
  float col = ImGui::GetColumnWidth();
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, col - w - 4));
  ImGui::TextUnformatted(text.c_str());
}

}  // namespace

void HqSexBandTable(App& app, const std::string& id,
                    const std::array<std::array<int64_t, core::kAgeBands>, 3>& cells) {
  constexpr int kCols = static_cast<int>(core::kAgeBands) + 2;
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable(id.c_str(), kCols, flags)) return;
  ImGui::TableSetupColumn(app.T("hq.sex"), ImGuiTableColumnFlags_WidthStretch, 1.4f);
  for (size_t b = 0; b < core::kAgeBands; ++b)
    ImGui::TableSetupColumn(app.T("hq.band." + std::to_string(b)),
                            ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(app.T("hq.total"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  const char* sexes[] = {"sex.male", "sex.female", "sex.other"};
  std::array<int64_t, core::kAgeBands> col_total{};
  for (size_t s = 0; s < 3; ++s) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(app.T(sexes[s]));
    int64_t row = 0;
    for (size_t b = 0; b < core::kAgeBands; ++b) {
      ImGui::TableNextColumn();
      RightAligned(std::to_string(cells[s][b]));
      row += cells[s][b];
      col_total[b] += cells[s][b];
    }
    ImGui::TableNextColumn();
    RightAligned(std::to_string(row));
  }
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(app.T("hq.total"));
  int64_t all = 0;
  for (size_t b = 0; b < core::kAgeBands; ++b) {
    ImGui::TableNextColumn();
    RightAligned(std::to_string(col_total[b]));
    all += col_total[b];
  }
  ImGui::TableNextColumn();
  RightAligned(std::to_string(all));
  ImGui::EndTable();
  app.Mark(id);
}

void HqNeedsTable(App& app, const std::string& id, const std::map<std::string, int64_t>& inside,
                  const std::map<std::string, int64_t>& outside) {
  bool any = false;
  for (const auto& code : core::NeedCodes()) any = any || inside.count(code) || outside.count(code);
  if (!any) {
    ImGui::TextColored(ColorsFor(app.theme()).muted, "%s", app.T("dashboard.no_needs"));
    return;
  }
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable(id.c_str(), 3, flags)) return;
  ImGui::TableSetupColumn(app.T("hq.need"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
  ImGui::TableSetupColumn(app.T("status.in_shelter"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(app.T("hq.outside"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (const auto& code : core::NeedCodes()) {
    auto in = inside.find(code), out = outside.find(code);
    if (in == inside.end() && out == outside.end()) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(NeedLabel(app, code).c_str());
    ImGui::TableNextColumn();
    RightAligned(in == inside.end() ? "0" : std::to_string(in->second));
    ImGui::TableNextColumn();
    RightAligned(out == outside.end() ? "0" : std::to_string(out->second));
  }
  ImGui::EndTable();
  app.Mark(id);
}

}  // namespace shelter::ui
