// PC/SC + core::CardSession, as shelterctl card does it, but without waiting for a card: staff
// put the card on the reader before they press anything.
#include "ui/card_device.hpp"

#include <chrono>
#include <memory>
#include <string>

#include "core/card/card_session.hpp"
#include "core/ops/registration.hpp"
#include "platform/card_reader.hpp"

namespace shelter::ui {

namespace {

using core::CardOutcome;
using core::ErrorCode;

struct Connected {
  std::unique_ptr<platform::CardReader> readers;
  std::unique_ptr<platform::CardConnection> connection;
};

// Why Connect() failed: the card left, was reset twice (once is reconnected there), or else.
CardOutcome ConnectOutcome(ErrorCode code) {
  if (code == ErrorCode::kNotFound) return CardOutcome::kNoCard;
  if (code == ErrorCode::kConflict) return CardOutcome::kCardReset;
  return CardOutcome::kCardError;
}

// The reader holding a card, connected; or why there is none.
std::optional<Connected> Connect(CardCheck* failure) {
  auto readers = platform::OpenPcscCardReader();
  if (!readers.ok()) {
    failure->outcome = CardOutcome::kNoReader;
    return std::nullopt;
  }
  Connected c;
  c.readers = std::move(*readers);
  auto names = c.readers->ListReaders();
  if (!names.ok() || names->empty()) {
    failure->outcome = CardOutcome::kNoReader;
    return std::nullopt;
  }
  auto found = c.readers->FindCard(std::chrono::milliseconds(0));
  if (!found.ok()) {
    failure->outcome =
        found.error().code == ErrorCode::kNotFound ? CardOutcome::kNoCard : CardOutcome::kCardError;
    return std::nullopt;
  }
  auto conn = c.readers->Connect(*found);
  if (!conn.ok()) {
    failure->outcome = ConnectOutcome(conn.error().code);
    return std::nullopt;
  }
  c.connection = std::move(*conn);
  return c;
}

}  // namespace

CardCheck CheckPcscCard() {
  CardCheck check;
  auto c = Connect(&check);
  if (!c) return check;
  core::CardSession session(*c->connection);
  core::CardRead open = session.Open();
  (void)c->connection->Disconnect();
  check.outcome = open.outcome;
  check.tries_left = open.tries_left;
  return check;
}

CardDraft ReadPcscCard(std::string_view pin) {
  CardDraft out;
  auto c = Connect(&out.check);
  if (!c) return out;
  core::CardSession session(*c->connection);
  core::CardRead read = session.Open();
  if (read.ok()) read = session.ReadBasicInfo(pin);
  // Resets the card, so it forgets the verified PIN. A read that already failed keeps its outcome.
  core::Status s = c->connection->Disconnect();
  out.check.outcome = read.outcome;
  out.check.tries_left = read.tries_left;
  if (read.ok() && !s.ok()) out.check.outcome = CardOutcome::kCardRemoved;
  if (out.check.outcome == CardOutcome::kOk && read.info)
    out.household = core::DraftFromCard(*read.info).household;
  return out;
}

}  // namespace shelter::ui
