// ConnectPcscCard: PC/SC opened, the reader holding a card found, the card connected, each
// failure named as a card outcome (what the app shows and shelterctl card reports).
#include <string>
#include <utility>

#include "platform/card_reader.hpp"

namespace shelter::platform {

using core::CardOutcome;
using core::ErrorCode;

namespace {

core::CardRead Fail(CardOutcome outcome, std::string detail) {
  core::CardRead r;
  r.outcome = outcome;
  r.detail = std::move(detail);
  return r;
}

}  // namespace

core::Result<ConnectedCard> ConnectPcscCard(std::chrono::milliseconds wait,
                                            core::CardRead* failure) {
  ConnectedCard card;
  auto readers = OpenPcscCardReader();
  if (!readers.ok()) {
    *failure = Fail(CardOutcome::kNoReader, readers.error().detail);
    return failure->ToError();
  }
  card.readers = std::move(*readers);
  auto names = card.readers->ListReaders();
  if (!names.ok()) {
    *failure = Fail(CardOutcome::kNoReader, names.error().detail);
    return names.error();
  }
  if (names->empty()) {
    *failure = Fail(CardOutcome::kNoReader, "no card reader attached");
    return failure->ToError();
  }
  auto found = card.readers->FindCard(wait);
  if (!found.ok()) {
    *failure = Fail(
        found.error().code == ErrorCode::kNotFound ? CardOutcome::kNoCard : CardOutcome::kCardError,
        found.error().detail);
    return failure->ToError();
  }
  card.reader = *found;
  auto conn = card.readers->Connect(card.reader);
  if (!conn.ok()) {
    // Connect() reconnects a reset card once itself; kConflict means it was reset again.
    ErrorCode code = conn.error().code;
    *failure = Fail(code == ErrorCode::kNotFound   ? CardOutcome::kNoCard
                    : code == ErrorCode::kConflict ? CardOutcome::kCardReset
                                                   : CardOutcome::kCardError,
                    conn.error().detail);
    return failure->ToError();
  }
  card.connection = std::move(*conn);
  return card;
}

}  // namespace shelter::platform
