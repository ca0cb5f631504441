// JSR1 status reports at HQ: verify against the enrolled devices, store idempotently, and read
// them from photos or screenshots of the tablet's QR code.
#include <algorithm>

#include "core/base/crypto.hpp"
#include "core/codec/image_io.hpp"
#include "core/codec/qr_code.hpp"
#include "core/formats/signed_payload.hpp"
#include "sync/hq/hq_queries.hpp"

namespace shelter::hq {

using core::ErrorCode;
using core::MakeError;

const char* ReportOutcomeName(ReportOutcome o) {
  switch (o) {
    case ReportOutcome::kAccepted: return "accepted";
    case ReportOutcome::kDuplicate: return "duplicate";
    case ReportOutcome::kOlder: return "older";
    case ReportOutcome::kReplaced: return "replaced";
  }
  return "?";
}

Result<ReportResult> IngestReport(SqlConn& db, std::string_view text,
                                  const std::map<core::Id16, core::DeviceCert>& devices,
                                  int64_t now_ms) {
  SHELTER_ASSIGN_OR_RETURN(core::ParsedStatusReport parsed, core::ParseStatusReport(text));
  const core::StatusReport& r = parsed.report;
  const core::DeviceCert* signer = core::FindSigner(devices, r.kid);
  if (!signer) return MakeError(ErrorCode::kCrypto, "JSR1 report signed by an unknown device");
  SHELTER_TRY(core::VerifyStatusReport(parsed, *signer));
  // A report from the future would keep every true later report of its shelter out ("older").
  if (r.as_of_s > now_ms / 1000 + kMaxReportAheadS)
    return MakeError(ErrorCode::kInvalidArgument,
                     "JSR1 report dated " + std::to_string((r.as_of_s - now_ms / 1000) / 60) +
                         " minutes ahead of this HQ's clock (at most " +
                         std::to_string(kMaxReportAheadS / 60) +
                         " allowed): check the clock of the tablet that made it, or of HQ");

  core::Bytes whole = parsed.signed_bytes;
  whole.insert(whole.end(), parsed.signature.begin(), parsed.signature.end());
  core::Hash32 h = core::crypto::Sha256(core::View(whole));
  std::string hash = core::ToHex(core::ByteView(h.data(), h.size()));
  std::string shelter = r.shelter.Hex();
  ReportResult result{ReportOutcome::kAccepted, r.shelter, r.as_of_s};

  SHELTER_TRY(db.Begin());
  auto fail = [&](core::Error e) {
    db.Rollback();
    return e;
  };
  auto seen = db.Query("SELECT outcome FROM report_log WHERE hash = $1", {hash});
  if (!seen.ok()) return fail(seen.error());
  if (!seen->empty()) {
    db.Rollback();
    result.outcome = ReportOutcome::kDuplicate;
    return result;
  }
  auto stored = QueryInt(db, "SELECT as_of_s FROM reports WHERE shelter = $1", {shelter});
  if (!stored.ok()) return fail(stored.error());
  if (*stored && **stored >= r.as_of_s) {
    result.outcome = ReportOutcome::kOlder;  // equal times: the first one received stays
  } else {
    result.outcome = *stored ? ReportOutcome::kReplaced : ReportOutcome::kAccepted;
    std::string needs;
    int64_t with_needs = 0;  // a lower bound: one person may have several needs
    for (auto& [code, n] : r.needs) {
      needs += (needs.empty() ? "" : ",") + code + ":" + std::to_string(n);
      with_needs = std::max(with_needs, n);
    }
    static const char* kSupply[] = {"food", "water", "power", "toilet", "comms"};
    static const char* kState[] = {"unknown", "ok", "short", "none"};
    std::string supplies;
    for (size_t i = 0; i < core::kSupplyCount; ++i)
      supplies += std::string(i ? "," : "") + kSupply[i] + ":" +
                  kState[static_cast<size_t>(r.supplies[i]) & 3];
    Status s =
        db.Upsert("reports",
                  {"shelter",    "as_of_s",  "device",  "received_ms", "open",      "capacity",
                   "in_shelter", "out_now",  "at_home", "in_car",      "elsewhere", "never_arrived",
                   "households", "male",     "female",  "sex_other",   "infants",   "with_needs",
                   "needs",      "supplies", "text"},
                  1, {{shelter,      r.as_of_s,       signer->device.Hex(),
                       now_ms,       int64_t(r.open), r.capacity,
                       r.in_shelter, r.out,           r.at_home,
                       r.in_car,     r.elsewhere,     r.never_arrived,
                       r.households, r.male,          r.female,
                       r.sex_other,  r.ages[0],       with_needs,
                       needs,        supplies,        std::string(text)}});
    if (!s.ok()) return fail(s.error());
  }
  Status s = db.Upsert(
      "report_log", {"hash", "shelter", "as_of_s", "received_ms", "outcome"}, 1,
      {{hash, shelter, r.as_of_s, now_ms, std::string(ReportOutcomeName(result.outcome))}});
  if (!s.ok()) return fail(s.error());
  if (Status c = db.Commit(); !c.ok()) return fail(c.error());
  return result;
}

Result<std::vector<std::string>> ReadReportImage(const std::string& path) {
  // Sizes are checked from the header before any pixel is decoded (core::ImageLimits).
  SHELTER_ASSIGN_OR_RETURN(core::GrayImage image, core::ReadImageFile(path));
  std::vector<core::QrRead> reads = core::DecodeQr(image.view());
  std::vector<std::string> out;
  for (auto& r : reads)
    if (r.text.rfind(core::kStatusReportPrefix, 0) == 0) out.push_back(r.text);
  if (out.empty()) return MakeError(ErrorCode::kParse, "no JSR1 QR code in the image");
  return out;
}

}  // namespace shelter::hq
