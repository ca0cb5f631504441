// CardSession: the APDU conversation with a My Number Card (see card_session.hpp).
//
// [SECTION] index
//   Card constants   the AP and its EFs, status words and their outcomes, the check digit
//   Outcomes         ApduTransport::Reconnect default, CardOutcomeName, CardRead::ToError
//   APDUs            Send, SelectEf, ReadBinary, ReadRecord
//   Conversation     Reconnect, Open, ReadBasicInfo, VerifyAndRead, ReadMyNumber
#include "core/card/card_session.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace shelter::core {

namespace {

// [SECTION] Card constants ------------------------------------------------------------------------

// 券面事項入力補助AP (DF name) and its EFs.
constexpr std::array<uint8_t, 10> kTextAp = {0xD3, 0x92, 0x10, 0x00, 0x31,
                                             0x00, 0x01, 0x01, 0x04, 0x08};
constexpr uint16_t kEfMyNumber = 0x0001;
constexpr uint16_t kEfBasicInfo = 0x0002;
constexpr uint16_t kEfIntegrity = 0x0003;
constexpr uint16_t kEfPin = 0x0011;

constexpr uint16_t kSwOk = 0x9000;
constexpr uint16_t kSwEndOfFile = 0x6282;
constexpr uint16_t kSwSecurityNotSatisfied = 0x6982;
constexpr uint16_t kSwAuthBlocked = 0x6983;
constexpr uint16_t kSwReferenceBlocked = 0x6984;
constexpr uint16_t kSwWrongOffset = 0x6B00;

bool IsRetryCounter(uint16_t sw) { return (sw & 0xFFF0) == 0x63C0; }
bool IsBlocked(uint16_t sw) { return sw == kSwAuthBlocked || sw == kSwReferenceBlocked; }

std::string SwText(uint16_t sw) {
  Bytes b = {static_cast<uint8_t>(sw >> 8), static_cast<uint8_t>(sw)};
  return "SW " + ToHex(View(b));
}

CardRead Outcome(CardOutcome outcome, std::string detail, int tries_left = -1) {
  CardRead r;
  r.outcome = outcome;
  r.detail = std::move(detail);
  r.tries_left = tries_left;
  return r;
}

// Errors inside the conversation, by what they mean for the read.
CardRead FromError(const Error& e) {
  switch (e.code) {
    case ErrorCode::kIo: return Outcome(CardOutcome::kCardRemoved, "card removed during the read");
    case ErrorCode::kConflict:
      return Outcome(CardOutcome::kCardReset, "the card was reset during the read");
    case ErrorCode::kParse: return Outcome(CardOutcome::kBadData, e.detail);
    case ErrorCode::kCorrupt: return Outcome(CardOutcome::kDigestMismatch, e.detail);
    default: return Outcome(CardOutcome::kCardError, e.detail);
  }
}

// The detail of a reset that came back after the one restart.
constexpr const char* kResetAgain =
    "the card was reset again after the read restarted; another program may be using the reader";

Error CardStatusError(const std::string& what, uint16_t sw) {
  return MakeError(ErrorCode::kUnsupported, what + " answered " + SwText(sw));
}

// The PIN tries of a 63Cx answer, or the lock.
CardRead PinState(uint16_t sw, const char* context) {
  if (IsBlocked(sw) || sw == 0x63C0)
    return Outcome(CardOutcome::kLocked, "the card's PIN is locked (" + SwText(sw) + ")", 0);
  if (IsRetryCounter(sw)) return Outcome(CardOutcome::kOk, "", sw & 0x0F);
  return Outcome(CardOutcome::kCardError, std::string(context) + " answered " + SwText(sw));
}

bool MyNumberCheckDigitOk(std::string_view d) {
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    int p = d[11 - n] - '0';
    int q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  int r = sum % 11;
  int check = r <= 1 ? 0 : 11 - r;
  return d[11] - '0' == check;
}

}  // namespace

// [SECTION] Outcomes ------------------------------------------------------------------------------

ApduTransport::~ApduTransport() = default;

Status ApduTransport::Reconnect() {
  return MakeError(ErrorCode::kUnsupported, "this card link cannot reconnect");
}

const char* CardOutcomeName(CardOutcome outcome) {
  switch (outcome) {
    case CardOutcome::kOk: return "ok";
    case CardOutcome::kNoReader: return "no_reader";
    case CardOutcome::kNoCard: return "no_card";
    case CardOutcome::kNotMyNumberCard: return "not_my_number_card";
    case CardOutcome::kWrongPin: return "wrong_pin";
    case CardOutcome::kLocked: return "locked";
    case CardOutcome::kCardRemoved: return "card_removed";
    case CardOutcome::kCardReset: return "card_reset";
    case CardOutcome::kDigestMismatch: return "digest_mismatch";
    case CardOutcome::kBadData: return "bad_data";
    case CardOutcome::kBadPinFormat: return "bad_pin_format";
    case CardOutcome::kCardError: return "card_error";
  }
  return "card_error";
}

Error CardRead::ToError() const {
  ErrorCode code = ErrorCode::kInternal;
  switch (outcome) {
    case CardOutcome::kOk: code = ErrorCode::kInternal; break;
    case CardOutcome::kNoReader: code = ErrorCode::kNotFound; break;
    case CardOutcome::kNoCard: code = ErrorCode::kNotFound; break;
    case CardOutcome::kNotMyNumberCard: code = ErrorCode::kUnsupported; break;
    case CardOutcome::kWrongPin: code = ErrorCode::kUnauthenticated; break;
    case CardOutcome::kLocked: code = ErrorCode::kLocked; break;
    case CardOutcome::kCardRemoved: code = ErrorCode::kIo; break;
    case CardOutcome::kCardReset: code = ErrorCode::kConflict; break;
    case CardOutcome::kDigestMismatch: code = ErrorCode::kCorrupt; break;
    case CardOutcome::kBadData: code = ErrorCode::kParse; break;
    case CardOutcome::kBadPinFormat: code = ErrorCode::kInvalidArgument; break;
    case CardOutcome::kCardError: code = ErrorCode::kUnsupported; break;
  }
  std::string text = CardOutcomeName(outcome);
  if (!detail.empty()) text += ": " + detail;
  return MakeError(code, text);
}

// [SECTION] APDUs ---------------------------------------------------------------------------------

CardSession::CardSession(ApduTransport& transport, CardSessionOptions options)
    : transport_(transport), options_(options) {}

Result<CardSession::Response> CardSession::Send(ByteView command) {
  ++apdus_;
  auto r = transport_.Transmit(command);
  if (!r.ok()) {
    ErrorCode code = r.error().code;  // kIo: card gone, kConflict: card reset, else: link failed
    if (code != ErrorCode::kIo && code != ErrorCode::kConflict) code = ErrorCode::kInternal;
    return MakeError(code, r.error().detail);
  }
  // vpcd (and some readers) answer an empty response once the card has gone.
  if (r->size() < 2) return MakeError(ErrorCode::kIo, "response APDU shorter than a status word");
  Response out;
  out.sw = static_cast<uint16_t>((r->at(r->size() - 2) << 8) | r->back());
  out.data.assign(r->begin(), r->end() - 2);
  return out;
}

Result<CardSession::Response> CardSession::SelectEf(uint16_t fid) {
  const uint8_t cmd[] = {
      0x00, 0xA4, 0x02, 0x0C, 0x02, static_cast<uint8_t>(fid >> 8), static_cast<uint8_t>(fid)};
  return Send(ByteView(cmd, sizeof cmd));
}

Result<Bytes> CardSession::ReadBinary(size_t offset, size_t le) {
  if (offset > 0x7FFF || le == 0 || le > 256)
    return MakeError(ErrorCode::kParse, "read out of range");
  uint8_t cmd[] = {0x00, 0xB0, static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset),
                   static_cast<uint8_t>(le & 0xFF)};
  SHELTER_ASSIGN_OR_RETURN(Response r, Send(ByteView(cmd, sizeof cmd)));
  if ((r.sw & 0xFF00) == 0x6C00 && (r.sw & 0xFF) != 0) {  // wrong Le: resend with the card's
    cmd[4] = static_cast<uint8_t>(r.sw & 0xFF);
    SHELTER_ASSIGN_OR_RETURN(r, Send(ByteView(cmd, sizeof cmd)));
  }
  for (int i = 0; (r.sw & 0xFF00) == 0x6100; ++i) {  // more data waiting: GET RESPONSE
    if (i == 16) return MakeError(ErrorCode::kParse, "too many GET RESPONSE rounds");
    const uint8_t get[] = {0x00, 0xC0, 0x00, 0x00, static_cast<uint8_t>(r.sw & 0xFF)};
    SHELTER_ASSIGN_OR_RETURN(Response more, Send(ByteView(get, sizeof get)));
    Append(r.data, View(more.data));
    r.sw = more.sw;
    if (r.data.size() > kMaxCardFileBytes) return MakeError(ErrorCode::kParse, "response too long");
  }
  if (r.sw == kSwOk || r.sw == kSwEndOfFile) return std::move(r.data);
  if (r.sw == kSwWrongOffset) return Bytes{};
  if (r.sw == kSwSecurityNotSatisfied)
    return MakeError(ErrorCode::kUnsupported, "READ BINARY refused: PIN state lost (SW 6982)");
  return CardStatusError("READ BINARY", r.sw);
}

Result<Bytes> CardSession::ReadRecord(uint32_t outer_tag) {
  // 5 bytes hold any header the card uses (FFxx 82 LL LL); then exactly the rest, 256 at a time.
  SHELTER_ASSIGN_OR_RETURN(Bytes file, ReadBinary(0, 5));
  auto total = CardTlvTotalLength(View(file), outer_tag);
  if (!total.ok()) return MakeError(ErrorCode::kParse, total.error().detail);
  while (file.size() < *total) {
    size_t want = std::min<size_t>(256, *total - file.size());
    SHELTER_ASSIGN_OR_RETURN(Bytes chunk, ReadBinary(file.size(), want));
    if (chunk.empty()) return MakeError(ErrorCode::kParse, "card record shorter than its length");
    Append(file, View(chunk));
  }
  file.resize(*total);
  return file;
}

// [SECTION] Conversation --------------------------------------------------------------------------

CardRead CardSession::Reconnect() {
  opened_ = verified_ = false;
  ++restarts_;
  Status s = transport_.Reconnect();
  if (s.ok()) return Outcome(CardOutcome::kOk, "");
  if (s.error().code == ErrorCode::kIo || s.error().code == ErrorCode::kNotFound)
    return Outcome(CardOutcome::kCardRemoved, "card removed during the read");
  if (s.error().code == ErrorCode::kConflict) return Outcome(CardOutcome::kCardReset, kResetAgain);
  return Outcome(CardOutcome::kCardReset, "the card was reset and the link cannot reconnect");
}

CardRead CardSession::Open() {
  // Nothing here uses a PIN try, so a reset (typically the previous user's) costs nothing:
  // reconnect and ask again.
  CardRead r = OpenOnce();
  if (r.outcome != CardOutcome::kCardReset) return r;
  if (CardRead re = Reconnect(); !re.ok()) return re;
  r = OpenOnce();
  if (r.outcome == CardOutcome::kCardReset) r.detail = kResetAgain;
  return r;
}

CardRead CardSession::OpenOnce() {
  opened_ = verified_ = false;
  tries_left_ = -1;
  uint8_t select[5 + kTextAp.size()] = {0x00, 0xA4, 0x04, 0x0C, kTextAp.size()};
  std::copy(kTextAp.begin(), kTextAp.end(), select + 5);
  auto ap = Send(ByteView(select, sizeof select));
  if (!ap.ok()) return FromError(ap.error());
  if (ap->sw != kSwOk)
    return Outcome(CardOutcome::kNotMyNumberCard, "no card-info-input AP (" + SwText(ap->sw) + ")");
  auto pin_ef = SelectEf(kEfPin);
  if (!pin_ef.ok()) return FromError(pin_ef.error());
  if (pin_ef->sw != kSwOk)
    return Outcome(CardOutcome::kNotMyNumberCard, "no PIN in the AP (" + SwText(pin_ef->sw) + ")");
  const uint8_t query[] = {0x00, 0x20, 0x00, 0x80};  // VERIFY without data: uses no try
  auto tries = Send(ByteView(query, sizeof query));
  if (!tries.ok()) return FromError(tries.error());
  CardRead r = PinState(tries->sw, "PIN retry query");
  if (tries->sw == kSwOk) r = Outcome(CardOutcome::kOk, "");  // no PIN needed right now
  opened_ = r.ok();
  tries_left_ = r.tries_left;
  return r;
}

CardRead CardSession::ReadBasicInfo(std::string_view pin) {
  if (!opened_) return Outcome(CardOutcome::kCardError, "session not opened");
  bool digits = pin.size() == 4 &&
                std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return Outcome(CardOutcome::kBadPinFormat, "the PIN must be 4 digits");
  const int tries_before = tries_left_;
  CardRead r = VerifyAndRead(pin);
  if (r.outcome != CardOutcome::kCardReset) return r;
  // One restart: reconnect, open again, verify again, read again. Sending the PIN a second time
  // must never cost a second try:
  // - The card accepted the PIN before the reset: it is the right PIN, and a right PIN uses no
  //   try (it restores the counter), so it is sent again.
  // - The reset was reported for the VERIFY itself: PC/SC reports a reset instead of sending,
  //   but a link may also lose the answer to a VERIFY the card did count. The reopened card says
  //   its tries left without using one: fewer than before means this PIN was counted wrong, so
  //   it is reported as wrong and never sent again; as many (or all, after a right PIN) means
  //   sending it once more counts it at most once. Unknown tries: not sent again.
  // A refused PIN (63Cx, locked) is an answer, not a reset, and never reaches this point.
  const bool verify_in_doubt = !pin_accepted_;
  if (CardRead re = Reconnect(); !re.ok()) return re;
  CardRead reopened = OpenOnce();
  if (reopened.outcome == CardOutcome::kCardReset) reopened.detail = kResetAgain;
  if (!reopened.ok()) return reopened;
  if (verify_in_doubt && (tries_before < 0 || reopened.tries_left < 0)) {
    opened_ = false;
    return Outcome(CardOutcome::kCardReset,
                   "the card was reset while checking the PIN; read again");
  }
  if (verify_in_doubt && reopened.tries_left < tries_before) {
    opened_ = false;
    return Outcome(CardOutcome::kWrongPin, "wrong PIN", reopened.tries_left);
  }
  r = VerifyAndRead(pin);
  if (r.outcome == CardOutcome::kCardReset) r.detail = kResetAgain;
  return r;
}

CardRead CardSession::VerifyAndRead(std::string_view pin) {
  pin_accepted_ = false;
  {
    crypto::Secret verify(9);  // wiped when it goes out of scope
    const uint8_t head[] = {0x00, 0x20, 0x00, 0x80, 0x04};
    std::copy(head, head + 5, verify.data());
    std::copy(pin.begin(), pin.end(), verify.data() + 5);
    auto v = Send(verify.view());
    if (!v.ok()) return FromError(v.error());
    if (v->sw != kSwOk) {
      CardRead r = PinState(v->sw, "VERIFY");
      if (r.ok()) r = Outcome(CardOutcome::kWrongPin, "wrong PIN", r.tries_left);
      opened_ = false;
      return r;
    }
  }
  pin_accepted_ = verified_ = true;

  auto sel = SelectEf(kEfBasicInfo);
  if (!sel.ok()) return FromError(sel.error());
  if (sel->sw != kSwOk) return FromError(CardStatusError("SELECT EF 0002", sel->sw));
  auto info_file = ReadRecord(0xFF20);
  if (!info_file.ok()) return FromError(info_file.error());
  auto info = ParseCardBasicInfo(View(*info_file));
  sodium_memzero(info_file->data(), info_file->size());
  if (!info.ok()) return FromError(info.error());

  sel = SelectEf(kEfIntegrity);
  if (!sel.ok()) return FromError(sel.error());
  if (sel->sw != kSwOk) return FromError(CardStatusError("SELECT EF 0003", sel->sw));
  auto integrity_file = ReadRecord(0xFF30);
  if (!integrity_file.ok()) return FromError(integrity_file.error());
  auto integrity = ParseCardIntegrity(View(*integrity_file));
  if (!integrity.ok()) return FromError(integrity.error());
  if (Status s = CheckCardDigest(*info, *integrity); !s.ok()) return FromError(s.error());
  integrity_ = *integrity;

  CardRead r = Outcome(CardOutcome::kOk, "");
  r.info = std::move(info->info);
  return r;
}

Result<crypto::Secret> CardSession::ReadMyNumber() {
  if (!options_.allow_my_number)
    return MakeError(ErrorCode::kPermissionDenied, "reading the My Number is not enabled");
  if (!verified_ || !integrity_)
    return MakeError(ErrorCode::kInvalidArgument, "read the basic info first");
  SHELTER_ASSIGN_OR_RETURN(Response sel, SelectEf(kEfMyNumber));
  if (sel.sw != kSwOk) return CardStatusError("SELECT EF 0001", sel.sw);
  // The physical file: FF10 0C <12 digits> FF FF (17 bytes); DF31 covers all 17.
  SHELTER_ASSIGN_OR_RETURN(Bytes raw, ReadBinary(0, 17));
  crypto::Secret file(std::move(raw));
  bool shape = file.size() == 17 && file.data()[0] == 0xFF && file.data()[1] == 0x10 &&
               file.data()[2] == 0x0C;
  crypto::Secret digits(shape ? Bytes(file.data() + 3, file.data() + 15) : Bytes());
  std::string_view d(reinterpret_cast<const char*>(digits.data()), digits.size());
  if (!shape || !std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return MakeError(ErrorCode::kParse, "EF 0001 is not 12 digits");
  if (integrity_->my_number_digest && crypto::Sha256(file.view()) != *integrity_->my_number_digest)
    return MakeError(ErrorCode::kCorrupt, "EF 0001 does not match its digest");
  if (!MyNumberCheckDigitOk(d)) return MakeError(ErrorCode::kCorrupt, "check digit mismatch");
  return digits;
}

}  // namespace shelter::core
