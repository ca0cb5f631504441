#include "core/codec/compress.hpp"

#include <zlib.h>

namespace shelter::core {

Bytes ZlibCompress(ByteView in, int level) {
  uLongf len = compressBound(in.size());
  Bytes out(len);
  if (compress2(out.data(), &len, in.data(), in.size(), level) != Z_OK) return {};
  out.resize(len);
  return out;
}

Result<Bytes> ZlibDecompress(ByteView in, size_t max_out) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return MakeError(ErrorCode::kInternal, "zlib init failed");
  Bytes out;
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out.size() > max_out) break;
    size_t old = out.size();
    size_t chunk = std::min<size_t>(65536, max_out + 1 - old);
    out.resize(old + chunk);
    zs.next_out = out.data() + old;
    zs.avail_out = static_cast<uInt>(chunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + chunk - zs.avail_out);
  }
  inflateEnd(&zs);
  if (out.size() > max_out)
    return MakeError(ErrorCode::kParse, "compressed data exceeds the size limit");
  if (rc != Z_STREAM_END || zs.avail_in != 0)
    return MakeError(ErrorCode::kParse, "not valid zlib data");
  return out;
}

}  // namespace shelter::core
