#include "tests/support/fake_my_number_card.hpp"

#include <algorithm>

#include "core/base/crypto.hpp"

namespace shelter::test {

using core::Bytes;
using core::ByteView;

namespace {

const Bytes kTextAp = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};

Bytes Sw(uint16_t sw) { return {static_cast<uint8_t>(sw >> 8), static_cast<uint8_t>(sw)}; }

}  // namespace

Bytes Tlv(uint16_t tag, ByteView value) {
  Bytes out;
  if (tag > 0xFF) out.push_back(static_cast<uint8_t>(tag >> 8));
  out.push_back(static_cast<uint8_t>(tag));
  size_t n = value.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n < 0x100) {
    out.insert(out.end(), {0x81, static_cast<uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)});
  }
  core::Append(out, value);
  return out;
}

Bytes BasicInfoFile(const std::string& name, const std::string& address, const std::string& birth,
                    const std::string& sex) {
  Bytes fields[4] = {Tlv(0xDF22, core::View(name)), Tlv(0xDF23, core::View(address)),
                     Tlv(0xDF24, core::View(birth)), Tlv(0xDF25, core::View(sex))};
  size_t body = 11;
  for (auto& f : fields) body += f.size();
  size_t header = Tlv(0xFF20, core::View(Bytes(body))).size() - body;
  Bytes offsets;
  size_t pos = header + 11;
  for (auto& f : fields) {
    offsets.push_back(static_cast<uint8_t>(pos >> 8));
    offsets.push_back(static_cast<uint8_t>(pos));
    pos += f.size();
  }
  Bytes value = Tlv(0xDF21, core::View(offsets));
  for (auto& f : fields) core::Append(value, core::View(f));
  return Tlv(0xFF20, core::View(value));
}

Bytes IntegrityFile(ByteView basic_info_file, ByteView my_number_file) {
  // DF32 covers the FF20 value after the DF21 table: DF21 is 11 bytes after the outer header.
  size_t header = basic_info_file[2] < 0x80 ? 3 : basic_info_file[2] == 0x81 ? 4 : 5;
  auto info_digest = core::crypto::Sha256(basic_info_file.substr(header + 11));
  auto number_digest = core::crypto::Sha256(my_number_file);
  Bytes value = Tlv(0xDF31, ByteView(number_digest.data(), 32));
  core::Append(value, core::View(Tlv(0xDF32, ByteView(info_digest.data(), 32))));
  core::Append(value, core::View(Tlv(0xDF33, core::View(Bytes(256)))));
  return Tlv(0xFF30, core::View(value));
}

Bytes FakeMyNumberCard::File(int ef) const {
  Bytes number = Tlv(0xFF10, core::View(my_number));
  number.insert(number.end(), {0xFF, 0xFF});
  Bytes info = BasicInfoFile(name, address, birth, sex);
  if (ef == 0x0001) return number;
  if (ef == 0x0002) {
    info.insert(info.end(), 16, 0xFF);  // filler after the record, as on a card
    return info;
  }
  Bytes integrity = IntegrityFile(core::View(info), core::View(number));
  if (fault == Fault::kBadDigest) integrity[5 + 34 + 2 + 7] ^= 1;  // inside DF32
  return integrity;
}

void FakeMyNumberCard::Reset() {
  ap_ = false, ef_ = -1, verified_ = false;
  reset_pending_ = true;
}

core::Status FakeMyNumberCard::Reconnect() {
  ++reconnects;
  if (pull_after > 0 && static_cast<int>(log.size()) >= pull_after)
    return core::MakeError(core::ErrorCode::kIo, "card removed");
  reset_pending_ = false;
  return core::Ok();
}

core::Result<Bytes> FakeMyNumberCard::Transmit(ByteView c) {
  ++calls_;
  auto listed = [this](const std::vector<int>& at) {
    return std::find(at.begin(), at.end(), calls_) != at.end();
  };
  if (listed(reset_before)) Reset();
  if (reset_pending_) return core::MakeError(core::ErrorCode::kConflict, "card reset");
  if (pull_after > 0 && static_cast<int>(log.size()) >= pull_after)
    return core::MakeError(core::ErrorCode::kIo, "card removed");
  Bytes answer = Answer(c);
  if (listed(reset_after)) {
    Reset();
    return core::MakeError(core::ErrorCode::kConflict, "card reset");
  }
  return answer;
}

Bytes FakeMyNumberCard::Answer(ByteView c) {
  bool verify_with_data = c.size() > 5 && c[1] == 0x20;
  log.push_back(core::ToHex(verify_with_data ? c.substr(0, 5) : c) +
                (verify_with_data ? std::string(2 * (c.size() - 5), '*') : ""));
  if (c.size() < 4 || c[0] != 0x00) return Sw(0x6E00);
  ByteView data = c.size() > 5 ? c.substr(5, c[4]) : ByteView();
  switch (c[1]) {
    case 0xA4:
      if (c[2] == 0x04) {
        if (Bytes(data.begin(), data.end()) != kTextAp || fault == Fault::kNotMyNumber)
          return Sw(0x6A82);
        ap_ = true, ef_ = -1, verified_ = false;
        return Sw(0x9000);
      }
      if (c[2] == 0x02 && ap_ && data.size() == 2) {
        int fid = data[0] << 8 | data[1];
        if (fid == 0x0001 || fid == 0x0002 || fid == 0x0003 || fid == 0x0011) {
          ef_ = fid;
          return Sw(0x9000);
        }
      }
      return Sw(0x6A82);
    case 0x20:
      if (ef_ != 0x0011) return Sw(0x6A88);
      if (fault == Fault::kLocked6983) return Sw(0x6983);
      if (fault == Fault::kLocked6984) return Sw(0x6984);
      if (fault == Fault::kLocked63C0) tries = 0;
      if (data.empty()) return Sw(static_cast<uint16_t>(0x63C0 | tries));
      if (tries == 0) return Sw(0x6984);
      if (core::AsChars(data) == pin) {
        tries = max_tries;
        verified_ = true;
        return Sw(0x9000);
      }
      --tries;
      return Sw(static_cast<uint16_t>(0x63C0 | tries));
    case 0xB0: {
      if (ef_ != 0x0001 && ef_ != 0x0002 && ef_ != 0x0003) return Sw(0x6986);
      if (!verified_) return Sw(0x6982);
      Bytes file = File(ef_);
      size_t offset = static_cast<size_t>(c[2] << 8 | c[3]);
      size_t le = c.size() > 4 && c[4] ? c[4] : 256;
      if (offset > file.size()) return Sw(0x6B00);
      Bytes out(file.begin() + static_cast<std::ptrdiff_t>(offset),
                file.begin() + static_cast<std::ptrdiff_t>(std::min(file.size(), offset + le)));
      bool short_read = out.size() < le;
      core::Append(out, core::View(Sw(short_read ? 0x6282 : 0x9000)));
      return out;
    }
    default: return Sw(0x6D00);
  }
}

}  // namespace shelter::test
