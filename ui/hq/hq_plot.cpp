// Trend plots (in shelter / out / at home / in car over time, drawn with ImGui draw lists), the
// trends panel and one shelter's drill-down.
#include <algorithm>
#include <cmath>
#include <string>

#include "ui/hq/hq_panels.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

struct Series {
  const char* key;
  int64_t hq::TrendPoint::*field;
  ImVec4 color;
  int marker;  // 0 filled circle, 1 ring, 2 square, 3 triangle: told apart without colour
};

void Marker(ImDrawList* dl, ImVec2 p, int kind, ImU32 c, float r) {
  switch (kind) {
    case 0: dl->AddCircleFilled(p, r, c); break;
    case 1: dl->AddCircle(p, r, c, 0, 2.5f); break;
    case 2: dl->AddRectFilled(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), c); break;
    default:
      dl->AddTriangleFilled(ImVec2(p.x, p.y - r * 1.2f), ImVec2(p.x - r, p.y + r),
                            ImVec2(p.x + r, p.y + r), c);
  }
}

// A round tick step (1, 2 or 5 times a power of ten) for about four steps up to `v`.
int64_t NiceStep(int64_t v) {
  double raw = std::max(1.0, static_cast<double>(v) / 4);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return std::max<int64_t>(1, static_cast<int64_t>(m * mag));
  return static_cast<int64_t>(10 * mag);
}

// A time tick step in ms giving at most six ticks over `span` ms (whole minutes and hours).
int64_t TimeStep(int64_t span) {
  const int64_t minutes[] = {5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080};
  for (int64_t m : minutes)
    if (span / (m * 60000) <= 5) return m * 60000;
  return 30 * 1440 * 60000LL;
}

void Tiles(App& app, const std::string& prefix, const hq::Population& p) {
  Palette pal = ColorsFor(app.theme());
  HqTileGrid(
      app,
      {{prefix + "in_shelter", app.T("status.in_shelter"), p.in_shelter, "●", pal.ok},
       {prefix + "out", app.T("status.out"), p.out, "○", pal.muted},
       {prefix + "at_home", app.T("status.at_home"), p.at_home, "⌂", pal.info},
       {prefix + "in_car", app.T("status.in_car"), p.in_car, "▣", pal.info},
       {prefix + "households", app.T("dashboard.households"), p.households, "■", pal.muted},
       {prefix + "infants", app.T("hq.infants"), p.infants, "◌", pal.info},
       {prefix + "in_shelter_with_needs", app.T("dashboard.with_needs"), p.in_shelter_with_needs,
        "♥", pal.warn},
       {prefix + "never_arrived", app.T("status.not_arrived"), p.never_arrived, "◌", pal.muted}});
}

}  // namespace

void HqTrendPlot(App& app, const std::string& id, const std::vector<hq::TrendPoint>& pts, float h) {
  Palette pal = ColorsFor(app.theme());
  const Series series[] = {{"status.in_shelter", &hq::TrendPoint::in_shelter, pal.ok, 0},
                           {"status.out", &hq::TrendPoint::out, pal.muted, 1},
                           {"status.at_home", &hq::TrendPoint::at_home, pal.info, 2},
                           {"status.in_car", &hq::TrendPoint::in_car, pal.warn, 3}};
  float fs = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Legend: marker, line and name for each series.
  for (size_t i = 0; i < std::size(series); ++i) {
    if (i) ImGui::SameLine(0, fs * 1.2f);
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImU32 c = ImGui::ColorConvertFloat4ToU32(series[i].color);
    dl->AddLine(ImVec2(p.x, p.y + fs * 0.55f), ImVec2(p.x + fs * 1.6f, p.y + fs * 0.55f), c, 2.5f);
    Marker(dl, ImVec2(p.x + fs * 0.8f, p.y + fs * 0.55f), series[i].marker, c, fs * 0.25f);
    ImGui::SetCursorScreenPos(ImVec2(p.x + fs * 1.9f, p.y));
    ImGui::TextUnformatted(app.T(series[i].key));
  }
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x;
  ImGui::Dummy(ImVec2(w, h));
  app.Mark(id);
  ImU32 axis = ImGui::GetColorU32(ImGuiCol_Text),
        grid = ImGui::ColorConvertFloat4ToU32(ImVec4(pal.muted.x, pal.muted.y, pal.muted.z, 0.3f));
  if (pts.empty()) {
    dl->AddRect(p0, ImVec2(p0.x + w, p0.y + h), grid);
    dl->AddText(ImVec2(p0.x + 20, p0.y + h / 2 - fs / 2), axis, app.T("hq.trend.no_data"));
    return;
  }
  int64_t top = 0;
  for (const auto& p : pts)
    for (const auto& s : series) top = std::max(top, p.*(s.field));
  int64_t ystep = NiceStep(top);
  top = std::max<int64_t>(ystep, (top + ystep - 1) / ystep * ystep);
  std::string top_label = std::to_string(top);
  float left = ImGui::CalcTextSize(top_label.c_str()).x + fs * 1.6f;
  float right = fs * 7.5f;  // line-end labels
  float bottom = fs * 2.6f, head = fs * 1.6f;
  ImVec2 a(p0.x + left, p0.y + head), b(p0.x + w - right, p0.y + h - bottom);  // plot area
  int64_t t0 = pts.front().bucket_ms, t1 = pts.back().bucket_ms;
  if (t1 - t0 < 20 * 60000) {  // a single point or a short run: show at least 20 minutes
    t0 -= 10 * 60000;
    t1 += 10 * 60000;
  }
  auto x_of = [&](int64_t t) {
    return a.x + (b.x - a.x) * static_cast<float>(t - t0) / static_cast<float>(t1 - t0);
  };
  auto y_of = [&](int64_t v) {
    return b.y - (b.y - a.y) * static_cast<float>(v) / static_cast<float>(top);
  };
  // Axes, grid and tick labels.
  for (int64_t v = 0; v <= top; v += ystep) {
    float y = y_of(v);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), grid);
    std::string t = std::to_string(v);
    dl->AddText(ImVec2(a.x - ImGui::CalcTextSize(t.c_str()).x - 6, y - fs / 2), axis, t.c_str());
  }
  int64_t tstep = TimeStep(t1 - t0);
  for (int64_t t = (t0 + tstep - 1) / tstep * tstep; t <= t1; t += tstep) {
    float x = x_of(t);
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), grid);
    std::string s = HqTime(t, app.Now());
    float tw = ImGui::CalcTextSize(s.c_str()).x;
    dl->AddText(ImVec2(std::clamp(x - tw / 2, p0.x, p0.x + w - tw), b.y + 4), axis, s.c_str());
  }
  dl->AddLine(ImVec2(a.x, a.y), ImVec2(a.x, b.y), axis, 1.5f);
  dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, b.y), axis, 1.5f);
  const char* ylab = app.T("hq.axis.people");
  dl->AddText(ImVec2(p0.x, p0.y), axis, ylab);
  const char* xlab = app.T("hq.axis.time");
  dl->AddText(ImVec2((a.x + b.x) / 2 - ImGui::CalcTextSize(xlab).x / 2, b.y + fs * 1.35f), axis,
              xlab);
  // Lines with markers, and the latest value at each line's end.
  float last_y[std::size(series)];
  for (size_t k = 0; k < std::size(series); ++k) {
    const Series& s = series[k];
    ImU32 c = ImGui::ColorConvertFloat4ToU32(s.color);
    for (size_t i = 0; i < pts.size(); ++i) {
      ImVec2 p(x_of(pts[i].bucket_ms), y_of(pts[i].*(s.field)));
      if (i)
        dl->AddLine(ImVec2(x_of(pts[i - 1].bucket_ms), y_of(pts[i - 1].*(s.field))), p, c, 2.5f);
      if (pts.size() <= 60 || i + 1 == pts.size()) Marker(dl, p, s.marker, c, fs * 0.22f);
    }
    last_y[k] = y_of(pts.back().*(s.field));
  }
  // End labels, pushed apart so they never overlap.
  size_t order[std::size(series)] = {0, 1, 2, 3};
  std::sort(std::begin(order), std::end(order),
            [&](size_t x, size_t y) { return last_y[x] < last_y[y]; });
  float y_at[std::size(series)];
  float prev = -1e9f;
  for (size_t k : order) prev = y_at[k] = std::max(last_y[k] - fs / 2, prev + fs);
  float next = b.y;  // the lowest label stays above the time axis
  for (size_t i = std::size(order); i-- > 0;)
    next = y_at[order[i]] = std::min(y_at[order[i]], next - fs);
  for (size_t k : order) {
    float y = y_at[k];
    std::string t =
        std::string(app.T(series[k].key)) + " " + std::to_string(pts.back().*(series[k].field));
    dl->AddText(ImVec2(x_of(pts.back().bucket_ms) + fs * 0.6f, y),
                ImGui::ColorConvertFloat4ToU32(series[k].color), t.c_str());
  }
}

void DrawHqTrend(App& app, HqDashboard& hq) {
  Heading(app, app.T("hq.trend.title"));
  float fs = ImGui::GetFontSize();
  float h = std::max(fs * 10, (ImGui::GetContentRegionAvail().y - fs * 9) / 2);
  BigText(app, app.T("hq.trend.city"), kHeadingScale);
  HqTrendPlot(app, "hq.trend.city", hq.city_trend, h);
  ImGui::Spacing();
  if (hq.selected) {
    BigText(app, hq.selected->name, kHeadingScale);
    HqTrendPlot(app, "hq.trend.shelter", hq.shelter_trend, h);
  } else {
    ImGui::TextColored(ColorsFor(app.theme()).muted, "%s", app.T("hq.trend.pick"));
  }
}

void DrawHqShelter(App& app, HqDashboard& hq) {
  Palette pal = ColorsFor(app.theme());
  if (!hq.selected) {
    ImGui::TextColored(pal.muted, "%s", app.T("hq.trend.pick"));
    return;
  }
  const hq::ShelterRow& s = *hq.selected;
  Heading(app, s.name.c_str());
  ImGui::TextColored(pal.muted, "%s  %s", s.common_id.c_str(), s.address.c_str());
  ImGui::TextColored(s.open ? pal.ok : pal.muted, "%s",
                     s.open ? (std::string("✓ ") + app.T("hq.open")).c_str()
                            : (std::string("— ") + app.T("hq.closed")).c_str());
  ImGui::SameLine(0, 30);
  ImGui::Text("%s: %s · %s: %s", app.T("hq.col.source"),
              s.source.empty() ? "—" : app.T("hq.source." + s.source), app.T("hq.col.as_of"),
              HqTime(s.as_of_ms, app.Now()).c_str());
  if (s.capacity > 0) {
    float frac = static_cast<float>(s.used);
    std::string text =
        app.F("dashboard.capacity", {{"n", std::to_string(s.pop.in_shelter)},
                                     {"cap", std::to_string(s.capacity)},
                                     {"pct", std::to_string(static_cast<int>(frac * 100 + 0.5f))}});
    if (s.over_capacity) text = "⚠ " + text + " — " + app.T("dashboard.over_capacity");
    ImGui::TextColored(s.over_capacity ? pal.danger : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s",
                       text.c_str());
    if (s.over_capacity) app.Mark("hq.shelter.over_capacity");
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, HqUsedColor(app, s));
    ImGui::ProgressBar(std::min(frac, 1.0f), ImVec2(-1, ImGui::GetFontSize() * 1.0f), "");
    ImGui::PopStyleColor();
  } else {
    ImGui::TextUnformatted(app.T("dashboard.capacity_unknown"));
  }
  Tiles(app, "hq.shelter.", s.pop);
  ImGui::Spacing();
  if (s.source == "report") ImGui::TextColored(pal.muted, "%s", app.T("hq.report_no_breakdown"));
  BigText(app, app.T("hq.by_sex_band"), kHeadingScale);
  HqSexBandTable(app, "hq.shelter.sexband", hq.breakdown.in_shelter_by_sex_band);
  ImGui::Spacing();
  BigText(app, app.T("hq.needs_title"), kHeadingScale);
  HqNeedsTable(app, "hq.shelter.needs", hq.breakdown.in_shelter_needs, hq.breakdown.outside_needs);
  ImGui::Spacing();
  BigText(app, app.T("hq.trend.title"), kHeadingScale);
  HqTrendPlot(app, "hq.shelter.trend", hq.shelter_trend, ImGui::GetFontSize() * 12);
}

}  // namespace shelter::ui
