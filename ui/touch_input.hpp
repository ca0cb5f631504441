// SDL finger events to Dear ImGui: a tap is a click where the finger touched, a drag scrolls the
// scrolling area under the finger (its nearest scrollable window) with inertia, and nothing a
// finger does is taken for both (ui/touch_gesture). SDL's own touch-to-mouse events are turned
// off so a drag never presses a button. UI thread only.
#pragma once

#include <imgui.h>

#include <cstdint>

#include "ui/touch_gesture.hpp"

union SDL_Event;

namespace shelter::ui {

class TouchInput {
 public:
  // Call before SDL_Init: SDL would otherwise also send every touch as mouse events.
  static void TurnOffMouseEmulation();

  // Takes finger events (true when the event was one); window size in pixels maps SDL's
  // normalized finger coordinates.
  bool Handle(const SDL_Event& e, float window_w, float window_h, int64_t now_ms);
  // Between the platform backend's NewFrame and ImGui::NewFrame: the pointer and button.
  void Feed(ImGuiIO& io, int64_t now_ms);
  // After ImGui::NewFrame: scrolls the window the drag started on (hovered windows are known).
  void ApplyScroll();
  // More frames are needed (a tap in progress, a drag or a fling).
  bool busy() const { return busy_; }
  // How far a finger may move and still tap, in pixels (from the display's DPI).
  void SetSlop(float px);

 private:
  TouchGesture gesture_;
  TouchFrame frame_;
  int64_t finger_ = -1;  // the finger followed; others are ignored
  ImGuiID target_ = 0;   // the window this drag scrolls
  bool busy_ = false;
};

}  // namespace shelter::ui
