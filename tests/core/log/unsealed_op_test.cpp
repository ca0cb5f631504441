// Specifies core/log/unsealed_op: an unsealed op opens only with its scope key at its own place.
#include <doctest/doctest.h>

#include "core/log/unsealed_op.hpp"

using namespace shelter::core;

namespace {

Op SampleOp(const Id16& device, uint64_t seq) {
  Op op;
  op.dot = {device, seq};
  op.hlc = 42;
  op.record = Id16::Random();
  op.fields = {{"status", cbor::Item("arrive")}};
  return op;
}

}  // namespace

TEST_CASE("an unsealed op opens at its place and nowhere else") {
  REQUIRE(crypto::InitCrypto().ok());
  crypto::Secret key = crypto::RandomSecret(32);
  UnsealedPlace at{Id16::Random(), Id16::Random(), 1};
  Op op = SampleOp(at.device, 7);
  Bytes box = SealUnsealedOp(at, op, key);

  auto back = OpenUnsealedOp(at, 7, View(box), key);
  REQUIRE(back.ok());
  CHECK(back->record == op.record);
  CHECK(back->dot == op.dot);

  CHECK(OpenUnsealedOp(at, 8, View(box), key).error().code == ErrorCode::kCrypto);  // moved
  UnsealedPlace other = at;
  other.epoch = 2;
  CHECK(OpenUnsealedOp(other, 7, View(box), key).error().code == ErrorCode::kCrypto);
  CHECK(!OpenUnsealedOp(at, 7, View(box), crypto::RandomSecret(32)).ok());  // wrong key
  Bytes tampered = box;
  tampered.back() ^= 1;
  CHECK(OpenUnsealedOp(at, 7, View(tampered), key).error().code == ErrorCode::kCrypto);
  CHECK(OpenUnsealedOp(at, 7, View(box).substr(0, 20), key).error().code == ErrorCode::kParse);
}
