#include "core/codec/cbor.hpp"

namespace shelter::core::cbor {
namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = static_cast<uint8_t>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else
      return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      uint8_t cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

struct Decoder {
  ByteView in;
  size_t pos = 0;
  size_t items = 0;
  const DecodeLimits& limits;

  Error Fail(const char* what) const {
    return MakeError(ErrorCode::kParse,
                     std::string("CBOR: ") + what + " at byte " + std::to_string(pos));
  }

  Result<uint64_t> ReadArg(uint8_t info) {
    if (info < 24) return static_cast<uint64_t>(info);
    size_t n;
    switch (info) {
      case 24: n = 1; break;
      case 25: n = 2; break;
      case 26: n = 4; break;
      case 27: n = 8; break;
      default: return Fail("indefinite length or reserved value");
    }
    if (in.size() - pos < n) return Fail("truncated");
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | in[pos + i];
    pos += n;
    return v;
  }

  Result<Item> Read(size_t depth) {
    if (depth > limits.max_depth) return Fail("nesting too deep");
    if (++items > limits.max_items) return Fail("too many items");
    if (pos >= in.size()) return Fail("truncated");
    uint8_t head = in[pos++];
    uint8_t major = head >> 5, info = head & 31;
    if (major == 7) {
      switch (info) {
        case 20: return Item(false);
        case 21: return Item(true);
        case 22: return Item(Null{});
        default: return Fail("unsupported simple value or float");
      }
    }
    SHELTER_ASSIGN_OR_RETURN(uint64_t arg, ReadArg(info));
    switch (major) {
      case 0:
        if (arg > static_cast<uint64_t>(INT64_MAX)) return Fail("integer out of range");
        return Item(static_cast<int64_t>(arg));
      case 1:
        if (arg > static_cast<uint64_t>(INT64_MAX)) return Fail("integer out of range");
        return Item(-1 - static_cast<int64_t>(arg));
      case 2:
      case 3: {
        if (arg > in.size() - pos) return Fail("truncated string");
        auto p = in.data() + pos;
        pos += arg;
        if (major == 2) return Item(Bytes(p, p + arg));
        std::string s(reinterpret_cast<const char*>(p), arg);
        if (!ValidUtf8(s)) return Fail("invalid UTF-8 in text string");
        return Item(std::move(s));
      }
      case 4: {
        if (arg > in.size() - pos) return Fail("array longer than input");
        Array a;
        a.reserve(arg);
        for (uint64_t i = 0; i < arg; ++i) {
          SHELTER_ASSIGN_OR_RETURN(Item it, Read(depth + 1));
          a.push_back(std::move(it));
        }
        return Item(std::move(a));
      }
      case 5: {
        if (arg > (in.size() - pos) / 2) return Fail("map longer than input");
        Map m;
        m.reserve(arg);
        for (uint64_t i = 0; i < arg; ++i) {
          SHELTER_ASSIGN_OR_RETURN(Item k, Read(depth + 1));
          SHELTER_ASSIGN_OR_RETURN(Item v, Read(depth + 1));
          m.emplace_back(std::move(k), std::move(v));
        }
        return Item(std::move(m));
      }
      case 6: {
        SHELTER_ASSIGN_OR_RETURN(Item inner, Read(depth + 1));
        return Item::Tag(arg, std::move(inner));
      }
    }
    return Fail("unknown major type");
  }
};

}  // namespace

const Item* Item::Find(int64_t key) const {
  if (auto* m = as_map())
    for (auto& [k, val] : *m)
      if (auto* i = k.as_int(); i && *i == key) return &val;
  return nullptr;
}

const Item* Item::Find(std::string_view key) const {
  if (auto* m = as_map())
    for (auto& [k, val] : *m)
      if (auto* t = k.as_text(); t && *t == key) return &val;
  return nullptr;
}

bool operator==(const Item& a, const Item& b) { return Encode(a) == Encode(b); }

void EncodeHead(uint8_t major, uint64_t arg, Bytes& out) {
  uint8_t m = static_cast<uint8_t>(major << 5);
  if (arg < 24) {
    out.push_back(m | static_cast<uint8_t>(arg));
    return;
  }
  int n = arg <= 0xFF ? 1 : arg <= 0xFFFF ? 2 : arg <= 0xFFFFFFFFull ? 4 : 8;
  out.push_back(m | static_cast<uint8_t>(n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27));
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(arg >> (8 * i)));
}

void EncodeTo(const Item& item, Bytes& out) {
  struct Visitor {
    Bytes& out;
    void operator()(const Null&) { out.push_back(0xF6); }
    void operator()(bool b) { out.push_back(b ? 0xF5 : 0xF4); }
    void operator()(int64_t i) {
      if (i >= 0)
        EncodeHead(0, static_cast<uint64_t>(i), out);
      else
        EncodeHead(1, static_cast<uint64_t>(-1 - i), out);
    }
    void operator()(const Bytes& b) {
      EncodeHead(2, b.size(), out);
      Append(out, View(b));
    }
    void operator()(const std::string& s) {
      EncodeHead(3, s.size(), out);
      Append(out, View(s));
    }
    void operator()(const Array& a) {
      EncodeHead(4, a.size(), out);
      for (auto& x : a) EncodeTo(x, out);
    }
    void operator()(const Map& m) {
      EncodeHead(5, m.size(), out);
      for (auto& [k, v] : m) {
        EncodeTo(k, out);
        EncodeTo(v, out);
      }
    }
    void operator()(const Tagged& t) {
      EncodeHead(6, t.tag, out);
      EncodeTo(*t.item, out);
    }
  };
  std::visit(Visitor{out}, item.v);
}

Bytes Encode(const Item& item) {
  Bytes out;
  EncodeTo(item, out);
  return out;
}

Result<Item> DecodePrefix(ByteView& in, const DecodeLimits& limits) {
  Decoder d{in, 0, 0, limits};
  SHELTER_ASSIGN_OR_RETURN(Item it, d.Read(0));
  in = in.substr(d.pos);
  return it;
}

Result<Item> Decode(ByteView in, const DecodeLimits& limits) {
  Decoder d{in, 0, 0, limits};
  SHELTER_ASSIGN_OR_RETURN(Item it, d.Read(0));
  if (d.pos != in.size()) return d.Fail("trailing bytes");
  return it;
}

}  // namespace shelter::core::cbor
