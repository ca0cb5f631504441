#include "ui/touch_gesture.hpp"

#include <algorithm>
#include <cmath>

namespace shelter::ui {

void TouchGesture::Down(float x, float y, int64_t ms) {
  phase_ = Phase::kTouching;
  caught_fling_ = vx_ != 0 || vy_ != 0;
  x0_ = x_ = applied_x_ = x;
  y0_ = y_ = applied_y_ = y;
  vx_ = vy_ = track_vx_ = track_vy_ = 0;  // a touch catches a fling
  last_ms_ = ms;
}

void TouchGesture::Track(float x, float y, int64_t ms) {
  int64_t dt = ms - last_ms_;
  if (dt > 0) {
    // Exponential smoothing over the last ~50 ms of samples: the speed at release, not the average.
    float a = std::min(1.0f, static_cast<float>(dt) / 50.0f);
    float dt_f = static_cast<float>(dt);
    track_vx_ = (1 - a) * track_vx_ + a * (x - x_) / dt_f;
    track_vy_ = (1 - a) * track_vy_ + a * (y - y_) / dt_f;
    last_ms_ = ms;
  }
  x_ = x;
  y_ = y;
}

void TouchGesture::Move(float x, float y, int64_t ms) {
  if (phase_ != Phase::kTouching && phase_ != Phase::kDrag) return;
  Track(x, y, ms);
  if (phase_ == Phase::kTouching && std::hypot(x - x0_, y - y0_) > c_.slop_px) {
    // From here on this finger scrolls and never presses a button. The slop is not lost: the
    // content follows the finger from where it first touched.
    phase_ = Phase::kDrag;
    fresh_drag_ = true;
  }
}

void TouchGesture::Up(float x, float y, int64_t ms) {
  if (phase_ == Phase::kTouching) {
    // A tap: press for one frame, release the next, where it touched. A touch that stopped a
    // fling only stops it: what was under the finger moved there a moment ago.
    phase_ = caught_fling_ ? Phase::kIdle : Phase::kTapPress;
    x_ = applied_x_;  // and whatever it moved within the slop scrolls nothing
    y_ = applied_y_;
    return;
  }
  if (phase_ != Phase::kDrag) return;
  const bool stopped = ms - last_ms_ > 80;  // a finger that stopped before lifting does not fling
  Track(x, y, ms);
  if (stopped) track_vx_ = track_vy_ = 0;
  float speed = std::hypot(track_vx_, track_vy_);
  float k = speed > c_.max_px_per_ms ? c_.max_px_per_ms / speed : 1.0f;
  vx_ = track_vx_ * k;
  vy_ = track_vy_ * k;
  if (speed < c_.stop_px_per_ms) vx_ = vy_ = 0;
  phase_ = Phase::kIdle;
  // The motion up to the lift is still owed to the content; the next Step applies it.
}

TouchFrame TouchGesture::Step(int64_t now_ms) {
  TouchFrame f;
  f.x0 = x0_;
  f.y0 = y0_;
  int64_t dt = step_ms_ < 0 ? 0 : std::max<int64_t>(0, now_ms - step_ms_);
  step_ms_ = now_ms;
  switch (phase_) {
    case Phase::kTouching:  // hover where the finger is; no press until we know it is a tap
      f.has_pointer = true;
      f.x = x_;
      f.y = y_;
      f.busy = true;
      break;
    case Phase::kTapPress:
      f.has_pointer = true;
      f.x = x0_;
      f.y = y0_;
      f.pressed = true;
      f.busy = true;
      phase_ = Phase::kTapRelease;
      break;
    case Phase::kTapRelease:
      f.has_pointer = true;
      f.x = x0_;
      f.y = y0_;
      f.busy = true;  // one more frame shows what the tap did
      phase_ = Phase::kIdle;
      break;
    case Phase::kDrag:
    case Phase::kIdle: break;
  }
  if (fresh_drag_) {
    f.starts_drag = true;
    fresh_drag_ = false;
  }
  // Content moves with the finger: a finger moving up (dy < 0) scrolls down (scroll_dy > 0).
  // A finger still within the slop scrolls nothing yet.
  if (phase_ != Phase::kTouching) {
    f.scroll_dx = applied_x_ - x_;
    f.scroll_dy = applied_y_ - y_;
    applied_x_ = x_;
    applied_y_ = y_;
  }
  if (phase_ == Phase::kDrag) {
    f.busy = true;
  } else if (phase_ == Phase::kIdle && (vx_ != 0 || vy_ != 0) && dt > 0) {
    // The exact distance of an exponentially slowing glide over dt: however far apart frames
    // are (a loaded tablet), a fling goes as far in total (v0 * decay_ms) and ends as soon.
    float dt_f = static_cast<float>(dt);
    float decay = std::exp(-dt_f / c_.decay_ms);
    float travel = c_.decay_ms * (1 - decay);
    f.scroll_dx -= vx_ * travel;
    f.scroll_dy -= vy_ * travel;
    vx_ *= decay;
    vy_ *= decay;
    if (std::hypot(vx_, vy_) < c_.stop_px_per_ms) vx_ = vy_ = 0;
  }
  if (vx_ != 0 || vy_ != 0) f.busy = true;
  return f;
}

}  // namespace shelter::ui
