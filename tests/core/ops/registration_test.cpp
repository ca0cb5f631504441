// Specifies core/ops/registration, with core/formats/shelter_pass (JSP1).
// The registration flow end to end: JPR1 and quick manual drafts are confirmed, saved and get a
// signed JSP1 pass per person that another tablet verifies offline; forged, tampered, foreign and
// kiosk-issued passes are refused.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/codec/base45.hpp"
#include "core/codec/qr_code.hpp"
#include "core/ops/registration.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

PreRegistration TwoPeople() {
  PreRegistration pre;
  pre.language = "en";
  pre.household.address = "東京都千代田区九段南１丁目２番１号";
  Person a, b;
  a.name = "山田 太郎";
  a.kana = "やまだ たろう";
  a.dob = "1980-05-05";
  b.kana = "やまだ はなこ";
  b.needs = {"PRG"};
  pre.household.members = {a, b};
  return pre;
}

}  // namespace

TEST_CASE("registration: a JPR1 code becomes a saved household with a verifiable pass per person") {
  TestShelter t(2);
  auto text = EncodePreRegistration(TwoPeople());
  REQUIRE(text.ok());
  auto pre = DecodePreRegistration(*text);
  REQUIRE(pre.ok());
  RegistrationDraft draft = DraftFromPreRegistration(*pre);
  CHECK_FALSE(draft.notes.empty());  // staff are told to check a self-declared code
  auto done = ConfirmRegistration(t.tablet(0), draft, t.shelter_id(), true);
  REQUIRE_MESSAGE(done.ok(), done.error().ToString());
  REQUIRE(done->passes.size() == 2);

  auto saved = LoadHousehold(t.tablet(0), done->ids.household);
  REQUIRE(saved.ok());
  REQUIRE(saved->members.size() == 2);
  CHECK(saved->members[0].source == "qr");
  CHECK(saved->members[0].language == "en");  // inherited from the household's language

  for (size_t i = 0; i < 2; ++i) {
    const std::string& pass = done->passes[i];
    CHECK(pass.size() <= kShelterPassPrefix.size() + (kShelterPassMaxBytes + 1) / 2 * 3);
    auto sym = EncodeQr(pass, QrEcc::kQ);
    REQUIRE(sym.ok());
    CHECK(sym->version <= 10);
    // Another tablet of the shelter verifies it offline.
    auto v = VerifyShelterPassText(t.tablet(1), pass);
    REQUIRE_MESSAGE(v.ok(), v.error().ToString());
    CHECK(v->person == done->ids.persons[i]);
    CHECK(v->household == done->ids.household);
    CHECK(v->shelter == t.shelter_id());
  }
  // Everyone was checked in.
  auto counts = t.tablet(0).state().Counts(t.shelter_id());
  REQUIRE(counts.ok());
  CHECK(counts->in_shelter == 2);
}

TEST_CASE("registration: the quick manual path needs only a spoken name") {
  TestShelter t(1);
  auto done =
      ConfirmRegistration(t.tablet(0), QuickManualDraft("すずき はな"), t.shelter_id(), true);
  REQUIRE(done.ok());
  auto found = t.tablet(0).state().SearchPersons("スズキ");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].InShelter());
  // Without any name, staff get a clear error and nothing is saved.
  auto empty = ConfirmRegistration(t.tablet(0), QuickManualDraft(""), t.shelter_id(), false);
  CHECK(empty.error().code == ErrorCode::kInvalidArgument);
  auto again = IssueShelterPass(t.tablet(0), done->ids.persons[0]);
  REQUIRE(again.ok());
  CHECK(VerifyShelterPassText(t.tablet(0), *again).ok());
  CHECK(IssueShelterPass(t.tablet(0), Id16::Random()).error().code == ErrorCode::kNotFound);
}

TEST_CASE("registration: forged, tampered and foreign passes are refused") {
  TestShelter t(1);
  auto done = ConfirmRegistration(t.tablet(0), QuickManualDraft("たなか"), t.shelter_id(), false);
  REQUIRE(done.ok());
  const std::string pass = done->passes[0];
  auto parsed = ParseShelterPass(pass);
  REQUIRE(parsed.ok());
  const DeviceCert& issuer = t.tablet(0).device();
  CHECK(VerifyShelterPass(*parsed, issuer).ok());

  SUBCASE("tampered person id") {
    auto raw = Base45Decode(pass.substr(5));
    REQUIRE(raw.ok());
    (*raw)[5] ^= 1;  // inside the person id
    auto bad = ParseShelterPass("JSP1:" + Base45Encode(View(*raw)));
    REQUIRE(bad.ok());
    CHECK(VerifyShelterPass(*bad, issuer).error().code == ErrorCode::kCrypto);
  }
  SUBCASE("signed by an unknown key with a made-up kid") {
    auto kp = crypto::GenerateSignKeyPair();
    ShelterPass forged = parsed->pass;
    forged.kid = crypto::KeyIdOf(kp.pk);
    auto text = EncodeShelterPass(
        forged, [&](ByteView m) -> Result<crypto::Signature> { return crypto::Sign(kp.sk, m); });
    REQUIRE(text.ok());
    CHECK(VerifyShelterPassText(t.tablet(0), *text).error().code == ErrorCode::kNotFound);
  }
  SUBCASE("signed by an unknown key claiming the tablet's kid") {
    auto kp = crypto::GenerateSignKeyPair();
    auto text = EncodeShelterPass(parsed->pass, [&](ByteView m) -> Result<crypto::Signature> {
      return crypto::Sign(kp.sk, m);
    });
    REQUIRE(text.ok());
    CHECK(VerifyShelterPassText(t.tablet(0), *text).error().code == ErrorCode::kCrypto);
  }
  SUBCASE("a tablet of another shelter, a kiosk, or outside the validity") {
    DeviceCert other = issuer;
    other.shelter_scope = Id16::Random();
    CHECK(VerifyShelterPass(*parsed, other).error().code == ErrorCode::kPermissionDenied);
    DeviceCert kiosk = issuer;
    kiosk.role = DeviceRole::kKiosk;
    CHECK(VerifyShelterPass(*parsed, kiosk).error().code == ErrorCode::kPermissionDenied);
    DeviceCert expired = issuer;
    expired.not_after = parsed->pass.issued_s - 1;
    CHECK(VerifyShelterPass(*parsed, expired).error().code == ErrorCode::kPermissionDenied);
  }
  SUBCASE("malformed text") {
    CHECK(ParseShelterPass("JSP2:AAA").error().code == ErrorCode::kUnsupported);
    CHECK(ParseShelterPass("JPR1:AAA").error().code == ErrorCode::kUnsupported);
    CHECK(ParseShelterPass(pass.substr(0, pass.size() - 3)).error().code == ErrorCode::kParse);
    CHECK(ParseShelterPass(pass + "AAA").error().code == ErrorCode::kParse);
    CHECK(ParseShelterPass("JSP1:" + std::string(400, '0')).error().code == ErrorCode::kParse);
  }
  SUBCASE("a logged-out tablet cannot issue") {
    t.tablet(0).Logout();
    CHECK_FALSE(IssueShelterPass(t.tablet(0), done->ids.persons[0]).ok());
  }
}

TEST_CASE("registration: a kiosk checks a pass holder in and out, and only for its own shelter") {
  TestShelter t(1);
  Node& tab = t.tablet(0);
  auto done = ConfirmRegistration(tab, QuickManualDraft("こばやし"), t.shelter_id(), false);
  REQUIRE(done.ok());
  REQUIRE(tab.AddStaff("kiosk", StaffRole::kKiosk, "2468").ok());
  tab.Logout();
  REQUIRE(tab.Login("kiosk", "2468").ok());
  // A kiosk login may not register anyone.
  CHECK(ConfirmRegistration(tab, QuickManualDraft("だれか"), t.shelter_id(), false).error().code ==
        ErrorCode::kPermissionDenied);

  auto in = CheckInOutByPass(tab, done->passes[0], true);
  REQUIRE_MESSAGE(in.ok(), in.error().ToString());
  CHECK(in->person.InShelter());
  CHECK(in->person.kana == "こばやし");
  auto out = CheckInOutByPass(tab, done->passes[0], false);
  REQUIRE(out.ok());
  CHECK(out->person.event == "leave");

  // A valid pass of a person this tablet does not hold.
  ShelterPass other = ParseShelterPass(done->passes[0])->pass;
  other.person = Id16::Random();
  tab.Logout();
  REQUIRE(tab.Login("lead", "5678").ok());
  auto unknown = EncodeShelterPass(other, [&](ByteView m) { return tab.SignAsDevice(m); });
  REQUIRE(unknown.ok());
  CHECK(ScanPass(tab, *unknown).error().code == ErrorCode::kNotFound);
}

TEST_CASE("registration: a card read becomes a draft staff complete with the kana") {
  TestShelter t(1);
  CardBasicInfo card;
  card.name = "髙﨑\u3000𠮷子";
  card.address = "東京都千代田区九段南１丁目２番１号";
  card.birth_date = "1975-03-09";
  card.sex = "female";
  RegistrationDraft d = DraftFromCard(card);
  REQUIRE(d.household.members.size() == 1);
  CHECK(d.household.members[0].source == "card");
  CHECK(d.household.address == card.address);
  d.household.members[0].kana = "たかさき よしこ";
  auto done = ConfirmRegistration(t.tablet(0), d, t.shelter_id(), true);
  REQUIRE(done.ok());
  auto found = t.tablet(0).state().SearchPersons("高崎");  // new forms find the old ones
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].dob == "1975-03-09");
  card.sex = "unknown";
  card.needs_review = true;
  RegistrationDraft odd = DraftFromCard(card);
  CHECK(odd.household.members[0].sex == "unanswered");
  CHECK(odd.notes.size() == 2);
}

TEST_CASE("registration: register --dob takes the Japanese era dates search takes") {
  // search found 昭和33年5月5日, register refused it: the quick path now shares NormalizeDate.
  RegistrationDraft d = QuickManualDraft("やまだ", "", "昭和33年5月5日");
  CHECK(d.household.members[0].dob == "1958-05-05");
  CHECK(QuickManualDraft("やまだ", "", "S33.5.5").household.members[0].dob == "1958-05-05");
  CHECK(QuickManualDraft("やまだ", "", "１９５８／５／５").household.members[0].dob ==
        "1958-05-05");
  CHECK(ValidateHousehold(d.household).ok());
  // A date the parser cannot read stays as typed and is refused by validation, naming the field.
  RegistrationDraft bad = QuickManualDraft("やまだ", "", "昭和99年13月1日");
  Status s = ValidateHousehold(bad.household);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().detail == "member 1: date of birth must be a valid YYYY-MM-DD date");
}

TEST_CASE("registration: a birth date in the future or kana that are not kana are refused") {
  Household h;
  Person p;
  p.kana = "やまだ たろう";
  p.dob = "2100-01-01";
  h.members = {p};
  Status future = ValidateHousehold(h);
  REQUIRE_FALSE(future.ok());
  CHECK(future.error().detail == "member 1: date of birth is in the future");
  h.members[0].dob = "1980-01-01";
  CHECK(ValidateHousehold(h).ok());
  for (const char* kana : {"ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう", "ヴィクトリア・ルー", ""})
    CHECK_MESSAGE(ValidateHousehold([&] {
                    Household k = h;
                    k.members[0].kana = kana;
                    if (!*kana) k.members[0].name = "山田";
                    return k;
                  }())
                      .ok(),
                  kana);
  for (const char* not_kana : {"Yamada", "山田", "やまだ1", "やまだ;drop"}) {
    Household k = h;
    k.members[0].kana = not_kana;
    Status s = ValidateHousehold(k);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().detail ==
          "member 1: kana must be hiragana or katakana (other scripts go in the name)");
  }
}

TEST_CASE(
    "registration: a second 山田 太郎 1950-02-11 is returned as a likely duplicate and not saved") {
  TestShelter t(2);
  Node& tab = t.tablet(0);
  auto yamada = [] { return QuickManualDraft("やまだ たろう", "山田 太郎", "1950-02-11"); };
  auto first = ConfirmRegistration(tab, yamada(), t.shelter_id(), true);
  REQUIRE_MESSAGE(first.ok(), first.error().ToString());
  REQUIRE(first->saved());
  CHECK(first->likely_duplicates.empty());
  auto count = [&] {
    auto found = tab.state().SearchPersons("1950-02-11");
    REQUIRE(found.ok());
    return found->size();
  };

  // The same person again (the app's form and shelterctl both come here): nothing is saved, and
  // the candidate comes back with the reasons staff see.
  auto second = ConfirmRegistration(tab, yamada(), t.shelter_id(), true);
  REQUIRE_MESSAGE(second.ok(), second.error().ToString());
  CHECK_FALSE(second->saved());
  CHECK(second->passes.empty());
  REQUIRE(second->likely_duplicates.size() == 1);
  const DuplicateCandidate& d = second->likely_duplicates.front();
  CHECK(d.b == first->ids.persons[0]);
  CHECK(d.draft_member == 0);
  auto has = [&](const char* r) {
    return std::find(d.reasons.begin(), d.reasons.end(), r) != d.reasons.end();
  };
  CHECK(has(reason::kSameName));
  CHECK(has(reason::kSameDob));
  CHECK(count() == 1);

  // Staff who checked the candidate and found a different person register anyway.
  CHECK(MayRegisterAnyway(tab).ok());
  auto anyway =
      ConfirmRegistration(tab, yamada(), t.shelter_id(), false, OnDuplicate::kRegisterAnyway);
  REQUIRE_MESSAGE(anyway.ok(), anyway.error().ToString());
  CHECK(anyway->saved());
  CHECK(count() == 2);

  // A kiosk login may do neither: the rule is in core, not in a screen.
  REQUIRE(tab.AddStaff("kiosk", StaffRole::kKiosk, "2468").ok());
  tab.Logout();
  REQUIRE(tab.Login("kiosk", "2468").ok());
  CHECK(MayRegisterAnyway(tab).error().code == ErrorCode::kPermissionDenied);
  CHECK(ConfirmRegistration(tab, yamada(), t.shelter_id(), false, OnDuplicate::kRegisterAnyway)
            .error()
            .code == ErrorCode::kPermissionDenied);
  CHECK(count() == 2);
}
