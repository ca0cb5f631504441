// My Number Card (個人番号カード) data of the 券面事項入力補助AP: parsing of the basic-4-info
// record (EF 0002, TLV FF20) and of the integrity record (EF 0003, TLV FF30), and the digest check
// between them. Layouts: core/FORMATS.md "My Number Card". Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::core {

// The 基本4情報 as printed on the card face. Personal data: never log it.
struct CardBasicInfo {
  std::string name;            // 氏名, UTF-8; family and given name separated by U+3000
  std::string address;         // 住所, UTF-8 (full-width digits as on the card)
  std::string birth_date;      // "YYYY-MM-DD"; empty when the card's value is not a valid date
  std::string birth_date_raw;  // the card's digits as stored ("19800401"), sanitised to ASCII
  std::string sex;             // "male" | "female" | "other" | "unknown" (JIS X 0303 1/2/9/0)
  std::string sex_raw;         // the card's code ("1"), sanitised to ASCII
  // True when a field was not what the layout promises (bytes that are not UTF-8, replaced by
  // U+FFFD; a birth date that is not a date; a sex code outside 0/1/2/9): compare with the card.
  bool needs_review = false;
};

// A parsed EF 0002 plus the SHA-256 its integrity digest covers.
struct CardBasicInfoRecord {
  CardBasicInfo info;
  Hash32 digest{};  // SHA-256 of the FF20 value from the DF22 tag to its end (DF21 skipped)
};

// A parsed EF 0003. The DF33 signature is not verified (no issuer key on the device).
struct CardIntegrityRecord {
  Hash32 basic_info_digest{};              // DF32
  std::optional<Hash32> my_number_digest;  // DF31, when present
};

constexpr size_t kMaxCardFileBytes = 4096;  // larger claimed lengths are rejected

// Length of the whole outer TLV (tag + length + value) from its first bytes: lets a reader ask
// the card for exactly that much. Returns kParse when the header is malformed, does not have
// tag `outer_tag` (0xFF20, 0xFF30, ...), or claims more than kMaxCardFileBytes; kNotFound when
// `head` is too short to tell (read more).
Result<size_t> CardTlvTotalLength(ByteView head, uint32_t outer_tag);

// Parses EF 0002 (filler after the outer TLV is ignored). Returns kParse when the TLV structure
// is broken, a required field is missing or duplicated, a field exceeds its size limit, or the
// DF21 offset table does not match where the fields are. Bad text inside a well-formed record is
// not an error: it sets needs_review.
Result<CardBasicInfoRecord> ParseCardBasicInfo(ByteView ef0002);

// Parses EF 0003. Returns kParse when the structure is broken or DF32 is not 32 bytes.
Result<CardIntegrityRecord> ParseCardIntegrity(ByteView ef0003);

// Returns kCorrupt when the record's DF32 digest does not match the basic-4-info record.
Status CheckCardDigest(const CardBasicInfoRecord& info, const CardIntegrityRecord& integrity);

}  // namespace shelter::core
