// Small grayscale image transforms that make the hard cases of QR reading out of clean renders:
// placement through a perspective map (rotation, skew, downscaling), blur, contrast, noise,
// lighting gradients, inversion and a JPEG round trip. Slow and simple on purpose; test-only.
// Not thread-safe where a seed is shared; each call is otherwise independent.
#pragma once

#include <cstdint>
#include <vector>

#include "core/bytes.hpp"
#include "core/qr_code.hpp"

namespace shelter::test {

using core::GrayImage;

struct Point2 {
  double x = 0, y = 0;
};

GrayImage Canvas(int width, int height, uint8_t fill);

// Draws `src` into `dst` so that its corners (top-left, top-right, bottom-right, bottom-left)
// land on `quad`, sampling bilinearly with `supersample`² samples per destination pixel (so a
// strong downscale averages instead of aliasing). Pixels outside the source stay untouched.
void PlaceQuad(GrayImage& dst, const GrayImage& src, const Point2 quad[4], int supersample = 3);

// The corners of a w×h rectangle scaled by `scale`, rotated by `degrees` about its centre,
// and centred on (cx, cy).
void RotatedQuad(int w, int h, double scale, double degrees, double cx, double cy, Point2 out[4]);

void GaussianBlur(GrayImage& img, double sigma);
// Maps 0..255 linearly onto lo..hi.
void SetContrast(GrayImage& img, int lo, int hi);
// Adds zero-mean Gaussian noise with standard deviation `sd`, clamped to 0..255.
void AddNoise(GrayImage& img, double sd, uint32_t seed);
// Multiplies by a brightness factor that goes linearly from `from` at the top-left corner to
// `to` at the bottom-right (uneven light on a photographed page).
void LightingGradient(GrayImage& img, double from, double to);
void Invert(GrayImage& img);
// Encodes as JPEG at `quality` and decodes it again (core's image reader), like a phone photo.
GrayImage JpegRoundTrip(const GrayImage& img, int quality);

}  // namespace shelter::test
