#include "ui/runner.hpp"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <malloc.h>
#include <stb/stb_image_write.h>

#include "ui/touch_input.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include "ui/camera_preview.hpp"
#include "ui/ime.hpp"
#include "ui/motion_bench.hpp"
#include "ui/present_filter.hpp"

namespace shelter::ui {

namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool RebuildFonts(App& app, FontLoader& fonts) {
  float px = FontPx(app.theme());
  auto stats = fonts.Build(app.lang_code(), px, px * kHeadingScale, px * kLargeScale);
  if (!stats.ok()) {
    std::fprintf(stderr, "shelter-app: fonts: %s\n", stats.error().ToString().c_str());
    return false;
  }
  ImGui_ImplSDLRenderer_DestroyFontsTexture();
  ImGui_ImplSDLRenderer_CreateFontsTexture();
  // The renderer keeps its own copy of the atlas; ours is not needed any more. Nor are the font
  // files' bytes: Dear ImGui 1.86 clones the whole font file (19 MB for Noto Sans CJK) for every
  // font size it bakes, ~60 MB that would stay resident until the next rebuild, which clears the
  // atlas and adds the fonts again from our mapping anyway. malloc_trim hands the freed blocks back
  // (glibc keeps freed large blocks on its heap once its mmap threshold has grown).
  ImGui::GetIO().Fonts->ClearTexData();
  ImGui::GetIO().Fonts->ClearInputData();
  malloc_trim(0);
  if (std::getenv("SHELTER_APP_VERBOSE"))
    std::fprintf(stderr, "fonts: %zu glyphs, atlas %dx%d, %.0f ms (cpu %.0f ms), %zu missing\n",
                 stats->glyphs, stats->atlas_w, stats->atlas_h, stats->ms, stats->cpu_ms,
                 stats->missing.size());
  return true;
}

}  // namespace

core::Status SaveFramePng(SDL_Renderer* renderer, const std::string& path) {
  int w = 0, h = 0;
  if (SDL_GetRendererOutputSize(renderer, &w, &h) != 0)
    return core::MakeError(core::ErrorCode::kIo, "no renderer output size");
  std::vector<unsigned char> px(static_cast<size_t>(w) * h * 4);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, px.data(), w * 4) != 0)
    return core::MakeError(core::ErrorCode::kIo,
                           std::string("cannot read pixels: ") + SDL_GetError());
  for (size_t i = 3; i < px.size(); i += 4) px[i] = 255;  // opaque
  if (!stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4))
    return core::MakeError(core::ErrorCode::kIo, "cannot write " + path);
  return core::Ok();
}

int RunApp(App& app, FontLoader& fonts, Script* script, const RunnerOptions& opts) {
  if (opts.headless) SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
  if (!opts.gpu) {
    // The software renderer (XShm / Wayland shm buffers) is plenty for a UI that redraws only on
    // input, starts in a fraction of the time and memory a GL driver needs, and keeps the GPU
    // asleep. Without this hint SDL would back the software framebuffer with a GL context.
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  }
  TouchInput::TurnOffMouseEmulation();  // fingers are handled by TouchInput, not as a mouse
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    std::fprintf(stderr, "shelter-app: cannot start SDL: %s\n", SDL_GetError());
    return 1;
  }
  WindowRequest request{opts.width, opts.height, opts.window_mode, opts.dpi, opts.headless};
  DisplayInfo display;
  SDL_Rect usable;
  if (!opts.headless && SDL_GetDisplayUsableBounds(0, &usable) == 0) {
    display.usable_w = usable.w;
    display.usable_h = usable.h;
  }
  float ddpi = 0;
  if (!opts.headless && SDL_GetDisplayDPI(0, &ddpi, nullptr, nullptr) == 0) display.dpi = ddpi;
  const WindowPlan plan = PlanWindow(display, request);
  Uint32 window_flags = 0;
  if (!opts.headless) {
    if (plan.resizable) window_flags |= SDL_WINDOW_RESIZABLE;
    if (plan.fullscreen) window_flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (plan.maximized) window_flags |= SDL_WINDOW_MAXIMIZED;
  }
  SDL_Window* window =
      SDL_CreateWindow("shelterkit", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, plan.width,
                       plan.height, window_flags);
  if (!window) {
    std::fprintf(stderr, "shelter-app: cannot open a window: %s\n", SDL_GetError());
    SDL_Quit();
    return 1;
  }
  Uint32 flags =
      opts.gpu ? SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC : SDL_RENDERER_SOFTWARE;
  SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, flags);
  if (!renderer) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
  if (!renderer) {
    std::fprintf(stderr, "shelter-app: cannot create a renderer: %s\n", SDL_GetError());
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 1;
  }
  if (std::getenv("SHELTER_APP_VERBOSE"))
    std::fprintf(stderr, "sdl ready: %lld ms\n",
                 static_cast<long long>(SteadyMs() - opts.start_ms));
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;               // nothing about the session is written to disk
  io.ConfigInputTextCursorBlink = false;  // a blinking cursor would need frames while idle
  ImGui_ImplSDL2_InitForSDLRenderer(window);
  ImGui_ImplSDLRenderer_Init(renderer);
  ThemeOptions theme = app.theme();
  theme.ui_scale = plan.ui_scale;  // layout and targets follow the display's density
  app.SetTheme(theme);
  TouchInput touch;
  touch.SetSlop(DpPx(theme, 16));
  if (std::getenv("SHELTER_APP_VERBOSE"))
    std::fprintf(stderr, "window: %dx%d%s, ui scale %.2f (display %dx%d, %.0f dpi)\n", plan.width,
                 plan.height, plan.fullscreen ? " fullscreen" : "", plan.ui_scale, display.usable_w,
                 display.usable_h, display.dpi);
  // What ImGui's SDL backend leaves out: IME compositions, the kiosk's camera picture.
  ImeComposition ime;
  auto preview = std::make_unique<PreviewTexture>(renderer);
  app.SetPreviewTexture(preview.get());

  int exit_code = 0;
  bool running = true;
  bool first = true;
  int frames_due = 2;  // ImGui settles layout and popups over a couple of frames after a change
  int shot_countdown = -1;
  std::string pending_shot;
  ScriptState sstate = ScriptState::kDone;
  if (script) sstate = ScriptState::kRunning;
  // The software renderer draws into the window surface, which keeps the last frame's pixels.
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer, &info);
  PresentFilter present(/*partial_ok=*/(info.flags & SDL_RENDERER_SOFTWARE) != 0);
  auto handle = [&](const SDL_Event& ev) {
    int win_w = 0, win_h = 0;
    SDL_GetWindowSize(window, &win_w, &win_h);
    if (!touch.Handle(ev, static_cast<float>(win_w), static_cast<float>(win_h), SteadyMs()))
      ImGui_ImplSDL2_ProcessEvent(&ev);
    ime.HandleEvent(app, ev);
    switch (ev.type) {
      case SDL_KEYDOWN:
      case SDL_TEXTEDITING:
      case SDL_TEXTEDITING_EXT:
      case SDL_TEXTINPUT:
      case SDL_MOUSEBUTTONDOWN:
      case SDL_MOUSEWHEEL:
      case SDL_FINGERDOWN:
      case SDL_FINGERMOTION:
      case SDL_MOUSEMOTION: app.NoteInput(); break;
      default: break;
    }
    if (ev.type == SDL_WINDOWEVENT) present.Invalidate();  // resized, exposed: draw it all
    if (ev.type == SDL_QUIT) running = false;
    if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_CLOSE) running = false;
    frames_due = std::max(frames_due, 3);
  };
  std::unique_ptr<MotionBench> motion;
  if (opts.motion_events > 0) motion = std::make_unique<MotionBench>(opts.motion_events);
  std::unique_lock<sync::StoreMutex> node_lock;
  while (running) {
    if (node_lock.owns_lock()) node_lock.unlock();  // the sync thread's turn while we wait
    if (opts.node_mutex && opts.node_mutex->contended())
      SDL_Delay(sync::StoreMutex::kSliceMs);  // it waited for us: its slice before we lock again
    bool script_running = sstate == ScriptState::kRunning;
    bool moved =
        motion && motion->MaybeMove(window, frames_due <= 0, sstate == ScriptState::kHolding);
    if (motion && motion->done()) break;
    SDL_Event e;
    if (frames_due <= 0 && !moved) {
      // Nothing to draw: sleep until an event or the next timer (battery poll, kiosk reset, ...).
      int64_t timeout = script_running ? 16 : app.NextWakeMs() - app.Now();
      timeout = std::clamp<int64_t>(timeout, 0, INT_MAX);
      if (opts.headless && !script_running) {
        // SDL's offscreen driver cannot block in SDL_WaitEventTimeout (SDL falls back to polling
        // every millisecond); nothing outside the process can send it events, so sleep instead,
        // waking 4 times a second to notice SDL_QUIT (a signal) or a timer.
        SDL_Delay(static_cast<Uint32>(std::min<int64_t>(timeout, 250)));
      } else if (SDL_WaitEventTimeout(&e, static_cast<int>(timeout))) {
        handle(e);
      }
    }
    if (opts.node_mutex) node_lock = std::unique_lock<sync::StoreMutex>(*opts.node_mutex);
    while (SDL_PollEvent(&e)) handle(e);
    if (!running) break;
    if (app.Tick()) frames_due = std::max(frames_due, 2);
    if (script_running || shot_countdown >= 0) frames_due = std::max(frames_due, 1);
    if (frames_due <= 0) continue;

    if (app.TakeFontRebuild()) {
      if (!RebuildFonts(app, fonts)) {
        exit_code = 1;
        break;
      }
      present.Invalidate();
    }
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    if (script) script->FeedPointer(ImGui::GetIO());
    touch.Feed(ImGui::GetIO(), SteadyMs());
    if (motion) motion->FeedPointer(ImGui::GetIO());
    ImGui::NewFrame();
    touch.ApplyScroll();
    if (motion && motion->anchor()) {
      motion->DrawAnchorFrame();
    } else {
      app.Draw();
      ime.Draw(app);
    }
    ImGui::Render();
    // The draw data is built: rendering it (the costly part on the software renderer) does not
    // touch the node, so the sync thread may use it meanwhile.
    if (node_lock.owns_lock()) node_lock.unlock();
    if (shot_countdown == 0) present.BeforeReadback();
    // Only what changed since the last frame is drawn; an unchanged frame is not presented.
    if (motion && motion->anchor()) present.Invalidate();  // the anchor: an empty frame, drawn
    bool drawn = present.Render(renderer, ImGui::GetDrawData());
    if (shot_countdown == 0) {
      std::string path = opts.shots_dir + "/" + pending_shot + ".png";
      core::Status s = SaveFramePng(renderer, path);
      if (!s.ok()) {
        std::fprintf(stderr, "shelter-app: %s\n", s.error().ToString().c_str());
        exit_code = 1;
        break;
      }
      pending_shot.clear();
    }
    if (shot_countdown >= 0) --shot_countdown;
    if (drawn) SDL_RenderPresent(renderer);
    if (motion) motion->Presented();
    --frames_due;
    if (touch.busy()) frames_due = std::max(frames_due, 1);  // a tap, a drag or a fling goes on
    if (first) {
      first = false;
      app.AfterFirstFrame();
      frames_due = std::max(frames_due, 1);
      if (opts.report_first_frame)
        std::fprintf(stderr, "first frame: %lld ms (process cpu %.0f ms)\n",
                     static_cast<long long>(SteadyMs() - opts.start_ms),
                     1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC);
    }
    if (script_running && shot_countdown < 0) {
      if (opts.node_mutex && !node_lock.owns_lock()) node_lock.lock();  // a step acts on the app
      sstate = script->Step(app, window, &pending_shot);
      if (!pending_shot.empty()) shot_countdown = 3;  // let layout and popups settle first
      if (sstate == ScriptState::kFailed) {
        std::fprintf(stderr, "shelter-app: %s\n", script->failure().c_str());
        exit_code = 1;
        running = false;
      } else if (sstate == ScriptState::kHolding) {
        std::fprintf(stderr, "script: holding\n");  // benchmarks measure from here
      } else if (sstate == ScriptState::kDone) {
        running = false;
      }
    }
  }
  app.SetPreviewTexture(nullptr);
  preview.reset();  // its texture goes with the renderer
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_DestroyRenderer(renderer);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return exit_code;
}

}  // namespace shelter::ui
