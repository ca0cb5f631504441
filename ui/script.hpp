// Event scripts: drive the app like a finger and a keyboard would, through real SDL events, and
// take screenshots. One command per line (see ui/script.cpp). Used by the integration tests, the
// headless demo and the benchmark. UI thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "ui/app.hpp"

struct SDL_Window;

namespace shelter::ui {

enum class ScriptState { kRunning, kHolding, kDone, kFailed };

class Script {
 public:
  // Returns kNotFound / kParse for an unreadable file or an unknown command (naming the line).
  static core::Result<Script> Load(const std::string& path);

  // Runs after each rendered frame: performs at most one step. `shot` is set to a file name when
  // the frame just rendered must be saved before presenting (the caller does it next frame).
  ScriptState Step(App& app, SDL_Window* window, std::string* shot);
  const std::string& failure() const { return failure_; }
  // Text a test camera "saw" (the `scan` command), polled by AppDevices::poll_qr.
  std::optional<std::string> TakeScan();
  // Sets ImGui's pointer from the script (between the platform backend's NewFrame and
  // ImGui::NewFrame): SDL's offscreen driver gives windows no mouse focus, so pointer events
  // would not reach ImGui through the backend.
  void FeedPointer(ImGuiIO& io);

 private:
  struct Cmd {
    int line;
    std::string op, arg;
  };
  bool Fail(const Cmd& c, const std::string& why);
  void StepSwipe(App& app, const Cmd& c, SDL_Window* window);
  ScriptState Finished();  // kDone, or kFailed when an audit found layout problems

  std::vector<Cmd> cmds_;
  size_t pc_ = 0;
  int phase_ = 0;          // sub-step of a multi-frame command (click)
  int waited_frames_ = 0;  // frames spent waiting for a widget to appear
  int settle_frames_ = 0;  // frames to let a wheel step lay out before looking again
  int64_t wait_until_ = 0;
  uint32_t swipe_start_ = 0;  // SDL ticks when the swipe's finger went down
  float swipe_[4] = {};       // from (x, y) to (x, y)
  int swipe_ms_ = 300;
  bool swipe_still_ = false;  // rest before lifting: no fling
  int audits_ = 0, audit_problems_ = 0;
  ImVec2 pointer_{-1, -1};
  bool has_pointer_ = false;
  bool pointer_down_ = false;
  float wheel_ = 0;  // notches for the next frame (FeedPointer), a fraction near the widget
  std::optional<std::string> scan_;
  std::string failure_;
  ScriptState state_ = ScriptState::kRunning;
};

}  // namespace shelter::ui
