// Camera over Linux V4L2 (Documentation/userspace-api/media/v4l): open the node, negotiate
// YUYV or GREY at the requested size, memory-map a few buffers and stream. Each dequeued
// buffer is converted to luminance (YUYV: every other byte is Y) into an owned frame and
// requeued at once, so the driver never starves while the caller decodes.
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "platform/camera.hpp"

namespace shelter::platform {
namespace {

using core::ErrorCode;
using core::GrayView;
using core::MakeError;
using core::Result;
using core::Status;

int Ioctl(int fd, unsigned long request, void* arg) {
  int r;
  do r = ioctl(fd, request, arg);
  while (r < 0 && errno == EINTR);
  return r;
}

class V4l2Camera final : public Camera {
 public:
  ~V4l2Camera() override { Close(); }

  Status Open(const V4l2Options& o) {
    fd_ = open(o.device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
      if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
        return MakeError(ErrorCode::kNotFound, "no camera at " + o.device);
      return MakeError(ErrorCode::kIo,
                       "cannot open camera " + o.device + ": " + std::strerror(errno));
    }
    v4l2_capability cap{};
    if (Ioctl(fd_, VIDIOC_QUERYCAP, &cap) < 0)
      return MakeError(ErrorCode::kUnsupported, o.device + " is not a V4L2 device");
    const uint32_t caps =
        (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING))
      return MakeError(ErrorCode::kUnsupported, o.device + " cannot stream video capture");

    v4l2_format fmt{};
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    for (uint32_t pixel_format : {V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV}) {
      fmt.fmt.pix.width = uint32_t(o.width);
      fmt.fmt.pix.height = uint32_t(o.height);
      fmt.fmt.pix.pixelformat = pixel_format;
      fmt.fmt.pix.field = V4L2_FIELD_NONE;
      if (Ioctl(fd_, VIDIOC_S_FMT, &fmt) == 0 && fmt.fmt.pix.pixelformat == pixel_format) break;
      fmt.fmt.pix.pixelformat = 0;
    }
    if (fmt.fmt.pix.pixelformat == 0)
      return MakeError(ErrorCode::kUnsupported, o.device + " offers neither GREY nor YUYV");
    yuyv_ = fmt.fmt.pix.pixelformat == V4L2_PIX_FMT_YUYV;
    const uint32_t min_line = fmt.fmt.pix.width * (yuyv_ ? 2 : 1);
    stride_ = std::max(fmt.fmt.pix.bytesperline, min_line);
    frame_.width = int(fmt.fmt.pix.width);
    frame_.height = int(fmt.fmt.pix.height);
    if (frame_.width <= 0 || frame_.height <= 0)
      return MakeError(ErrorCode::kIo, "camera reported an empty frame size");
    frame_.pixels.resize(size_t(frame_.width) * frame_.height);
    (void)SetFrameRate(o.fps);  // not every driver can; streaming works regardless

    v4l2_requestbuffers req{};
    req.count = 4;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (Ioctl(fd_, VIDIOC_REQBUFS, &req) < 0 || req.count < 2)
      return MakeError(ErrorCode::kIo, "camera refused streaming buffers");
    for (uint32_t i = 0; i < req.count; ++i) {
      v4l2_buffer buf{};
      buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buf.memory = V4L2_MEMORY_MMAP;
      buf.index = i;
      if (Ioctl(fd_, VIDIOC_QUERYBUF, &buf) < 0)
        return MakeError(ErrorCode::kIo, "VIDIOC_QUERYBUF failed");
      void* p = mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, buf.m.offset);
      if (p == MAP_FAILED) return MakeError(ErrorCode::kIo, "cannot map camera buffer");
      buffers_.push_back({p, buf.length});
      if (Ioctl(fd_, VIDIOC_QBUF, &buf) < 0) return MakeError(ErrorCode::kIo, "VIDIOC_QBUF failed");
    }
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (Ioctl(fd_, VIDIOC_STREAMON, &type) < 0)
      return MakeError(ErrorCode::kIo, "VIDIOC_STREAMON failed");
    streaming_ = true;
    return core::Ok();
  }

  Result<GrayView> NextFrame() override {
    if (fd_ < 0) return MakeError(ErrorCode::kNotFound, "camera closed");
    pollfd pfd{fd_, POLLIN, 0};
    int r;
    do r = poll(&pfd, 1, 5000);
    while (r < 0 && errno == EINTR);
    if (r == 0) return MakeError(ErrorCode::kIo, "camera delivered no frame for 5 s");
    if (r < 0 || (pfd.revents & (POLLERR | POLLHUP)))
      return MakeError(ErrorCode::kIo, "camera failed (unplugged?)");
    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    if (Ioctl(fd_, VIDIOC_DQBUF, &buf) < 0) return MakeError(ErrorCode::kIo, "VIDIOC_DQBUF failed");
    Status converted = Convert(buf);
    if (Ioctl(fd_, VIDIOC_QBUF, &buf) < 0) return MakeError(ErrorCode::kIo, "VIDIOC_QBUF failed");
    if (!converted.ok()) return converted.error();
    return frame_.view();
  }

  Status SetFrameRate(int fps) override {
    if (fd_ < 0 || fps <= 0) return MakeError(ErrorCode::kInvalidArgument, "bad frame rate");
    v4l2_streamparm parm{};
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (Ioctl(fd_, VIDIOC_G_PARM, &parm) < 0 ||
        !(parm.parm.capture.capability & V4L2_CAP_TIMEPERFRAME))
      return MakeError(ErrorCode::kUnsupported, "camera has a fixed frame rate");
    parm.parm.capture.timeperframe = {1, uint32_t(fps)};
    if (Ioctl(fd_, VIDIOC_S_PARM, &parm) < 0)
      return MakeError(ErrorCode::kIo, "camera refused the frame rate");
    return core::Ok();
  }

  void Close() override {
    if (fd_ < 0) return;
    if (streaming_) {
      v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      Ioctl(fd_, VIDIOC_STREAMOFF, &type);
    }
    for (auto& b : buffers_) munmap(b.start, b.length);
    buffers_.clear();
    close(fd_);
    fd_ = -1;
  }

 private:
  struct Buffer {
    void* start;
    size_t length;
  };

  Status Convert(const v4l2_buffer& buf) {
    if (buf.index >= buffers_.size() || (buf.flags & V4L2_BUF_FLAG_ERROR))
      return MakeError(ErrorCode::kIo, "camera returned a damaged frame");
    const size_t need =
        size_t(stride_) * (frame_.height - 1) + size_t(frame_.width) * (yuyv_ ? 2 : 1);
    if (buf.bytesused < need && buf.bytesused != 0)
      return MakeError(ErrorCode::kIo, "camera returned a short frame");
    if (buffers_[buf.index].length < need)
      return MakeError(ErrorCode::kIo, "camera buffer too small");
    const auto* src = static_cast<const uint8_t*>(buffers_[buf.index].start);
    for (int y = 0; y < frame_.height; ++y) {
      const uint8_t* row = src + size_t(y) * stride_;
      uint8_t* out = frame_.pixels.data() + size_t(y) * frame_.width;
      if (yuyv_)
        for (int x = 0; x < frame_.width; ++x) out[x] = row[2 * x];
      else
        std::memcpy(out, row, size_t(frame_.width));
    }
    return core::Ok();
  }

  int fd_ = -1;
  bool streaming_ = false;
  bool yuyv_ = false;
  uint32_t stride_ = 0;
  std::vector<Buffer> buffers_;
  core::GrayImage frame_;
};

}  // namespace

Result<std::unique_ptr<Camera>> OpenV4l2Camera(const V4l2Options& options) {
  auto camera = std::make_unique<V4l2Camera>();
  Status s = camera->Open(options);
  if (!s.ok()) return s.error();
  return std::unique_ptr<Camera>(std::move(camera));
}

}  // namespace shelter::platform
