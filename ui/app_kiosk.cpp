// App's kiosk actions: a scanned pass, the resident's confirmation, the staff-PIN exit gate, the
// reset between residents and the kiosk's timers (timeouts, the camera, its live preview).
#include <algorithm>
#include <cstdint>

#include "core/formats/pre_registration.hpp"
#include "core/ops/households.hpp"
#include "core/ops/registration.hpp"
#include "ui/app.hpp"
#include "ui/camera_preview.hpp"

namespace shelter::ui {

void App::EnterKiosk() {
  // Residents start in the device's default language (the settings screen's); without one, in
  // the language staff left the kiosk on.
  int home = default_language_.empty() ? -1 : catalog_.IndexOf(default_language_);
  kiosk.home_lang = home >= 0 ? home : lang_;
  KioskReset();
  kiosk.active = true;
  Go(Screen::kKiosk);
}

void App::KioskReset() {
  kiosk.phase = KioskPhase::kWelcome;
  kiosk.person.reset();
  kiosk.arriving = true;
  kiosk.result.clear();
  Wipe(kiosk.exit_pin);
  Wipe(kiosk.exit_handle);
  kiosk.reset_at = 0;
  preview_fresh_ = false;
  SetLanguage(kiosk.home_lang);
}

bool App::TickKiosk(int64_t now) {
  if (!kiosk.active) return false;
  bool changed = false;
  const bool own_language = lang_ != kiosk.home_lang;  // a resident picked one
  if ((kiosk.phase != KioskPhase::kWelcome || own_language) && now >= kiosk.reset_at) {
    KioskReset();  // nothing of the last resident stays, not even their language
    changed = true;
  }
  if (kiosk.phase != KioskPhase::kExit && devices_.poll_qr) {
    // Codes seen while a resident is confirming are dropped, not queued for the next one.
    auto text = devices_.poll_qr();
    if (text && kiosk.phase == KioskPhase::kWelcome) {
      KioskScanned(*text);
      changed = true;
    }
  }
  if (kiosk.phase == KioskPhase::kWelcome && preview_ && devices_.camera_preview &&
      camera_fps_ > 0 && now >= next_preview_ms_) {
    next_preview_ms_ = now + (low_power_ ? KioskState::kPreviewLowPowerMs : KioskState::kPreviewMs);
    if (auto f = devices_.camera_preview(preview_seq_)) {
      preview_seq_ = f->seq;
      if (preview_->Upload(*f)) changed = preview_fresh_ = true;
    }
  }
  return changed;
}

int64_t App::KioskWakeMs() const {
  int64_t next = INT64_MAX;
  if (kiosk.phase != KioskPhase::kWelcome || lang_ != kiosk.home_lang) next = kiosk.reset_at;
  if (kiosk.phase == KioskPhase::kWelcome && preview_ && devices_.camera_preview && camera_fps_ > 0)
    next = std::min(next, next_preview_ms_);
  return next;
}

const PreviewTexture* App::camera_preview() const {
  bool live = kiosk.active && kiosk.phase == KioskPhase::kWelcome && camera_fps_ > 0 && preview_ &&
              preview_->texture() && preview_fresh_ &&
              !(devices_.camera_failing && devices_.camera_failing());
  return live ? preview_ : nullptr;
}

void App::KioskScanned(const std::string& text) {
  kiosk.reset_at = Now() + KioskState::kTimeoutMs;
  kiosk.person.reset();
  if (text.rfind(core::kPreRegistrationPrefix, 0) == 0) {
    // A resident's own pre-registration: staff at the desk confirm it (register screen, QR tab).
    kiosk.phase = KioskPhase::kDone;
    kiosk.result = T("kiosk.prereg_at_desk");
    kiosk.reset_at = Now() + KioskState::kDoneMs;
    return;
  }
  // The pass is checked by core: signature, issuing device, this shelter, person known here.
  if (auto scan = core::ScanPass(node_, text); scan.ok()) kiosk.person = scan->person;
  if (!kiosk.person) {
    kiosk.phase = KioskPhase::kDone;
    kiosk.result = T("kiosk.unknown_pass");
    kiosk.reset_at = Now() + KioskState::kDoneMs;
    return;
  }
  SeeText(kiosk.person->name);
  kiosk.arriving = !kiosk.person->InShelter();
  kiosk.phase = KioskPhase::kConfirm;
}

void App::KioskConfirm() {
  if (!kiosk.person) return;
  auto r = kiosk.arriving ? core::CheckIn(node_, kiosk.person->id)
                          : core::CheckOut(node_, kiosk.person->id);
  kiosk.phase = KioskPhase::kDone;
  kiosk.reset_at = Now() + KioskState::kDoneMs;
  kiosk.result = r.ok() ? T(kiosk.arriving ? "kiosk.welcome_done" : "kiosk.goodbye_done")
                        : ErrorText(r.error());
  kiosk.person.reset();
  Refresh();
}

void App::KioskExit(const std::string& handle, const std::string& pin) {
  // Checked without touching the running session: a wrong PIN keeps the kiosk running (and
  // counts towards the lockout like any login).
  core::Status s = node_.CheckStaffPin(
      handle, pin, {core::StaffRole::kStaff, core::StaffRole::kLead, core::StaffRole::kAdmin});
  Wipe(kiosk.exit_pin);
  if (!s.ok()) {
    Notify(ErrorText(s.error()), true);
    return;
  }
  KioskReset();
  kiosk.active = false;
  Refresh();
  Go(Screen::kDashboard);
}

}  // namespace shelter::ui
