// Specifies platform/camera (camera_files, camera_v4l2).
// Cameras without a device: image-file lists and raw GREY frame streams (file and pipe), frame
// pacing for low-power mode, and V4L2's clear error when the device node is absent.
#include "platform/camera.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "core/codec/image_io.hpp"
#include "core/codec/qr_code.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/fixtures/image_transforms.hpp"

using namespace shelter;
using shelter::test::TempDir;

namespace {

core::GrayImage CodeFrame(const std::string& text) {
  auto sym = core::EncodeQr(text, core::QrEcc::kM);
  REQUIRE(sym.ok());
  core::GrayImage code = core::RenderQr(*sym, 4);
  core::GrayImage frame = test::Canvas(320, 240, 200);
  test::Point2 quad[4];
  test::RotatedQuad(code.width, code.height, 1.0, 10, 160, 120, quad);
  test::PlaceQuad(frame, code, quad);
  return frame;
}

std::string Decoded(core::GrayView view) {
  auto found = core::DecodeQr(view);
  return found.size() == 1 ? found[0].text : "";
}

}  // namespace

TEST_CASE("camera: a list of image files gives one frame each, then kNotFound") {
  TempDir dir;
  REQUIRE(core::WritePngFile(dir.Sub("a.png"), CodeFrame("JSP1:FRAME-A").view()).ok());
  REQUIRE(core::WritePngFile(dir.Sub("b.png"), CodeFrame("JSP1:FRAME-B").view()).ok());
  { std::ofstream(dir.Sub("junk.png")) << "not an image"; }
  auto cam =
      platform::OpenImageFilesCamera({dir.Sub("a.png"), dir.Sub("junk.png"), dir.Sub("b.png")});
  auto a = cam->NextFrame();
  REQUIRE(a.ok());
  CHECK(a->width == 320);
  CHECK(Decoded(*a) == "JSP1:FRAME-A");
  auto junk = cam->NextFrame();
  REQUIRE_FALSE(junk.ok());  // a bad file is an error, and the list goes on
  CHECK(junk.error().code == core::ErrorCode::kUnsupported);
  auto b = cam->NextFrame();
  REQUIRE(b.ok());
  CHECK(Decoded(*b) == "JSP1:FRAME-B");
  auto end = cam->NextFrame();
  REQUIRE_FALSE(end.ok());
  CHECK(end.error().code == core::ErrorCode::kNotFound);
}

TEST_CASE("camera: a raw GREY stream from a file, a short last frame is an error") {
  TempDir dir;
  core::GrayImage f1 = CodeFrame("JSP1:RAW-1"), f2 = CodeFrame("JSP1:RAW-2");
  {
    std::ofstream out(dir.Sub("frames.raw"), std::ios::binary);
    out.write(reinterpret_cast<const char*>(f1.pixels.data()), std::streamsize(f1.pixels.size()));
    out.write(reinterpret_cast<const char*>(f2.pixels.data()), std::streamsize(f2.pixels.size()));
    out.write("tail", 4);
  }
  auto cam = platform::OpenRawFrameStream(dir.Sub("frames.raw"), 320, 240);
  REQUIRE(cam.ok());
  auto a = (*cam)->NextFrame();
  REQUIRE(a.ok());
  CHECK(Decoded(*a) == "JSP1:RAW-1");
  auto b = (*cam)->NextFrame();
  REQUIRE(b.ok());
  CHECK(Decoded(*b) == "JSP1:RAW-2");
  auto tail = (*cam)->NextFrame();
  REQUIRE_FALSE(tail.ok());
  CHECK(tail.error().code == core::ErrorCode::kIo);

  CHECK_FALSE(platform::OpenRawFrameStream(dir.Sub("frames.raw"), 0, 240).ok());
  auto missing = platform::OpenRawFrameStream(dir.Sub("absent.raw"), 320, 240);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == core::ErrorCode::kNotFound);
}

TEST_CASE("camera: a raw stream through a pipe arrives in pieces and is paced by the frame rate") {
  TempDir dir;
  const std::string fifo = dir.Sub("frames.fifo");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  core::GrayImage frame = CodeFrame("JSP1:PIPE");
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    for (int i = 0; i < 3; ++i)
      for (size_t off = 0; off < frame.pixels.size(); off += 1000) {  // small writes
        out.write(reinterpret_cast<const char*>(frame.pixels.data() + off),
                  std::streamsize(std::min<size_t>(1000, frame.pixels.size() - off)));
        out.flush();
      }
  });
  auto cam = platform::OpenRawFrameStream(fifo, 320, 240);
  REQUIRE(cam.ok());
  REQUIRE((*cam)->SetFrameRate(10).ok());  // low-power mode
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    auto f = (*cam)->NextFrame();
    REQUIRE(f.ok());
    CHECK(Decoded(*f) == "JSP1:PIPE");
  }
  auto elapsed = std::chrono::steady_clock::now() - t0;
  CHECK(elapsed >= std::chrono::milliseconds(190));  // frames 2 and 3 wait 100 ms each
  auto end = (*cam)->NextFrame();
  REQUIRE_FALSE(end.ok());
  CHECK(end.error().code == core::ErrorCode::kNotFound);
  writer.join();
  CHECK_FALSE((*cam)->SetFrameRate(-1).ok());
  (*cam)->Close();
  CHECK_FALSE((*cam)->NextFrame().ok());
}

TEST_CASE("camera: V4L2 without a device node is kNotFound, a non-device is kUnsupported") {
  platform::V4l2Options o;
  o.device = "/dev/video-shelterkit-absent";
  auto cam = platform::OpenV4l2Camera(o);
  REQUIRE_FALSE(cam.ok());
  CHECK(cam.error().code == core::ErrorCode::kNotFound);
  o.device = "/dev/null";
  auto null_dev = platform::OpenV4l2Camera(o);
  REQUIRE_FALSE(null_dev.ok());
  CHECK(null_dev.error().code == core::ErrorCode::kUnsupported);
}
