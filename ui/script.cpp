// Commands (one per line, '#' starts a comment):
//   click ID          move the pointer to widget ID, press, release (waits up to 200 frames for
//                     ID to appear)
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
//   hold              stop here and keep the app running (benchmarks)
//   quit              end the app
#include "ui/script.hpp"

#include <SDL.h>

#include <algorithm>
#include <cstdio>
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
  static const char* kOps[] = {"click", "pin",  "type", "key",  "shot",  "expect", "absent",
                               "scan",  "wait", "hold", "quit", "await", "stamp",  "compose"};
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

void Script::FeedPointer(ImGuiIO& io) const {
  if (!has_pointer_) return;
  io.MousePos = pointer_;
  io.MouseDown[0] = pointer_down_;
}

std::optional<std::string> Script::TakeScan() {
  auto s = std::move(scan_);
  scan_.reset();
  return s;
}

bool Script::Fail(const Cmd& c, const std::string& why) {
  failure_ = "script line " + std::to_string(c.line) + " (" + c.op + " " + c.arg + "): " + why;
  state_ = ScriptState::kFailed;
  return false;
}

ScriptState Script::Step(App& app, SDL_Window* window, std::string* shot) {
  if (state_ != ScriptState::kRunning) return state_;
  if (pc_ >= cmds_.size()) return state_ = ScriptState::kDone;
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
  if (c.op == "click" || c.op == "pin") {
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
    if (c.op == "click" && phase_ >= 3) {
      // Two frames after the tap: the action's result is laid out before the next command
      // looks for its widgets.
      if (++phase_ == 5) next();
      return state_;
    }
    auto r = app.FindMark(target);
    if (!r) {
      if (++waited_frames_ > kMaxWaitFrames) Fail(c, "widget not on screen");
      return state_;
    }
    if (phase_ % 3 == 0 && (r->min.y < r->clip_min.y || r->max.y > r->clip_max.y)) {
      // Below or above the visible part: scroll there with the wheel, as a user would swipe.
      if (++waited_frames_ > kMaxWaitFrames) Fail(c, "cannot scroll the widget into view");
      pointer_ = ImVec2((r->clip_min.x + r->clip_max.x) / 2, (r->clip_min.y + r->clip_max.y) / 2);
      has_pointer_ = true;
      pointer_down_ = false;
      SDL_Event e{};
      e.type = SDL_MOUSEWHEEL;
      e.wheel.y = r->max.y > r->clip_max.y ? -1 : 1;
      SDL_PushEvent(&e);
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
    state_ = ScriptState::kDone;
  }
  return state_;
}

}  // namespace shelter::ui
