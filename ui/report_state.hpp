// What the status report screen holds: the last JSR1 report made on this tablet (core's
// BuildStatusReport: text, QR symbol, SMS parts), the counts it was made from, and why it could
// not be made. Counts only, no personal data. UI thread only.
#pragma once

#include <optional>
#include <string>

#include "core/model/state.hpp"
#include "core/ops/status_report_build.hpp"

namespace shelter::ui {

struct ReportState {
  std::optional<core::BuiltStatusReport> built;
  core::ShelterCounts counts_at;  // App::counts() when it was made: new counts make a new one
  std::string error;              // translated
  int last_frame = -1;            // the screen opened again (not drawn last frame): a new report
};

}  // namespace shelter::ui
