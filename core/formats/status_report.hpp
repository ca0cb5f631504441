// JSR1: a shelter's signed population summary (core/FORMATS.md "JSR1"), small enough for a QR
// code and a few SMS or satellite messages, so HQ learns the numbers when only a phone works.
// The codec; core/ops/status_summary counts a Node's state into a report. Pure functions;
// thread-safe.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/device/device_cert.hpp"
#include "core/formats/signed_payload.hpp"

namespace shelter::core {

inline constexpr std::string_view kStatusReportPrefix = "JSR1:";
// At most this many registered people in one report (every count is at most this too).
inline constexpr int64_t kMaxReportPeople = 1'000'000;

// Supplies and services, as staff judge them.
enum class SupplyState : uint8_t { kUnknown = 0, kOk = 1, kShort = 2, kNone = 3 };
enum Supply : size_t { kFood, kWater, kPower, kToilet, kComms, kSupplyCount };

// Age bands at the report date: 0–5 (乳幼児), 6–14, 15–64, 65–74, 75+, unknown birth date.
inline constexpr size_t kAgeBands = 6;
// The band of a YYYY-MM-DD birth date on the UTC day of `as_of_s`; 5 when unknown or malformed.
size_t AgeBand(std::string_view dob, int64_t as_of_s);

struct StatusReport {
  Id16 shelter;
  int64_t as_of_s = 0;  // when the counts were taken (unix seconds)
  bool open = true;
  int64_t capacity = 0;  // from the shelter master data
  // Where the shelter's registered people are now (State::Counts).
  int64_t in_shelter = 0, out = 0, at_home = 0, in_car = 0, elsewhere = 0, never_arrived = 0;
  int64_t households = 0;  // 避難世帯数: households with someone in the shelter
  // Of the people in the shelter:
  int64_t male = 0, female = 0, sex_other = 0;  // other and not answered together
  std::array<int64_t, kAgeBands> ages{};
  std::map<std::string, int64_t> needs;  // 要配慮者 code -> people (non-zero only)
  std::array<SupplyState, kSupplyCount> supplies{};
  crypto::KeyId kid{};  // the reporting device's key
};

// Signed text. REQUIRES: report.kid == KeyIdOf(the signer's public key).
Result<std::string> EncodeStatusReport(const StatusReport& report, const PassSigner& sign);

struct ParsedStatusReport {
  StatusReport report;
  Bytes signed_bytes;
  crypto::Signature signature{};
};
// Structure and counts (no signature, no clock). kUnsupported for another prefix/version, kParse
// for anything malformed or counts that contradict each other (more people than
// kMaxReportPeople, more households than people, more people by sex, by age or with one need
// than in the shelter). `signed_bytes` are the received bytes the signature covers. Line
// breaks inside the text are ignored (SMS gateways and people split long messages).
Result<ParsedStatusReport> ParseStatusReport(std::string_view text);
// kCrypto for a bad signature; kPermissionDenied when the signer is a kiosk or a device of
// another shelter.
Status VerifyStatusReport(const ParsedStatusReport& parsed, const DeviceCert& signer);

}  // namespace shelter::core
