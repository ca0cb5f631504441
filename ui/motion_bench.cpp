// MotionBench (motion_bench.hpp): warps SDL's pointer, reads the UI thread's CPU clock around
// each event and prints medians and p99s against the empty-frame anchor.
#include "ui/motion_bench.hpp"

#include <SDL.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace shelter::ui {

namespace {

int64_t ClockNs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// The value below which `q` of the samples lie (nearest rank), in ms.
double Quantile(std::vector<int64_t> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  return static_cast<double>(v[i]) / 1e6;
}

}  // namespace

bool MotionBench::MaybeMove(SDL_Window* window, bool idle, bool holding) {
  if (!idle || !holding || phase_ == Phase::kDone) return false;
  if (in_event_) {
    current_.event_cpu_ns = ClockNs(CLOCK_THREAD_CPUTIME_ID) - start_cpu_;
    // The first moves of a phase draw its first frame in full: warm-up, not motion.
    if (n_ > kWarmUp) (phase_ == Phase::kAnchor ? anchor_ : app_).push_back(current_);
    in_event_ = false;
  }
  if (phase_ == Phase::kWaiting || n_ == events_ + kWarmUp) {
    if (phase_ == Phase::kApp) {
      phase_ = Phase::kDone;
      Report();
      return false;
    }
    // Anchor first: the app's own frames follow on a warmed-up renderer either way.
    phase_ = phase_ == Phase::kWaiting ? Phase::kAnchor : Phase::kApp;
    n_ = 0;
  }
  int w = 0, h = 0;
  SDL_GetWindowSize(window, &w, &h);
  // A sweep over the whole window, as a hand crossing it: hovers on and off buttons and rows.
  pos_ = ImVec2(static_cast<float>(40 + (n_ * 53) % std::max(1, w - 80)),
                static_cast<float>(40 + (n_ * 31) % std::max(1, h - 80)));
  ++n_;
  current_ = Sample{};
  in_event_ = true;
  start_cpu_ = ClockNs(CLOCK_THREAD_CPUTIME_ID);
  start_wall_ = ClockNs(CLOCK_MONOTONIC);
  SDL_WarpMouseInWindow(window, static_cast<int>(pos_.x), static_cast<int>(pos_.y));
  return true;
}

void MotionBench::FeedPointer(ImGuiIO& io) const {
  if (phase_ == Phase::kAnchor || phase_ == Phase::kApp) {
    io.MousePos = pos_;
    io.MouseDown[0] = false;
  }
}

void MotionBench::DrawAnchorFrame() const {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::Begin("anchor", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
  ImGui::End();
}

void MotionBench::Presented() {
  if (!in_event_) return;
  if (current_.frames++ == 0) {
    current_.frame_cpu_ns = ClockNs(CLOCK_THREAD_CPUTIME_ID) - start_cpu_;
    current_.frame_wall_ns = ClockNs(CLOCK_MONOTONIC) - start_wall_;
  }
}

void MotionBench::Report() const {
  if (std::getenv("SHELTER_APP_VERBOSE"))
    for (const auto& x : app_)
      std::fprintf(stderr, "motion sample %.3f %.3f ms %d frames\n",
                   static_cast<double>(x.frame_cpu_ns) / 1e6,
                   static_cast<double>(x.event_cpu_ns) / 1e6, x.frames);
  auto line = [](const char* what, const std::vector<Sample>& s, int64_t Sample::*field) {
    std::vector<int64_t> v;
    for (const auto& x : s) v.push_back(x.*field);
    std::fprintf(stderr, "motion %s median %.3f p99 %.3f ms (%zu events)\n", what, Quantile(v, 0.5),
                 Quantile(v, 0.99), v.size());
  };
  line("anchor frame cpu", anchor_, &Sample::frame_cpu_ns);
  line("app frame cpu", app_, &Sample::frame_cpu_ns);
  line("anchor frame wall", anchor_, &Sample::frame_wall_ns);
  line("app frame wall", app_, &Sample::frame_wall_ns);
  line("anchor event cpu", anchor_, &Sample::event_cpu_ns);
  line("app event cpu", app_, &Sample::event_cpu_ns);
  double frames = 0;
  for (const auto& x : app_) frames += x.frames;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::fprintf(stderr, "motion app frames per event %.2f\nmotion peak rss %ld kB\n",
               app_.empty() ? 0.0 : frames / static_cast<double>(app_.size()), ru.ru_maxrss);
}

}  // namespace shelter::ui
