// App's kiosk actions: a scanned pass, the resident's confirmation, the staff-PIN exit gate.
#include <algorithm>

#include "core/formats/pre_registration.hpp"
#include "core/ops/households.hpp"
#include "core/ops/registration.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

void App::EnterKiosk() {
  kiosk.active = true;
  kiosk.phase = KioskPhase::kWelcome;
  kiosk.person.reset();
  Go(Screen::kKiosk);
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
  std::fill(kiosk.exit_pin.begin(), kiosk.exit_pin.end(), '\0');
  kiosk.exit_pin.clear();
  if (!s.ok()) {
    Notify(ErrorText(s.error()), true);
    return;
  }
  kiosk.active = false;
  Refresh();
  Go(Screen::kDashboard);
}

}  // namespace shelter::ui
