// App's kiosk actions: a scanned pass, the resident's confirmation, the staff-PIN exit gate.
#include <algorithm>

#include "core/formats/pre_registration.hpp"
#include "core/ops/registration.hpp"
#include "core/ops/households.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

void App::EnterKiosk() {
  kiosk = true;
  kiosk_phase = KioskPhase::kWelcome;
  kiosk_person.reset();
  Go(Screen::kKiosk);
}

void App::KioskScanned(const std::string& text) {
  kiosk_reset_at = Now() + kKioskTimeoutMs;
  kiosk_person.reset();
  if (text.rfind(core::kPreRegistrationPrefix, 0) == 0) {
    // A resident's own pre-registration: staff at the desk confirm it (register screen, QR tab).
    kiosk_phase = KioskPhase::kDone;
    kiosk_result = T("kiosk.prereg_at_desk");
    kiosk_reset_at = Now() + kKioskDoneMs;
    return;
  }
  // The pass is checked by core: signature, issuing device, this shelter, person known here.
  if (auto scan = core::ScanPass(node_, text); scan.ok()) kiosk_person = scan->person;
  if (!kiosk_person) {
    kiosk_phase = KioskPhase::kDone;
    kiosk_result = T("kiosk.unknown_pass");
    kiosk_reset_at = Now() + kKioskDoneMs;
    return;
  }
  SeeText(kiosk_person->name);
  kiosk_arriving = !kiosk_person->InShelter();
  kiosk_phase = KioskPhase::kConfirm;
}

void App::KioskConfirm() {
  if (!kiosk_person) return;
  auto r = kiosk_arriving ? core::CheckIn(node_, kiosk_person->id)
                          : core::CheckOut(node_, kiosk_person->id);
  kiosk_phase = KioskPhase::kDone;
  kiosk_reset_at = Now() + kKioskDoneMs;
  kiosk_result = r.ok() ? T(kiosk_arriving ? "kiosk.welcome_done" : "kiosk.goodbye_done")
                        : ErrorText(r.error());
  kiosk_person.reset();
  Refresh();
}

void App::KioskExit(const std::string& handle, const std::string& pin) {
  // Checked without touching the running session: a wrong PIN keeps the kiosk running (and
  // counts towards the lockout like any login).
  core::Status s = node_.CheckStaffPin(handle, pin, {core::StaffRole::kStaff, core::StaffRole::kLead,
                                                      core::StaffRole::kAdmin});
  std::fill(pin_entry.begin(), pin_entry.end(), '\0');
  pin_entry.clear();
  if (!s.ok()) {
    Notify(ErrorText(s.error()), true);
    return;
  }
  kiosk = false;
  Refresh();
  Go(Screen::kDashboard);
}

const char* StatusKey(const core::PersonSummary& p) {
  if (p.event.empty()) return "status.not_arrived";
  if (p.InShelter()) return "status.in_shelter";
  if (p.event == "arrive" && p.place == "car") return "status.in_car";
  if (p.event == "arrive" && p.place == "home") return "status.at_home";
  if (p.event == "arrive") return "status.elsewhere";
  if (p.event == "leave") return "status.out";
  if (p.event == "hospital") return "status.hospital";
  return "status.elsewhere";
}

}  // namespace shelter::ui
