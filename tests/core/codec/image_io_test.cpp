// Image files: PNG/JPEG/PGM into luminance, PNG out, and refusal of damaged or oversized input.
#include "core/codec/image_io.hpp"

#include <doctest/doctest.h>
#include <stb_image_write.h>

#include <fstream>
#include <string>

#include "core/codec/qr_code.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/fixtures/image_transforms.hpp"

using namespace shelter::core;
using namespace shelter::test;

namespace {

Bytes WriteWithStb(int w, int h, int comp, const std::vector<uint8_t>& px, bool jpeg) {
  Bytes out;
  auto append = [](void* ctx, void* data, int size) {
    auto* o = static_cast<Bytes*>(ctx);
    o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (jpeg)
    REQUIRE(stbi_write_jpg_to_func(append, &out, w, h, comp, px.data(), 95));
  else
    REQUIRE(stbi_write_png_to_func(append, &out, w, h, comp, px.data(), w * comp));
  return out;
}

}  // namespace

TEST_CASE("image_io: grayscale PNG round trip, with a pHYs chunk for 300 dpi") {
  GrayImage img = Canvas(31, 17, 0);
  for (size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = uint8_t(i * 7);
  auto png = EncodePng(img.view(), 300);
  REQUIRE(png.ok());
  std::string s(png->begin(), png->end());
  auto phys = s.find("pHYs");
  REQUIRE(phys != std::string::npos);
  CHECK(uint8_t(s[phys + 4]) == 0);  // 11811 px/m = 0x00002E23
  CHECK(uint8_t(s[phys + 6]) == 0x2E);
  CHECK(uint8_t(s[phys + 7]) == 0x23);
  auto back = DecodeImage(View(*png));
  REQUIRE(back.ok());
  CHECK(back->width == 31);
  CHECK(back->height == 17);
  CHECK(back->pixels == img.pixels);
}

TEST_CASE("image_io: colour becomes luminance, transparency is composited over white") {
  // Pure red, green, blue, and a fully transparent black pixel.
  std::vector<uint8_t> rgba = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 0};
  auto img = DecodeImage(View(WriteWithStb(4, 1, 4, rgba, false)));
  REQUIRE(img.ok());
  CHECK(img->pixels == std::vector<uint8_t>{77, 149, 29, 255});
}

TEST_CASE("image_io: JPEG and binary PGM files decode, a QR survives the trip through a file") {
  TempDir dir;
  auto sym = EncodeQr("JSP1:IMAGE-FILE-TEST", QrEcc::kQ);
  REQUIRE(sym.ok());
  GrayImage code = RenderQr(*sym, 6);
  auto jpeg = WriteWithStb(code.width, code.height, 1, code.pixels, true);
  auto decoded = DecodeImage(View(jpeg));
  REQUIRE(decoded.ok());
  auto found = DecodeQr(decoded->view());
  REQUIRE(found.size() == 1);
  CHECK(found[0].text == "JSP1:IMAGE-FILE-TEST");

  std::string pgm = "P5\n# comment\n3 2\n255\n";
  pgm += std::string("\x00\x10\x20\x30\x40\xff", 6);
  auto g = DecodeImage(View(pgm));
  REQUIRE(g.ok());
  CHECK(g->pixels == std::vector<uint8_t>{0x00, 0x10, 0x20, 0x30, 0x40, 0xff});

  REQUIRE(WritePngFile(dir.Sub("code.png"), code.view(), 300).ok());
  auto file = ReadImageFile(dir.Sub("code.png"));
  REQUIRE(file.ok());
  CHECK(file->pixels == code.pixels);
  auto missing = ReadImageFile(dir.Sub("absent.png"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE("image_io: truncated, corrupt, foreign and oversized files are clear errors") {
  GrayImage img = Canvas(64, 64, 200);
  auto png = EncodePng(img.view());
  REQUIRE(png.ok());
  auto jpeg = WriteWithStb(64, 64, 1, img.pixels, true);
  for (size_t cut : {size_t(9), png->size() / 2, png->size() - 1}) {
    auto r = DecodeImage(ByteView(png->data(), cut));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  }
  for (size_t cut : {size_t(4), jpeg.size() / 2, jpeg.size() - 2}) {
    auto r = DecodeImage(ByteView(jpeg.data(), cut));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  }
  Bytes bad = *png;
  bad[bad.size() / 2] ^= 0xFF;  // inside the compressed data: CRC/zlib failure
  bad[bad.size() / 2 + 1] ^= 0xFF;
  CHECK_FALSE(DecodeImage(View(bad)).ok());
  CHECK_FALSE(DecodeImage(View(std::string("P5\n3 2\n255\nab"))).ok());  // short PGM

  auto gif = DecodeImage(View(std::string("GIF89a....")));
  REQUIRE_FALSE(gif.ok());
  CHECK(gif.error().code == ErrorCode::kUnsupported);
  CHECK(DecodeImage(ByteView()).error().code == ErrorCode::kUnsupported);

  // Dimensions are checked from the header before any pixel is allocated.
  auto huge = DecodeImage(View(std::string("P5\n100000 100000\n255\n")));
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code == ErrorCode::kInvalidArgument);
  ImageLimits small;
  small.max_pixels = 1000;
  auto limited = DecodeImage(View(*png), small);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().code == ErrorCode::kInvalidArgument);
}

// Regression: the sanitizer run of the fuzz replay found Debian's stb_image writing past its
// Huffman tables (257 and 256 entries) for a DHT segment whose code counts add up to more than
// 256. Such a file is refused before stb reads it, in stbi_info as in the decode.
TEST_CASE(
    "image_io: a JPEG whose Huffman table lists more than 256 codes is refused before stb reads "
    "it") {
  auto sym = EncodeQr("JSP1:DHT", QrEcc::kQ);
  REQUIRE(sym.ok());
  GrayImage code = RenderQr(*sym, 4);
  Bytes jpeg = WriteWithStb(code.width, code.height, 1, code.pixels, true);
  REQUIRE(DecodeImage(View(jpeg)).ok());
  // The first DHT segment: raise its 16-bit-code count so the counts add up to 300.
  size_t dht = 0;
  for (size_t i = 2; i + 1 < jpeg.size(); ++i)
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC4) {
      dht = i;
      break;
    }
  REQUIRE(dht > 0);
  Bytes bad = jpeg;
  size_t sum = 0;
  for (size_t i = 1; i <= 16; ++i) sum += bad[dht + 4 + i];
  bad[dht + 4 + 16] = uint8_t(bad[dht + 4 + 16] + (300 - sum));
  auto r = DecodeImage(View(bad));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kParse);
  CHECK(r.error().detail.find("Huffman table") != std::string::npos);
  // A table that runs past its segment is refused too.
  Bytes cut = jpeg;
  cut[dht + 2] = 0;
  cut[dht + 3] = 10;  // 8 bytes of payload: not even the 17-byte table header
  CHECK_FALSE(DecodeImage(View(cut)).ok());
}

// Regression: the fuzz replay under UBSan found stb's PNM header reader overflowing an int on a
// ten-digit width. Such a header is refused before stb reads it.
TEST_CASE("image_io: a PGM header number of ten digits is refused before stb reads it") {
  std::string pgm = "P5\n6553565536 1\n255\n";
  pgm += std::string(16, '\x10');
  auto r = DecodeImage(View(pgm));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kParse);
  std::string ok = "P5\n2 1\n255\n";
  ok += std::string("\x10\x20", 2);
  CHECK(DecodeImage(View(ok)).ok());
}
