// What kiosk mode holds: whether it runs, its phase, the one resident scanned (shown only until
// the phase times out), the language residents start in, and what staff type at the exit gate
// (their handle and PIN: no list of staff is shown to residents). UI thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/model/state.hpp"

namespace shelter::ui {

enum class KioskPhase { kWelcome, kConfirm, kDone, kExit };

struct KioskState {
  static constexpr int64_t kTimeoutMs = 20000;  // a phase other than welcome resets after this
  static constexpr int64_t kDoneMs = 6000;      // ... or after this once the result is shown
  // The camera preview is redrawn this often (each redraw costs a frame of the whole screen).
  static constexpr int64_t kPreviewMs = 200;
  static constexpr int64_t kPreviewLowPowerMs = 500;  // in low-power mode

  bool active = false;
  KioskPhase phase = KioskPhase::kWelcome;
  std::optional<core::PersonSummary> person;  // the resident whose pass was scanned
  bool arriving = true;                       // confirm a check-in (else a check-out)
  std::string result;                         // translated: what the last scan or confirm did
  int64_t reset_at = 0;     // when the phase (or a resident's language) goes back to welcome (ms)
  int home_lang = 0;        // the language each resident starts in (the device's default)
  std::string exit_handle;  // typed by the staff member leaving the kiosk
  std::string exit_pin;     // wiped after every attempt and on reset
};

}  // namespace shelter::ui
