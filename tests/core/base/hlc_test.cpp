// Tests for core/base/hlc: the hybrid logical clock never goes backwards, whether the wall clock
// stands still, is set back, or a peer's timestamps run ahead of it.
#include "core/base/hlc.hpp"

#include <doctest/doctest.h>

#include <cstdint>

namespace shelter::core {
namespace {

// A wall clock the test sets by hand.
struct FakeWall {
  int64_t ms = 0;
  HlcClock Clock() {
    return HlcClock([this] { return ms; });
  }
};

TEST_CASE("hlc: the high 48 bits are the wall-clock milliseconds, the low 16 a counter") {
  FakeWall wall;
  wall.ms = 1'700'000'000'123;
  HlcClock clock = wall.Clock();
  Hlc a = clock.Now();
  CHECK(HlcMillis(a) == 1'700'000'000'123);
  CHECK((a & 0xFFFF) == 0);
  CHECK(clock.last() == a);
}

TEST_CASE("hlc: many events in one millisecond count up in the low bits") {
  FakeWall wall;
  wall.ms = 5000;
  HlcClock clock = wall.Clock();
  Hlc first = clock.Now();
  Hlc second = clock.Now();
  Hlc third = clock.Now();
  CHECK(second == first + 1);
  CHECK(third == first + 2);
  CHECK(HlcMillis(third) == 5000);
  wall.ms = 5001;  // the next millisecond starts the counter again
  Hlc next = clock.Now();
  CHECK(HlcMillis(next) == 5001);
  CHECK((next & 0xFFFF) == 0);
}

TEST_CASE("hlc: a wall clock set back never makes a timestamp go backwards") {
  FakeWall wall;
  wall.ms = 10'000;
  HlcClock clock = wall.Clock();
  Hlc before = clock.Now();
  wall.ms = 2'000;
  Hlc after = clock.Now();
  CHECK(after > before);
  CHECK(HlcMillis(after) == 10'000);
  wall.ms = -5;  // a clock before the epoch is read as 0, still after what was returned
  CHECK(clock.Now() > after);
}

TEST_CASE("hlc: observing a peer's later timestamp moves the clock past it") {
  FakeWall wall;
  wall.ms = 1000;
  HlcClock clock = wall.Clock();
  clock.Now();
  Hlc peer = (Hlc{9000} << 16) | 7;
  clock.Observe(peer);
  CHECK(clock.last() == peer);
  Hlc mine = clock.Now();
  CHECK(mine == peer + 1);
}

TEST_CASE("hlc: observing an older timestamp changes nothing") {
  FakeWall wall;
  wall.ms = 8000;
  HlcClock clock = wall.Clock();
  Hlc now = clock.Now();
  clock.Observe(Hlc{1000} << 16);
  CHECK(clock.last() == now);
  CHECK(clock.Now() == now + 1);
}

TEST_CASE("hlc: a clock restored after a restart continues after its last timestamp") {
  FakeWall wall;
  wall.ms = 4000;
  HlcClock before_restart = wall.Clock();
  Hlc last = before_restart.Now();
  wall.ms = 3999;  // the restarted device's clock is a little behind
  HlcClock after_restart = wall.Clock();
  after_restart.Observe(last);  // what the node reads back from its log
  CHECK(after_restart.Now() > last);
}

TEST_CASE("hlc: the system clock reads milliseconds since the epoch") {
  int64_t ms = HlcClock::SystemNowMs();
  CHECK(ms > 1'600'000'000'000);  // after September 2020
  HlcClock clock;
  CHECK(HlcMillis(clock.Now()) >= ms);
}

}  // namespace
}  // namespace shelter::core
