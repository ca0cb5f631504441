// An in-process My Number Card (券面事項入力補助AP) behind core::ApduTransport, with builders for
// its records, for unit tests of the card conversation. It mirrors the virtual card that the
// integration test runs behind pcscd. Not thread-safe; one owner.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/card/card_session.hpp"

namespace shelter::test {

// BER-TLV with the length forms the card uses (xx, 81 xx, 82 xx xx).
core::Bytes Tlv(uint16_t tag, core::ByteView value);
// EF 0002: FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }.
core::Bytes BasicInfoFile(const std::string& name, const std::string& address,
                          const std::string& birth, const std::string& sex);
// EF 0003 for the given EF 0002 and EF 0001 contents: FF30 { DF31, DF32, DF33 (zeros) }.
core::Bytes IntegrityFile(core::ByteView basic_info_file, core::ByteView my_number_file);

class FakeMyNumberCard : public core::ApduTransport {
 public:
  enum class Fault { kNone, kLocked63C0, kLocked6983, kLocked6984, kNotMyNumber, kBadDigest };

  std::string pin = "4321";
  int max_tries = 3;
  int tries = 3;
  Fault fault = Fault::kNone;
  int pull_after = 0;  // > 0: the card leaves before answering command pull_after + 1
  std::string name = "山田\u3000太郎";
  std::string address = "東京都千代田区千代田１－１";
  std::string birth = "19800401";
  std::string sex = "1";
  std::string my_number = "123456789018";

  // Transmit() calls (1-based, all counted) before which the card is reset, as a PC/SC reset from
  // another connection: the command is not delivered, and Transmit() returns kConflict until
  // Reconnect().
  std::vector<int> reset_before;
  // Calls after which the card is reset: the command was delivered (a VERIFY counted) but its
  // answer is lost; kConflict as above.
  std::vector<int> reset_after;
  int reconnects = 0;

  // Every command received, as hex, VERIFY data masked.
  std::vector<std::string> log;

  core::Result<core::Bytes> Transmit(core::ByteView command) override;
  core::Status Reconnect() override;

 private:
  int calls_ = 0;
  bool reset_pending_ = false;
  core::Bytes Answer(core::ByteView command);
  void Reset();
  bool ap_ = false;
  int ef_ = -1;
  bool verified_ = false;
  core::Bytes File(int ef) const;
};

}  // namespace shelter::test
