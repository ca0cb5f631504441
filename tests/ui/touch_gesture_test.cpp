#include "ui/touch_gesture.hpp"

#include <doctest/doctest.h>

using shelter::ui::TouchFrame;
using shelter::ui::TouchGesture;

namespace {

// Steps a gesture frame by frame (16 ms apart) until it is idle; sums what it scrolled.
struct Run {
  TouchGesture g;
  int64_t t = 0;
  float scrolled = 0;
  int presses = 0;
  TouchFrame Frame() {
    t += 16;
    TouchFrame f = g.Step(t);
    scrolled += f.scroll_dy;
    presses += f.pressed ? 1 : 0;
    return f;
  }
  int Settle() {
    int n = 0;
    while (!g.idle() && n < 1000) Frame(), ++n;
    Frame();
    return n;
  }
};

}  // namespace

TEST_CASE("touch: a tap presses once where the finger touched and scrolls nothing") {
  Run r;
  r.g.Down(200, 300, r.t);
  TouchFrame f = r.Frame();
  CHECK(f.has_pointer);
  CHECK_FALSE(f.pressed);   // not yet: it may become a drag
  r.g.Move(205, 304, r.t);  // a finger wobbles within the slop
  r.Frame();
  r.g.Up(205, 304, r.t);
  f = r.Frame();
  CHECK(f.pressed);
  CHECK(f.x == 200);
  CHECK(f.y == 300);
  r.Settle();
  CHECK(r.presses == 1);
  CHECK(r.scrolled == 0);
}

TEST_CASE("touch: a drag scrolls with the finger from where it touched and never presses") {
  Run r;
  r.g.Down(100, 500, r.t);
  r.Frame();
  r.g.Move(100, 490, r.t);  // within the slop: nothing yet
  CHECK(r.Frame().scroll_dy == 0);
  r.t += 16;
  r.g.Move(100, 400, r.t);
  TouchFrame f = r.g.Step(r.t);
  CHECK(f.starts_drag);
  CHECK(f.scroll_dy == doctest::Approx(100));  // finger up 100 px: content scrolls down 100
  CHECK_FALSE(f.pressed);
  // The finger stops, then lifts: no fling, and no tap.
  r.t += 200;
  r.g.Up(100, 400, r.t);
  r.Settle();
  CHECK(r.presses == 0);
  CHECK(r.scrolled == 0);  // only the frames after the Step above were summed
}

TEST_CASE("touch: a fling keeps scrolling after the finger lifts, slows and stops") {
  Run r;
  r.g.Down(100, 600, r.t);
  for (int i = 1; i <= 6; ++i) {  // 1.5 px per ms upwards
    r.t += 16;
    r.g.Move(100, 600 - 24.0f * i, r.t);
    r.scrolled += r.g.Step(r.t).scroll_dy;
  }
  CHECK(r.scrolled == doctest::Approx(144));
  r.g.Up(100, 456, r.t);
  float at_lift = r.scrolled;
  TouchFrame first = r.Frame();
  CHECK(first.scroll_dy > 10);  // still moving at about the finger's speed
  int frames = r.Settle();
  CHECK(frames > 10);
  CHECK(frames < 200);
  CHECK(r.scrolled - at_lift > 200);  // it glided further than the finger moved
  CHECK(r.presses == 0);
  CHECK(r.g.idle());
}

TEST_CASE("touch: a touch that stops a fling is not a tap") {
  Run r;
  r.g.Down(100, 600, r.t);
  for (int i = 1; i <= 6; ++i) {
    r.t += 16;
    r.g.Move(100, 600 - 30.0f * i, r.t);
    r.Frame();
  }
  r.g.Up(100, 420, r.t);
  r.Frame();
  r.Frame();
  CHECK_FALSE(r.g.idle());
  r.g.Down(300, 300, r.t);  // catch it
  r.Frame();
  r.g.Up(300, 300, r.t);
  float before = r.scrolled;
  r.Settle();
  CHECK(r.presses == 0);
  CHECK(r.scrolled == before);
}

TEST_CASE("touch: a fling glides as far when frames come 150 ms apart as at 60 fps") {
  // Regression: each step's travel was capped at 100 ms, so a loaded tablet's fling fell short
  // and a swipe test stopped before the button it was to reach.
  auto glide = [](int64_t frame_ms) {
    TouchGesture g;
    int64_t t = 0;
    g.Down(100, 600, t);
    for (int i = 1; i <= 6; ++i) {
      t += 16;
      g.Move(100, 600 - 24.0f * i, t);
    }
    g.Step(t);  // the drag so far
    g.Up(100, 456, t);
    float total = 0;
    for (int n = 0; n < 2000 && !g.idle(); ++n) {
      t += frame_ms;
      total += g.Step(t).scroll_dy;
    }
    return total;
  };
  float fast = glide(16), slow = glide(150);
  CHECK(fast > 300);
  CHECK(slow == doctest::Approx(fast).epsilon(0.03));
}
