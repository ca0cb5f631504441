#include "sync/hq/hq_stamps.hpp"

#include <cstring>

namespace shelter::hq {

template <size_t N>
Stamps<N>::Stamps(const Stamps& o) : base_(o.base_), mask_(o.mask_) {
  if (o.each_) each_ = std::make_unique<std::array<Stamp, N>>(*o.each_);
}

template <size_t N>
Stamps<N>& Stamps<N>::operator=(const Stamps& o) {
  if (this != &o) {
    base_ = o.base_;
    mask_ = o.mask_;
    each_ = o.each_ ? std::make_unique<std::array<Stamp, N>>(*o.each_) : nullptr;
  }
  return *this;
}

template <size_t N>
void Stamps<N>::Set(size_t i, const Stamp& s) {
  if (!each_) {
    if (mask_ == 0 || s == base_ || mask_ == (1u << i)) {
      if (s != base_) mask_ = 0;  // only field i held the old stamp
      base_ = s;
      mask_ |= uint16_t(1u << i);
      return;
    }
    auto all = std::make_unique<std::array<Stamp, N>>();
    for (size_t j = 0; j < N; ++j) (*all)[j] = Get(j);
    each_ = std::move(all);
  }
  (*each_)[i] = s;
  // Back to one stamp when every field holds either it or none.
  const Stamp none{};
  const Stamp* one = nullptr;
  uint16_t mask = 0;
  for (size_t j = 0; j < N; ++j) {
    const Stamp& x = (*each_)[j];
    if (x == none) continue;
    if (one && x != *one) return;
    one = &x;
    mask |= uint16_t(1u << j);
  }
  base_ = one ? *one : none;
  mask_ = mask;
  each_.reset();
}

void PutStamp(std::string& out, const Stamp& s) {
  uint8_t b[24];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(s.hlc >> (56 - 8 * i));
  std::memcpy(b + 8, s.device.b.data(), 16);
  out += core::ToHex(core::ByteView(b, 24));
}

bool GetStamp(std::string_view hex, Stamp& s) {
  auto bytes = core::FromHex(hex);
  if (!bytes.ok() || bytes->size() != 24) return false;
  s.hlc = 0;
  for (int i = 0; i < 8; ++i) s.hlc = (s.hlc << 8) | (*bytes)[i];
  std::memcpy(s.device.b.data(), bytes->data() + 8, 16);
  return true;
}

// Encoded as hex: one stamp (every field), N stamps, or 4 digits of field mask and one stamp.
template <size_t N>
std::string Stamps<N>::Encode() const {
  std::string out;
  if (each_) {
    for (auto& s : *each_) PutStamp(out, s);
  } else {
    if (mask_ != (1u << N) - 1) {
      const char* hex = "0123456789abcdef";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(mask_ >> shift) & 15];
    }
    PutStamp(out, base_);
  }
  return out;
}

template <size_t N>
bool Stamps<N>::Decode(std::string_view hex) {
  each_.reset();
  if (hex.size() == 48) {
    mask_ = uint16_t((1u << N) - 1);
    return GetStamp(hex, base_);
  }
  if (hex.size() == 52) {
    auto m = core::FromHex(hex.substr(0, 4));
    if (!m.ok() || m->size() != 2) return false;
    mask_ = uint16_t(((*m)[0] << 8) | (*m)[1]);
    return mask_ < (1u << N) && GetStamp(hex.substr(4), base_);
  }
  if (hex.size() != 48 * N) return false;
  each_ = std::make_unique<std::array<Stamp, N>>();
  for (size_t i = 0; i < N; ++i)
    if (!GetStamp(hex.substr(48 * i, 48), (*each_)[i])) return false;
  return true;
}

template class Stamps<kPersonStampFields>;
template class Stamps<2>;
template class Stamps<3>;

}  // namespace shelter::hq
