// Image files over Debian's libstb (stb_image, stb_image_write). stb decodes many formats and
// is lenient about damaged files, so this adapter admits only PNG, JPEG and binary PNM by their
// signatures, checks the dimensions from the header before stb allocates anything, and checks
// the container structure itself (PNG chunk chain up to IEND, JPEG markers up to EOI) so that a
// truncated file is an error rather than an image with a grey bottom half.
#include "core/codec/image_io.hpp"

#include <stb_image.h>
#include <stb_image_write.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string_view>
#include <system_error>

namespace shelter::core {
namespace {

enum class Kind { kPng, kJpeg, kPnm, kOther };

Kind Sniff(ByteView b) {
  static const uint8_t kPngSig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (b.size() >= 8 && std::memcmp(b.data(), kPngSig, 8) == 0) return Kind::kPng;
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Kind::kJpeg;
  if (b.size() >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) return Kind::kPnm;
  return Kind::kOther;
}

uint32_t Be32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

// Walks the chunk chain; true when it reaches IEND inside the buffer.
bool PngComplete(ByteView b) {
  size_t pos = 8;
  while (pos + 12 <= b.size()) {
    uint32_t len = Be32(&b[pos]);
    if (len > b.size() - pos - 12) return false;
    if (std::memcmp(&b[pos + 4], "IEND", 4) == 0) return true;
    pos += 12 + size_t(len);
  }
  return false;
}

// Walks the marker segments to the first scan, then looks for EOI after it. Inside entropy-
// coded data 0xFF is always followed by 0x00 or a restart marker, so FF D9 there is the end.
bool JpegComplete(ByteView b) {
  size_t pos = 2;
  while (pos + 4 <= b.size()) {
    if (b[pos] != 0xFF) return false;
    uint8_t m = b[pos + 1];
    if (m == 0xFF) {
      ++pos;
      continue;
    }  // fill byte
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
      pos += 2;
      continue;
    }
    if (m == 0xD9) return false;  // EOI before any scan
    size_t len = size_t(b[pos + 2]) << 8 | b[pos + 3];
    if (len < 2) return false;
    pos += 2 + len;
    if (m == 0xDA) {
      for (; pos + 1 < b.size(); ++pos)
        if (b[pos] == 0xFF && b[pos + 1] == 0xD9) return true;
      return false;
    }
  }
  return false;
}

// Debian's stb_image (2.27) builds a Huffman table from the 16 code counts of a DHT segment
// without checking that they add up to at most 256 symbols, and then writes that many entries
// into tables of 257 and 256 bytes: a crafted JPEG overwrites the decoder's memory. This walks
// every marker segment of the file (scans included: a progressive JPEG defines tables between
// them) and refuses a table that lists more than 256 codes or runs past its segment, before stb
// reads a byte of it (stbi_info already parses the tables before the frame header).
bool JpegHuffmanTablesFit(ByteView b) {
  size_t pos = 2;
  while (pos + 4 <= b.size()) {
    if (b[pos] != 0xFF) {  // entropy-coded data: to the next marker (FF 00 and RSTn belong to it)
      ++pos;
      continue;
    }
    const uint8_t m = b[pos + 1];
    if (m == 0xFF || m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
      pos += (m == 0xFF) ? 1 : 2;
      continue;
    }
    if (m == 0xD9) return true;  // EOI
    const size_t len = size_t(b[pos + 2]) << 8 | b[pos + 3];
    if (len < 2) return true;  // not a segment stb can read: JpegComplete or stb refuses it
    const size_t end = std::min(b.size(), pos + 2 + len);
    if (m == 0xC4) {
      for (size_t t = pos + 4; t < end;) {
        if (t + 17 > end) return false;
        size_t codes = 0;
        for (size_t i = 1; i <= 16; ++i) codes += b[t + i];
        if (codes > 256 || t + 17 + codes > end) return false;
        t += 17 + codes;
      }
    }
    pos += 2 + len;
  }
  return true;
}

// Reads the P5/P6 header's three numbers (with comments and whitespace) and the whitespace byte
// after them; `pos` ends at the pixels. At most 9 digits a number: stb's own header reader
// multiplies an int by 10 per digit and would overflow on a longer one, so this runs first.
bool PnmHeader(ByteView b, uint64_t (&v)[3], size_t& pos) {
  pos = 2;
  for (auto& value : v) {
    value = 0;
    for (;;) {  // whitespace and comments
      if (pos >= b.size()) return false;
      if (b[pos] == '#') {
        while (pos < b.size() && b[pos] != '\n') ++pos;
      } else if (b[pos] == ' ' || (b[pos] >= '\t' && b[pos] <= '\r')) {
        ++pos;
      } else {
        break;
      }
    }
    if (b[pos] < '0' || b[pos] > '9') return false;
    for (int digits = 0; pos < b.size() && b[pos] >= '0' && b[pos] <= '9'; ++digits) {
      if (digits == 9) return false;
      value = value * 10 + (b[pos++] - '0');
    }
  }
  if (pos >= b.size() || v[2] == 0 || v[2] > 65535) return false;
  ++pos;  // the single whitespace byte before the pixels
  return true;
}

// Checks that the pixel data after the header is complete; stb would pad a short file silently.
bool PnmComplete(ByteView b) {
  uint64_t v[3];
  size_t pos = 0;
  if (!PnmHeader(b, v, pos)) return false;
  const uint64_t need = v[0] * v[1] * (b[1] == '6' ? 3 : 1) * (v[2] > 255 ? 2 : 1);
  return b.size() - pos >= need;
}

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kPng: return "PNG";
    case Kind::kJpeg: return "JPEG";
    case Kind::kPnm: return "PGM/PPM";
    case Kind::kOther: break;
  }
  return "image";
}

struct StbFree {
  void operator()(uint8_t* p) const { stbi_image_free(p); }
};

void AppendToBytes(void* context, void* data, int size) {
  auto* out = static_cast<Bytes*>(context);
  auto* p = static_cast<const uint8_t*>(data);
  out->insert(out->end(), p, p + size);
}

// A pHYs chunk (pixels per metre, both axes) spliced in after IHDR.
void InsertPhys(Bytes& png, int dpi) {
  uint32_t ppm = uint32_t(dpi / 0.0254 + 0.5);
  uint8_t chunk[21] = {0, 0, 0, 9, 'p', 'H', 'Y', 's'};
  for (int axis = 0; axis < 2; ++axis)
    for (int i = 0; i < 4; ++i) chunk[8 + axis * 4 + i] = uint8_t(ppm >> (24 - 8 * i));
  chunk[16] = 1;  // unit: metre
  uint32_t crc = uint32_t(crc32(0, chunk + 4, 13));
  for (int i = 0; i < 4; ++i) chunk[17 + i] = uint8_t(crc >> (24 - 8 * i));
  const size_t after_ihdr = 8 + 8 + 13 + 4;
  png.insert(png.begin() + after_ihdr, chunk, chunk + sizeof chunk);
}

}  // namespace

Result<GrayImage> DecodeImage(ByteView bytes, const ImageLimits& limits) {
  Kind kind = Sniff(bytes);
  if (kind == Kind::kOther)
    return MakeError(ErrorCode::kUnsupported, "not a PNG, JPEG or binary PGM/PPM image");
  if (bytes.size() > size_t(INT32_MAX))
    return MakeError(ErrorCode::kInvalidArgument, "image file too large");
  const int len = int(bytes.size());
  if (kind == Kind::kPnm) {  // read here before stb reads it (see PnmHeader)
    uint64_t v[3];
    size_t at = 0;
    if (!PnmHeader(bytes, v, at)) return MakeError(ErrorCode::kParse, "corrupt PGM/PPM header");
  }
  if (kind == Kind::kJpeg && !JpegHuffmanTablesFit(bytes))
    return MakeError(ErrorCode::kParse, "corrupt JPEG (a Huffman table lists more codes than fit)");
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(bytes.data(), len, &w, &h, &channels))
    return MakeError(ErrorCode::kParse, std::string("corrupt ") + KindName(kind) + " header");
  if (w <= 0 || h <= 0 || w > limits.max_side || h > limits.max_side ||
      int64_t(w) * h > limits.max_pixels)
    return MakeError(ErrorCode::kInvalidArgument, "image dimensions " + std::to_string(w) + "x" +
                                                      std::to_string(h) + " exceed the limit");

  if (kind == Kind::kPng && !PngComplete(bytes))
    return MakeError(ErrorCode::kParse, "truncated or corrupt PNG (chunks end before IEND)");
  if (kind == Kind::kPnm && !PnmComplete(bytes))
    return MakeError(ErrorCode::kParse, "truncated or corrupt PGM/PPM (short pixel data)");
  if (kind == Kind::kJpeg && !JpegComplete(bytes))
    return MakeError(ErrorCode::kParse,
                     "truncated or corrupt JPEG (no end of image after the scan)");

  int dw = 0, dh = 0;
  std::unique_ptr<uint8_t, StbFree> px(
      stbi_load_from_memory(bytes.data(), len, &dw, &dh, &channels, 0));
  if (!px) {
    const char* why = stbi_failure_reason();
    return MakeError(ErrorCode::kParse, std::string("corrupt ") + KindName(kind) + " data" +
                                            (why ? std::string(" (") + why + ")" : ""));
  }
  if (dw != w || dh != h || channels < 1 || channels > 4)
    return MakeError(ErrorCode::kParse, std::string("inconsistent ") + KindName(kind) + " header");

  GrayImage img;
  img.width = w;
  img.height = h;
  const size_t n = size_t(w) * h;
  img.pixels.resize(n);
  const uint8_t* s = px.get();
  for (size_t i = 0; i < n; ++i, s += channels) {
    unsigned lum, alpha = 255;
    if (channels <= 2) {
      lum = s[0];
      if (channels == 2) alpha = s[1];
    } else {
      lum = (77u * s[0] + 150u * s[1] + 29u * s[2] + 128u) >> 8;
      if (channels == 4) alpha = s[3];
    }
    img.pixels[i] = uint8_t((lum * alpha + 255u * (255u - alpha) + 127u) / 255u);
  }
  return img;
}

Result<GrayImage> ReadImageFile(const std::string& path, const ImageLimits& limits) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return MakeError(ErrorCode::kNotFound, "cannot open image file " + path);
  // A compressed file can hardly be larger than its pixels; this bounds the read.
  if (size > uint64_t(limits.max_pixels) * 4 + (1u << 20))
    return MakeError(ErrorCode::kInvalidArgument, "image file too large: " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open image file " + path);
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return MakeError(ErrorCode::kIo, "cannot read image file " + path);
  auto img = DecodeImage(View(data), limits);
  if (!img.ok()) return MakeError(img.error().code, path + ": " + img.error().detail);
  return img;
}

Result<Bytes> EncodePng(GrayView image, int dpi) {
  if (!image.data || image.width <= 0 || image.height <= 0 || image.stride < image.width)
    return MakeError(ErrorCode::kInvalidArgument, "empty image");
  Bytes out;
  if (!stbi_write_png_to_func(AppendToBytes, &out, image.width, image.height, 1, image.data,
                              image.stride) ||
      out.size() < 33)
    return MakeError(ErrorCode::kInternal, "PNG encoder failed");
  if (dpi > 0) InsertPhys(out, dpi);
  return out;
}

Status WritePngFile(const std::string& path, GrayView image, int dpi) {
  SHELTER_ASSIGN_OR_RETURN(Bytes png, EncodePng(image, dpi));
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError(ErrorCode::kIo, "cannot create " + path);
    out.write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return MakeError(ErrorCode::kIo, "cannot write " + path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot write " + path);
  }
  return Ok();
}

}  // namespace shelter::core
