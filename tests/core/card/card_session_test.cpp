#include "core/card/card_session.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "tests/support/fake_my_number_card.hpp"

namespace shelter::core {
namespace {

using test::FakeMyNumberCard;
using Fault = FakeMyNumberCard::Fault;

bool Selected(const FakeMyNumberCard& card, const std::string& fid_hex) {
  return std::count(card.log.begin(), card.log.end(), "00a4020c02" + fid_hex) > 0;
}

bool LogHasPin(const FakeMyNumberCard& card) {
  for (const auto& l : card.log)
    if (l.find(ToHex(View(card.pin))) != std::string::npos) return true;
  return false;
}

TEST_CASE("A full read: tries first, then PIN, basic 4 info and a matching digest") {
  FakeMyNumberCard card;
  card.name = "髙橋\u3000𠮷男";
  card.address = "東京都千代田区千代田１－１";
  card.tries = 2;
  CardSession s(card);
  CardRead open = s.Open();
  REQUIRE(open.ok());
  CHECK(open.tries_left == 2);
  CHECK(card.log.size() == 3);  // select AP, select PIN, query: no try used
  CHECK(card.tries == 2);
  CardRead read = s.ReadBasicInfo(card.pin);
  REQUIRE(read.ok());
  REQUIRE(read.info.has_value());
  CHECK(read.info->name == "髙橋\u3000𠮷男");
  CHECK(read.info->address == card.address);
  CHECK(read.info->birth_date == "1980-04-01");
  CHECK(read.info->sex == "male");
  CHECK(card.tries == 3);  // a right PIN resets the counter
  CHECK(s.apdu_count() == static_cast<int>(card.log.size()));
  CHECK_FALSE(Selected(card, "0001"));
  CHECK_FALSE(LogHasPin(card));
}

TEST_CASE("A wrong PIN reports the tries left and stops") {
  FakeMyNumberCard card;
  CardSession s(card);
  REQUIRE(s.Open().tries_left == 3);
  CardRead r = s.ReadBasicInfo("0000");
  CHECK(r.outcome == CardOutcome::kWrongPin);
  CHECK(r.tries_left == 2);
  CHECK_FALSE(r.info.has_value());
  CHECK(r.ToError().code == ErrorCode::kUnauthenticated);
  CHECK(r.ToError().detail.rfind("wrong_pin", 0) == 0);
  CHECK(card.log.back().rfind("0020008004", 0) == 0);  // nothing read after the failed VERIFY
}

TEST_CASE("The try that exhausts the counter reports locked") {
  FakeMyNumberCard card;
  card.tries = 1;
  CardSession s(card);
  REQUIRE(s.Open().tries_left == 1);
  CardRead r = s.ReadBasicInfo("0000");
  CHECK(r.outcome == CardOutcome::kLocked);
  CHECK(r.ToError().code == ErrorCode::kLocked);
}

TEST_CASE("A locked card is reported before any PIN is sent") {
  for (Fault f : {Fault::kLocked63C0, Fault::kLocked6983, Fault::kLocked6984}) {
    FakeMyNumberCard card;
    card.fault = f;
    CardSession s(card);
    CardRead r = s.Open();
    CHECK(r.outcome == CardOutcome::kLocked);
    CHECK(r.tries_left == 0);
    CHECK(card.log.size() == 3);
    CHECK(s.ReadBasicInfo(card.pin).outcome == CardOutcome::kCardError);  // REQUIRES Open ok
    CHECK(card.log.size() == 3);
  }
}

TEST_CASE("Another card is not a My Number Card") {
  FakeMyNumberCard card;
  card.fault = Fault::kNotMyNumber;
  CardSession s(card);
  CHECK(s.Open().outcome == CardOutcome::kNotMyNumberCard);
  CHECK(card.log.size() == 1);
}

TEST_CASE("A PIN that is not 4 digits is never sent") {
  for (const char* pin : {"", "123", "12345", "12a4", "１２３４"}) {
    FakeMyNumberCard card;
    CardSession s(card);
    REQUIRE(s.Open().ok());
    CHECK(s.ReadBasicInfo(pin).outcome == CardOutcome::kBadPinFormat);
    CHECK(card.log.size() == 3);
    CHECK(card.tries == 3);
  }
}

TEST_CASE("A card pulled out at any point of the read is reported as removed") {
  FakeMyNumberCard whole;
  CardSession full(whole);
  REQUIRE(full.Open().ok());
  REQUIRE(full.ReadBasicInfo(whole.pin).ok());
  int total = full.apdu_count();
  for (int n = 1; n < total; ++n) {
    CAPTURE(n);
    FakeMyNumberCard card;
    card.pull_after = n;
    CardSession s(card);
    CardRead r = s.Open();
    if (r.ok()) r = s.ReadBasicInfo(card.pin);
    CHECK(r.outcome == CardOutcome::kCardRemoved);
    CHECK_FALSE(r.info.has_value());
  }
}

TEST_CASE("A digest that does not match is reported and yields no data") {
  FakeMyNumberCard card;
  card.fault = Fault::kBadDigest;
  CardSession s(card);
  REQUIRE(s.Open().ok());
  CardRead r = s.ReadBasicInfo(card.pin);
  CHECK(r.outcome == CardOutcome::kDigestMismatch);
  CHECK_FALSE(r.info.has_value());
  CHECK(r.ToError().code == ErrorCode::kCorrupt);
}

TEST_CASE("EF 0001 is read only when allowed, and checked") {
  SUBCASE("off by default") {
    FakeMyNumberCard card;
    CardSession s(card);
    REQUIRE(s.Open().ok());
    REQUIRE(s.ReadBasicInfo(card.pin).ok());
    CHECK(s.ReadMyNumber().error().code == ErrorCode::kPermissionDenied);
    CHECK_FALSE(Selected(card, "0001"));
  }
  SUBCASE("allowed") {
    FakeMyNumberCard card;
    CardSession s(card, CardSessionOptions{.allow_my_number = true});
    REQUIRE(s.Open().ok());
    REQUIRE(s.ReadBasicInfo(card.pin).ok());
    auto number = s.ReadMyNumber();
    REQUIRE(number.ok());
    CHECK(std::string(number->data(), number->data() + number->size()) == card.my_number);
    CHECK(Selected(card, "0001"));
  }
  SUBCASE("a wrong check digit") {
    FakeMyNumberCard card;
    card.my_number = "123456789011";
    CardSession s(card, CardSessionOptions{.allow_my_number = true});
    REQUIRE(s.Open().ok());
    REQUIRE(s.ReadBasicInfo(card.pin).ok());
    CHECK(s.ReadMyNumber().error().code == ErrorCode::kCorrupt);
  }
}

// Wraps the fake card to answer READ BINARY the T=0 way: "61xx, then GET RESPONSE", or "6Cxx:
// resend with this Le" first; or a card that never stops saying 61xx.
class T0Card : public ApduTransport {
 public:
  enum class Mode { kGetResponse, kWrongLe, kEndless61 };
  T0Card(FakeMyNumberCard& card, Mode mode) : card_(card), mode_(mode) {}

  Result<Bytes> Transmit(ByteView c) override {
    if (c.size() >= 2 && c[1] == 0xC0) {
      if (mode_ == Mode::kEndless61) return Bytes{0x61, 0x00};
      Bytes out = pending_;
      out.insert(out.end(), {0x90, 0x00});
      return out;
    }
    if (c.size() == 5 && c[1] == 0xB0) {
      if (mode_ == Mode::kWrongLe && !resent_ && c[4] != 0) {
        resent_ = true;
        return Bytes{0x6C, c[4]};
      }
      resent_ = false;
      SHELTER_ASSIGN_OR_RETURN(Bytes r, card_.Transmit(c));
      if (mode_ == Mode::kWrongLe) return r;
      pending_.assign(r.begin(), r.end() - 2);
      return Bytes{0x61, static_cast<uint8_t>(pending_.size())};
    }
    return card_.Transmit(c);
  }

 private:
  FakeMyNumberCard& card_;
  Mode mode_;
  Bytes pending_;
  bool resent_ = false;
};

TEST_CASE(
    "READ BINARY copes with 61xx GET RESPONSE and 6Cxx resend, and gives up on endless 61xx") {
  for (auto mode : {T0Card::Mode::kGetResponse, T0Card::Mode::kWrongLe}) {
    FakeMyNumberCard card;
    T0Card t0(card, mode);
    CardSession s(t0);
    REQUIRE(s.Open().ok());
    CardRead r = s.ReadBasicInfo(card.pin);
    CAPTURE(r.detail);
    CHECK(r.ok());
    CHECK(s.apdu_count() > 11);
  }
  FakeMyNumberCard card;
  T0Card endless(card, T0Card::Mode::kEndless61);
  CardSession s(endless);
  REQUIRE(s.Open().ok());
  CHECK(s.ReadBasicInfo(card.pin).outcome == CardOutcome::kBadData);
}

}  // namespace
}  // namespace shelter::core
