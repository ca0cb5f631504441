#include "sync/beacon.hpp"

#include <algorithm>
#include <cstring>

namespace shelter::sync {

core::Bytes EncodeBeacon(const Beacon& b) {
  core::Bytes out = {'S', 'K', 'D', '1', 1};
  core::Append(out, b.device.view());
  out.push_back(static_cast<uint8_t>(b.port >> 8));
  out.push_back(static_cast<uint8_t>(b.port));
  core::Append(out, core::ByteView(b.digest.data(), b.digest.size()));
  return out;
}

core::Result<Beacon> DecodeBeacon(core::ByteView in) {
  if (in.size() != kBeaconBytes || in.substr(0, 4) != core::View("SKD1") || in[4] != 1)
    return core::MakeError(core::ErrorCode::kParse, "not a shelterkit beacon");
  Beacon b;
  std::memcpy(b.device.b.data(), in.data() + 5, 16);
  b.port = static_cast<uint16_t>((in[21] << 8) | in[22]);
  std::memcpy(b.digest.data(), in.data() + 23, 16);
  if (b.port == 0) return core::MakeError(core::ErrorCode::kParse, "beacon without a port");
  return b;
}

int64_t NextBeaconDelayMs(int64_t interval_s, double jitter) {
  double base = static_cast<double>(std::max<int64_t>(interval_s, 1)) * 1000.0;
  return static_cast<int64_t>(base * (0.9 + 0.2 * std::clamp(jitter, 0.0, 0.999)));
}

int64_t BackoffMs(int failures) {
  int64_t ms = 15'000;
  for (int i = 1; i < failures && ms < 15 * 60'000; ++i) ms *= 2;
  return std::min<int64_t>(ms, 15 * 60'000);
}

}  // namespace shelter::sync
