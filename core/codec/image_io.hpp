// Image files for QR work: PNG, JPEG and binary PGM/PPM read into 8-bit luminance, and 8-bit
// grayscale written as PNG. Input is untrusted: sizes are checked before any pixel is decoded.
// Pure functions over caller-owned buffers; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/codec/qr_code.hpp"

namespace shelter::core {

struct ImageLimits {
  int max_side = 16384;                    // pixels, either dimension
  int64_t max_pixels = int64_t{64} << 20;  // width * height (an A4 page at 600 dpi is ~35 M)
};

// Decodes PNG (any bit depth, palette, alpha), baseline or progressive JPEG, or binary PGM/PPM
// (P5/P6). Colour becomes luminance (ITU-R BT.601 weights); transparent pixels are composited
// over white, as a printed page would show them. Returns kUnsupported for another format,
// kInvalidArgument when the dimensions exceed `limits` (checked from the header, before
// decoding), kParse for a truncated or corrupt file.
Result<GrayImage> DecodeImage(ByteView bytes, const ImageLimits& limits = {});

// Reads and decodes a file; kNotFound / kIo when it cannot be read, else as DecodeImage.
Result<GrayImage> ReadImageFile(const std::string& path, const ImageLimits& limits = {});

// An 8-bit grayscale PNG. When dpi > 0 a pHYs chunk records the print resolution, so a page
// rendered at 300 dpi prints at its intended size. Returns kInvalidArgument for an empty view.
Result<Bytes> EncodePng(GrayView image, int dpi = 0);

// EncodePng to a file (written to a temporary name and renamed into place); kIo on failure.
Status WritePngFile(const std::string& path, GrayView image, int dpi = 0);

}  // namespace shelter::core
