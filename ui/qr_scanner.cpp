// The worker: open the camera when a rate is wanted, apply rate changes between frames, decode,
// debounce, hand over; close the camera when the rate drops to 0. Camera failures are retried
// after a pause (an unplugged USB camera may come back).
#include "ui/qr_scanner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <vector>

#include "core/codec/qr_code.hpp"

namespace shelter::ui {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRetryAfterFailure = std::chrono::seconds(2);

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

// A small mirrored copy of `f` (nearest pixel): residents facing the camera move the pass the way
// they see it move.
void ScaleForPreview(const core::GrayView& f, PreviewFrame* out) {
  const int w = std::min(f.width, QrScanner::kPreviewWidth);
  const int h = std::max(1, static_cast<int>(static_cast<int64_t>(f.height) * w / f.width));
  out->width = w;
  out->height = h;
  out->luma.resize(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = f.data + static_cast<int64_t>(y) * f.height / h * f.stride;
    for (int x = 0; x < w; ++x)
      out->luma[static_cast<size_t>(y) * w + x] =
          row[static_cast<int64_t>(w - 1 - x) * f.width / w];
  }
  ++out->seq;
}

}  // namespace

QrScanner::QrScanner(CameraFactory open, std::function<void()> wake, QrScannerOptions options)
    : open_(std::move(open)), wake_(std::move(wake)), options_(options) {
  if (options_.full_pass_every < 1) options_.full_pass_every = 1;
  worker_ = std::thread([this] { Run(); });
}

QrScanner::~QrScanner() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void QrScanner::SetFps(int fps) {
  {
    std::lock_guard lock(mu_);
    fps_ = fps < 0 ? 0 : fps;
  }
  cv_.notify_all();
}

std::optional<std::string> QrScanner::Poll() {
  std::lock_guard lock(mu_);
  auto text = std::move(pending_);
  pending_.reset();
  return text;
}

bool QrScanner::failing() const {
  std::lock_guard lock(mu_);
  return failing_;
}

void QrScanner::SetFailing(std::unique_lock<std::mutex>& lock, bool failing) {
  if (failing_ == failing) return;
  failing_ = failing;
  lock.unlock();
  if (wake_) wake_();  // the screen says whether the camera works
  lock.lock();
}

std::optional<PreviewFrame> QrScanner::Preview(uint64_t seq) const {
  std::lock_guard lock(mu_);
  if (preview_.seq <= seq) return std::nullopt;
  return preview_;
}

QrScannerStats QrScanner::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void QrScanner::Log(const char* fmt, ...) const {
  if (!options_.verbose) return;
  std::va_list args;
  va_start(args, fmt);
  std::fputs("camera: ", stderr);
  std::vfprintf(stderr, fmt, args);
  std::fputc('\n', stderr);
  va_end(args);
}

void QrScanner::Run() {
  core::QrDecodeOptions fast;  // ZXing's own pass only
  fast.try_inverted = fast.try_global_threshold = fast.try_sharpened = false;
  const core::QrDecodeOptions full;  // the first pass, then the retries when it finds nothing

  std::unique_ptr<platform::Camera> camera;
  int applied_fps = 0;
  int logged_fps = 0;      // the rate last logged: a list of images reopened at its end is quiet
  bool streaming = false;  // between the first open and the next SetFps(0)
  int64_t frames_without_code = 0;
  int64_t opened_frames = 0;
  std::string last_text;
  int64_t last_seen_ms = 0;

  std::unique_lock lock(mu_);
  while (!quit_) {
    if (fps_ == 0) {
      if (camera) camera->Close();
      camera.reset();
      failing_ = false;  // judged again when the camera is next wanted
      if (streaming) {
        streaming = false;
        logged_fps = 0;
        Log("closed after %lld frames (%lld with the retry passes), decode %.2f ms per frame",
            static_cast<long long>(stats_.frames), static_cast<long long>(stats_.full_passes),
            stats_.frames ? stats_.decode_us / 1000.0 / static_cast<double>(stats_.frames) : 0.0);
      }
      cv_.wait(lock, [&] { return quit_ || fps_ > 0; });
      continue;
    }
    if (!camera) {
      lock.unlock();
      auto opened = open_();
      lock.lock();
      if (!opened.ok()) {
        Log("cannot open: %s", opened.error().ToString().c_str());
        SetFailing(lock, true);
        cv_.wait_for(lock, kRetryAfterFailure, [&] { return quit_ || fps_ == 0; });
        continue;
      }
      camera = std::move(*opened);
      streaming = true;
      applied_fps = 0;
      opened_frames = 0;
    }
    if (applied_fps != fps_) {
      applied_fps = fps_;
      if (auto s = camera->SetFrameRate(applied_fps); !s.ok())
        Log("rate %d fps not set: %s", applied_fps, s.error().ToString().c_str());
      if (applied_fps != logged_fps) Log("%d fps", applied_fps);
      logged_fps = applied_fps;
    }
    const int period_ms = 1000 / applied_fps;
    lock.unlock();

    auto frame = camera->NextFrame();
    std::vector<core::QrRead> found;
    bool full_pass = false;
    int64_t decode_us = 0;
    if (frame.ok()) {
      full_pass = (frames_without_code + 1) % options_.full_pass_every == 0;
      const auto t0 = Clock::now();
      found = core::DecodeQr(*frame, full_pass ? full : fast);
      decode_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
      frames_without_code = found.empty() ? frames_without_code + 1 : 0;
    }

    lock.lock();
    if (!frame.ok()) {
      const core::Error& e = frame.error();
      if (e.code == core::ErrorCode::kParse) {
        Log("unreadable frame skipped: %s", e.ToString().c_str());
        continue;
      }
      // The end of a list of images (played again from the start) or a camera that failed.
      if (e.code != core::ErrorCode::kNotFound || opened_frames == 0) {
        Log("no frame: %s", e.ToString().c_str());
        SetFailing(lock, true);
        cv_.wait_for(lock, kRetryAfterFailure, [&] { return quit_ || fps_ == 0; });
      } else {
        cv_.wait_for(lock, std::chrono::milliseconds(period_ms), [&] { return quit_; });
      }
      camera->Close();
      camera.reset();
      continue;
    }
    ++opened_frames;
    if (frame->width > 0 && frame->height > 0) ScaleForPreview(*frame, &preview_);
    SetFailing(lock, false);
    ++stats_.frames;
    stats_.decode_us += decode_us;
    if (full_pass) ++stats_.full_passes;
    if (found.empty()) continue;
    const int64_t now = NowMs();
    const std::string& text = found.front().text;
    bool fresh = text != last_text || now - last_seen_ms > options_.absent_ms;
    last_text = text;
    last_seen_ms = now;
    if (!fresh) continue;
    pending_ = text;
    ++stats_.reported;
    lock.unlock();
    if (wake_) wake_();
    lock.lock();
  }
  if (camera) camera->Close();
}

}  // namespace shelter::ui
