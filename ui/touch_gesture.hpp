// A finger on a scrolling screen: tells a tap from a drag and turns a drag into scrolling with
// inertia (a fling keeps going and slows down). Pure logic on positions and times, no SDL or
// ImGui (ui/touch_input feeds it SDL finger events and applies its output). UI thread only.
#pragma once

#include <cstdint>

namespace shelter::ui {

struct TouchConfig {
  float slop_px = 16;            // a finger that moves less than this is still tapping (~2.5 mm)
  float decay_ms = 325;          // a fling's speed falls by 1/e in this time
  float stop_px_per_ms = 0.02f;  // below this a fling stops
  float max_px_per_ms = 8;       // a fling never starts faster than this
};

// What ImGui should see this frame.
struct TouchFrame {
  bool has_pointer = false;  // the pointer is at (x, y)
  float x = 0, y = 0;
  bool pressed = false;  // the button is down this frame
  float scroll_dx = 0,
        scroll_dy = 0;       // scroll the target window by this (content moves with the finger)
  bool starts_drag = false;  // the first frame of a drag: pick the window under (x0, y0)
  float x0 = 0, y0 = 0;      // where the finger first touched
  bool busy = false;         // more frames are needed (a tap in progress or a fling moving)
};

class TouchGesture {
 public:
  explicit TouchGesture(TouchConfig c = {}) : c_(c) {}

  void Down(float x, float y, int64_t ms);
  void Move(float x, float y, int64_t ms);
  void Up(float x, float y, int64_t ms);
  // Stops a fling (the target cannot scroll further) or everything (the screen changed).
  void Stop() { vx_ = vy_ = 0; }

  // Called once per frame; consumes the motion since the last call.
  TouchFrame Step(int64_t now_ms);

  bool dragging() const { return phase_ == Phase::kDrag; }
  bool idle() const { return phase_ == Phase::kIdle && vx_ == 0 && vy_ == 0; }

 private:
  enum class Phase { kIdle, kTouching, kDrag, kTapPress, kTapRelease };
  void Track(float x, float y, int64_t ms);

  TouchConfig c_;
  Phase phase_ = Phase::kIdle;
  float x0_ = 0, y0_ = 0;                // touch down
  float x_ = 0, y_ = 0;                  // latest finger position
  float applied_x_ = 0, applied_y_ = 0;  // finger position already turned into scrolling
  float vx_ = 0, vy_ = 0;                // fling speed, px per ms
  float track_vx_ = 0, track_vy_ = 0;    // smoothed finger speed while dragging
  int64_t last_ms_ = 0;                  // time of the latest finger sample
  int64_t step_ms_ = -1;                 // time of the previous Step (for the fling)
  bool fresh_drag_ = false;
  bool caught_fling_ = false;  // this touch stopped a fling: lifting it is not a tap
};

}  // namespace shelter::ui
