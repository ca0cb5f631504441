// Cameras without a device: a list of image files and a raw stream of fixed-size GREY frames.
// Both pace frames to the set rate with a steady clock, as a real camera would deliver them.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>
#include <utility>

#include "core/codec/image_io.hpp"
#include "platform/camera.hpp"

namespace shelter::platform {

Camera::~Camera() = default;

namespace {

using core::ErrorCode;
using core::GrayView;
using core::MakeError;
using core::Result;
using core::Status;

// Sleeps until the next frame is due at `fps` (0: never sleeps).
class Pacer {
 public:
  void SetRate(int fps) { fps_ = fps; }
  void Wait() {
    using Clock = std::chrono::steady_clock;
    const auto now = Clock::now();
    if (fps_ > 0 && started_) {
      const auto period = std::chrono::microseconds(1000000 / fps_);
      next_ += period;
      if (next_ > now)
        std::this_thread::sleep_until(next_);
      else
        next_ = now;  // late: don't burst to catch up
    } else {
      next_ = now;
    }
    started_ = true;
  }

 private:
  int fps_ = 0;
  bool started_ = false;
  std::chrono::steady_clock::time_point next_;
};

Status CheckRate(int fps) {
  if (fps < 0 || fps > 1000)
    return MakeError(ErrorCode::kInvalidArgument, "frame rate out of range");
  return core::Ok();
}

class ImageFilesCamera final : public Camera {
 public:
  explicit ImageFilesCamera(std::vector<std::string> paths) : paths_(std::move(paths)) {}

  Result<GrayView> NextFrame() override {
    if (next_ >= paths_.size()) return MakeError(ErrorCode::kNotFound, "no more image files");
    pacer_.Wait();
    auto img = core::ReadImageFile(paths_[next_++]);
    if (!img.ok()) return img.error();
    frame_ = std::move(img).value();
    return frame_.view();
  }
  Status SetFrameRate(int fps) override {
    SHELTER_TRY(CheckRate(fps));
    pacer_.SetRate(fps);
    return core::Ok();
  }
  void Close() override { next_ = paths_.size(); }

 private:
  std::vector<std::string> paths_;
  size_t next_ = 0;
  core::GrayImage frame_;
  Pacer pacer_;
};

class RawFrameStream final : public Camera {
 public:
  RawFrameStream(int fd, bool owned, int width, int height) : fd_(fd), owned_(owned) {
    frame_.width = width;
    frame_.height = height;
    frame_.pixels.resize(size_t(width) * height);
  }
  ~RawFrameStream() override { Close(); }

  Result<GrayView> NextFrame() override {
    if (fd_ < 0) return MakeError(ErrorCode::kNotFound, "frame stream closed");
    pacer_.Wait();
    size_t got = 0;
    while (got < frame_.pixels.size()) {  // a pipe delivers a frame in pieces
      ssize_t n = read(fd_, frame_.pixels.data() + got, frame_.pixels.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return MakeError(ErrorCode::kIo, "cannot read the frame stream");
      if (n == 0) break;
      got += size_t(n);
    }
    if (got == 0) return MakeError(ErrorCode::kNotFound, "end of the frame stream");
    if (got < frame_.pixels.size())
      return MakeError(ErrorCode::kIo, "frame stream ended inside a frame (wrong WxH?)");
    return frame_.view();
  }
  Status SetFrameRate(int fps) override {
    SHELTER_TRY(CheckRate(fps));
    pacer_.SetRate(fps);
    return core::Ok();
  }
  void Close() override {
    if (fd_ >= 0 && owned_) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  bool owned_;
  core::GrayImage frame_;
  Pacer pacer_;
};

}  // namespace

std::unique_ptr<Camera> OpenImageFilesCamera(std::vector<std::string> paths) {
  return std::make_unique<ImageFilesCamera>(std::move(paths));
}

Result<std::unique_ptr<Camera>> OpenRawFrameStream(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
    return MakeError(ErrorCode::kInvalidArgument, "raw frame size out of range");
  if (path == "-") return std::unique_ptr<Camera>(new RawFrameStream(0, false, width, height));
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kNotFound, "cannot open frame stream " + path);
  return std::unique_ptr<Camera>(new RawFrameStream(fd, true, width, height));
}

}  // namespace shelter::platform
