// Smart-card readers: list them, find the one holding a card, connect, exchange APDUs and
// disconnect with a card reset (so the card forgets a verified PIN). PC/SC on Linux.
// Thread-safety: a CardReader and its connections belong to one thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/card/card_session.hpp"

namespace shelter::platform {

// One card, connected. Transmit() returns kIo once the card (or its reader) has left, kConflict
// when the card was reset underneath (Reconnect() then makes the connection usable again) and
// kInternal when PC/SC fails otherwise.
class CardConnection : public core::ApduTransport {
 public:
  // Ends the connection and resets the card; idempotent, and done by the destructor too.
  virtual core::Status Disconnect() = 0;
};

class CardReader {
 public:
  virtual ~CardReader();
  // Names of the attached readers; empty when there are none.
  // Returns kIo when the reader service fails.
  virtual core::Result<std::vector<std::string>> ListReaders() = 0;
  // The first reader (in ListReaders() order) holding a card, waiting up to `wait` for one to be
  // put on a reader. Returns kNotFound when no reader holds a card by then.
  virtual core::Result<std::string> FindCard(std::chrono::milliseconds wait) = 0;
  // Connects to the card in `reader` for a run of commands no other program can interleave.
  // A reset reported before anything was sent is reconnected once, here. Returns kNotFound when
  // the card is gone, kConflict when it is reset again, kIo when the card does not answer.
  virtual core::Result<std::unique_ptr<CardConnection>> Connect(const std::string& reader) = 0;
};

// PC/SC (pcsc-lite). Returns kNotFound when no PC/SC service is running, kIo when it fails.
core::Result<std::unique_ptr<CardReader>> OpenPcscCardReader();

// A card on a reader, connected (ConnectPcscCard). `readers` holds the PC/SC context the
// connection runs on: keep it as long as the connection.
struct ConnectedCard {
  std::unique_ptr<CardReader> readers;
  std::unique_ptr<CardConnection> connection;
  std::string reader;  // the name of the reader holding the card
};

// Opens PC/SC, finds the first reader holding a card (waiting up to `wait` for one) and connects
// to it: the one way the app and shelterctl reach a card (card_connect.cpp). On failure
// `*failure` says why, with the error's detail: kNoReader (no PC/SC service, or no reader),
// kNoCard, kCardReset (reset again while connecting) or kCardError. The error returned is
// failure->ToError(), except that a reader list PC/SC cannot give returns its own error (kIo).
core::Result<ConnectedCard> ConnectPcscCard(std::chrono::milliseconds wait,
                                            core::CardRead* failure);

}  // namespace shelter::platform
