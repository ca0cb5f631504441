// shelter-photo: a phone's photo of a screen, made from a screenshot for the tests: the screen
// tilted in perspective into a 1600x1200 camera frame of darker surroundings, shrunk to about two
// thirds, then blurred, unevenly lit, noisy and JPEG-compressed (tools/fixtures). A test fixture,
// not a benchmark; writes a grayscale PNG.
// Usage: shelter-photo SCREENSHOT.png PHOTO.png
#include <cstdio>

#include "core/codec/image_io.hpp"
#include "tools/fixtures/image_transforms.hpp"

using namespace shelter;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: shelter-photo SCREENSHOT.png PHOTO.png\n");
    return 2;
  }
  auto screen = core::ReadImageFile(argv[1]);
  if (!screen.ok()) {
    std::fprintf(stderr, "shelter-photo: %s\n", screen.error().ToString().c_str());
    return 1;
  }
  core::GrayImage photo = test::Canvas(1600, 1200, 90);
  // The 1280x800 screen seen from a little to the left and below: ~870 px wide, a trapezoid.
  const test::Point2 quad[4] = {{400, 330}, {1250, 290}, {1290, 860}, {370, 910}};
  test::PlaceQuad(photo, *screen, quad);
  test::GaussianBlur(photo, 1.2);
  test::LightingGradient(photo, 1.1, 0.75);
  test::AddNoise(photo, 6, 42);
  photo = test::JpegRoundTrip(photo, 80);
  if (auto w = core::WritePngFile(argv[2], photo.view()); !w.ok()) {
    std::fprintf(stderr, "shelter-photo: %s\n", w.error().ToString().c_str());
    return 1;
  }
  return 0;
}
