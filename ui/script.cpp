// Commands (one per line, '#' starts a comment):
//   click ID          move the pointer to widget ID, press, release (waits up to 200 frames for
//                     ID to appear)
//   click-if ID       click ID when it is on screen (a menu button on narrow screens), else nothing
//   pin DIGITS [PAD]  click PAD.<digit> for each digit (PAD defaults to "pin")
//   type TEXT         text input (as an IME commits it) into the focused field
//   compose [TEXT]    an IME's composition in progress (SDL_TEXTEDITING, cursor at its end);
//                     without TEXT the composition is cancelled
//   key NAME          Return, Tab, Backspace, Escape
//   shot NAME         save the next frame as NAME.png in the screenshot directory
//   expect ID         fail unless widget ID is on screen;  absent ID: fail if it is
//   scan TEXT         the camera reads TEXT from a QR code
//   wait MS           let MS milliseconds of real time pass (timers, kiosk reset)
//   await ID MS       wait up to MS milliseconds of real time for widget ID (what another
//                     tablet or process sends); fails after that
//   stamp NAME        print "stamp NAME <unix ms>" to stderr (benchmarks time across processes)
//   swipe X1 Y1 X2 Y2 [MS]  a finger (SDL finger events) from (X1,Y1) to (X2,Y2) over MS
//                     milliseconds (default 300), then lifted; coordinates in pixels, or in
//                     percent of the window ("50% 85% 50% 15%")
//   swipe ID DX DY [MS]  the same from the middle of widget ID, moving by (DX, DY) pixels
//   ... still         either swipe ending in "still": the finger rests 150 ms before it lifts,
//                     so the content moves exactly as far as the finger (no fling)
//   tap ID            a finger taps widget ID (SDL finger events); fails unless ID is wholly in
//                     view: nothing scrolls it there
//   visible ID        fail unless widget ID is wholly inside its window's visible part
//   offscreen ID      fail unless widget ID is on screen but at least partly outside it
//   audit NAME        check the layout of the frame (ui/layout_audit): print every widget that
//                     is cut off where nothing scrolls to it or whose label is clipped; the
//                     script fails at its end when any audit found something
//   hold              stop here and keep the app running (benchmarks)
//   quit              end the app
#include "ui/script.hpp"

#include "ui/layout_audit.hpp"

#include <SDL.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace shelter::ui {

using core::ErrorCode;
using core::MakeError;

namespace {

constexpr int kMaxWaitFrames = 200;

SDL_Scancode ScancodeFor(const std::string& name) {
  if (name == "Return") return SDL_SCANCODE_RETURN;
  if (name == "Tab") return SDL_SCANCODE_TAB;
  if (name == "Backspace") return SDL_SCANCODE_BACKSPACE;
  if (name == "Escape") return SDL_SCANCODE_ESCAPE;
  return SDL_SCANCODE_UNKNOWN;
}

void PushKey(SDL_Scancode sc, bool down) {
  SDL_Event e{};
  e.type = down ? SDL_KEYDOWN : SDL_KEYUP;
  e.key.state = down ? SDL_PRESSED : SDL_RELEASED;
  e.key.keysym.scancode = sc;
  e.key.keysym.sym = SDL_GetKeyFromScancode(sc);
  SDL_PushEvent(&e);
}

void PushFinger(SDL_Window* window, Uint32 type, float x, float y) {
  int w = 1, h = 1;
  SDL_GetWindowSize(window, &w, &h);
  SDL_Event e{};
  e.type = type;
  e.tfinger.timestamp = SDL_GetTicks();
  e.tfinger.touchId = 1;
  e.tfinger.fingerId = 1;
  e.tfinger.x = x / static_cast<float>(std::max(w, 1));
  e.tfinger.y = y / static_cast<float>(std::max(h, 1));
  e.tfinger.pressure = type == SDL_FINGERUP ? 0.0f : 1.0f;
  SDL_PushEvent(&e);
}

// "512" is pixels; "85%" is a share of the window's width (x) or height (y).
bool ParseCoord(const std::string& t, float extent, float* out) {
  char* end = nullptr;
  float v = std::strtof(t.c_str(), &end);
  if (end == t.c_str()) return false;
  if (*end == '%') {
    v = v / 100.0f * extent;
    ++end;
  }
  if (*end != '\0') return false;
  *out = v;
  return true;
}

bool WhollyVisible(const MarkRect& r) {
  return r.min.x >= r.clip_min.x - 0.5f && r.min.y >= r.clip_min.y - 0.5f &&
         r.max.x <= r.clip_max.x + 0.5f && r.max.y <= r.clip_max.y + 0.5f;
}

void PushText(const std::string& text) {
  // SDL_TEXTINPUT carries at most 31 bytes: split at UTF-8 character boundaries.
  size_t i = 0;
  while (i < text.size()) {
    size_t n = std::min<size_t>(31, text.size() - i);
    while (n > 0 && i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80)
      --n;
    SDL_Event e{};
    e.type = SDL_TEXTINPUT;
    std::memcpy(e.text.text, text.data() + i, n);
    e.text.text[n] = '\0';
    SDL_PushEvent(&e);
    i += n;
  }
}

void PushComposition(const std::string& text) {
  SDL_Event e{};
  int chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  if (text.size() < sizeof(e.edit.text)) {
    e.type = SDL_TEXTEDITING;
    std::memcpy(e.edit.text, text.c_str(), text.size() + 1);
    e.edit.start = chars;
  } else {  // as SDL sends a long one: the receiver frees the copy
    e.type = SDL_TEXTEDITING_EXT;
    e.editExt.text = SDL_strdup(text.c_str());
    e.editExt.start = chars;
  }
  SDL_PushEvent(&e);
}

}  // namespace

core::Result<Script> Script::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open script " + path);
  Script s;
  std::string line;
  int n = 0;
  static const char* kOps[] = {"click",   "pin",       "type",  "key",     "shot",
                               "expect",  "absent",    "scan",  "wait",    "hold",
                               "quit",    "await",     "stamp", "swipe",   "tap",
                               "visible", "offscreen", "audit", "compose", "click-if"};
  while (std::getline(in, line)) {
    ++n;
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    line = line.substr(b);
    while (!line.empty() && line.back() == '\r') line.pop_back();
    size_t sp = line.find(' ');
    Cmd c{n, line.substr(0, sp), sp == std::string::npos ? "" : line.substr(sp + 1)};
    // QR text may end in a space (a Base45 character); other arguments lose trailing spaces.
    if (c.op != "scan")
      while (!c.arg.empty() && c.arg.back() == ' ') c.arg.pop_back();
    if (std::find(std::begin(kOps), std::end(kOps), c.op) == std::end(kOps))
      return MakeError(ErrorCode::kParse, path + ":" + std::to_string(n) + ": unknown command");
    s.cmds_.push_back(std::move(c));
  }
  return s;
}

void Script::FeedPointer(ImGuiIO& io) {
  if (!has_pointer_) return;
  io.MousePos = pointer_;
  io.MouseDown[0] = pointer_down_;
  io.MouseWheel += wheel_;
  wheel_ = 0;
}

std::optional<std::string> Script::TakeScan() {
  auto s = std::move(scan_);
  scan_.reset();
  return s;
}

ScriptState Script::Finished() {
  if (audit_problems_ > 0) {
    failure_ = std::to_string(audit_problems_) + " layout problems in " + std::to_string(audits_) +
               " audited frames (listed above)";
    return ScriptState::kFailed;
  }
  if (audits_ > 0) std::fprintf(stderr, "layout: %d frames audited, no problem\n", audits_);
  return ScriptState::kDone;
}

bool Script::Fail(const Cmd& c, const std::string& why) {
  failure_ = "script line " + std::to_string(c.line) + " (" + c.op + " " + c.arg + "): " + why;
  state_ = ScriptState::kFailed;
  return false;
}

ScriptState Script::Step(App& app, SDL_Window* window, std::string* shot) {
  if (state_ != ScriptState::kRunning) return state_;
  if (pc_ >= cmds_.size()) return state_ = Finished();
  const Cmd& c = cmds_[pc_];
  // What a finger or a keyboard does counts as use (the idle log out); waiting and looking do not.
  if (c.op == "click" || c.op == "pin" || c.op == "type" || c.op == "key" || c.op == "scan" ||
      c.op == "compose")
    app.NoteInput();
  auto next = [&] {
    ++pc_;
    phase_ = 0;
    waited_frames_ = 0;
  };
  if (c.op == "click-if" && phase_ == 0 && !app.FindMark(c.arg)) {
    next();
    return state_;
  }
  if (c.op == "click" || c.op == "click-if" || c.op == "pin") {
    std::string target = c.arg;
    if (c.op == "pin") {
      // arg: DIGITS [PAD]; phase_ / 3 is the digit index, phase_ % 3 the click sub-step.
      size_t sp = c.arg.find(' ');
      std::string digits = c.arg.substr(0, sp);
      std::string pad = sp == std::string::npos ? "pin" : c.arg.substr(sp + 1);
      size_t d = static_cast<size_t>(phase_ / 3);
      if (d >= digits.size()) {
        next();
        return state_;
      }
      target = pad + "." + digits[d];
    }
    if (c.op != "pin" && phase_ >= 3) {
      // Two frames after the tap: the action's result is laid out before the next command
      // looks for its widgets.
      if (++phase_ == 5) next();
      return state_;
    }
    if (settle_frames_ > 0) {  // a wheel step is still being laid out: rectangles are stale
      --settle_frames_;
      return state_;
    }
    auto r = app.FindMark(target);
    if (!r) {
      if (++waited_frames_ > kMaxWaitFrames) Fail(c, "widget not on screen");
      return state_;
    }
    const bool out_of_view = r->min.y < r->clip_min.y || r->max.y > r->clip_max.y;
    // Regression: a press while the page still moved from the last wheel step landed on what
    // had scrolled under the pointer (the top bar's menu), not on the widget.
    if (phase_ % 3 != 0 && out_of_view) phase_ -= phase_ % 3;
    if (phase_ % 3 == 0 && out_of_view) {
      // Below or above the visible part: scroll there with the wheel, as a user would swipe.
      if (++waited_frames_ > kMaxWaitFrames) Fail(c, "cannot scroll the widget into view");
      pointer_ = ImVec2((r->clip_min.x + r->clip_max.x) / 2, (r->clip_min.y + r->clip_max.y) / 2);
      has_pointer_ = true;
      pointer_down_ = false;
      // A notch scrolls about five lines; a widget nearly in view gets a quarter notch, so that
      // the step never jumps past it (regression: the HQ keypad's third row at 1024x600 and
      // 200 % went out at the bottom and the top in turn, and was never pressed).
      const bool below = r->max.y > r->clip_max.y;
      const float miss = below ? r->max.y - r->clip_max.y : r->clip_min.y - r->min.y;
      const float step = miss < 3 * ImGui::GetFontSize() ? 0.25f : 1.0f;
      wheel_ = below ? -step : step;
      settle_frames_ = 2;
      return state_;
    }
    waited_frames_ = 0;
    int x = static_cast<int>((r->min.x + r->max.x) / 2),
        y = static_cast<int>((r->min.y + r->max.y) / 2);
    int sub = phase_ % 3;
    // The pointer moves, presses for one frame, releases: ImGui sees a tap (FeedPointer).
    pointer_ = ImVec2(static_cast<float>(x), static_cast<float>(y));
    has_pointer_ = true;
    pointer_down_ = sub == 1;
    ++phase_;

    return state_;
  }
  if (c.op == "swipe") return StepSwipe(app, c, window), state_;
  if (c.op == "tap" && phase_ > 0) {  // the finger is down: what it taps may go away now
    if (phase_ == 1) PushFinger(window, SDL_FINGERUP, swipe_[0], swipe_[1]);
    // Then frames for the press, the release and the tap's result (ui/touch_gesture).
    if (++phase_ == 6) next();
    return state_;
  }
  if (c.op == "tap" || c.op == "visible" || c.op == "offscreen") {
    auto r = app.FindMark(c.arg);
    if (!r) {
      if (++waited_frames_ > kMaxWaitFrames) Fail(c, "widget not on screen");
      return state_;
    }
    if (c.op == "offscreen") {
      if (WhollyVisible(*r)) return Fail(c, "widget is wholly in view"), state_;
      next();
      return state_;
    }
    if (!WhollyVisible(*r)) {
      char where[160];
      std::snprintf(where, sizeof where,
                    "widget is not wholly in view (%.0f,%.0f-%.0f,%.0f in %.0f,%.0f-%.0f,%.0f)",
                    r->min.x, r->min.y, r->max.x, r->max.y, r->clip_min.x, r->clip_min.y,
                    r->clip_max.x, r->clip_max.y);
      return Fail(c, where), state_;
    }
    if (c.op == "visible") {
      next();
      return state_;
    }
    has_pointer_ = false;  // the finger, not the scripted mouse, points now
    swipe_[0] = (r->min.x + r->max.x) / 2;
    swipe_[1] = (r->min.y + r->max.y) / 2;
    PushFinger(window, SDL_FINGERDOWN, swipe_[0], swipe_[1]);
    phase_ = 1;
    return state_;
  }
  if (c.op == "type" || c.op == "compose") {
    // Pushed once; two frames later what the text did is drawn, for the next command to look at.
    if (phase_ == 0) c.op == "type" ? PushText(c.arg) : PushComposition(c.arg);
    if (++phase_ == 3) next();
  } else if (c.op == "key") {
    SDL_Scancode sc = ScancodeFor(c.arg);
    if (sc == SDL_SCANCODE_UNKNOWN) return Fail(c, "unknown key"), state_;
    PushKey(sc, phase_ == 0);
    if (++phase_ == 2) next();
  } else if (c.op == "shot") {
    *shot = c.arg;
    next();
  } else if (c.op == "expect" || c.op == "absent") {
    bool present = app.FindMark(c.arg).has_value();
    if (c.op == "expect" && !present) {
      if (++waited_frames_ > kMaxWaitFrames) Fail(c, "widget not on screen");
      return state_;
    }
    if (c.op == "absent" && present) return Fail(c, "widget is on screen"), state_;
    next();
  } else if (c.op == "scan") {
    scan_ = c.arg;
    next();
  } else if (c.op == "wait") {
    if (phase_ == 0) {
      wait_until_ = app.Now() + std::stoll(c.arg.empty() ? "0" : c.arg);
      phase_ = 1;
    }
    if (app.Now() >= wait_until_) next();
  } else if (c.op == "await") {
    size_t sp = c.arg.find(' ');
    std::string id = c.arg.substr(0, sp);
    if (phase_ == 0) {
      wait_until_ =
          app.Now() + (sp == std::string::npos ? 10'000 : std::stoll(c.arg.substr(sp + 1)));
      phase_ = 1;
    }
    if (app.FindMark(id)) {
      next();
    } else if (app.Now() >= wait_until_) {
      return Fail(c, "widget did not appear in time"), state_;
    }
  } else if (c.op == "stamp") {
    std::fprintf(stderr, "stamp %s %lld\n", c.arg.c_str(), static_cast<long long>(app.Now()));
    next();
  } else if (c.op == "hold") {
    state_ = ScriptState::kHolding;
  } else if (c.op == "quit") {
    state_ = Finished();
  } else if (c.op == "audit") {
    // Two frames after the last action, as for a screenshot: layout and popups have settled.
    if (++phase_ < 3) return state_;
    ImVec2 d = ImGui::GetIO().DisplaySize;
    for (const auto& p : AuditLayout(app.marks(), d.x, d.y)) {
      std::fprintf(stderr, "layout %s: %s: %s (%.0f px)\n", c.arg.c_str(), p.id.c_str(),
                   p.what.c_str(), p.px);
      ++audit_problems_;
    }
    ++audits_;
    next();
  }
  return state_;
}

void Script::StepSwipe(App& app, const Cmd& c, SDL_Window* window) {
  has_pointer_ = false;  // the finger, not the scripted mouse, points now
  if (phase_ == 0) {     // where from and to, fixed when the finger goes down
    int w = 1, h = 1;
    SDL_GetWindowSize(window, &w, &h);
    std::string arg = c.arg;
    swipe_still_ = arg.size() > 6 && arg.compare(arg.size() - 6, 6, " still") == 0;
    if (swipe_still_) arg.resize(arg.size() - 6);
    char a[5][64] = {};
    int n = std::sscanf(arg.c_str(), "%63s %63s %63s %63s %63s", a[0], a[1], a[2], a[3], a[4]);
    float* p = swipe_;
    swipe_ms_ = 300;
    float probe = 0;
    if (n >= 3 && !ParseCoord(a[0], 1, &probe)) {  // swipe ID DX DY [MS]
      auto r = app.FindMark(a[0]);
      if (!r) {
        if (++waited_frames_ > kMaxWaitFrames) Fail(c, "widget not on screen");
        return;
      }
      float dx = 0, dy = 0;
      if (!ParseCoord(a[1], 1, &dx) || !ParseCoord(a[2], 1, &dy)) {
        Fail(c, "want ID DX DY [MS]");
        return;
      }
      p[0] = (r->min.x + r->max.x) / 2;
      p[1] = (r->min.y + r->max.y) / 2;
      p[2] = p[0] + dx;
      p[3] = p[1] + dy;
      if (n >= 4) swipe_ms_ = std::atoi(a[3]);
    } else {
      for (int i = 0; i < 4; ++i)
        if (n < 4 || !ParseCoord(a[i], static_cast<float>(i % 2 == 0 ? w : h), &p[i])) {
          Fail(c, "want X1 Y1 X2 Y2 [MS]");
          return;
        }
      if (n >= 5) swipe_ms_ = std::atoi(a[4]);
    }
    swipe_ms_ = std::clamp(swipe_ms_, 1, 10'000);
    PushFinger(window, SDL_FINGERDOWN, p[0], p[1]);
    swipe_start_ = SDL_GetTicks();
    phase_ = 1;
    return;
  }
  if (phase_ == 2) {  // lifted: one more frame for the last motion to scroll
    ++pc_;
    phase_ = 0;
    waited_frames_ = 0;
    return;
  }
  const float* p = swipe_;
  Uint32 elapsed = SDL_GetTicks() - swipe_start_;
  if (phase_ == 3) {  // resting at the end
    if (elapsed >= static_cast<Uint32>(swipe_ms_) + 150) {
      PushFinger(window, SDL_FINGERUP, p[2], p[3]);
      phase_ = 2;
    }
    return;
  }
  float t = std::min(1.0f, static_cast<float>(elapsed) / swipe_ms_);
  PushFinger(window, SDL_FINGERMOTION, p[0] + (p[2] - p[0]) * t, p[1] + (p[3] - p[1]) * t);
  if (t >= 1.0f) {
    if (swipe_still_) {
      phase_ = 3;
      return;
    }
    PushFinger(window, SDL_FINGERUP, p[2], p[3]);
    phase_ = 2;
  }
}

}  // namespace shelter::ui
