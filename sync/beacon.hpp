// Discovery beacons (sync/PROTOCOL.md "Discovery"): a small UDP multicast datagram announcing a
// device's sync port and a digest of what it holds, so peers connect only when they differ.
// Unauthenticated on purpose: the session that follows authenticates. Value types; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::sync {

constexpr const char* kBeaconGroup = "239.255.77.77";
constexpr uint16_t kBeaconPort = 47474;
constexpr size_t kBeaconBytes = 39;

struct Beacon {
  core::Id16 device;
  uint16_t port = 0;                 // TCP port of the device's sync listener
  std::array<uint8_t, 16> digest{};  // the HELLO digest: equal digests need no session
};

// "SKD1" | version 1 | device [16] | port u16 | digest [16]
core::Bytes EncodeBeacon(const Beacon& b);
// kParse unless exactly a version-1 beacon.
core::Result<Beacon> DecodeBeacon(core::ByteView bytes);

// When to send the next beacon: every `interval_s` (60 s by default, longer in low-power mode)
// with ±10 % jitter so that tablets started together do not stay in step; `jitter` in [0, 1).
int64_t NextBeaconDelayMs(int64_t interval_s, double jitter);

// Exponential backoff for a peer that could not be reached: 15 s doubling to at most 15 min.
int64_t BackoffMs(int failures);

}  // namespace shelter::sync
