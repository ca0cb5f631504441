// PC/SC (platform::ConnectPcscCard) + core::CardSession, as shelterctl card does it, but without
// waiting for a card: staff put the card on the reader before they press anything.
#include "ui/card_device.hpp"

#include <chrono>
#include <optional>
#include <string>

#include "core/card/card_session.hpp"
#include "core/ops/registration.hpp"
#include "platform/card_reader.hpp"

namespace shelter::ui {

namespace {

using core::CardOutcome;

// The reader holding a card, connected; or why there is none.
std::optional<platform::ConnectedCard> Connect(CardCheck* failure) {
  core::CardRead why;
  auto card = platform::ConnectPcscCard(std::chrono::milliseconds(0), &why);
  if (!card.ok()) {
    failure->outcome = why.outcome;
    return std::nullopt;
  }
  return std::move(*card);
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
