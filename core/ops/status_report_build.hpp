// The shelter's signed JSR1 status report as a tablet sends it (DESIGN §10): counted from the
// node's state (core/ops/status_summary), signed with this device's key, as text, QR version
// and SMS parts. The one function shelterctl's `report` and the app's report screen call.
// Reads and signs with the Node: one thread at a time, like the Node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/codec/qr_code.hpp"
#include "core/formats/status_report.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

struct BuiltStatusReport {
  StatusReport report;
  std::string text;                // "JSR1:..."
  QrSymbol qr;                     // the text at level M (the budget is version 20)
  std::vector<std::string> parts;  // the text as SMS parts (core/formats/report_parts)
};

// kUnauthenticated before a login; kPermissionDenied unless the account is staff, lead or admin
// and the device may report for `shelter` (a tablet of that shelter or a municipality-wide
// device, never a kiosk: what HQ verifies).
Status MayReportStatus(const Node& node, const Id16& shelter);

// The report of `shelter` as of this device's clock. The errors of MayReportStatus; kNotFound
// for an unknown shelter; kInternal when the text outgrows its QR budget.
Result<BuiltStatusReport> BuildStatusReport(Node& node, const Id16& shelter);

}  // namespace shelter::core
