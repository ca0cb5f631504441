// Kiosk mode for residents: show a pass to the camera, confirm check-in or check-out in your
// language, big text. It shows only the scanned person's own name, resets itself after a timeout,
// and is left only with a staff PIN.
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

void LanguageRow(App& app) {
  const auto& cat = app.catalog();
  float w = (ImGui::GetContentRegionAvail().x -
             (cat.languages().size() - 1) * ImGui::GetStyle().ItemSpacing.x) /
            static_cast<float>(cat.languages().size());
  for (size_t i = 0; i < cat.languages().size(); ++i) {
    if (i) ImGui::SameLine();
    if (Toggle(app, "kiosk.lang." + cat.languages()[i], cat.Text(static_cast<int>(i), "lang.name"),
               static_cast<int>(i) == app.lang(), w))
      app.SetLanguage(static_cast<int>(i));
  }
}

void ExitGate(App& app) {
  KioskState& ks = app.kiosk;
  BigText(app, app.T("kiosk.exit_prompt"), kHeadingScale);
  for (size_t i = 0; i < app.login.staff_handles.size(); ++i) {
    const std::string& h = app.login.staff_handles[i];
    if (i % 4 != 0) ImGui::SameLine();
    if (Toggle(app, "kiosk.exit.staff." + h, h, ks.exit_handle == h)) ks.exit_handle = h;
  }
  std::string dots;
  for (size_t i = 0; i < ks.exit_pin.size(); ++i) dots += "●";
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  PinPad(app, "kpin", &ks.exit_pin);
  ImGui::BeginDisabled(ks.exit_handle.empty() || ks.exit_pin.size() < 4);
  if (Button(app, "kiosk.exit.submit", app.T("login.submit")))
    app.KioskExit(ks.exit_handle, ks.exit_pin);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (Button(app, "kiosk.exit.cancel", app.T("action.cancel"))) {
    ks.exit_pin.clear();
    ks.phase = KioskPhase::kWelcome;
  }
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
                 TouchPx(app.theme()) * 2)) {
        ks.person.reset();
        ks.phase = KioskPhase::kWelcome;
      }
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
