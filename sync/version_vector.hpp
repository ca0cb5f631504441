// Version vectors for anti-entropy (DESIGN §5): for each device, the highest segment number held
// contiguously from 1. Comparing two vectors names exactly the segments one side lacks.
// Value types; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/log/log_store.hpp"

namespace shelter::sync {

using VersionVector = std::map<core::Id16, uint64_t>;

// The vector of what `log` holds contiguously (gaps end a device's run: later segments wait).
core::Result<VersionVector> VectorOf(core::LogStore& log);

struct Want {
  core::Id16 device;
  uint64_t from_number;  // first segment number the other side lacks
  uint64_t to_number;    // last one we can send
};
// What `have` can send to a peer whose vector is `peer`.
std::vector<Want> MissingFrom(const VersionVector& have, const VersionVector& peer);

// Compact encoding for the wire and bundles: CBOR map {device bstr: number}.
core::Bytes EncodeVector(const VersionVector& v);
core::Result<VersionVector> DecodeVector(core::ByteView bytes);

}  // namespace shelter::sync
