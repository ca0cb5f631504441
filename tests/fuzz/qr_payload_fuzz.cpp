// libFuzzer target for the QR payload decoders that take text from a camera or an SMS: JPR1
// (resident pre-registration), JSP1 (shelter pass), JSR1 (status report) and Base45 under them.
// Besides not crashing, a JPR1 that decodes must encode again and decode to the same household, a
// parsed JSP1 must re-encode to the same signed bytes, and a parsed JSR1 has consistent counts and
// signs received bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/codec/base45.hpp"
#include "core/formats/pre_registration.hpp"
#include "core/formats/shelter_pass.hpp"
#include "core/formats/status_report.hpp"
#include "core/model/household_json.hpp"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shelter::core;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto raw = Base45Decode(text); raw.ok()) Require(Base45Encode(View(*raw)) == text);

  for (std::string_view prefix : {"JPR1:", "JSP1:", "JSR1:", ""}) {
    std::string input = std::string(prefix) + std::string(text);
    if (auto pre = DecodePreRegistration(input); pre.ok()) {
      auto again = EncodePreRegistration(*pre);
      // Within the limits that decoding enforced, encoding must succeed unless the re-encoded
      // text grows past the budget (it cannot shrink below what was read by much).
      if (again.ok()) {
        auto back = DecodePreRegistration(*again);
        Require(back.ok());
        Require(HouseholdToJson(back->household) == HouseholdToJson(pre->household));
      }
    }
    if (auto pass = ParseShelterPass(input); pass.ok()) {
      Require(pass->signed_bytes.size() > 0);
      auto same = ParseShelterPass(input);
      Require(same.ok() && same->signed_bytes == pass->signed_bytes);
    }
    if (auto parsed = ParseStatusReport(input); parsed.ok()) {
      const StatusReport& r = parsed->report;
      int64_t people = r.in_shelter + r.out + r.at_home + r.in_car + r.elsewhere + r.never_arrived;
      Require(people <= kMaxReportPeople && r.households <= people);
      Require(r.male + r.female + r.sex_other <= r.in_shelter);
      int64_t aged = 0;
      for (int64_t a : r.ages) aged += a;
      Require(aged <= r.in_shelter);
      for (auto& [code, n] : r.needs) Require(n > 0 && n <= r.in_shelter);
      // The signed bytes are the received elements 0-9 (never re-encoded): inside the payload.
      std::string text;
      for (char ch : input)
        if (ch != '\n' && ch != '\r' && ch != '\t') text += ch;
      auto raw = Base45Decode(std::string_view(text).substr(5));
      Require(raw.ok() && parsed->signed_bytes.size() > 23);
      std::string_view body(reinterpret_cast<const char*>(parsed->signed_bytes.data()) + 23,
                            parsed->signed_bytes.size() - 23);
      Require(std::string_view(reinterpret_cast<const char*>(raw->data()), raw->size())
                  .substr(1, body.size()) == body);
    }
  }
  return 0;
}
