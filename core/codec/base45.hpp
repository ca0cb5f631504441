// Base45 (RFC 9285): binary to the QR alphanumeric character set, so signed payloads print as
// dense alphanumeric-mode QR codes. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::core {

std::string Base45Encode(ByteView data);

// Returns kParse for a character outside the alphabet, a dangling single character, or a
// triple/pair whose value does not fit in 16/8 bits (RFC 9285 §4.2 requires rejecting those).
Result<Bytes> Base45Decode(std::string_view text);

}  // namespace shelter::core
