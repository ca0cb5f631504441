// JPR1: the resident's pre-registration QR, made on a phone by assets/prereg (core/FORMATS.md
// "JPR1"). Self-declared and unsigned: staff confirm every field before anything is saved.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/model/entities.hpp"

namespace shelter::core {

inline constexpr std::string_view kPreRegistrationPrefix = "JPR1:";
// The budget of DESIGN §6: the whole text must fit a version-25 symbol at level M, which holds
// 1,451 alphanumeric characters (as ZXing-cpp 1.4 writes it).
inline constexpr size_t kPreRegistrationMaxChars = 1451;

struct PreRegistration {
  int64_t created_s = 0;  // when the phone made it (unix seconds); 0 = not given
  std::string language;   // the household's preferred language (BCP 47, e.g. "ja", "vi")
  Household household;    // ids are empty: staff assign them when they save
  // Things the decoder dropped or could not use (unknown need codes, ...): machine words for
  // staff, never personal data.
  std::vector<std::string> warnings;
};

// Returns kInvalidArgument when a field is over its limit or the text would not fit the budget.
Result<std::string> EncodePreRegistration(const PreRegistration& pre);

// Parses untrusted QR text. Returns kUnsupported for another prefix or version, kParse for
// anything malformed (Base45, zlib, CBOR, field types, limits), naming the field, never the value.
Result<PreRegistration> DecodePreRegistration(std::string_view text);

}  // namespace shelter::core
