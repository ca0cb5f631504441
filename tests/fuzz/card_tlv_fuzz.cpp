// libFuzzer target for My Number Card data: the basic-4-info (EF 0002) and integrity (EF 0003)
// parsers on arbitrary bytes, and the whole APDU conversation of CardSession against a card whose
// responses are the fuzz input (each response: a 2-byte big-endian length, then that many bytes).
// Besides not crashing, it checks that parsed text is valid UTF-8, dates and sex codes are in their
// forms, and that a session never selects EF 0001 and yields data only with outcome ok.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/card/card_data.hpp"
#include "core/card/card_session.hpp"
#include "core/text/text_normalize.hpp"

namespace {

using shelter::core::Bytes;
using shelter::core::ByteView;

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckInfo(const shelter::core::CardBasicInfo& info) {
  Require(shelter::core::IsValidUtf8(info.name) && shelter::core::IsValidUtf8(info.address));
  Require(info.birth_date.empty() || info.birth_date.size() == 10);
  Require(info.sex == "male" || info.sex == "female" || info.sex == "other" ||
          info.sex == "unknown");
  for (char c : info.birth_date_raw + info.sex_raw) Require(c >= 0x20 && c < 0x7F);
}

// Answers each command with the next length-prefixed chunk of the input; then the card is gone.
class ScriptedCard : public shelter::core::ApduTransport {
 public:
  explicit ScriptedCard(ByteView script) : script_(script) {}
  shelter::core::Result<Bytes> Transmit(ByteView command) override {
    Require(command.size() >= 4 && command.size() <= 261);
    bool select_ef = command.size() == 7 && command[1] == 0xA4 && command[2] == 0x02;
    Require(!(select_ef && command[5] == 0x00 && command[6] == 0x01));  // EF 0001: never
    if (pos_ + 2 > script_.size())
      return shelter::core::MakeError(shelter::core::ErrorCode::kIo, "card removed");
    size_t n = size_t{script_[pos_]} << 8 | script_[pos_ + 1];
    pos_ += 2;
    ByteView r = script_.substr(pos_, n);
    pos_ += r.size();
    return Bytes(r.begin(), r.end());
  }

 private:
  ByteView script_;
  size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView bytes(data, size);
  auto total = shelter::core::CardTlvTotalLength(bytes, 0xFF20);
  if (total.ok()) Require(*total <= shelter::core::kMaxCardFileBytes);
  auto info = shelter::core::ParseCardBasicInfo(bytes);
  if (info.ok()) CheckInfo(info->info);
  auto integrity = shelter::core::ParseCardIntegrity(bytes);
  if (info.ok() && integrity.ok()) (void)shelter::core::CheckCardDigest(*info, *integrity);

  ScriptedCard card(bytes);
  shelter::core::CardSession session(card);
  auto open = session.Open();
  Require(!open.info.has_value());
  if (open.ok()) {
    auto read = session.ReadBasicInfo("1234");
    Require(read.ok() == read.info.has_value());
    if (read.ok()) CheckInfo(*read.info);
    Require(session.ReadMyNumber().error().code == shelter::core::ErrorCode::kPermissionDenied);
  }
  return 0;
}
