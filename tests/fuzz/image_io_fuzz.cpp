// libFuzzer target for image files (camera snapshots and pictures come from outside): DecodeImage
// on arbitrary bytes with small limits. Besides not crashing, a decoded image must have the
// size it claims and within the limits, and must survive a PNG round trip unchanged.
// stb's decoders are compiled into this binary from the system header, so that they carry the
// fuzzer's coverage and sanitizer instrumentation; they take precedence over the shared libstb.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image.h>
#include <stb_image_write.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/codec/image_io.hpp"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  shelter::core::ImageLimits limits;
  limits.max_side = 2048;
  limits.max_pixels = 1 << 20;
  auto img = shelter::core::DecodeImage(shelter::core::ByteView(data, size), limits);
  if (!img.ok()) {
    Require(!img.error().detail.empty());
    return 0;
  }
  Require(img->width > 0 && img->height > 0 && img->width <= 2048 && img->height <= 2048);
  Require(img->pixels.size() == size_t(img->width) * img->height);
  auto png = shelter::core::EncodePng(img->view());
  Require(png.ok());
  auto back = shelter::core::DecodeImage(shelter::core::View(*png), limits);
  Require(back.ok() && back->pixels == img->pixels);
  return 0;
}
