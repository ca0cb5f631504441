// Tests for core/model/entities: typed households, persons and stays become field writes and come
// back whole from a materialized record; ValidateHousehold refuses a draft a reviewer should fix,
// naming the member and the field, never the value.
#include "core/model/entities.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace shelter::core {
namespace {

// A record holding exactly `writes`, as one op from one device would leave it.
RecordState RecordOf(RecordType type, const std::vector<FieldWrite>& writes) {
  RecordState r;
  r.id = Id16::Random();
  r.type = type;
  Dot dot{Id16::Random(), 1};
  for (auto& w : writes)
    if (!w.value.is_null()) r.fields[w.field] = {RegisterValue{dot, 1, w.value}};
  return r;
}

Person Hanako() {
  Person p;
  p.household = Id16::Random();
  p.name = "佐藤 花子";
  p.kana = "さとう はなこ";
  p.dob = "1970-01-02";
  p.sex = "female";
  p.phone = "090-1234-5678";
  p.needs = {"ELD"};
  p.care_level = 2;
  p.evac_support = true;
  p.consent.to_public = true;
  p.source = "card";
  return p;
}

TEST_CASE("entities: a person's fields come back from its record") {
  Person p = Hanako();
  Person back = PersonFromRecord(RecordOf(RecordType::kPerson, PersonFields(p)));
  CHECK(back.household == p.household);
  CHECK(back.name == p.name);
  CHECK(back.kana == p.kana);
  CHECK(back.dob == p.dob);
  CHECK(back.sex == "female");
  CHECK(back.phone == p.phone);
  CHECK(back.needs == p.needs);
  CHECK(back.care_level == 2);
  CHECK(back.evac_support);
  CHECK(back.consent.to_public);
  CHECK(back.consent.family);
  CHECK(back.source == "card");
}

TEST_CASE("entities: field writes are sorted and unique, empty values written as null") {
  Person p;
  p.name = "X";
  auto writes = PersonFields(p);
  for (size_t i = 1; i < writes.size(); ++i) CHECK(writes[i - 1].field < writes[i].field);
  bool kana_null = false;
  for (auto& w : writes)
    if (w.field == field::kKana) kana_null = w.value.is_null();
  CHECK(kana_null);  // so an edit can clear a field
}

TEST_CASE("entities: a household with pets and a stay come back from their records") {
  Household h;
  h.shelter = Id16::Random();
  h.head = Id16::Random();
  h.address = "東京都千代田区1-1";
  h.vehicle = "品川 300 あ 12-34";
  h.pets = {{"dog", 2, "with"}};
  Household back = HouseholdFromRecord(RecordOf(RecordType::kHousehold, HouseholdFields(h)));
  CHECK(back.shelter == h.shelter);
  CHECK(back.head == h.head);
  CHECK(back.address == h.address);
  CHECK(back.vehicle == h.vehicle);
  REQUIRE(back.pets.size() == 1);
  CHECK(back.pets[0].kind == "dog");
  CHECK(back.pets[0].count == 2);
  CHECK(back.pets[0].mode == "with");

  Stay s{Id16::Random(),
         Id16::Random(),
         StayEvent::kMoved,
         Place::kWelfareShelter,
         Id16::Random(),
         1'700'000'000'000,
         {}};
  Stay sback = StayFromRecord(RecordOf(RecordType::kStay, StayFields(s)));
  CHECK(sback.person == s.person);
  CHECK(sback.event == StayEvent::kMoved);
  CHECK(sback.place == Place::kWelfareShelter);
  CHECK(sback.to_shelter == s.to_shelter);
}

TEST_CASE("entities: stay events and places are read by their wire names") {
  for (auto e : {StayEvent::kArrive, StayEvent::kLeave, StayEvent::kOvernightOut, StayEvent::kMoved,
                 StayEvent::kHospital, StayEvent::kReturnedHome}) {
    auto back = ParseStayEvent(StayEventName(e));
    REQUIRE(back.ok());
    CHECK(*back == e);
  }
  CHECK(std::string(StayEventName(StayEvent::kOvernightOut)) == "overnight_out");
  CHECK(*ParsePlace("welfare_shelter") == Place::kWelfareShelter);
  CHECK(ParseStayEvent("checkin").error().code == ErrorCode::kInvalidArgument);
  CHECK(ParsePlace("Shelter").error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("entities: ValidateHousehold accepts a good draft and names what is wrong in a bad one") {
  Household good;
  good.members = {Hanako()};
  CHECK(ValidateHousehold(good).ok());

  auto refused = [](Household h, const char* expected_in_detail) {
    Status s = ValidateHousehold(h);
    REQUIRE_FALSE(s.ok());
    CAPTURE(s.error().detail);
    CHECK(s.error().code == ErrorCode::kInvalidArgument);
    CHECK(s.error().detail.find(expected_in_detail) != std::string::npos);
  };
  refused(Household{}, "at least one member");
  Household nameless = good;
  nameless.members.push_back(Person{});
  refused(nameless, "member 2: name or kana");
  Household latin_kana = good;
  latin_kana.members[0].kana = "Hanako";
  refused(latin_kana, "kana");
  Household bad_date = good;
  bad_date.members[0].dob = "1970-02-30";
  refused(bad_date, "date of birth");
  Household future = good;
  future.members[0].dob = "2199-01-01";  // the last year dates are read in
  refused(future, "future");
  Household bad_sex = good;
  bad_sex.members[0].sex = "f";
  refused(bad_sex, "sex");
  Household bad_need = good;
  bad_need.members[0].needs = {"XYZ"};
  refused(bad_need, "need code");
  Household care = good;
  care.members[0].care_level = 6;
  refused(care, "care level");
  Household crowd = good;
  crowd.members.assign(51, Hanako());
  refused(crowd, "at most 50");
  Household bad_utf8 = good;
  bad_utf8.note = "\xff";
  refused(bad_utf8, "UTF-8");
}

TEST_CASE("entities: a refusal never repeats the value it refused") {
  Household h;
  Person p = Hanako();
  p.kana = "Secret Latin Name";
  h.members = {p};
  Status s = ValidateHousehold(h);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().detail.find("Secret") == std::string::npos);
}

}  // namespace
}  // namespace shelter::core
