// Synthetic pointer motion for tools/bench/app_bench.sh (--bench-motion N): once the event script
// holds, the pointer moves across the window N times, one motion event at a time after the app has
// gone idle, and each event's cost is timed on the UI thread's CPU clock: to the first frame
// presented after it (input to frame) and until the app is idle again (everything it caused).
// The anchor, in the same run and on the same renderer: N more events with an empty ImGui window
// drawn instead of the app. Each phase starts with a few uncounted moves (its first full frame).
// Prints one line per figure on stderr. UI thread only.
#pragma once

#include <cstdint>
#include <vector>

#include <imgui.h>

struct SDL_Window;

namespace shelter::ui {

class MotionBench {
 public:
  explicit MotionBench(int events) : events_(events) {}

  // At the top of the event loop. When the app is `idle` (no frame due) and the script holds,
  // closes the last event's sample and moves the pointer (a real SDL_MOUSEMOTION, so the loop
  // wakes for it as for a mouse). True when an event was queued: the loop must not sleep.
  bool MaybeMove(SDL_Window* window, bool idle, bool holding);
  // After the backend's NewFrame: the pointer ImGui sees is the bench's (over a script's).
  void FeedPointer(ImGuiIO& io) const;
  bool anchor() const { return phase_ == Phase::kAnchor; }  // draw DrawAnchorFrame() instead
  void DrawAnchorFrame() const;
  void Presented();  // a frame went out
  bool done() const { return phase_ == Phase::kDone; }

 private:
  enum class Phase { kWaiting, kAnchor, kApp, kDone };
  struct Sample {
    int64_t frame_cpu_ns = 0, frame_wall_ns = 0, event_cpu_ns = 0;
    int frames = 0;
  };
  void Report() const;
  static constexpr int kWarmUp = 5;  // moves per phase not counted

  int events_;
  Phase phase_ = Phase::kWaiting;
  bool in_event_ = false;
  Sample current_;
  int64_t start_cpu_ = 0, start_wall_ = 0;
  int n_ = 0;  // events sent in this phase
  ImVec2 pos_{-1, -1};
  std::vector<Sample> anchor_, app_;
};

}  // namespace shelter::ui
