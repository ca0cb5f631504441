// The SDL window, the SDL_Renderer and the event loop around App. It draws only when something
// happened (input, a timer, a data change) and otherwise sleeps in SDL_WaitEventTimeout, so an
// idle app uses no CPU. Headless runs use SDL's offscreen driver and the software renderer and
// can save frames as PNG. UI thread only.
#pragma once

#include <mutex>
#include <string>

#include "core/base/result.hpp"
#include "sync/locked_peer.hpp"
#include "ui/app.hpp"
#include "ui/fonts.hpp"
#include "ui/script.hpp"
#include "ui/window_plan.hpp"

struct SDL_Renderer;

namespace shelter::ui {

struct RunnerOptions {
  bool headless = false;
  bool gpu = false;           // SDL's accelerated renderer instead of the software one
  int width = 0, height = 0;  // --size; 0: as the display suggests (ui/window_plan)
  WindowMode window_mode = WindowMode::kAuto;  // --fullscreen / --window
  float dpi = 0;                               // --dpi: instead of what the display reports
  std::string shots_dir;                       // where `shot` commands write PNGs
  bool report_first_frame = false;
  int64_t start_ms = 0;  // process start, for the first-frame time
  // Held while the app ticks, draws and runs script steps, released while it sleeps: the
  // background sync uses the node between frames (nullptr: no other thread uses it).
  sync::StoreMutex* node_mutex = nullptr;
  int motion_events = 0;  // > 0: time that many synthetic pointer moves (ui/motion_bench.hpp)
};

// Returns the process exit code: 0, or 1 when the script failed or SDL could not start.
int RunApp(App& app, FontLoader& fonts, Script* script, const RunnerOptions& opts);

// Saves the renderer's current frame as PNG. kIo when reading pixels or writing fails.
core::Status SaveFramePng(::SDL_Renderer* renderer, const std::string& path);

}  // namespace shelter::ui
