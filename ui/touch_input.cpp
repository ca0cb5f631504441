#include "ui/touch_input.hpp"

#include <SDL.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>

namespace shelter::ui {

namespace {

// The nearest window at or above `w` that can scroll: a drag on a button inside a list scrolls
// the list. Windows that take the wheel themselves (NoScrollWithMouse, e.g. the map) stop it.
ImGuiWindow* ScrollableAt(ImGuiWindow* w) {
  for (; w; w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr) {
    if (w->Flags & ImGuiWindowFlags_NoScrollWithMouse) return nullptr;
    if (w->ScrollMax.y > 0 || w->ScrollMax.x > 0) return w;
  }
  return nullptr;
}

}  // namespace

void TouchInput::TurnOffMouseEmulation() { SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); }

void TouchInput::SetSlop(float px) {
  TouchConfig c;
  c.slop_px = px;
  gesture_ = TouchGesture(c);
}

bool TouchInput::Handle(const SDL_Event& e, float window_w, float window_h, int64_t now_ms) {
  if (e.type != SDL_FINGERDOWN && e.type != SDL_FINGERMOTION && e.type != SDL_FINGERUP)
    return false;
  const SDL_TouchFingerEvent& t = e.tfinger;
  float x = t.x * window_w, y = t.y * window_h;
  if (e.type == SDL_FINGERDOWN) {
    if (finger_ >= 0) return true;  // a second finger: ignored
    finger_ = t.fingerId;
    target_ = 0;
    gesture_.Down(x, y, now_ms);
  } else if (t.fingerId == finger_) {
    if (e.type == SDL_FINGERMOTION) {
      gesture_.Move(x, y, now_ms);
    } else {
      gesture_.Up(x, y, now_ms);
      finger_ = -1;
    }
  }
  busy_ = true;
  return true;
}

void TouchInput::Feed(ImGuiIO& io, int64_t now_ms) {
  frame_ = gesture_.Step(now_ms);
  busy_ = frame_.busy;
  if (frame_.has_pointer) {
    io.MousePos = ImVec2(frame_.x, frame_.y);
    io.MouseDown[0] = frame_.pressed;
  } else if (frame_.starts_drag) {
    io.MousePos = ImVec2(frame_.x0, frame_.y0);  // ApplyScroll asks ImGui what is under it
    io.MouseDown[0] = false;
  } else if (gesture_.dragging()) {
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // no hover highlight follows a scrolling finger
    io.MouseDown[0] = false;
  }
}

void TouchInput::ApplyScroll() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (frame_.starts_drag) {
    // Feed put the pointer where the finger first touched for this frame: ImGui's hovered
    // window is the one the drag began on.
    ImGuiWindow* s = ScrollableAt(g.HoveredWindow);
    target_ = s ? s->ID : 0;
  }
  if (target_ == 0 || (frame_.scroll_dx == 0 && frame_.scroll_dy == 0)) return;
  ImGuiWindow* w = ImGui::FindWindowByID(target_);
  if (!w || !w->WasActive) {  // (NewFrame has cleared Active; WasActive is last frame's)
    target_ = 0;
    gesture_.Stop();
    return;
  }
  float y = std::clamp(w->Scroll.y + frame_.scroll_dy, 0.0f, w->ScrollMax.y);
  float x = std::clamp(w->Scroll.x + frame_.scroll_dx, 0.0f, w->ScrollMax.x);
  if (frame_.scroll_dy != 0) ImGui::SetScrollY(w, y);
  if (frame_.scroll_dx != 0) ImGui::SetScrollX(w, x);
  // A fling that reaches an end stops there.
  if (!gesture_.dragging() && (y == 0 || y == w->ScrollMax.y) && frame_.scroll_dx == 0)
    gesture_.Stop();
}

}  // namespace shelter::ui
