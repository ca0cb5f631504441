// Field stamps of the HQ's records: which write of a field wins (the newest by HLC, then device),
// kept compactly in memory and stored as hex text in the HQ tables.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/hlc.hpp"

namespace shelter::hq {

// (HLC, device): the order in which concurrent writes of one field are shown (core RecordState).
struct Stamp {
  core::Hlc hlc = 0;
  core::Id16 device;
  auto operator<=>(const Stamp&) const = default;
};

// Per-field stamps of a record, stored as one stamp and the set of fields that carry it while
// every written field agrees (the usual case: registration writes its fields at once; the
// others have no stamp yet).
template <size_t N>
class Stamps {
  static_assert(N <= 16);

 public:
  Stamps() = default;
  Stamps(const Stamps& o);
  Stamps& operator=(const Stamps& o);
  Stamps(Stamps&&) noexcept = default;
  Stamps& operator=(Stamps&&) noexcept = default;
  Stamp Get(size_t i) const {
    if (each_) return (*each_)[i];
    return (mask_ >> i) & 1 ? base_ : Stamp{};
  }
  void Set(size_t i, const Stamp& s);
  std::string Encode() const;
  bool Decode(std::string_view hex);

 private:
  Stamp base_;
  uint16_t mask_ = 0;  // the fields stamped base_ (while each_ is null)
  std::unique_ptr<std::array<Stamp, N>> each_;
};

// A stamp as 48 hex digits (HLC, then device), appended to `out`; GetStamp reads one back.
void PutStamp(std::string& out, const Stamp& s);
bool GetStamp(std::string_view hex, Stamp& s);

// The stamped fields of a person (hq_store_records.hpp names them).
inline constexpr size_t kPersonStampFields = 11;

}  // namespace shelter::hq
