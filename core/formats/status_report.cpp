// JSR1 = "JSR1:" Base45(CBOR [shelter, as_of, open, capacity, places, sexes, ages, needs,
// supplies, kid, signature]); the signature covers a context string and the CBOR array of the
// first ten elements. Needs are keyed by their index in NeedCodes(), which only ever grows.
#include "core/formats/status_report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/codec/cbor.hpp"
#include "core/model/entities.hpp"

namespace shelter::core {
namespace {

constexpr int64_t kMaxCount = kMaxReportPeople;
constexpr size_t kMaxText = 1200;  // after removing whitespace; a full report is ~350 characters

const SignedPayloadFormat kFormat{
    .prefix = kStatusReportPrefix,
    .noun = "status report",
    .context = "shelterkit JSR1 report",
    .fields = 10,
    .max_text = kMaxText,  // also enforced while line breaks are removed
    .limits = {.max_depth = 3, .max_items = 256},
    .kiosk_denied = "a kiosk may not report",
    .signed_as = "reported",
};

size_t BandOn(std::string_view dob_view, std::chrono::year_month_day today) {
  int y, m, d;
  std::string dob(dob_view);
  if (dob.size() != 10 || std::sscanf(dob.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return 5;
  int age = int(today.year()) - y;
  if (unsigned(today.month()) < unsigned(m) ||
      (unsigned(today.month()) == unsigned(m) && unsigned(today.day()) < unsigned(d)))
    --age;
  if (age < 0) return 5;
  if (age <= 5) return 0;
  if (age <= 14) return 1;
  if (age <= 64) return 2;
  if (age <= 74) return 3;
  return 4;
}

cbor::Array Ints(std::initializer_list<int64_t> v) { return cbor::Array(v.begin(), v.end()); }

cbor::Array Unsigned(const StatusReport& r) {
  cbor::Map needs;
  auto& codes = NeedCodes();
  for (size_t i = 0; i < codes.size(); ++i)
    if (auto it = r.needs.find(codes[i]); it != r.needs.end() && it->second > 0)
      needs.emplace_back(int64_t(i), it->second);
  cbor::Array ages(r.ages.begin(), r.ages.end());
  cbor::Array supplies;
  for (auto s : r.supplies) supplies.emplace_back(int64_t(s));
  return cbor::Array{
      Bytes(r.shelter.b.begin(), r.shelter.b.end()),
      r.as_of_s,
      r.open,
      r.capacity,
      Ints({r.in_shelter, r.out, r.at_home, r.in_car, r.elsewhere, r.never_arrived, r.households}),
      Ints({r.male, r.female, r.sex_other}),
      std::move(ages),
      std::move(needs),
      std::move(supplies),
      Bytes(r.kid.begin(), r.kid.end())};
}

Error Bad(const char* what) { return BadPayload(kFormat, what); }

// Reads an array of exactly n counts into the given fields.
bool TakeCounts(const cbor::Item& item, std::initializer_list<int64_t*> fields) {
  auto* a = item.as_array();
  if (!a || a->size() != fields.size()) return false;
  size_t i = 0;
  for (int64_t* f : fields) {
    auto* v = (*a)[i++].as_int();
    if (!v || *v < 0 || *v > kMaxCount) return false;
    *f = *v;
  }
  return true;
}

int64_t Sum(std::initializer_list<int64_t> v) {
  int64_t n = 0;
  for (int64_t x : v) n += x;  // each is at most kMaxCount: no overflow
  return n;
}

// The counts against each other: one shelter's registered people are at most kMaxReportPeople;
// households at most people; the breakdowns of the people in the shelter (by sex, by age band,
// each 要配慮者 code) at most the people in the shelter.
Status CheckCounts(const StatusReport& r) {
  int64_t people = Sum({r.in_shelter, r.out, r.at_home, r.in_car, r.elsewhere, r.never_arrived});
  if (people > kMaxReportPeople) return Bad("counts (more people than one shelter registers)");
  if (r.households > people) return Bad("counts (more households than people)");
  if (Sum({r.male, r.female, r.sex_other}) > r.in_shelter)
    return Bad("counts (more people by sex than in the shelter)");
  int64_t aged = 0;
  for (int64_t a : r.ages) aged += a;
  if (aged > r.in_shelter) return Bad("counts (more people by age than in the shelter)");
  for (auto& [code, n] : r.needs)
    if (n > r.in_shelter) return Bad("counts (more people with a need than in the shelter)");
  return Ok();
}

}  // namespace

size_t AgeBand(std::string_view dob, int64_t as_of_s) {
  return BandOn(dob, std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(
                         std::chrono::sys_seconds(std::chrono::seconds(as_of_s)))));
}

Result<std::string> EncodeStatusReport(const StatusReport& report, const PassSigner& sign) {
  return EncodeSignedPayload(kFormat, Unsigned(report), sign);
}

Result<ParsedStatusReport> ParseStatusReport(std::string_view input) {
  // SMS gateways and people split long messages with line breaks; a space is a Base45 character.
  std::string text;
  for (char ch : input) {
    if (ch == '\n' || ch == '\r' || ch == '\t') continue;
    text += ch;
    if (text.size() > kMaxText) return Bad("length");
  }
  SHELTER_ASSIGN_OR_RETURN(SignedPayloadFrame frame, OpenSignedPayload(kFormat, text));
  const cbor::Array& a = frame.items;
  ParsedStatusReport out;
  StatusReport& r = out.report;
  auto* shelter = a[0].as_bytes();
  if (!shelter || shelter->size() != 16) return Bad("shelter id");
  std::copy(shelter->begin(), shelter->end(), r.shelter.b.begin());
  auto* as_of = a[1].as_int();
  auto* open = a[2].as_bool();
  auto* capacity = a[3].as_int();
  if (!as_of || *as_of < 0 || !open || !capacity || *capacity < 0 || *capacity > kMaxCount)
    return Bad("header");
  r.as_of_s = *as_of;
  r.open = *open;
  r.capacity = *capacity;
  if (!TakeCounts(a[4], {&r.in_shelter, &r.out, &r.at_home, &r.in_car, &r.elsewhere,
                         &r.never_arrived, &r.households}))
    return Bad("place counts");
  if (!TakeCounts(a[5], {&r.male, &r.female, &r.sex_other})) return Bad("sex counts");
  if (!TakeCounts(a[6], {&r.ages[0], &r.ages[1], &r.ages[2], &r.ages[3], &r.ages[4], &r.ages[5]}))
    return Bad("age counts");
  auto* needs = a[7].as_map();
  if (!needs) return Bad("needs");
  auto& codes = NeedCodes();
  for (auto& [k, v] : *needs) {
    auto* idx = k.as_int();
    auto* n = v.as_int();
    if (!idx || !n || *n < 1 || *n > kMaxCount || *idx < 0) return Bad("needs");
    if (*n > r.in_shelter) return Bad("counts (more people with a need than in the shelter)");
    if (size_t(*idx) >= codes.size()) continue;  // a code newer than this build: skipped
    if (!r.needs.emplace(codes[size_t(*idx)], *n).second) return Bad("needs");
  }
  auto* supplies = a[8].as_array();
  if (!supplies || supplies->size() != kSupplyCount) return Bad("supplies");
  for (size_t i = 0; i < kSupplyCount; ++i) {
    auto* s = (*supplies)[i].as_int();
    if (!s || *s < 0 || *s > 3) return Bad("supplies");
    r.supplies[i] = SupplyState(*s);
  }
  SHELTER_ASSIGN_OR_RETURN(PayloadSignature sig, TakeSignature(kFormat, a));
  r.kid = sig.kid;
  out.signature = sig.signature;
  SHELTER_TRY(CheckCounts(r));
  // The signature covers elements 0-9 as the signer encoded them: taken from the received bytes,
  // never re-encoded (a newer tablet's need codes, skipped above, are still covered).
  SHELTER_ASSIGN_OR_RETURN(out.signed_bytes, ReceivedSignedBytes(kFormat, View(frame.raw)));
  return out;
}

Status VerifyStatusReport(const ParsedStatusReport& parsed, const DeviceCert& signer) {
  const StatusReport& r = parsed.report;
  return VerifySignedPayload(kFormat, {r.kid, parsed.signature}, View(parsed.signed_bytes),
                             r.shelter, signer);
}

}  // namespace shelter::core
