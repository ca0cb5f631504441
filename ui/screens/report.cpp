// The status report for HQ (JSR1, DESIGN §10): the signed report as a QR code large enough to
// photograph from a metre away, and the same report as numbered SMS / satellite-message parts
// that staff copy one by one. Made by core (App::MakeReport) when the screen opens and when the
// shelter's counts change.
#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

constexpr int kQuietModules = 4;  // the QR standard's quiet zone, drawn white around the code
// A 10.1-inch 1280x800 tablet, when the display does not say (SDL's offscreen driver, or a
// desktop reporting the X11 default of 96 for every screen).
constexpr float kFallbackDpi = 149.0f;

float ScreenDpi() {
  float ddpi = 0, hdpi = 0, vdpi = 0;
  if (SDL_GetDisplayDPI(0, &ddpi, &hdpi, &vdpi) == 0 && vdpi >= 100 && vdpi <= 400) return vdpi;
  return kFallbackDpi;
}

// Module size: the whole height of the screen's area at a whole number of pixels per module
// (crisp edges), and at most ~60% of its width so the SMS parts stay beside it. On the 1280x800
// tablet that leaves ~700 px: a typical report (version 11, 61 modules + 8 of quiet zone) gets
// 10 px = 1.7 mm modules, a code 10.4 cm wide. A phone camera at 1 m (about 70°, 4000 px across
// 1.4 m, 0.35 mm a pixel) then sees ~5 px per module where decoders need 2-3, and the usual
// rule of thumb (read from up to 10x the code's width) gives 1 m as well.
int ModulePx(int modules, ImVec2 avail) {
  float fit = std::min(avail.y, avail.x * 0.6f) / static_cast<float>(modules);
  return std::max(3, static_cast<int>(std::floor(fit)));
}

// Black on white whatever the theme: dark mode's light-on-dark codes defeat many phone readers.
void DrawQr(App& app, const core::QrSymbol& qr, int module_px) {
  const float m = static_cast<float>(module_px);
  const float side = m * static_cast<float>(qr.size + 2 * kQuietModules);
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + side, p.y + side), IM_COL32(255, 255, 255, 255));
  const float x0 = p.x + m * kQuietModules, y0 = p.y + m * kQuietModules;
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size;) {
      if (!qr.Dark(x, y)) {
        ++x;
        continue;
      }
      int run = x;
      while (run < qr.size && qr.Dark(run, y)) ++run;  // one rectangle per run of dark modules
      dl->AddRectFilled(ImVec2(x0 + m * x, y0 + m * y), ImVec2(x0 + m * run, y0 + m * (y + 1)),
                        IM_COL32(0, 0, 0, 255));
      x = run;
    }
  }
  ImGui::Dummy(ImVec2(side, side));
  app.Mark("report.qr");
}

bool SameCounts(const core::ShelterCounts& a, const core::ShelterCounts& b) {
  return a.persons == b.persons && a.households == b.households && a.in_shelter == b.in_shelter &&
         a.out == b.out && a.at_home == b.at_home && a.in_car == b.in_car &&
         a.elsewhere == b.elsewhere && a.never_arrived == b.never_arrived &&
         a.in_shelter_with_needs == b.in_shelter_with_needs;
}

std::string LocalTime(int64_t unix_s) {
  std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string OneDecimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

void DrawParts(App& app, const core::BuiltStatusReport& b) {
  const std::string n = std::to_string(b.parts.size());
  ImGui::TextWrapped("%s", app.F("report.sms", {{"n", n}}).c_str());
  for (size_t i = 0; i < b.parts.size(); ++i) {
    const std::string order = std::to_string(i + 1) + "/" + n;
    ImGui::Spacing();
    ImGui::TextWrapped("%s", b.parts[i].c_str());
    if (Button(app, "report.copy." + std::to_string(i + 1),
               app.F("report.copy", {{"part", order}}))) {
      ImGui::SetClipboardText(b.parts[i].c_str());
      app.Notify(app.F("report.copied", {{"part", order}}), false);
    }
  }
  ImGui::Spacing();
  if (Button(app, "report.copy_all", app.T("report.copy_all"))) {
    std::string all;
    for (auto& p : b.parts) all += p + "\n";
    ImGui::SetClipboardText(all.c_str());
    app.Notify(app.F("report.copied", {{"part", "1-" + n}}), false);
  }
}

}  // namespace

void DrawReport(App& app) {
  const int frame = ImGui::GetFrameCount();
  const bool reopened = app.report.last_frame != frame - 1;
  app.report.last_frame = frame;
  if (reopened || !SameCounts(app.report.counts_at, app.counts())) app.MakeReport();
  Palette pal = ColorsFor(app.theme());
  if (!app.report.built) {
    Heading(app, app.T("report.title"));
    ImGui::TextColored(pal.danger, "⚠ %s", app.report.error.c_str());
    if (Button(app, "report.refresh", app.T("report.refresh"))) app.MakeReport();
    return;
  }
  const core::BuiltStatusReport& b = *app.report.built;
  const int modules = b.qr.size + 2 * kQuietModules;
  const int module_px = ModulePx(modules, ImGui::GetContentRegionAvail());
  DrawQr(app, b.qr, module_px);
  // The details beside the QR where there is room for them, under it on a narrow screen.
  const bool beside =
      ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x > ImGui::GetFontSize() * 18;
  if (beside) ImGui::SameLine();
  ImGui::BeginGroup();
  Heading(app, app.T("report.title"));
  const core::StatusReport& r = b.report;
  ImGui::TextUnformatted(app.F("report.as_of", {{"time", LocalTime(r.as_of_s)}}).c_str());
  const int64_t persons =
      r.in_shelter + r.out + r.at_home + r.in_car + r.elsewhere + r.never_arrived;
  ImGui::TextWrapped("%s", app.F("report.counts", {{"in", std::to_string(r.in_shelter)},
                                                   {"persons", std::to_string(persons)},
                                                   {"households", std::to_string(r.households)}})
                               .c_str());
  app.Mark("report.in_shelter=" + std::to_string(r.in_shelter));
  const double module_mm = module_px * 25.4 / ScreenDpi();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.muted);
  ImGui::TextWrapped("%s",
                     app.F("report.qr_size", {{"version", std::to_string(b.qr.version)},
                                              {"mm", OneDecimal(module_mm)},
                                              {"cm", OneDecimal(module_mm * b.qr.size / 10.0)}})
                         .c_str());
  ImGui::PopStyleColor();
  if (Button(app, "report.refresh", app.T("report.refresh"))) app.MakeReport();
  ImGui::Separator();
  DrawParts(app, b);
  ImGui::EndGroup();
}

}  // namespace shelter::ui
