#include <doctest/doctest.h>

#include <string>

#include "core/codec/qr_code.hpp"

using namespace shelter::core;

TEST_CASE("qr: an encoded symbol decodes back from its rendered image") {
  std::string text = "JSP1:" + std::string(215, 'A');  // 220 alphanumeric characters
  auto sym = EncodeQr(text, QrEcc::kQ);
  REQUIRE(sym.ok());
  CHECK(sym->version == 10);  // the JSP1 budget: 220 alphanumeric characters fill V10 at Q
  auto img = RenderQr(*sym, 3);
  CHECK(img.width == (sym->size + 8) * 3);
  auto found = DecodeQr(img.view());
  REQUIRE(found.size() == 1);
  CHECK(found[0].text == text);
}

TEST_CASE("qr: UTF-8 text survives in byte mode") {
  std::string text = "避難所 shelter ✓";
  auto sym = EncodeQr(text, QrEcc::kM);
  REQUIRE(sym.ok());
  auto found = DecodeQr(RenderQr(*sym, 4).view());
  REQUIRE(found.size() == 1);
  CHECK(found[0].text == text);
}

TEST_CASE("qr: text beyond version 40 is an error, an empty image finds nothing") {
  auto r = EncodeQr(std::string(5000, '7'), QrEcc::kH);
  CHECK_FALSE(r.ok());
  GrayImage blank;
  blank.width = blank.height = 64;
  blank.pixels.assign(64 * 64, 255);
  CHECK(DecodeQr(blank.view()).empty());
  CHECK(DecodeQr(GrayView{}).empty());
}
