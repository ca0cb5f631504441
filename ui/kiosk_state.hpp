// What kiosk mode holds: whether it runs, its phase, the one resident scanned (shown only until
// the phase times out) and the staff exit gate's account and PIN. UI thread only.
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

  bool active = false;
  KioskPhase phase = KioskPhase::kWelcome;
  std::optional<core::PersonSummary> person;  // the resident whose pass was scanned
  bool arriving = true;                       // confirm a check-in (else a check-out)
  std::string result;                         // translated: what the last scan or confirm did
  int64_t reset_at = 0;                       // when the phase goes back to welcome (ms)
  std::string exit_handle;                    // the staff account leaving the kiosk
  std::string exit_pin;                       // wiped after every attempt and on reset
};

}  // namespace shelter::ui
