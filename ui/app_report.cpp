// App's status report (JSR1): made by core from this tablet's state and signed with its key, the
// same function as `shelterctl report`, for the report screen to show as a QR and SMS parts.
#include "core/ops/status_report_build.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

void App::MakeReport() {
  report.error.clear();
  report.counts_at = counts_;
  auto built = core::BuildStatusReport(node_, node_.device().shelter_scope);
  if (!built.ok()) {
    report.built.reset();
    report.error = ErrorText(built.error());
    return;
  }
  report.built = std::move(*built);
}

}  // namespace shelter::ui
