// zlib (RFC 1950) compression shared by segments and QR payloads. Pure functions; thread-safe.
#pragma once

#include <cstddef>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::core {

Bytes ZlibCompress(ByteView in, int level = 9);

// Inflates untrusted bytes. Returns kParse when the stream is not complete, valid zlib, has
// trailing bytes, or would inflate beyond max_out (a decompression bomb).
Result<Bytes> ZlibDecompress(ByteView in, size_t max_out);

}  // namespace shelter::core
