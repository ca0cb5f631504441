// The app's QR camera: a worker thread reads frames from a platform::Camera and decodes them with
// core::DecodeQr, so decoding never holds up the UI; new texts wait in one slot for Poll() and a
// wake-up callback tells the UI thread to come and look. A code that stays in view is reported
// once. Thread-safe: SetFps() and Poll() are for the UI thread, everything else runs inside.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/base/result.hpp"
#include "platform/camera.hpp"
#include "ui/devices.hpp"

namespace shelter::ui {

struct QrScannerOptions {
  // Frames without a code get only ZXing's first pass; every `full_pass_every`-th such frame also
  // gets the retry passes (inverted, global threshold, sharpened), which cost about as much again.
  int full_pass_every = 6;
  int64_t absent_ms = 2000;  // a code out of view this long is reported again when it comes back
  bool verbose = false;      // one stderr line per camera change (open, rate, close); no QR text
};

struct QrScannerStats {
  int64_t frames = 0;       // frames decoded
  int64_t full_passes = 0;  // frames that also got the retry passes
  int64_t reported = 0;     // texts handed to Poll()
  int64_t decode_us = 0;    // time spent in DecodeQr
};

class QrScanner {
 public:
  using CameraFactory = std::function<core::Result<std::unique_ptr<platform::Camera>>()>;
  // `open` is called on the worker thread whenever the camera is needed; `wake` from the worker
  // thread after a new text is ready (it must be thread-safe, e.g. SDL_PushEvent).
  QrScanner(CameraFactory open, std::function<void()> wake, QrScannerOptions options = {});
  ~QrScanner();
  QrScanner(const QrScanner&) = delete;
  QrScanner& operator=(const QrScanner&) = delete;

  // 0 closes the camera; otherwise opens it (if needed) and asks for this rate.
  void SetFps(int fps);
  // The newest text decoded since the last call.
  std::optional<std::string> Poll();
  // True while the camera cannot be opened or gives no frames (retried every 2 s).
  bool failing() const;
  QrScannerStats stats() const;
  // The newest frame scaled down to kPreviewWidth pixels wide, when newer than `seq`.
  std::optional<PreviewFrame> Preview(uint64_t seq) const;
  static constexpr int kPreviewWidth = 240;

 private:
  void Run();
  void Log(const char* fmt, ...) const;
  void SetFailing(std::unique_lock<std::mutex>& lock, bool failing);

  CameraFactory open_;
  std::function<void()> wake_;
  QrScannerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int fps_ = 0;
  bool quit_ = false;
  bool failing_ = false;
  std::optional<std::string> pending_;
  PreviewFrame preview_;
  QrScannerStats stats_;
  std::thread worker_;
};

}  // namespace shelter::ui
