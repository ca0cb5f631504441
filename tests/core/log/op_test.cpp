// Tests for core/log/op: an op's CBOR form round-trips, and OpFromCbor refuses every op a device
// must not apply (wrong shape, unknown record type, unsorted or oversized fields, bad dots).
#include "core/log/op.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

namespace shelter::core {
namespace {

Id16 IdOf(uint8_t n) {
  Id16 id;
  id.b[0] = n;
  id.b[15] = 0xEE;
  return id;
}

Op SampleOp() {
  Op op;
  op.dot = {IdOf(1), 42};
  op.hlc = (Hlc{1'700'000'000'000} << 16) | 3;
  op.staff = IdOf(2);
  op.record = IdOf(3);
  op.type = RecordType::kPerson;
  op.fields = {{"birth", cbor::Item("1950-04-01")},
               {"name", cbor::Item("山田 花子")},
               {"note", cbor::Item(cbor::Null{})}};
  op.supersedes = {{IdOf(1), 40}, {IdOf(4), 7}};
  return op;
}

// The op's CBOR with element `i` replaced.
cbor::Item With(size_t i, cbor::Item value) {
  cbor::Item item = OpToCbor(SampleOp());
  (*std::get_if<cbor::Array>(&item.v))[i] = std::move(value);
  return item;
}

void CheckRefused(const cbor::Item& item) {
  auto r = OpFromCbor(item, IdOf(1));
  CHECK_FALSE(r.ok());
}

TEST_CASE("op: the CBOR form round-trips every part of an op") {
  Op op = SampleOp();
  cbor::Item item = OpToCbor(op);
  auto wire = cbor::Encode(item);
  auto decoded = cbor::Decode(View(wire));
  REQUIRE(decoded.ok());
  for (bool move : {false, true}) {
    CAPTURE(move);
    cbor::Item copy = *decoded;
    auto back = move ? OpFromCbor(std::move(copy), op.dot.device) : OpFromCbor(copy, op.dot.device);
    REQUIRE_MESSAGE(back.ok(), back.error().ToString());
    CHECK(back->dot == op.dot);
    CHECK(back->hlc == op.hlc);
    CHECK(back->staff == op.staff);
    CHECK(back->record == op.record);
    CHECK(back->type == op.type);
    REQUIRE(back->fields.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
      CHECK(back->fields[i].field == op.fields[i].field);
      CHECK(back->fields[i].value == op.fields[i].value);
    }
    CHECK(back->supersedes == op.supersedes);
  }
}

TEST_CASE("op: the device comes from the segment, not from the op's bytes") {
  auto back = OpFromCbor(OpToCbor(SampleOp()), IdOf(9));
  REQUIRE(back.ok());
  CHECK(back->dot.device == IdOf(9));
  CHECK(back->dot.seq == 42);
}

TEST_CASE("op: record types 1 to 8 are known, others refused") {
  for (int64_t t = 1; t <= 8; ++t) {
    CHECK(IsKnownRecordType(t));
    CHECK(OpFromCbor(With(4, cbor::Item(t)), IdOf(1)).ok());
  }
  for (int64_t t : {0, 9, -1, 255}) {
    CHECK_FALSE(IsKnownRecordType(t));
    CheckRefused(With(4, cbor::Item(t)));
  }
}

TEST_CASE("op: a wrong shape or element type is refused with kParse") {
  auto not_array = OpFromCbor(cbor::Item(cbor::Map{}), IdOf(1));
  REQUIRE_FALSE(not_array.ok());
  CHECK(not_array.error().code == ErrorCode::kParse);
  cbor::Item short_op = OpToCbor(SampleOp());
  std::get_if<cbor::Array>(&short_op.v)->pop_back();
  CheckRefused(short_op);
  CheckRefused(With(0, cbor::Item(0)));              // seq starts at 1
  CheckRefused(With(0, cbor::Item("1")));            // seq is an integer
  CheckRefused(With(1, cbor::Item(-1)));             // hlc is not negative
  CheckRefused(With(2, cbor::Item(Bytes(15))));      // staff id of 15 bytes
  CheckRefused(With(3, cbor::Item("record")));       // record id as text
  CheckRefused(With(5, cbor::Item(cbor::Array{})));  // fields are a map
  CheckRefused(With(6, cbor::Item(cbor::Map{})));    // supersedes are an array
}

TEST_CASE("op: fields are non-empty, sorted, unique, short-named and at most kMaxFieldsPerOp") {
  CheckRefused(With(5, cbor::Item(cbor::Map{})));
  CheckRefused(With(5, cbor::Item(cbor::Map{{"b", 1}, {"a", 2}})));  // unsorted
  CheckRefused(With(5, cbor::Item(cbor::Map{{"a", 1}, {"a", 2}})));  // twice
  CheckRefused(With(5, cbor::Item(cbor::Map{{"", 1}})));
  CheckRefused(With(5, cbor::Item(cbor::Map{{1, 1}})));  // an integer name
  CHECK(
      OpFromCbor(With(5, cbor::Item(cbor::Map{{std::string(kMaxFieldNameBytes, 'f'), 1}})), IdOf(1))
          .ok());
  CheckRefused(With(5, cbor::Item(cbor::Map{{std::string(kMaxFieldNameBytes + 1, 'f'), 1}})));

  auto many = [](size_t n) {
    cbor::Map m;
    for (size_t i = 0; i < n; ++i) {
      char name[24];  // room for any size_t: the Debug build warns otherwise
      std::snprintf(name, sizeof name, "f%03zu", i);
      m.emplace_back(cbor::Item(name), cbor::Item(1));
    }
    return cbor::Item(std::move(m));
  };
  CHECK(OpFromCbor(With(5, many(kMaxFieldsPerOp)), IdOf(1)).ok());
  CheckRefused(With(5, many(kMaxFieldsPerOp + 1)));
}

TEST_CASE("op: superseded dots are pairs of a device id and a seq, sorted and unique") {
  auto dot = [](uint8_t dev, int64_t seq) {
    Id16 id = IdOf(dev);
    return cbor::Item(cbor::Array{cbor::Item(Bytes(id.b.begin(), id.b.end())), cbor::Item(seq)});
  };
  CHECK(OpFromCbor(With(6, cbor::Item(cbor::Array{})), IdOf(1)).ok());  // supersedes nothing
  cbor::Item sorted(cbor::Array{dot(1, 1), dot(1, 2), dot(2, 1)});
  CHECK(OpFromCbor(With(6, sorted), IdOf(1)).ok());
  CheckRefused(With(6, cbor::Item(cbor::Array{dot(1, 2), dot(1, 1)})));  // unsorted
  CheckRefused(With(6, cbor::Item(cbor::Array{dot(1, 2), dot(1, 2)})));  // twice
  CheckRefused(With(6, cbor::Item(cbor::Array{dot(1, 0)})));             // seq 0
  CheckRefused(With(6, cbor::Item(cbor::Array{cbor::Item(cbor::Array{cbor::Item(1)})})));
  CheckRefused(With(6, cbor::Item(cbor::Array{cbor::Item(cbor::Array{
                           cbor::Item(Bytes(3)), cbor::Item(1)})})));  // a 3-byte device id
  cbor::Array too_many;
  for (int64_t i = 1; i <= static_cast<int64_t>(kMaxSupersedesPerOp) + 1; ++i)
    too_many.push_back(dot(1, i));
  CheckRefused(With(6, cbor::Item(std::move(too_many))));
}

TEST_CASE("op: dots order by device, then seq") {
  Dot a{IdOf(1), 5}, b{IdOf(1), 6}, c{IdOf(2), 1};
  CHECK(a < b);
  CHECK(b < c);
  CHECK(a == Dot{IdOf(1), 5});
}

}  // namespace
}  // namespace shelter::core
