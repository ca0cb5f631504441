// Kiosk mode for residents: show a pass to the camera (a live picture with a frame to aim at),
// confirm check-in or check-out in your language, big text. It shows only the scanned person's
// own name, starts over for the next resident (App::KioskReset), and is left only by staff who
// type their handle and PIN (no list of staff for residents to see).
#include <algorithm>
#include <string>

#include "ui/camera_preview.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

void LanguageRow(App& app) {
  const auto& cat = app.catalog();
  // One row of six where the names fit, more rows on a narrow screen or at large text.
  float min_w = 0;
  for (size_t i = 0; i < cat.languages().size(); ++i)
    min_w = std::max(min_w, ButtonWidth(app, "✓ " + cat.Text(static_cast<int>(i), "lang.name")));
  Grid grid(min_w, static_cast<int>(cat.languages().size()));
  const float w = grid.cell_w();
  for (size_t i = 0; i < cat.languages().size(); ++i) {
    grid.Next();
    if (Toggle(app, "kiosk.lang." + cat.languages()[i], cat.Text(static_cast<int>(i), "lang.name"),
               static_cast<int>(i) == app.lang(), w)) {
      app.SetLanguage(static_cast<int>(i));
      app.kiosk.reset_at = app.Now() + KioskState::kTimeoutMs;  // then back to the default
    }
  }
}

// The camera's picture, as large as the space left allows, with corner marks around the middle
// where a pass is read best.
void Preview(App& app, const PreviewTexture& tex, const Palette& pal) {
  ImVec2 avail = ImGui::GetContentRegionAvail();
  avail.y -= ImGui::GetTextLineHeightWithSpacing() * 2;
  ImVec2 size = tex.size();
  float scale = std::min(avail.x * 0.6f / size.x, avail.y / size.y);
  if (scale <= 0) return;
  size = ImVec2(size.x * scale, size.y * scale);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - size.x) / 2);
  ImGui::Image(tex.texture(), size);
  app.Mark("kiosk.preview");
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  ImVec2 c((min.x + max.x) / 2, (min.y + max.y) / 2);
  float half = std::min(size.x, size.y) * 0.35f, arm = half * 0.35f;
  float thick = std::max(3.0f, TouchPx(app.theme()) / 12);
  ImU32 col = ImGui::GetColorU32(pal.info);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int sx : {-1, 1})
    for (int sy : {-1, 1}) {
      ImVec2 corner(c.x + sx * half, c.y + sy * half);
      dl->AddLine(corner, ImVec2(corner.x - sx * arm, corner.y), col, thick);
      dl->AddLine(corner, ImVec2(corner.x, corner.y - sy * arm), col, thick);
    }
  std::string aim = app.T("kiosk.aim");
  ImGui::SetCursorPosX(
      ImGui::GetCursorPosX() +
      std::max(0.0f, (ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(aim.c_str()).x) / 2));
  ImGui::TextUnformatted(aim.c_str());
  app.Mark("kiosk.preview.aim");
}

void ExitGate(App& app) {
  KioskState& ks = app.kiosk;
  BigText(app, app.T("kiosk.exit_prompt"), kHeadingScale);
  // Typed, never picked from a list: residents at the kiosk do not see who the staff are.
  TextField(app, "kiosk.exit.handle", app.T("kiosk.exit_handle"), &ks.exit_handle,
            ImGui::GetContentRegionAvail().x / 2,
            ImGuiInputTextFlags_CharsNoBlank | ImGuiInputTextFlags_AutoSelectAll);
  std::string dots;
  for (size_t i = 0; i < ks.exit_pin.size(); ++i) dots += "●";
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  PinPad(app, "kpin", &ks.exit_pin);
  ImGui::BeginDisabled(ks.exit_handle.empty() || ks.exit_pin.size() < 4);
  if (Button(app, "kiosk.exit.submit", app.T("login.submit")))
    app.KioskExit(ks.exit_handle, ks.exit_pin);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (Button(app, "kiosk.exit.cancel", app.T("action.cancel"))) app.KioskReset();
}

}  // namespace

void DrawKiosk(App& app) {
  KioskState& ks = app.kiosk;
  Palette pal = ColorsFor(app.theme());
  float big = kLargeScale;  // the large font at its baked size
  LanguageRow(app);
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  float footer = TouchPx(app.theme()) + ImGui::GetStyle().ItemSpacing.y * 2;
  ImGui::BeginChild("kiosk.body", ImVec2(0, -footer), false);
  switch (ks.phase) {
    case KioskPhase::kWelcome:
      BigText(app, app.T("kiosk.welcome"), big);
      app.Mark("kiosk.welcome." + app.lang_code());  // the language a resident starts in
      ImGui::Spacing();
      BigText(app, app.T("kiosk.show_qr"), big);
      ImGui::Spacing();
      if (!app.devices().poll_qr ||
          (app.devices().camera_failing && app.devices().camera_failing())) {
        ImGui::TextColored(pal.warn, "⚠ %s", app.T("kiosk.no_camera"));
        app.Mark("kiosk.no_camera");
      } else {
        // The rate shows when low-power mode has lowered it.
        ImGui::TextColored(pal.muted, "▣ %s · %d fps", app.T("kiosk.camera_on"), app.camera_fps());
        app.Mark("kiosk.camera." + std::to_string(app.camera_fps()) + "fps");
        if (const PreviewTexture* tex = app.camera_preview()) Preview(app, *tex, pal);
      }
      break;
    case KioskPhase::kConfirm: {
      if (!ks.person) break;
      std::string who = app.F(
          "kiosk.hello", {{"name", ks.person->name.empty() ? ks.person->kana : ks.person->name}});
      BigText(app, who, big);
      ImGui::Spacing();
      BigText(app, app.T(ks.arriving ? "kiosk.confirm_in" : "kiosk.confirm_out"), big);
      ImGui::Spacing();
      float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
      ImGui::PushFont(app.large_font());
      if (Button(app, "kiosk.yes",
                 std::string("✓ ") + app.T(ks.arriving ? "action.check_in" : "action.check_out"), w,
                 TouchPx(app.theme()) * 2))
        app.KioskConfirm();
      ImGui::SameLine();
      if (Button(app, "kiosk.no", std::string("✕ ") + app.T("action.cancel"), w,
                 TouchPx(app.theme()) * 2))
        app.KioskReset();
      ImGui::PopFont();
      break;
    }
    case KioskPhase::kDone: BigText(app, ks.result, big); break;
    case KioskPhase::kExit: ExitGate(app); break;
  }
  ImGui::EndChild();
  if (ks.phase != KioskPhase::kExit) {
    if (Button(app, "kiosk.staff", app.T("kiosk.staff"))) {
      ks.exit_pin.clear();
      ks.person.reset();
      ks.phase = KioskPhase::kExit;
      ks.reset_at = app.Now() + KioskState::kTimeoutMs;
    }
  }
}

}  // namespace shelter::ui
