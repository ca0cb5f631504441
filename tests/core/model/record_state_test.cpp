// Tests for core/model/record_state: each field is a multi-value register; the shown value is the
// latest by (HLC, device), differing concurrent values are a conflict and equal ones are not, a
// delete wins only when no concurrent edit kept a value, and the registers round-trip their
// canonical encoding.
#include "core/model/record_state.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/model/entities.hpp"

namespace shelter::core {
namespace {

Id16 DeviceOf(uint8_t n) {
  Id16 id;
  id.b[0] = n;
  return id;
}

RegisterValue Value(uint8_t device, uint64_t seq, Hlc hlc, cbor::Item value) {
  return RegisterValue{Dot{DeviceOf(device), seq}, hlc, std::move(value)};
}

RecordState Record() {
  RecordState r;
  r.id.b[0] = 0x42;
  r.type = RecordType::kPerson;
  r.scope.b[0] = 0x07;
  return r;
}

TEST_CASE("record state: an absent field reads as null, empty text and the fallbacks") {
  RecordState r = Record();
  CHECK(r.Get("name").is_null());
  CHECK(r.Winner("name") == nullptr);
  CHECK(r.Text("name").empty());
  CHECK(r.Int("age", -1) == -1);
  CHECK(r.Bool("consent", true));
  CHECK_FALSE(r.InConflict("name"));
  CHECK(r.Seen("name").empty());
  CHECK_FALSE(r.Deleted());
}

TEST_CASE("record state: the shown value is the latest HLC, then the larger device") {
  RecordState r = Record();
  r.fields["name"] = {Value(1, 1, 100, "佐藤"), Value(2, 1, 300, "鈴木"), Value(3, 1, 200, "高橋")};
  CHECK(r.Text("name") == "鈴木");
  REQUIRE(r.Winner("name") != nullptr);
  CHECK(r.Winner("name")->dot.device == DeviceOf(2));
  // Equal HLCs: the dot decides, so every device shows the same value.
  r.fields["room"] = {Value(5, 1, 100, "A"), Value(9, 1, 100, "B"), Value(7, 1, 100, "C")};
  CHECK(r.Text("room") == "B");
}

TEST_CASE("record state: text, integer and boolean readers see only their own types") {
  RecordState r = Record();
  r.fields["age"] = {Value(1, 1, 1, 82)};
  r.fields["consent"] = {Value(1, 2, 1, true)};
  r.fields["name"] = {Value(1, 3, 1, "伊藤")};
  CHECK(r.Int("age") == 82);
  CHECK(r.Text("age").empty());
  CHECK(r.Bool("consent"));
  CHECK(r.Int("consent", 5) == 5);
  CHECK(r.Text("name") == "伊藤");
  CHECK_FALSE(r.Bool("name"));
}

TEST_CASE("record state: differing concurrent values conflict, equal ones agree") {
  RecordState r = Record();
  r.fields["name"] = {Value(1, 1, 10, "山田"), Value(2, 1, 11, "山田")};
  r.fields["phone"] = {Value(1, 2, 10, "090"), Value(2, 2, 11, "080")};
  r.fields["room"] = {Value(1, 3, 10, "B2")};
  CHECK_FALSE(r.InConflict("name"));
  CHECK(r.InConflict("phone"));
  CHECK_FALSE(r.InConflict("room"));
  CHECK(r.ConflictedFields() == std::vector<std::string>{"phone"});
  std::vector<Dot> seen = r.Seen("phone");
  CHECK(seen == std::vector<Dot>{{DeviceOf(1), 2}, {DeviceOf(2), 2}});
}

TEST_CASE("record state: a delete wins unless a concurrent edit left a value") {
  RecordState r = Record();
  r.fields[field::kDeleted] = {Value(1, 5, 50, true)};
  r.fields["name"] = {Value(1, 6, 50, cbor::Null{})};  // the delete cleared the fields
  CHECK(r.Deleted());
  r.fields["name"].push_back(Value(2, 1, 49, "木村"));  // an edit the deleting tablet had not seen
  CHECK_FALSE(r.Deleted());
  RecordState undeleted = Record();
  undeleted.fields[field::kDeleted] = {Value(1, 1, 1, false)};
  CHECK_FALSE(undeleted.Deleted());
}

TEST_CASE("record state: registers round-trip their canonical encoding") {
  RecordState r = Record();
  r.fields["name"] = {Value(1, 1, 10, "山田"), Value(2, 1, 11, "山本")};
  r.fields["age"] = {Value(1, 2, 12, 40)};
  r.fields["note"] = {Value(3, 9, 13, cbor::Null{})};
  Bytes blob = EncodeRegisters(r);
  auto back = DecodeRegisters(r.id, r.type, r.scope, View(blob));
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->id == r.id);
  CHECK(back->type == r.type);
  CHECK(back->scope == r.scope);
  CHECK(back->Text("name") == "山本");
  CHECK(back->InConflict("name"));
  CHECK(back->Int("age") == 40);
  CHECK(back->Seen("note") == std::vector<Dot>{{DeviceOf(3), 9}});
  CHECK(EncodeRegisters(*back) == blob);  // the state hash input is stable
}

TEST_CASE("record state: the streamed encoding is the CBOR of the documented item") {
  // The state hash is computed over these bytes: the encoder that writes them directly must give
  // exactly what encoding {name: [[device, seq, hlc, value], ...]} as a cbor::Item gives.
  RecordState r = Record();
  r.fields["a"] = {Value(1, 1, 5, "x"), Value(2, 300, 1LL << 40, cbor::Array{1, "y"})};
  r.fields["b"] = {Value(3, 70000, 0, cbor::Null{}), Value(4, 24, 23, Bytes{1, 2, 3})};
  r.fields["c"] = {};
  r.fields[std::string(30, 'n')] = {Value(5, 1, 1, -100)};
  cbor::Map m;
  for (auto& [name, vals] : r.fields) {
    if (vals.empty()) continue;
    cbor::Array arr;
    for (auto& v : vals)
      arr.push_back(cbor::Array{cbor::Item(Bytes(v.dot.device.b.begin(), v.dot.device.b.end())),
                                cbor::Item(static_cast<int64_t>(v.dot.seq)),
                                cbor::Item(static_cast<int64_t>(v.hlc)), v.value});
    m.emplace_back(cbor::Item(name), cbor::Item(std::move(arr)));
  }
  CHECK(EncodeRegisters(r) == cbor::Encode(cbor::Item(std::move(m))));
}

TEST_CASE("record state: fields without values are left out of the encoding") {
  RecordState a = Record();
  a.fields["name"] = {Value(1, 1, 10, "山田")};
  RecordState b = a;
  b.fields["empty"] = {};
  CHECK(EncodeRegisters(a) == EncodeRegisters(b));
}

TEST_CASE("record state: malformed stored registers are corrupt") {
  RecordState r = Record();
  auto decode = [&](const cbor::Item& item) {
    Bytes blob = cbor::Encode(item);
    return DecodeRegisters(r.id, r.type, r.scope, View(blob));
  };
  CHECK(decode(cbor::Item(cbor::Array{})).error().code == ErrorCode::kCorrupt);
  CHECK(decode(cbor::Item(cbor::Map{{1, cbor::Array{}}})).error().code == ErrorCode::kCorrupt);
  CHECK(decode(cbor::Item(cbor::Map{{"name", cbor::Array{cbor::Array{1, 2}}}})).error().code ==
        ErrorCode::kCorrupt);
  CHECK_FALSE(decode(cbor::Item(cbor::Map{{"name", cbor::Array{cbor::Array{Bytes(3), 1, 1, "x"}}}}))
                  .ok());  // a device id of 3 bytes
  Bytes not_cbor = {0xFF};
  CHECK_FALSE(DecodeRegisters(r.id, r.type, r.scope, View(not_cbor)).ok());
}

}  // namespace
}  // namespace shelter::core
