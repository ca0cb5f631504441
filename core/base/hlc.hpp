// Hybrid logical clock: 48 bits of wall-clock milliseconds and a 16-bit counter in one uint64.
// Monotonic per device across restarts (Restore) and across peers (Observe). Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>

namespace shelter::core {

using Hlc = uint64_t;

constexpr int64_t HlcMillis(Hlc h) { return static_cast<int64_t>(h >> 16); }

class HlcClock {
 public:
  using NowMs = std::function<int64_t()>;
  explicit HlcClock(NowMs now_ms = SystemNowMs);

  // A timestamp greater than every one this clock returned or observed.
  Hlc Now();
  // Folds in a timestamp seen from another device (or read back from disk after a restart).
  void Observe(Hlc seen);
  Hlc last() const { return last_; }

  static int64_t SystemNowMs();

 private:
  NowMs now_ms_;
  Hlc last_ = 0;
};

}  // namespace shelter::core
