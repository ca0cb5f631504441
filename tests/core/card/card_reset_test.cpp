// Specifies core/card/card_session.
// A card reset underneath the read (PC/SC's SCARD_W_RESET_CARD: the previous connection's
// SCARD_RESET_CARD disconnect, another program) restarts the conversation once and is never
// reported as a removed card; a PIN is never counted twice and a refused PIN never resent.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/card/card_session.hpp"
#include "tests/support/fake_my_number_card.hpp"

namespace shelter::core {
namespace {

using test::FakeMyNumberCard;

// VERIFY commands with a PIN that reached the card.
long PinsSent(const FakeMyNumberCard& card) {
  return std::count_if(card.log.begin(), card.log.end(),
                       [](const std::string& l) { return l.rfind("0020008004", 0) == 0; });
}

CardRead ReadCard(CardSession& s, std::string_view pin) {
  CardRead r = s.Open();
  if (r.ok()) r = s.ReadBasicInfo(pin);
  return r;
}

// Transmit() calls of a whole read without a reset (Open: 3, VERIFY: 1, then the records).
int CallsOfAWholeRead() {
  FakeMyNumberCard card;
  CardSession s(card);
  REQUIRE(ReadCard(s, card.pin).ok());
  return s.apdu_count();
}

TEST_CASE("A card reset at any point of the read is reconnected and read, not card_removed") {
  int total = CallsOfAWholeRead();
  for (int n = 1; n <= total; ++n) {
    CAPTURE(n);
    FakeMyNumberCard card;
    card.reset_before = {n};
    CardSession s(card);
    CardRead r = ReadCard(s, card.pin);
    CAPTURE(r.detail);
    REQUIRE(r.ok());
    REQUIRE(r.info.has_value());
    CHECK(r.info->name == card.name);
    CHECK(s.restarts() == 1);
    CHECK(card.reconnects == 1);
    CHECK(card.tries == card.max_tries);
  }
}

TEST_CASE("A card reset before the PIN reached the card sends it once: a wrong PIN costs 1 try") {
  FakeMyNumberCard card;
  card.reset_before = {4};  // the VERIFY with the PIN: PC/SC reports the reset instead of sending
  CardSession s(card);
  CardRead r = ReadCard(s, "0000");
  CHECK(r.outcome == CardOutcome::kWrongPin);
  CHECK(r.tries_left == 2);
  CHECK(card.tries == 2);
  CHECK(PinsSent(card) == 1);
}

TEST_CASE("A card reset after it counted a wrong PIN reports wrong_pin and never resends it") {
  FakeMyNumberCard card;
  card.reset_after = {4};  // the card took the VERIFY, then the answer was lost to the reset
  CardSession s(card);
  CardRead r = ReadCard(s, "0000");
  CHECK(r.outcome == CardOutcome::kWrongPin);
  CHECK(r.tries_left == 2);
  CHECK(card.tries == 2);
  CHECK(PinsSent(card) == 1);
  CHECK(s.restarts() == 1);
}

TEST_CASE("A card reset after it accepted the PIN verifies again and reads") {
  FakeMyNumberCard card;
  card.tries = 2;
  card.reset_after = {4};
  CardSession s(card);
  CardRead r = ReadCard(s, card.pin);
  CAPTURE(r.detail);
  REQUIRE(r.ok());
  CHECK(r.info->name == card.name);
  CHECK(card.tries == card.max_tries);  // a right PIN sent twice uses no try
  CHECK(PinsSent(card) == 2);
}

TEST_CASE("A card reset after the PIN was accepted, during the records, restarts and reads") {
  FakeMyNumberCard card;
  card.reset_after = {7};
  CardSession s(card);
  CardRead r = ReadCard(s, card.pin);
  REQUIRE(r.ok());
  CHECK(s.restarts() == 1);
  CHECK(PinsSent(card) == 2);
}

TEST_CASE("A card reset again after the restart is card_reset, with no data and no extra PIN") {
  SUBCASE("while opening") {
    FakeMyNumberCard card;
    card.reset_before = {1, 3};
    CardSession s(card);
    CardRead r = s.Open();
    CHECK(r.outcome == CardOutcome::kCardReset);
    CHECK(r.ToError().code == ErrorCode::kConflict);
    CHECK(r.ToError().detail.rfind("card_reset: ", 0) == 0);
    CHECK(PinsSent(card) == 0);
  }
  SUBCASE("while reading") {
    FakeMyNumberCard card;
    card.reset_before = {6, 12};
    CardSession s(card);
    CardRead r = ReadCard(s, card.pin);
    CHECK(r.outcome == CardOutcome::kCardReset);
    CHECK_FALSE(r.info.has_value());
    CHECK(s.restarts() == 1);
    CHECK(PinsSent(card) == 2);
    CHECK(card.tries == card.max_tries);
  }
  SUBCASE("a link that cannot reconnect") {
    FakeMyNumberCard card;
    card.reset_before = {2};
    struct NoReconnect : ApduTransport {
      FakeMyNumberCard& card;
      explicit NoReconnect(FakeMyNumberCard& c) : card(c) {}
      Result<Bytes> Transmit(ByteView c) override { return card.Transmit(c); }
    } link(card);
    CardSession s(link);
    CHECK(s.Open().outcome == CardOutcome::kCardReset);
  }
}

TEST_CASE("A card pulled out while it is being reconnected is card_removed") {
  FakeMyNumberCard card;
  card.reset_before = {4};
  card.pull_after = 3;  // gone once 3 commands reached it: the reset VERIFY's reconnect fails
  CardSession s(card);
  CHECK(ReadCard(s, card.pin).outcome == CardOutcome::kCardRemoved);
}

}  // namespace
}  // namespace shelter::core
