// The HQ dashboard's panels, one function each, drawn from HqDashboard's data; plus the small
// drawing helpers they share (labels, colours, the trend plot). UI thread only.
#pragma once

#include <string>
#include <vector>

#include "ui/app.hpp"
#include "ui/hq/hq_dashboard.hpp"

namespace shelter::ui {

void DrawHqSummary(App& app, HqDashboard& hq);
void DrawHqTable(App& app, HqDashboard& hq);
void DrawHqMap(App& app, HqDashboard& hq);
void DrawHqTrend(App& app, HqDashboard& hq);
void DrawHqShelter(App& app, HqDashboard& hq);
void DrawHqAnpi(App& app, HqDashboard& hq);

// "12:34" today, "11/22 12:34" another day, "—" for 0 (local time).
std::string HqTime(int64_t ms, int64_t now_ms);
// "87%" or "⚠ 112% over capacity"; "—" when the capacity is unknown.
std::string HqUsedText(App& app, const hq::ShelterRow& s);
// Colour of a shelter by capacity used; always shown with HqUsedText or a legend.
ImVec4 HqUsedColor(App& app, const hq::ShelterRow& s);
struct HqTileSpec {
  std::string id;
  const char* label;
  int64_t value;
  const char* icon;
  ImVec4 color;
};
// Tiles in rows of four, or of two when large text would not fit.
void HqTileGrid(App& app, const std::vector<HqTileSpec>& tiles);
// In/out/at home/in car over time, with axes, a legend and line-end labels; `h` pixels high.
void HqTrendPlot(App& app, const std::string& id, const std::vector<hq::TrendPoint>& pts, float h);
// A table of people in shelter by sex (rows) and age band (columns), with totals.
void HqSexBandTable(App& app, const std::string& id,
                    const std::array<std::array<int64_t, core::kAgeBands>, 3>& cells);
// 要配慮者 by code, in shelter and outside, as a two-column table.
void HqNeedsTable(App& app, const std::string& id, const std::map<std::string, int64_t>& inside,
                  const std::map<std::string, int64_t>& outside);

}  // namespace shelter::ui
