// The offline map: shelters at their master-data latitude/longitude in an equirectangular
// projection (no tiles), a circle per shelter sized by the people in it and coloured by capacity
// used (with a legend, and ⚠ over capacity), names for the largest and on hover, tap to select.
#include <imgui_internal.h>  // ImRect

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ui/hq/hq_panels.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

struct Spot {
  const hq::ShelterRow* row;
  ImVec2 at;
  float r;
};

bool ParseDeg(const std::string& s, double lo, double hi, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v) || v < lo || v > hi || v == 0) return false;
  *out = v;
  return true;
}

// A round grid step giving about `lines` lines over `span` degrees.
double GridStep(double span, int lines) {
  const double steps[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10};
  for (double s : steps)
    if (span / s <= lines) return s;
  return 20;
}

std::string Deg(double v, int decimals, const char* hemi) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f°%s", decimals, std::fabs(v), hemi);
  return buf;
}

ImU32 U32(ImVec4 c, float alpha = 1.0f) {
  c.w = alpha;
  return ImGui::ColorConvertFloat4ToU32(c);
}

void LabelBox(ImDrawList* dl, ImVec2 p, const std::string& text, ImU32 fg, ImU32 bg) {
  ImVec2 sz = ImGui::CalcTextSize(text.c_str());
  dl->AddRectFilled(ImVec2(p.x - 4, p.y - 2), ImVec2(p.x + sz.x + 4, p.y + sz.y + 2), bg, 4.0f);
  dl->AddText(p, fg, text.c_str());
}

void DrawLegend(App& app) {
  Palette pal = ColorsFor(app.theme());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float fs = ImGui::GetFontSize();
  struct Item {
    ImVec4 color;
    const char* key;
  };
  const Item items[] = {{pal.ok, "hq.legend.ok"},
                        {pal.warn, "hq.legend.warn"},
                        {pal.danger, "hq.legend.over"},
                        {pal.muted, "hq.legend.unknown"}};
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(app.T("hq.legend.title"));
  for (const auto& it : items) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddCircleFilled(ImVec2(p.x + fs * 0.5f, p.y + fs * 0.55f), fs * 0.45f, U32(it.color, 0.8f));
    ImGui::SetCursorScreenPos(ImVec2(p.x + fs * 1.4f, p.y));
    ImGui::TextUnformatted(app.T(it.key));
  }
  ImGui::PopTextWrapPos();
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImU32 grey = U32(pal.muted, 0.9f);
  dl->AddCircle(ImVec2(p.x + fs * 0.5f, p.y + fs * 0.6f), fs * 0.25f, grey, 0, 2.0f);
  dl->AddCircle(ImVec2(p.x + fs * 1.6f, p.y + fs * 0.6f), fs * 0.55f, grey, 0, 2.0f);
  ImGui::SetCursorScreenPos(ImVec2(p.x + fs * 2.5f, p.y));
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(app.T("hq.legend.size"));
  ImGui::PopTextWrapPos();
}

}  // namespace

void DrawHqMap(App& app, HqDashboard& hq) {
  Palette pal = ColorsFor(app.theme());
  Heading(app, app.T("hq.map.title"));
  ImVec2 avail = ImGui::GetContentRegionAvail();
  // The legend and the selected shelter sit beside the map, or under it with large text.
  bool beside = avail.x >= ImGui::GetFontSize() * 40;
  float side_w = beside ? std::max(ImGui::GetFontSize() * 12.0f, avail.x * 0.28f) : 0;
  ImVec2 size = beside ? ImVec2(avail.x - side_w - ImGui::GetStyle().ItemSpacing.x, avail.y)
                       : ImVec2(avail.x, avail.y * 0.62f);

  // Projection: x = lon·cos(mid latitude), y = lat, fitted into the canvas.
  std::vector<std::pair<const hq::ShelterRow*, ImVec2>> geo;  // (row, (x, lat))
  double lat_sum = 0;
  for (const auto& s : hq.rows) {
    double lat, lon;
    if (!ParseDeg(s.lat, -90, 90, &lat) || !ParseDeg(s.lon, -180, 180, &lon)) continue;
    geo.push_back({&s, ImVec2(static_cast<float>(lon), static_cast<float>(lat))});
    lat_sum += lat;
  }
  ImGui::BeginChild("hq.map.canvas", size, true,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImVec2 cs = ImGui::GetContentRegionAvail();
  ImGui::InvisibleButton("hq.map.area", cs);
  bool clicked = ImGui::IsItemClicked();
  bool hovered = ImGui::IsItemHovered();
  if (geo.empty()) {
    ImGui::SetCursorScreenPos(ImVec2(p0.x + 20, p0.y + 20));
    ImGui::TextColored(pal.muted, "%s", app.T("hq.map.no_positions"));
    ImGui::EndChild();
    return;
  }
  double coslat = std::cos(lat_sum / static_cast<double>(geo.size()) * M_PI / 180.0);
  double min_lon = 1e9, max_lon = -1e9, min_lat = 1e9, max_lat = -1e9;
  for (auto& [row, g] : geo) {
    min_lon = std::min<double>(min_lon, g.x);
    max_lon = std::max<double>(max_lon, g.x);
    min_lat = std::min<double>(min_lat, g.y);
    max_lat = std::max<double>(max_lat, g.y);
  }
  double span_x = std::max((max_lon - min_lon) * coslat, 0.005);
  double span_y = std::max(max_lat - min_lat, 0.005);
  float margin = std::min(cs.x, cs.y) * 0.12f + 24;
  double scale = std::min((cs.x - 2 * margin) / span_x, (cs.y - 2 * margin) / span_y);
  double mid_lon = (min_lon + max_lon) / 2, mid_lat = (min_lat + max_lat) / 2;
  ImVec2 centre(p0.x + cs.x / 2, p0.y + cs.y / 2);
  auto project = [&](double lon, double lat) {
    return ImVec2(static_cast<float>(centre.x + (lon - mid_lon) * coslat * scale),
                  static_cast<float>(centre.y - (lat - mid_lat) * scale));
  };

  // Grid lines with their degrees: the only "map" there is, and a scale for the eye.
  ImU32 grid = U32(pal.muted, 0.25f), grid_text = U32(pal.muted, 0.9f);
  double lon_lo = mid_lon - (cs.x / 2) / (coslat * scale),
         lon_hi = mid_lon + (cs.x / 2) / (coslat * scale);
  double lat_lo = mid_lat - (cs.y / 2) / scale, lat_hi = mid_lat + (cs.y / 2) / scale;
  // Steps far enough apart in pixels for their labels ("139.76°E" is about 5 em wide).
  double step = GridStep(std::max(lon_hi - lon_lo, lat_hi - lat_lo), 6);
  while (step * coslat * scale < ImGui::GetFontSize() * 5.5 && step < 20)
    step = GridStep(step * 1.01, 1);
  int dec = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
  for (double lon = std::ceil(lon_lo / step) * step; lon <= lon_hi; lon += step) {
    float x = project(lon, mid_lat).x;
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + cs.y), grid, 1.0f);
    dl->AddText(ImVec2(x + 4, p0.y + cs.y - ImGui::GetFontSize() - 4), grid_text,
                Deg(lon, dec, lon >= 0 ? "E" : "W").c_str());
  }
  for (double lat = std::ceil(lat_lo / step) * step; lat <= lat_hi; lat += step) {
    float y = project(mid_lon, lat).y;
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p0.x + cs.x, y), grid, 1.0f);
    dl->AddText(ImVec2(p0.x + 4, y - ImGui::GetFontSize() - 2), grid_text,
                Deg(lat, dec, lat >= 0 ? "N" : "S").c_str());
  }

  // Circles: area proportional to the people in the shelter; the biggest drawn first.
  int64_t most = 1;
  for (auto& [row, g] : geo) most = std::max(most, row->pop.in_shelter);
  // A few shelters get circles up to a ninth of the map; a city's thousands get dots small
  // enough that all of them together cover about a third of it.
  float per_shelter = cs.x * cs.y / static_cast<float>(std::max<size_t>(geo.size(), 1));
  float r_fit = std::sqrt(0.35f * per_shelter / 3.14159f);
  float r_max = std::max(3.0f, std::min(std::min(cs.x, cs.y) / 11, r_fit));
  float r_min = std::min(8.0f, std::max(2.0f, r_max * 0.5f));
  std::vector<Spot> spots;
  for (auto& [row, g] : geo) {
    float f = std::sqrt(static_cast<float>(row->pop.in_shelter) / static_cast<float>(most));
    spots.push_back({row, project(g.x, g.y), r_min + (r_max - r_min) * f});
  }
  // The biggest first (small ones stay visible on top), and over-capacity ones last of all.
  std::sort(spots.begin(), spots.end(), [](auto& a, auto& b) {
    if (a.row->over_capacity != b.row->over_capacity) return b.row->over_capacity;
    return a.r > b.r;
  });
  ImU32 outline = ImGui::GetColorU32(ImGuiCol_Text);
  for (const auto& s : spots) {
    bool sel = hq.selected && hq.selected->id == s.row->id;
    dl->AddCircleFilled(s.at, s.r, U32(HqUsedColor(app, *s.row), 0.7f));
    if (sel || s.r >= 6) dl->AddCircle(s.at, s.r, outline, 0, sel ? 4.0f : 1.5f);
    if (s.row->over_capacity && s.r < 6) {
      dl->AddCircle(s.at, s.r + 2, U32(pal.danger), 0, 2.0f);  // a dense map: a ring only
    } else if (s.row->over_capacity) {
      dl->AddCircle(s.at, s.r + 5, U32(pal.danger), 0, 3.0f);
      dl->AddText(ImVec2(s.at.x + s.r * 0.7f, s.at.y - s.r - ImGui::GetFontSize() * 0.8f),
                  U32(pal.danger), "⚠");
    }
  }
  // Names: the selected one, the over-capacity ones, then the largest, where they do not
  // cover a name already written (hover or tap shows the others).
  ImU32 label_bg = U32(ImGui::GetStyleColorVec4(ImGuiCol_ChildBg), 0.85f);
  std::vector<const Spot*> order;
  for (const auto& s : spots)
    if (hq.selected && hq.selected->id == s.row->id) order.push_back(&s);
  for (const auto& s : spots)
    if (s.row->over_capacity && !(hq.selected && hq.selected->id == s.row->id)) order.push_back(&s);
  for (const auto& s : spots)
    if (!s.row->over_capacity && !(hq.selected && hq.selected->id == s.row->id))
      order.push_back(&s);
  std::vector<ImRect> placed;
  float fs = ImGui::GetFontSize();
  for (size_t i = 0; i < order.size() && i < 8; ++i) {
    const Spot& s = *order[i];
    std::string text = s.row->name + " " + std::to_string(s.row->pop.in_shelter);
    float tw = ImGui::CalcTextSize(text.c_str()).x;
    // Right of the circle, else left of it, else under it.
    float x = s.at.x + s.r + 8, y = s.at.y - fs / 2;
    if (x + tw + 6 > p0.x + cs.x) x = s.at.x - s.r - 8 - tw;
    if (x < p0.x + 6) {
      x = std::clamp(s.at.x - tw / 2, p0.x + 6, std::max(p0.x + 6, p0.x + cs.x - tw - 6));
      y = s.at.y + s.r + 4;
    }
    ImRect box(ImVec2(x - 4, y - 2), ImVec2(x + tw + 4, y + fs + 2));
    bool covers = false;
    for (const auto& r : placed) covers = covers || r.Overlaps(box);
    if (covers && i > 0) continue;
    placed.push_back(box);
    LabelBox(dl, ImVec2(x, y), text, outline, label_bg);
  }
  // Hit test: the nearest circle under the finger (small ones sit on top of big ones).
  const Spot* hit = nullptr;
  ImVec2 m = ImGui::GetIO().MousePos;
  float best = 1e9f;
  for (const auto& s : spots) {
    float d = std::hypot(m.x - s.at.x, m.y - s.at.y);
    if (d <= s.r + 10 && d - s.r < best) {
      best = d - s.r;
      hit = &s;
    }
  }
  if (hovered && hit) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(hit->row->name.c_str());
    ImGui::Text("%s %lld / %lld  %s", app.T("status.in_shelter"),
                static_cast<long long>(hit->row->pop.in_shelter),
                static_cast<long long>(hit->row->capacity), HqUsedText(app, *hit->row).c_str());
    ImGui::EndTooltip();
  }
  if (clicked && hit) hq.Select(app, hit->row->id, false);
  // Script targets: a zero-interaction item over each circle.
  for (const auto& s : spots) {
    ImGui::SetCursorScreenPos(ImVec2(s.at.x - s.r, s.at.y - s.r));
    ImGui::Dummy(ImVec2(2 * s.r, 2 * s.r));
    app.Mark("hq.map." + (s.row->common_id.empty() ? s.row->id : s.row->common_id));
  }
  ImGui::EndChild();

  if (beside) ImGui::SameLine();
  ImGui::BeginChild("hq.map.side", ImVec2(0, beside ? size.y : 0), true);
  DrawLegend(app);
  ImGui::Spacing();
  ImGui::Separator();
  if (hq.selected) {
    const hq::ShelterRow& s = *hq.selected;
    ImGui::PushTextWrapPos(0);
    BigText(app, s.name, kHeadingScale);
    ImGui::Text("%s: %lld / %lld", app.T("status.in_shelter"),
                static_cast<long long>(s.pop.in_shelter), static_cast<long long>(s.capacity));
    ImGui::TextColored(HqUsedColor(app, s), "%s %s", app.T("hq.col.used"),
                       HqUsedText(app, s).c_str());
    ImGui::Text("%s: %s", app.T("hq.col.as_of"), HqTime(s.as_of_ms, app.Now()).c_str());
    ImGui::PopTextWrapPos();
    if (Button(app, "hq.map.open", app.T("hq.open_detail"), -1)) hq.Go(HqScreen::kShelter);
  } else {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(pal.muted, "%s", app.T("hq.map.tap_hint"));
    ImGui::PopTextWrapPos();
  }
  ImGui::EndChild();
}

}  // namespace shelter::ui
