#include "tests/support/image_transforms.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <utility>

#include "core/image_io.hpp"

namespace shelter::test {
namespace {

uint8_t Clamp8(double v) { return uint8_t(std::clamp(std::lround(v), 0L, 255L)); }

// Solves the homography that maps each `from[i]` to `to[i]` (8 unknowns, h33 = 1).
void SolveHomography(const Point2 from[4], const Point2 to[4], double h[9]) {
  double a[8][9] = {};
  for (int i = 0; i < 4; ++i) {
    double x = from[i].x, y = from[i].y, u = to[i].x, v = to[i].y;
    double r0[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
    double r1[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    std::copy(r0, r0 + 9, a[2 * i]);
    std::copy(r1, r1 + 9, a[2 * i + 1]);
  }
  for (int c = 0; c < 8; ++c) {
    int pivot = c;
    for (int r = c + 1; r < 8; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    std::swap(a[c], a[pivot]);
    for (int r = 0; r < 8; ++r) {
      if (r == c || a[c][c] == 0) continue;
      double f = a[r][c] / a[c][c];
      for (int k = c; k < 9; ++k) a[r][k] -= f * a[c][k];
    }
  }
  for (int i = 0; i < 8; ++i) h[i] = a[i][i] != 0 ? a[i][8] / a[i][i] : 0;
  h[8] = 1;
}

double Sample(const GrayImage& img, double x, double y, bool& inside) {
  inside = x >= 0 && y >= 0 && x <= img.width - 1 && y <= img.height - 1;
  if (!inside) return 0;
  int x0 = int(x), y0 = int(y);
  int x1 = std::min(x0 + 1, img.width - 1), y1 = std::min(y0 + 1, img.height - 1);
  double fx = x - x0, fy = y - y0;
  auto p = [&](int px, int py) { return double(img.pixels[size_t(py) * img.width + px]); };
  return (p(x0, y0) * (1 - fx) + p(x1, y0) * fx) * (1 - fy) +
         (p(x0, y1) * (1 - fx) + p(x1, y1) * fx) * fy;
}

}  // namespace

GrayImage Canvas(int width, int height, uint8_t fill) {
  GrayImage img;
  img.width = width;
  img.height = height;
  img.pixels.assign(size_t(width) * height, fill);
  return img;
}

void PlaceQuad(GrayImage& dst, const GrayImage& src, const Point2 quad[4], int supersample) {
  const Point2 corners[4] = {{0, 0},
                             {double(src.width - 1), 0},
                             {double(src.width - 1), double(src.height - 1)},
                             {0, double(src.height - 1)}};
  double h[9];
  SolveHomography(quad, corners, h);  // destination -> source
  double min_x = 1e9, min_y = 1e9, max_x = -1e9, max_y = -1e9;
  for (int i = 0; i < 4; ++i) {
    min_x = std::min(min_x, quad[i].x), max_x = std::max(max_x, quad[i].x);
    min_y = std::min(min_y, quad[i].y), max_y = std::max(max_y, quad[i].y);
  }
  int x0 = std::max(0, int(std::floor(min_x))), x1 = std::min(dst.width - 1, int(std::ceil(max_x)));
  int y0 = std::max(0, int(std::floor(min_y))),
      y1 = std::min(dst.height - 1, int(std::ceil(max_y)));
  const int ss = std::max(1, supersample);
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      double sum = 0;
      int hits = 0;
      for (int sy = 0; sy < ss; ++sy)
        for (int sx = 0; sx < ss; ++sx) {
          double px = x + (sx + 0.5) / ss - 0.5, py = y + (sy + 0.5) / ss - 0.5;
          double w = h[6] * px + h[7] * py + h[8];
          double u = (h[0] * px + h[1] * py + h[2]) / w, v = (h[3] * px + h[4] * py + h[5]) / w;
          bool inside = false;
          double s = Sample(src, u, v, inside);
          if (inside) sum += s, ++hits;
        }
      if (hits == 0) continue;
      uint8_t& d = dst.pixels[size_t(y) * dst.width + x];
      // Partly covered edge pixels blend with what was there.
      d = Clamp8((sum + double(d) * (ss * ss - hits)) / (ss * ss));
    }
}

void RotatedQuad(int w, int h, double scale, double degrees, double cx, double cy, Point2 out[4]) {
  const double a = degrees * M_PI / 180, c = std::cos(a), s = std::sin(a);
  const double hw = w * scale / 2, hh = h * scale / 2;
  const double local[4][2] = {{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}};
  for (int i = 0; i < 4; ++i)
    out[i] = {cx + local[i][0] * c - local[i][1] * s, cy + local[i][0] * s + local[i][1] * c};
}

void GaussianBlur(GrayImage& img, double sigma) {
  if (sigma <= 0) return;
  const int r = int(std::ceil(3 * sigma));
  std::vector<double> k(2 * r + 1);
  double total = 0;
  for (int i = -r; i <= r; ++i) total += k[i + r] = std::exp(-i * i / (2 * sigma * sigma));
  for (auto& v : k) v /= total;
  std::vector<double> tmp(img.pixels.size());
  const int w = img.width, h = img.height;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i)
        s += k[i + r] * img.pixels[size_t(y) * w + std::clamp(x + i, 0, w - 1)];
      tmp[size_t(y) * w + x] = s;
    }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i)
        s += k[i + r] * tmp[size_t(std::clamp(y + i, 0, h - 1)) * w + x];
      img.pixels[size_t(y) * w + x] = Clamp8(s);
    }
}

void SetContrast(GrayImage& img, int lo, int hi) {
  for (auto& p : img.pixels) p = Clamp8(lo + (hi - lo) * p / 255.0);
}

void AddNoise(GrayImage& img, double sd, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, sd);
  for (auto& p : img.pixels) p = Clamp8(p + noise(rng));
}

void LightingGradient(GrayImage& img, double from, double to) {
  const double span = double(img.width + img.height - 2);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      double t = span > 0 ? (x + y) / span : 0;
      uint8_t& p = img.pixels[size_t(y) * img.width + x];
      p = Clamp8(p * (from + (to - from) * t));
    }
}

void Invert(GrayImage& img) {
  for (auto& p : img.pixels) p = uint8_t(255 - p);
}

GrayImage JpegRoundTrip(const GrayImage& img, int quality) {
  core::Bytes jpeg;
  auto append = [](void* ctx, void* data, int size) {
    auto* out = static_cast<core::Bytes*>(ctx);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (!stbi_write_jpg_to_func(append, &jpeg, img.width, img.height, 1, img.pixels.data(), quality))
    std::abort();
  auto back = core::DecodeImage(core::View(jpeg));
  if (!back.ok()) std::abort();
  return std::move(back).value();
}

}  // namespace shelter::test
