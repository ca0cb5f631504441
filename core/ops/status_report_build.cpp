// BuildStatusReport: Summarize, EncodeStatusReport with the device key, the QR version at M
// and SplitReportText.
#include "core/ops/status_report_build.hpp"

#include "core/formats/report_parts.hpp"
#include "core/ops/status_summary.hpp"

namespace shelter::core {

namespace {
constexpr int kMaxReportQrVersion = 20;  // DESIGN §6: JSR1 fits a version-20 symbol at M
}  // namespace

Status MayReportStatus(const Node& node, const Id16& shelter) {
  SHELTER_TRY(node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin}));
  const DeviceCert& me = node.device();
  if (me.role == DeviceRole::kKiosk)
    return MakeError(ErrorCode::kPermissionDenied, "a kiosk may not report");
  if (!me.shelter_scope.IsZero() && me.shelter_scope != shelter)
    return MakeError(ErrorCode::kPermissionDenied, "this tablet reports for its own shelter only");
  return Ok();
}

Result<BuiltStatusReport> BuildStatusReport(Node& node, const Id16& shelter) {
  SHELTER_TRY(MayReportStatus(node, shelter));
  BuiltStatusReport out;
  SHELTER_ASSIGN_OR_RETURN(out.report, Summarize(node, shelter, node.NowMs() / 1000));
  SHELTER_ASSIGN_OR_RETURN(out.text, EncodeStatusReport(out.report, [&node](ByteView m) {
                             return node.SignAsDevice(m);
                           }));
  SHELTER_ASSIGN_OR_RETURN(out.qr, EncodeQr(out.text, QrEcc::kM));
  if (out.qr.version > kMaxReportQrVersion)
    return MakeError(ErrorCode::kInternal, "the JSR1 report outgrew its QR budget (version " +
                                               std::to_string(out.qr.version) + ")");
  SHELTER_ASSIGN_OR_RETURN(out.parts, SplitReportText(out.text));
  return out;
}

}  // namespace shelter::core
