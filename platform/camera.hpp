// A source of grayscale frames for QR reading: a V4L2 camera, a list of image files, or a raw
// stream of fixed-size 8-bit frames (a file or a pipe). Not thread-safe: one reader per camera;
// a frame view stays valid until the next NextFrame() or Close().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/codec/qr_code.hpp"

namespace shelter::platform {

class Camera {
 public:
  virtual ~Camera();
  // The next frame as luminance. Blocks until one is due at the set frame rate. Returns
  // kNotFound at the end of a file list or stream, kParse for a file that is not an image,
  // kIo when the device or stream fails (e.g. unplugged; a short last raw frame).
  virtual core::Result<core::GrayView> NextFrame() = 0;
  // Frames per second; lower it in low-power mode. 0 means as fast as frames come. A device may
  // round to a rate it supports; returns kUnsupported when it cannot change the rate.
  virtual core::Status SetFrameRate(int fps) = 0;
  // Stops streaming and releases the device; NextFrame() then returns kNotFound. Idempotent.
  virtual void Close() = 0;
};

struct V4l2Options {
  std::string device = "/dev/video0";
  int width = 1280;  // requested; the driver may choose the nearest size it has
  int height = 720;
  int fps = 15;
};

// Opens a capture device (YUYV or GREY, memory-mapped streaming). Returns kNotFound when the
// device node does not exist, kUnsupported when it is not a capture device or offers neither
// pixel format, kIo for other driver errors.
core::Result<std::unique_ptr<Camera>> OpenV4l2Camera(const V4l2Options& options = {});

// Each file is one frame, in order (PNG, JPEG or PGM, see core/codec/image_io.hpp). A file that
// cannot be read is an error from NextFrame(), after which the next file follows.
std::unique_ptr<Camera> OpenImageFilesCamera(std::vector<std::string> paths);

// Consecutive width×height 8-bit grayscale frames with no header, from a file or a pipe
// ("-" is standard input). Returns kInvalidArgument for a bad size, kNotFound when the path
// cannot be opened.
core::Result<std::unique_ptr<Camera>> OpenRawFrameStream(const std::string& path, int width,
                                                         int height);

}  // namespace shelter::platform
