// CardReader over pcsc-lite (winscard.h). The context is shared by the reader object and its
// connections; a connection holds a transaction from Connect() to Disconnect(), and disconnects
// with SCARD_RESET_CARD so the next user of the card starts without a verified PIN. A reset card
// (SCARD_W_RESET_CARD: that disconnect, or another program's) is still in the reader: it is
// reconnected, and only a card or reader that is gone counts as removed.
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "platform/card_reader.hpp"

namespace shelter::platform {

CardReader::~CardReader() = default;

namespace {

using core::Bytes;
using core::ByteView;
using core::Error;
using core::ErrorCode;
using core::MakeError;
using core::Result;
using core::Status;

Error PcscError(ErrorCode code, const std::string& what, LONG rv) {
  return MakeError(code, what + ": " + pcsc_stringify_error(rv));
}

// The card (or its reader) has left: nothing more can be said to it.
bool CardGone(LONG rv) {
  return rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD ||
         rv == SCARD_E_READER_UNAVAILABLE || rv == SCARD_E_UNKNOWN_READER;
}

// The card is there but was reset since this handle last used it (it forgot the selected AP and
// a verified PIN); SCardReconnect makes the handle usable again.
bool CardReset(LONG rv) { return rv == SCARD_W_RESET_CARD; }

// The error code of a failed call on a connected card (see ApduTransport::Transmit): a reset is
// kConflict; anything else means the link to the card broke. A card pulled out mid-APDU is often
// SCARD_E_NOT_TRANSACTED (or a comm error) before pcscd's next poll says it is gone, so those are
// the card leaving too (kIo), not a card error.
ErrorCode CardCallCode(LONG rv) { return CardReset(rv) ? ErrorCode::kConflict : ErrorCode::kIo; }

// Reconnects `card` after a reset and takes the transaction again. Leaves the card as it is (no
// second reset). Returns the PC/SC code of the call that failed, or SCARD_S_SUCCESS.
LONG ReconnectAndLock(SCARDHANDLE card, DWORD* protocol) {
  LONG rv = SCardReconnect(card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                           SCARD_LEAVE_CARD, protocol);
  if (rv != SCARD_S_SUCCESS) return rv;
  return SCardBeginTransaction(card);
}

struct Context {
  SCARDCONTEXT handle = 0;
  ~Context() { SCardReleaseContext(handle); }
};

class PcscConnection : public CardConnection {
 public:
  PcscConnection(std::shared_ptr<Context> ctx, SCARDHANDLE card, DWORD protocol)
      : ctx_(std::move(ctx)), card_(card), protocol_(protocol) {}
  ~PcscConnection() override { (void)Disconnect(); }

  Result<Bytes> Transmit(ByteView command) override {
    if (!connected_) return MakeError(ErrorCode::kIo, "card connection closed");
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    std::array<BYTE, 258 + 16> buf;  // a short response: up to 256 data bytes + SW1 SW2
    DWORD len = buf.size();
    LONG rv = SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                            buf.data(), &len);
    if (rv != SCARD_S_SUCCESS) return PcscError(CardCallCode(rv), "card transmit failed", rv);
    Bytes out(buf.begin(), buf.begin() + len);
    sodium_memzero(buf.data(), buf.size());  // responses hold personal data
    return out;
  }

  Status Reconnect() override {
    if (!connected_) return MakeError(ErrorCode::kIo, "card connection closed");
    LONG rv = ReconnectAndLock(card_, &protocol_);
    if (rv != SCARD_S_SUCCESS)
      return PcscError(CardCallCode(rv), "cannot reconnect to the reset card", rv);
    return core::Ok();
  }

  Status Disconnect() override {
    if (!connected_) return core::Ok();
    connected_ = false;
    SCardEndTransaction(card_, SCARD_LEAVE_CARD);
    LONG rv = SCardDisconnect(card_, SCARD_RESET_CARD);
    if (rv != SCARD_S_SUCCESS && !CardGone(rv) && !CardReset(rv))
      return PcscError(ErrorCode::kIo, "card disconnect failed", rv);
    return core::Ok();
  }

 private:
  std::shared_ptr<Context> ctx_;
  SCARDHANDLE card_;
  DWORD protocol_;
  bool connected_ = true;
};

class PcscCardReader : public CardReader {
 public:
  explicit PcscCardReader(std::shared_ptr<Context> ctx) : ctx_(std::move(ctx)) {}

  Result<std::vector<std::string>> ListReaders() override {
    DWORD len = 0;
    LONG rv = SCardListReaders(ctx_->handle, nullptr, nullptr, &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
    if (rv != SCARD_S_SUCCESS) return PcscError(ErrorCode::kIo, "cannot list card readers", rv);
    std::string multi(len, '\0');
    rv = SCardListReaders(ctx_->handle, nullptr, multi.data(), &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>{};
    if (rv != SCARD_S_SUCCESS) return PcscError(ErrorCode::kIo, "cannot list card readers", rv);
    multi.resize(std::min<size_t>(len, multi.size()));
    std::vector<std::string> names;  // "name\0name\0\0"
    for (size_t pos = 0; pos < multi.size() && multi[pos];) {
      size_t end = multi.find('\0', pos);
      if (end == std::string::npos) end = multi.size();
      names.push_back(multi.substr(pos, end - pos));
      pos = end + 1;
    }
    return names;
  }

  Result<std::string> FindCard(std::chrono::milliseconds wait) override {
    SHELTER_ASSIGN_OR_RETURN(auto names, ListReaders());
    if (names.empty()) return MakeError(ErrorCode::kNotFound, "no card reader");
    std::vector<SCARD_READERSTATE> states(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      states[i] = SCARD_READERSTATE{};
      states[i].szReader = names[i].c_str();
      states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    auto deadline = std::chrono::steady_clock::now() + wait;
    DWORD timeout = 0;  // the first call only reports the current states
    while (true) {
      LONG rv = SCardGetStatusChange(ctx_->handle, timeout, states.data(),
                                     static_cast<DWORD>(states.size()));
      if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
        return PcscError(ErrorCode::kIo, "cannot read the card readers' state", rv);
      for (size_t i = 0; i < states.size(); ++i) {
        DWORD s = states[i].dwEventState;
        if ((s & SCARD_STATE_PRESENT) && !(s & SCARD_STATE_MUTE)) return names[i];
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return MakeError(ErrorCode::kNotFound, "no card in any reader");
      for (auto& st : states) st.dwCurrentState = st.dwEventState & ~SCARD_STATE_CHANGED;
      timeout = static_cast<DWORD>(left.count());
    }
  }

  Result<std::unique_ptr<CardConnection>> Connect(const std::string& reader) override {
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    LONG rv = SCardConnect(ctx_->handle, reader.c_str(), SCARD_SHARE_SHARED,
                           SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    if (rv != SCARD_S_SUCCESS)
      return PcscError(CardGone(rv) ? ErrorCode::kNotFound : ErrorCode::kIo,
                       "cannot connect to the card", rv);
    rv = SCardBeginTransaction(card);
    // The previous user's SCARD_RESET_CARD disconnect can reach this handle just after it was
    // made: nothing was sent yet, so reconnecting once is all it takes.
    if (CardReset(rv)) rv = ReconnectAndLock(card, &protocol);
    if (rv != SCARD_S_SUCCESS) {
      SCardDisconnect(card, SCARD_RESET_CARD);
      ErrorCode code = CardGone(rv)    ? ErrorCode::kNotFound
                       : CardReset(rv) ? ErrorCode::kConflict
                                       : ErrorCode::kIo;
      return PcscError(code, "cannot begin a card transaction", rv);
    }
    return std::unique_ptr<CardConnection>(new PcscConnection(ctx_, card, protocol));
  }

 private:
  std::shared_ptr<Context> ctx_;
};

}  // namespace

Result<std::unique_ptr<CardReader>> OpenPcscCardReader() {
  auto ctx = std::make_shared<Context>();
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx->handle);
  if (rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED)
    return PcscError(ErrorCode::kNotFound, "no PC/SC service", rv);
  if (rv != SCARD_S_SUCCESS) return PcscError(ErrorCode::kIo, "cannot reach PC/SC", rv);
  return std::unique_ptr<CardReader>(new PcscCardReader(std::move(ctx)));
}

}  // namespace shelter::platform
