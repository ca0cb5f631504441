// Specifies core/codec/qr_code.
// QR reading under real conditions, built from clean renders: rotation, perspective, blur, low
// contrast with noise, tiny modules, inverted, several codes in one frame, and a photographed
// printed pass. Every case must give back the exact text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/codec/qr_code.hpp"
#include "tools/fixtures/image_transforms.hpp"

using namespace shelter::core;
using namespace shelter::test;

namespace {

constexpr int kFrameW = 1280, kFrameH = 720;

// A shelter-pass-sized payload (Base45 alphabet, V10 at Q).
std::string PassText(uint32_t seed) {
  static const char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  std::mt19937 rng(seed);
  std::string s = "JSP1:";
  for (int i = 0; i < 200; ++i) s += kAlphabet[rng() % 45];
  return s;
}

GrayImage Render(const std::string& text, int module_px, QrEcc ecc = QrEcc::kQ) {
  auto sym = EncodeQr(text, ecc);
  REQUIRE(sym.ok());
  return RenderQr(*sym, module_px);
}

// The code drawn into a 1280×720 frame: `module_px` pixels per module after scaling, rotated.
GrayImage FrameWith(const GrayImage& code, double scale, double degrees, double cx = kFrameW / 2.0,
                    double cy = kFrameH / 2.0, uint8_t background = 190) {
  GrayImage frame = Canvas(kFrameW, kFrameH, background);
  Point2 quad[4];
  RotatedQuad(code.width, code.height, scale, degrees, cx, cy, quad);
  PlaceQuad(frame, code, quad);
  return frame;
}

// A square card turned by pitch, yaw and roll (degrees) about its centre, projected through a
// pinhole camera (focal length 900 px) placed where the card would span `side` pixels face-on.
void TiltedQuad(double pitch, double yaw, double roll, double side, Point2 out[4]) {
  const double r = M_PI / 180, cp = std::cos(pitch * r), sp = std::sin(pitch * r);
  const double cy = std::cos(yaw * r), sy = std::sin(yaw * r), cr = std::cos(roll * r),
               sr = std::sin(roll * r);
  const double focal = 900, distance = focal;
  const double local[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
  for (int i = 0; i < 4; ++i) {
    double x = local[i][0] * side / 2, y = local[i][1] * side / 2, z = 0;
    double x1 = x * cr - y * sr, y1 = x * sr + y * cr;       // roll
    double y2 = y1 * cp - z * sp, z2 = y1 * sp + z * cp;     // pitch
    double x3 = x1 * cy + z2 * sy, z3 = -x1 * sy + z2 * cy;  // yaw
    out[i] = {kFrameW / 2.0 + focal * x3 / (distance + z3),
              kFrameH / 2.0 + focal * y2 / (distance + z3)};
  }
}

std::vector<std::string> Texts(const GrayImage& img, const QrDecodeOptions& options = {}) {
  std::vector<std::string> out;
  for (auto& r : DecodeQr(img.view(), options)) out.push_back(r.text);
  return out;
}

}  // namespace

TEST_CASE("qr hard cases: rotated by arbitrary angles") {
  const std::string text = PassText(1);
  const GrayImage code = Render(text, 8);
  for (double deg : {7.0, 33.0, 45.0, 128.0, 200.0, 291.0}) {
    CAPTURE(deg);
    GrayImage frame = FrameWith(code, 0.5, deg);  // 4 px per module
    CHECK(Texts(frame) == std::vector<std::string>{text});
  }
}

TEST_CASE("qr hard cases: perspective-skewed (a card tilted away from the camera)") {
  const std::string text = PassText(2);
  const GrayImage code = Render(text, 8);
  struct Tilt {
    double pitch, yaw, roll;
  };
  for (Tilt t : {Tilt{40, 0, 0}, Tilt{0, 45, 0}, Tilt{35, 30, 15}, Tilt{-50, 10, -20}}) {
    CAPTURE(t.pitch);
    CAPTURE(t.yaw);
    GrayImage frame = Canvas(kFrameW, kFrameH, 185);
    Point2 quad[4];
    TiltedQuad(t.pitch, t.yaw, t.roll, 280, quad);
    PlaceQuad(frame, code, quad);
    CHECK(Texts(frame) == std::vector<std::string>{text});
  }
}

TEST_CASE("qr hard cases: blurred (out of focus)") {
  const std::string text = PassText(3);
  const GrayImage code = Render(text, 10);
  for (double sigma : {1.5, 2.5}) {  // module 5 px: sigma up to half a module
    CAPTURE(sigma);
    GrayImage frame = FrameWith(code, 0.5, 12);
    GaussianBlur(frame, sigma);
    CHECK(Texts(frame) == std::vector<std::string>{text});
    if (sigma > 2) {  // this one needs the sharpened retry
      QrDecodeOptions plain;
      plain.try_sharpened = false;
      CHECK(DecodeQr(frame.view(), plain).empty());
    }
  }
}

TEST_CASE("qr hard cases: low contrast with sensor noise") {
  const std::string text = PassText(4);
  GrayImage frame = FrameWith(Render(text, 8), 0.5, 20);
  SetContrast(frame, 105, 150);  // 45 grey levels between ink and paper
  AddNoise(frame, 7, 44);
  CHECK(Texts(frame) == std::vector<std::string>{text});
}

TEST_CASE("qr hard cases: small (2 and 1.6 pixels per module, 1.5 with upscaling)") {
  const std::string text = PassText(5);
  const GrayImage code = Render(text, 16);
  QrDecodeOptions upscale;
  upscale.try_upscaled = true;
  for (double px_per_module : {2.0, 1.6, 1.5}) {
    CAPTURE(px_per_module);
    GrayImage frame = FrameWith(code, px_per_module / 16, 0, 300, 400);
    AddNoise(frame, 2, 55);
    if (px_per_module >= 1.6) CHECK(Texts(frame) == std::vector<std::string>{text});
    auto found = DecodeQr(frame.view(), upscale);
    REQUIRE(found.size() == 1);
    CHECK(found[0].text == text);
    CHECK(found[0].corners[0][0] > 280 - 60);  // corners back in frame coordinates
    CHECK(found[0].corners[0][0] < 300);
  }
}

TEST_CASE("qr hard cases: inverted (light modules on a dark screen)") {
  const std::string text = PassText(6);
  GrayImage frame = FrameWith(Render(text, 8), 0.5, 9, 640, 360, 255);
  Invert(frame);
  CHECK(Texts(frame) == std::vector<std::string>{text});
  QrDecodeOptions plain;
  plain.try_inverted = false;
  CHECK(DecodeQr(frame.view(), plain).empty());  // ZXing 1.4 alone does not read it
}

TEST_CASE("qr hard cases: three codes in one 1280x720 frame") {
  const std::string a = PassText(7), b = PassText(8), c = "JPR1:" + PassText(9).substr(5, 120);
  GrayImage frame = Canvas(kFrameW, kFrameH, 200);
  Point2 quad[4];
  const GrayImage ca = Render(a, 8), cb = Render(b, 8), cc = Render(c, 8, QrEcc::kM);
  RotatedQuad(ca.width, ca.height, 0.45, 0, 230, 360, quad);
  PlaceQuad(frame, ca, quad);
  RotatedQuad(cb.width, cb.height, 0.45, 25, 640, 330, quad);
  PlaceQuad(frame, cb, quad);
  RotatedQuad(cc.width, cc.height, 0.5, -60, 1050, 380, quad);
  PlaceQuad(frame, cc, quad);
  AddNoise(frame, 3, 77);
  auto found = Texts(frame);
  std::sort(found.begin(), found.end());
  std::vector<std::string> want = {a, b, c};
  std::sort(want.begin(), want.end());
  CHECK(found == want);
}

TEST_CASE("qr hard cases: a phone photo of a printed pass") {
  // The pass: QR, a caption block and a border on an off-white card, as the sheet prints it.
  const std::string text = PassText(10);
  const GrayImage code = Render(text, 8);
  GrayImage pass = Canvas(code.width + 80, code.height + 200, 245);
  for (int y = 0; y < code.height; ++y)
    for (int x = 0; x < code.width; ++x)
      pass.pixels[size_t(y + 40) * pass.width + x + 40] =
          code.pixels[size_t(y) * code.width + x] ? 245 : 20;
  for (int y = code.height + 70; y < code.height + 110; ++y)  // caption "text" strokes
    for (int x = 60; x < pass.width - 60; ++x)
      if ((x / 9) % 3 != 2) pass.pixels[size_t(y) * pass.width + x] = 40;
  for (int x = 0; x < pass.width; ++x)
    pass.pixels[x] = pass.pixels[size_t(pass.height - 1) * pass.width + x] = 90;

  GrayImage frame = Canvas(kFrameW, kFrameH, 120);  // a table
  AddNoise(frame, 12, 5);
  const Point2 quad[4] = {{470, 90}, {860, 130}, {880, 650}, {430, 620}};  // hand-held, tilted
  PlaceQuad(frame, pass, quad);
  LightingGradient(frame, 1.05, 0.55);  // lamp on one side, shadow on the other
  GaussianBlur(frame, 1.2);
  AddNoise(frame, 5, 6);
  frame = JpegRoundTrip(frame, 70);
  CHECK(Texts(frame) == std::vector<std::string>{text});
}
