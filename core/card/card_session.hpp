// The APDU conversation with a My Number Card's 券面事項入力補助AP, over an abstract transport so
// that it runs the same against PC/SC and in-process fakes: select the AP, read the PIN tries left
// without using one, verify the 4-digit PIN, read the basic 4 info and the integrity record, check
// the digest. EF 0001 (the 12-digit number) is never selected unless the options allow it. A card
// reset underneath (normal on PC/SC: the last user's reset, another program) restarts the
// conversation once; see ReadBasicInfo() for why that never costs a PIN try twice.
// Thread-safety: a session belongs to one thread and one card connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/card/card_data.hpp"

namespace shelter::core {

// A link to one card (PC/SC in platform/, fakes in tests).
class ApduTransport {
 public:
  virtual ~ApduTransport();
  // Sends one command APDU and returns the response APDU (data || SW1 SW2). Returns kIo when the
  // card (or its reader) left: nothing more can be sent after that. Returns kConflict when the
  // card was reset underneath: it is still there but forgot the selected AP and a verified PIN,
  // and Reconnect() makes the link usable again. Any other code: the link failed otherwise.
  virtual Result<Bytes> Transmit(ByteView command) = 0;
  // After Transmit() returned kConflict: reconnects to the card, leaving it as it is. Returns kIo
  // when the card left, kConflict when it was reset again, kUnsupported (the default) when the
  // link cannot reconnect.
  virtual Status Reconnect();
};

// How a card read ended. The names are stable (scripts match them).
enum class CardOutcome {
  kOk,
  kNoReader,         // no PC/SC reader (or no PC/SC service)
  kNoCard,           // readers, but no card in any of them
  kNotMyNumberCard,  // a card without the 券面事項入力補助AP
  kWrongPin,         // tries_left says how many remain
  kLocked,           // PIN blocked (63C0, 6983, 6984): only the municipal office can reset it
  kCardRemoved,      // the card (or its reader) left during the read
  kCardReset,        // the card was reset again after the read had restarted once
  kDigestMismatch,   // EF 0002 does not match the digest in EF 0003
  kBadData,          // the card's records do not parse
  kBadPinFormat,     // the PIN is not 4 digits; nothing was sent to the card
  kCardError,        // the card answered a status word the protocol does not expect
};

// "ok", "no_reader", "no_card", "not_my_number_card", "wrong_pin", "locked", "card_removed",
// "card_reset", "digest_mismatch", "bad_data", "bad_pin_format", "card_error".
const char* CardOutcomeName(CardOutcome outcome);

struct CardRead {
  CardOutcome outcome = CardOutcome::kCardError;
  int tries_left = -1;                // PIN tries left when known, else -1
  std::string detail;                 // English, never personal data
  std::optional<CardBasicInfo> info;  // set by a successful ReadBasicInfo()

  bool ok() const { return outcome == CardOutcome::kOk; }
  // The outcome as an Error (REQUIRES: !ok()); the detail starts with CardOutcomeName().
  Error ToError() const;
};

struct CardSessionOptions {
  // Permits ReadMyNumber(). Off by default: using the 12-digit number needs a legal basis.
  bool allow_my_number = false;
};

class CardSession {
 public:
  explicit CardSession(ApduTransport& transport, CardSessionOptions options = {});

  // Selects the AP and the PIN, and asks how many tries are left without using one. A reset
  // card is reconnected and asked again, once. kOk (with tries_left), kNotMyNumberCard, kLocked,
  // kCardRemoved, kCardReset (reset again) or kCardError.
  CardRead Open();

  // REQUIRES: Open() returned kOk. Verifies `pin` (4 ASCII digits, else kBadPinFormat and nothing
  // is sent), then reads EF 0002 and EF 0003 and checks the digest. A reset card is reconnected
  // and the read restarted once (the PIN is sent again only when that cannot count it twice).
  // kOk with info, kWrongPin, kLocked, kCardRemoved, kCardReset, kDigestMismatch, kBadData or
  // kCardError. Never retries a PIN the card refused.
  CardRead ReadBasicInfo(std::string_view pin);

  // REQUIRES: ReadBasicInfo() returned kOk. The 12 digits of EF 0001, checked against DF31 and the
  // check digit; returns kPermissionDenied unless options.allow_my_number, kConflict when the card
  // was reset since (read again from Open()). Never log the result.
  Result<crypto::Secret> ReadMyNumber();

  // Command APDUs sent so far (for benchmarks).
  int apdu_count() const { return apdus_; }
  // Times the conversation was restarted after a card reset.
  int restarts() const { return restarts_; }

 private:
  struct Response {
    Bytes data;
    uint16_t sw = 0;
  };
  Result<Response> Send(ByteView command);
  Result<Response> SelectEf(uint16_t fid);
  Result<Bytes> ReadBinary(size_t offset, size_t le);
  Result<Bytes> ReadRecord(uint32_t outer_tag);
  CardRead OpenOnce();
  CardRead VerifyAndRead(std::string_view pin);
  // Reconnects after a reset: kOk, or the outcome that ends the read.
  CardRead Reconnect();

  ApduTransport& transport_;
  CardSessionOptions options_;
  bool opened_ = false;
  bool verified_ = false;
  bool pin_accepted_ = false;  // the card answered 9000 to this read's VERIFY
  int tries_left_ = -1;        // as the last Open() saw them
  int restarts_ = 0;
  std::optional<CardIntegrityRecord> integrity_;
  int apdus_ = 0;
};

}  // namespace shelter::core
