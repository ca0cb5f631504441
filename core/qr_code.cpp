// Adapter over ZXing-cpp 1.4: its writer throws on oversized input, which becomes a Result here.
#define ZX_USE_UTF8 1
#include "core/qr_code.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

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

std::vector<QrRead> DecodeQr(GrayView image) {
  std::vector<QrRead> out;
  if (!image.data || image.width <= 0 || image.height <= 0 || image.stride < image.width)
    return out;
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  ZXing::ImageView view(image.data, image.width, image.height, ZXing::ImageFormat::Lum, image.stride);
  try {
    for (auto& r : ZXing::ReadBarcodes(view, hints)) {
      if (!r.isValid()) continue;
      QrRead q;
      q.text = r.text();
      auto& p = r.position();
      for (int i = 0; i < 4; ++i) {
        q.corners[i][0] = p[i].x;
        q.corners[i][1] = p[i].y;
      }
      out.push_back(std::move(q));
    }
  } catch (const std::exception&) {
    // ZXing does not document throwing from the reader; treat it as "nothing found".
  }
  return out;
}

}  // namespace shelter::core
