// QR symbols: encode text to a module matrix (ZXing-cpp writer) and find every QR code in an
// 8-bit grayscale image (ZXing-cpp reader). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::core {

enum class QrEcc { kL, kM, kQ, kH };

struct QrSymbol {
  int version = 0;            // 1..40
  int size = 0;               // modules per side, without quiet zone
  std::vector<uint8_t> dark;  // size*size, row-major, 1 = dark module
  bool Dark(int x, int y) const { return dark[size_t(y) * size + x] != 0; }
};

// Text made only of QR alphanumeric characters (upper-case prefixes + Base45) is encoded in
// alphanumeric mode, anything else as UTF-8 bytes. Returns kInvalidArgument when the text does
// not fit in a version-40 symbol at this level.
Result<QrSymbol> EncodeQr(std::string_view text, QrEcc ecc);

// 8-bit luminance, row-major; stride in bytes (>= width).
struct GrayView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int stride = 0;
};

struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
  GrayView view() const { return {pixels.data(), width, height, width}; }
};

// A symbol drawn black on white, module_px pixels per module, with a quiet zone of
// quiet_modules on every side.
GrayImage RenderQr(const QrSymbol& symbol, int module_px, int quiet_modules = 4);

struct QrRead {
  std::string text;
  int corners[4][2] = {};  // top-left, top-right, bottom-right, bottom-left in image pixels
};

struct QrDecodeOptions {
  // Retries that run only when the first pass (ZXing's local-average threshold, rotations,
  // downscaled layers) found nothing, so a frame with a readable code costs one pass:
  bool try_inverted = true;          // light modules on a dark background (phone screens)
  bool try_global_threshold = true;  // one histogram threshold: helps blur and low contrast
  bool try_sharpened = true;         // an unsharp-masked copy: helps a defocused camera
  // A 2× upscaled copy for codes of about 1.5 px per module; costs four passes' worth, so it is
  // off for camera frames and on for files read once (shelterctl qr decode). Images whose
  // longer side exceeds 2048 px are not upscaled.
  bool try_upscaled = false;
};

// Every QR code found in the image, in reading order; empty when there is none. With the default
// options a 1280×720 frame without any code costs one full pass plus three half-size ones.
std::vector<QrRead> DecodeQr(GrayView image, const QrDecodeOptions& options = {});

}  // namespace shelter::core
