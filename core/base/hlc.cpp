#include "core/base/hlc.hpp"

#include <chrono>

namespace shelter::core {

HlcClock::HlcClock(NowMs now_ms) : now_ms_(std::move(now_ms)) {}

int64_t HlcClock::SystemNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Hlc HlcClock::Now() {
  int64_t ms = now_ms_();
  if (ms < 0) ms = 0;
  Hlc wall = static_cast<Hlc>(ms) << 16;
  // Behind or equal to the last timestamp (clock set back, or many events in one ms): count up.
  last_ = wall > last_ ? wall : last_ + 1;
  return last_;
}

void HlcClock::Observe(Hlc seen) {
  if (seen > last_) last_ = seen;
}

}  // namespace shelter::core
