// Adapter over ZXing-cpp 1.4: its writer throws on oversized input, which becomes a Result here.
#define ZX_USE_UTF8 1
#include "core/codec/qr_code.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace shelter::core {
namespace {

// MultiFormatWriter maps its 0..8 scale onto L/M/Q/H in pairs.
int ZxingEccLevel(QrEcc ecc) {
  switch (ecc) {
    case QrEcc::kL: return 2;
    case QrEcc::kM: return 4;
    case QrEcc::kQ: return 6;
    case QrEcc::kH: return 8;
  }
  return 4;
}

// The first pass; the benchmark's ZXing-only anchor uses the same settings.
ZXing::DecodeHints QrHints() {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  return hints;
}

// Appends every valid result; true when there was at least one. ZXing does not document
// throwing from the reader; a throw counts as "nothing found".
// `scale` maps the view's coordinates back to the caller's image.
bool Read(const ZXing::ImageView& view, const ZXing::DecodeHints& hints, std::vector<QrRead>& out,
          double scale) {
  try {
    for (auto& r : ZXing::ReadBarcodes(view, hints)) {
      if (!r.isValid()) continue;
      QrRead q;
      q.text = r.text();
      auto& p = r.position();
      for (int i = 0; i < 4; ++i) {
        q.corners[i][0] = int(std::lround(p[i].x * scale));
        q.corners[i][1] = int(std::lround(p[i].y * scale));
      }
      out.push_back(std::move(q));
    }
  } catch (const std::exception&) {
  }
  return !out.empty();
}

constexpr int kHalveRetriesFrom = 600;  // shorter side, pixels
constexpr int kMaxUpscaledSide = 4096;

// 2×2 box average (odd last row/column dropped).
std::vector<uint8_t> Halved(GrayView image) {
  const int w = image.width / 2, h = image.height / 2;
  std::vector<uint8_t> out(size_t(w) * h);
  for (int y = 0; y < h; ++y) {
    const uint8_t* a = image.data + size_t(2 * y) * image.stride;
    const uint8_t* b = a + image.stride;
    for (int x = 0; x < w; ++x)
      out[size_t(y) * w + x] = uint8_t((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) / 4);
  }
  return out;
}

// 2× bilinear upscale: gives ZXing's sampler room on codes of 1.5 px per module or less.
std::vector<uint8_t> Doubled(GrayView image) {
  const int w = image.width, h = image.height, ow = 2 * w;
  std::vector<uint8_t> out(size_t(ow) * 2 * h);
  for (int y = 0; y < h; ++y) {
    const uint8_t* a = image.data + size_t(y) * image.stride;
    const uint8_t* b = y + 1 < h ? a + image.stride : a;
    uint8_t* o0 = out.data() + size_t(2 * y) * ow;
    uint8_t* o1 = o0 + ow;
    for (int x = 0; x < w; ++x) {
      const int x1 = x + 1 < w ? x + 1 : x;
      o0[2 * x] = a[x];
      o0[2 * x + 1] = uint8_t((a[x] + a[x1] + 1) / 2);
      o1[2 * x] = uint8_t((a[x] + b[x] + 1) / 2);
      o1[2 * x + 1] = uint8_t((a[x] + a[x1] + b[x] + b[x1] + 2) / 4);
    }
  }
  return out;
}

std::vector<uint8_t> Inverted(GrayView image) {
  std::vector<uint8_t> inv(size_t(image.width) * image.height);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* src = image.data + size_t(y) * image.stride;
    uint8_t* dst = inv.data() + size_t(y) * image.width;
    for (int x = 0; x < image.width; ++x) dst[x] = uint8_t(255 - src[x]);
  }
  return inv;
}

// Unsharp mask: image + 2 (image - box blur of radius r). Steepens the edges a defocused lens
// rounds off, so that modules thinner than the blur separate again.
std::vector<uint8_t> Sharpened(GrayView image, int r) {
  const int w = image.width, h = image.height, n = 2 * r + 1;
  std::vector<uint16_t> rows(size_t(w) * h);
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = image.data + size_t(y) * image.stride;
    int sum = 0;
    for (int i = -r; i <= r; ++i) sum += src[std::clamp(i, 0, w - 1)];
    for (int x = 0; x < w; ++x) {
      rows[size_t(y) * w + x] = uint16_t(sum);
      sum += src[std::min(x + r + 1, w - 1)] - src[std::max(x - r, 0)];
    }
  }
  std::vector<uint8_t> out(size_t(w) * h);
  for (int x = 0; x < w; ++x) {
    int sum = 0;
    for (int i = -r; i <= r; ++i) sum += rows[size_t(std::clamp(i, 0, h - 1)) * w + x];
    for (int y = 0; y < h; ++y) {
      int blurred = sum / (n * n), v = image.data[size_t(y) * image.stride + x];
      out[size_t(y) * w + x] = uint8_t(std::clamp(3 * v - 2 * blurred, 0, 255));
      sum += rows[size_t(std::min(y + r + 1, h - 1)) * w + x] -
             rows[size_t(std::max(y - r, 0)) * w + x];
    }
  }
  return out;
}

}  // namespace

Result<QrSymbol> EncodeQr(std::string_view text, QrEcc ecc) {
  try {
    auto matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                      .setEncoding(ZXing::CharacterSet::UTF8)
                      .setEccLevel(ZxingEccLevel(ecc))
                      .setMargin(0)
                      .encode(std::string(text), 0, 0);
    QrSymbol s;
    s.size = matrix.width();
    s.version = (s.size - 17) / 4;
    s.dark.resize(size_t(s.size) * s.size);
    for (int y = 0; y < s.size; ++y)
      for (int x = 0; x < s.size; ++x) s.dark[size_t(y) * s.size + x] = matrix.get(x, y) ? 1 : 0;
    return s;
  } catch (const std::exception&) {
    return MakeError(ErrorCode::kInvalidArgument, "text does not fit in a QR code");
  }
}

GrayImage RenderQr(const QrSymbol& symbol, int module_px, int quiet_modules) {
  GrayImage img;
  int modules = symbol.size + 2 * quiet_modules;
  img.width = img.height = modules * module_px;
  img.pixels.assign(size_t(img.width) * img.height, 255);
  for (int y = 0; y < symbol.size; ++y)
    for (int x = 0; x < symbol.size; ++x) {
      if (!symbol.Dark(x, y)) continue;
      int px = (x + quiet_modules) * module_px, py = (y + quiet_modules) * module_px;
      for (int dy = 0; dy < module_px; ++dy)
        std::fill_n(&img.pixels[size_t(py + dy) * img.width + px], module_px, uint8_t{0});
    }
  return img;
}

std::vector<QrRead> DecodeQr(GrayView image, const QrDecodeOptions& options) {
  std::vector<QrRead> out;
  if (!image.data || image.width <= 0 || image.height <= 0 || image.stride < image.width)
    return out;
  ZXing::DecodeHints hints = QrHints();
  ZXing::ImageView view(image.data, image.width, image.height, ZXing::ImageFormat::Lum,
                        image.stride);
  // The common case (a readable code) costs exactly one ReadBarcodes; the retries below run
  // only on frames where it found nothing.
  if (Read(view, hints, out, 1)) return out;
  if (options.try_upscaled && std::max(image.width, image.height) <= kMaxUpscaledSide / 2) {
    std::vector<uint8_t> big = Doubled(image);
    ZXing::ImageView bv(big.data(), image.width * 2, image.height * 2, ZXing::ImageFormat::Lum);
    if (Read(bv, hints, out, 0.5)) return out;
  }
  if (!options.try_inverted && !options.try_global_threshold && !options.try_sharpened) return out;

  // Retries work on a half-size copy of a camera-sized frame: a frame without any code (the
  // usual kiosk frame) pays far less for them, and what they rescue (blur, inversion, low
  // contrast) has modules of several pixels, which survive halving.
  std::vector<uint8_t> half_buffer;
  GrayView small = image;
  int scale = 1;
  if (std::min(image.width, image.height) >= kHalveRetriesFrom) {
    half_buffer = Halved(image);
    small = {half_buffer.data(), image.width / 2, image.height / 2, image.width / 2};
    scale = 2;
  }
  ZXing::ImageView small_view(small.data, small.width, small.height, ZXing::ImageFormat::Lum,
                              small.stride);
  if (options.try_inverted) {
    std::vector<uint8_t> inverted = Inverted(small);
    ZXing::ImageView inv(inverted.data(), small.width, small.height, ZXing::ImageFormat::Lum);
    if (Read(inv, hints, out, scale)) return out;
  }
  if (options.try_global_threshold) {
    // Blur and low contrast defeat the local-average threshold first: a histogram threshold
    // over the whole image keeps blurred modules apart.
    hints.setBinarizer(ZXing::Binarizer::GlobalHistogram);
    if (Read(small_view, hints, out, scale)) return out;
    hints.setBinarizer(ZXing::Binarizer::LocalAverage);
  }
  if (options.try_sharpened) {
    std::vector<uint8_t> sharp = Sharpened(small, 2);
    ZXing::ImageView sv(sharp.data(), small.width, small.height, ZXing::ImageFormat::Lum);
    if (Read(sv, hints, out, scale)) return out;
  }
  return out;
}

}  // namespace shelter::core
