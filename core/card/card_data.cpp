#include "core/card/card_data.hpp"

#include <algorithm>
#include <array>

#include "core/base/crypto.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {

namespace {

constexpr uint32_t kTagBasicInfo = 0xFF20;
constexpr uint32_t kTagOffsets = 0xDF21;
constexpr uint32_t kTagName = 0xDF22;  // then DF23 address, DF24 birth date
constexpr uint32_t kTagSex = 0xDF25;
constexpr uint32_t kTagIntegrity = 0xFF30;
constexpr uint32_t kTagMyNumberDigest = 0xDF31;
constexpr uint32_t kTagBasicInfoDigest = 0xDF32;

constexpr size_t kMaxNameBytes = 512;
constexpr size_t kMaxAddressBytes = 1024;
constexpr size_t kMaxShortFieldBytes = 16;

Error ParseError(std::string detail) { return MakeError(ErrorCode::kParse, std::move(detail)); }

// One BER-TLV element of `data` starting at `pos`.
struct Tlv {
  uint32_t tag = 0;
  size_t start = 0;  // offset of the tag in `data`
  size_t value_start = 0;
  size_t value_size = 0;
  size_t end() const { return value_start + value_size; }
};

// Reads the tag and length at `pos`. Returns kNotFound when `data` ends inside the header and
// kParse for a form the card never uses (tags over 3 bytes, indefinite or > 2-byte lengths).
Result<Tlv> ReadHeader(ByteView data, size_t pos) {
  Tlv t;
  t.start = pos;
  auto need = [&](size_t n) { return pos + n <= data.size(); };
  if (!need(1)) return MakeError(ErrorCode::kNotFound, "TLV header truncated");
  t.tag = data[pos++];
  if ((t.tag & 0x1F) == 0x1F) {
    for (int i = 0;; ++i) {
      if (i == 2) return ParseError("TLV tag longer than 3 bytes");
      if (!need(1)) return MakeError(ErrorCode::kNotFound, "TLV header truncated");
      uint8_t b = data[pos++];
      t.tag = (t.tag << 8) | b;
      if (!(b & 0x80)) break;
    }
  }
  if (!need(1)) return MakeError(ErrorCode::kNotFound, "TLV header truncated");
  uint8_t l0 = data[pos++];
  if (l0 < 0x80) {
    t.value_size = l0;
  } else if (l0 == 0x81 || l0 == 0x82) {
    size_t n = l0 & 0x7F;
    if (!need(n)) return MakeError(ErrorCode::kNotFound, "TLV header truncated");
    for (size_t i = 0; i < n; ++i) t.value_size = (t.value_size << 8) | data[pos++];
  } else {
    return ParseError("TLV length form not used by the card");
  }
  t.value_start = pos;
  return t;
}

// Reads a whole element; kParse when its value runs past the end of `data`.
Result<Tlv> ReadTlv(ByteView data, size_t pos) {
  auto t = ReadHeader(data, pos);
  if (!t.ok()) return ParseError(t.error().detail);
  if (t->value_size > data.size() - t->value_start) return ParseError("TLV value truncated");
  return t;
}

// Walks the elements inside [begin, end) of `data`, stopping at 00/FF filler.
template <typename Fn>
Status ForEachChild(ByteView data, size_t begin, size_t end, Fn&& fn) {
  ByteView scope = data.substr(0, end);
  for (size_t pos = begin; pos < end;) {
    if (data[pos] == 0x00 || data[pos] == 0xFF) break;
    SHELTER_ASSIGN_OR_RETURN(Tlv child, ReadTlv(scope, pos));
    SHELTER_TRY(fn(child));
    pos = child.end();
  }
  return Ok();
}

// Card text as UTF-8: invalid sequences and control characters become U+FFFD and set `repaired`.
std::string CleanText(ByteView b, bool& repaired) {
  std::string out;
  out.reserve(b.size());
  for (size_t i = 0; i < b.size();) {
    uint8_t c = b[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    std::string_view seq = n && i + n <= b.size() ? AsChars(b.substr(i, n)) : std::string_view();
    bool control = n == 1 && (c < 0x20 || c == 0x7F);
    if (!seq.empty() && !control && IsValidUtf8(seq)) {
      out.append(seq);
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      repaired = true;
      i += 1;
    }
  }
  return out;
}

// Printable ASCII of a short coded field; anything else becomes '?' and sets `repaired`.
std::string CleanAscii(ByteView b, bool& repaired) {
  std::string out;
  for (uint8_t c : b) {
    bool ok = c >= 0x20 && c < 0x7F;
    out.push_back(ok ? static_cast<char>(c) : '?');
    repaired |= !ok;
  }
  return out;
}

// JIS X 0303 sex codes; nullptr for anything else.
const char* SexName(std::string_view code) {
  if (code == "1") return "male";
  if (code == "2") return "female";
  if (code == "9") return "other";  // not applicable
  if (code == "0") return "unknown";
  return nullptr;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

}  // namespace

Result<size_t> CardTlvTotalLength(ByteView head, uint32_t outer_tag) {
  SHELTER_ASSIGN_OR_RETURN(Tlv t, ReadHeader(head, 0));
  if (t.tag != outer_tag) return ParseError("unexpected outer tag");
  if (t.value_start + t.value_size > kMaxCardFileBytes) return ParseError("card record too large");
  return t.value_start + t.value_size;
}

Result<CardBasicInfoRecord> ParseCardBasicInfo(ByteView ef) {
  SHELTER_ASSIGN_OR_RETURN(Tlv outer, ReadTlv(ef, 0));
  if (outer.tag != kTagBasicInfo) return ParseError("not a basic-4-info record (FF20)");
  if (outer.end() > kMaxCardFileBytes) return ParseError("card record too large");

  std::optional<Tlv> offsets;
  std::array<std::optional<Tlv>, 4> fields;  // DF22..DF25
  bool first = true;
  SHELTER_TRY(ForEachChild(ef, outer.value_start, outer.end(), [&](const Tlv& t) -> Status {
    if (first && t.tag != kTagOffsets) return ParseError("offset table DF21 is not first");
    first = false;
    if (t.tag == kTagOffsets) {
      if (offsets) return ParseError("duplicate DF21");
      if (t.value_size != 8) return ParseError("DF21 is not four offsets");
      offsets = t;
    } else if (t.tag >= kTagName && t.tag <= kTagSex) {
      auto& slot = fields[t.tag - kTagName];
      if (slot) return ParseError("duplicate basic-4-info field");
      slot = t;
    }  // other tags: not ours; covered by the digest all the same
    return Ok();
  }));
  if (!offsets) return ParseError("offset table DF21 missing");
  for (const auto& f : fields)
    if (!f) return ParseError("basic-4-info field missing");

  // DF21 holds where each field's tag starts, counted from the file start (cards seen) or from
  // the start of the FF20 value; accept either, but one convention for all four.
  bool absolute = true, relative = true;
  for (size_t i = 0; i < 4; ++i) {
    size_t at =
        (size_t{ef[offsets->value_start + 2 * i]} << 8) | ef[offsets->value_start + 2 * i + 1];
    absolute &= at == fields[i]->start;
    relative &= at + outer.value_start == fields[i]->start;
  }
  if (!absolute && !relative) return ParseError("DF21 offsets do not match the fields");

  const Tlv& name = *fields[0];
  const Tlv& address = *fields[1];
  const Tlv& birth = *fields[2];
  const Tlv& sex = *fields[3];
  if (name.value_size > kMaxNameBytes || address.value_size > kMaxAddressBytes ||
      birth.value_size > kMaxShortFieldBytes || sex.value_size > kMaxShortFieldBytes)
    return ParseError("basic-4-info field too long");

  CardBasicInfoRecord rec;
  CardBasicInfo& info = rec.info;
  bool repaired = false;
  info.name = CleanText(ef.substr(name.value_start, name.value_size), repaired);
  info.address = CleanText(ef.substr(address.value_start, address.value_size), repaired);
  info.birth_date_raw = CleanAscii(ef.substr(birth.value_start, birth.value_size), repaired);
  info.sex_raw = CleanAscii(ef.substr(sex.value_start, sex.value_size), repaired);

  if (info.birth_date_raw.size() == 8 && AllDigits(info.birth_date_raw)) {
    if (auto d = NormalizeDate(info.birth_date_raw); d.ok()) info.birth_date = *d;
  }
  if (info.birth_date.empty()) repaired = true;

  const char* sex_name = SexName(info.sex_raw);
  info.sex = sex_name ? sex_name : "unknown";
  repaired |= sex_name == nullptr;
  info.needs_review = repaired;

  rec.digest = crypto::Sha256(ef.substr(offsets->end(), outer.end() - offsets->end()));
  return rec;
}

Result<CardIntegrityRecord> ParseCardIntegrity(ByteView ef) {
  SHELTER_ASSIGN_OR_RETURN(Tlv outer, ReadTlv(ef, 0));
  if (outer.tag != kTagIntegrity) return ParseError("not an integrity record (FF30)");
  if (outer.end() > kMaxCardFileBytes) return ParseError("card record too large");
  CardIntegrityRecord rec;
  bool have_info_digest = false;
  SHELTER_TRY(ForEachChild(ef, outer.value_start, outer.end(), [&](const Tlv& t) -> Status {
    if (t.tag != kTagBasicInfoDigest && t.tag != kTagMyNumberDigest) return Ok();
    if (t.value_size != 32) return ParseError("digest is not 32 bytes");
    Hash32 h;
    std::copy_n(ef.begin() + static_cast<std::ptrdiff_t>(t.value_start), 32, h.begin());
    if (t.tag == kTagBasicInfoDigest) {
      if (have_info_digest) return ParseError("duplicate DF32");
      have_info_digest = true;
      rec.basic_info_digest = h;
    } else {
      if (rec.my_number_digest) return ParseError("duplicate DF31");
      rec.my_number_digest = h;
    }
    return Ok();
  }));
  if (!have_info_digest) return ParseError("basic-4-info digest DF32 missing");
  return rec;
}

Status CheckCardDigest(const CardBasicInfoRecord& info, const CardIntegrityRecord& integrity) {
  if (info.digest != integrity.basic_info_digest)
    return MakeError(ErrorCode::kCorrupt, "basic-4-info digest does not match the card's record");
  return Ok();
}

}  // namespace shelter::core
