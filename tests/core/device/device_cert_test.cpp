// Tests for core/device/device_cert: a device certificate round-trips under the municipality's
// root signature, anything else signed or shaped wrongly is refused, roles parse by name, and
// derived ids are the same on every device.
#include "core/device/device_cert.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/codec/cbor.hpp"

namespace shelter::core {
namespace {

DeviceCert SampleCert() {
  DeviceCert c;
  c.device = Id16::Random();
  c.sign_pk = crypto::GenerateSignKeyPair().pk;
  c.box_pk = crypto::GenerateBoxKeyPair().pk;
  c.shelter_scope = DerivedId("shelter-scope", "131016-0001");
  c.role = DeviceRole::kKiosk;
  c.not_before = 1'700'000'000;
  c.not_after = 1'800'000'000;
  c.incarnation = 3;
  c.municipality_code = "131016";
  c.label = "tablet-2";
  return c;
}

TEST_CASE("device cert: signed by the root, verified with the root key, every field kept") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  DeviceCert c = SampleCert();
  Bytes signed_cert = SignDeviceCert(c, root.sk);
  auto back = VerifyDeviceCert(View(signed_cert), root.pk);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->device == c.device);
  CHECK(back->sign_pk == c.sign_pk);
  CHECK(back->box_pk == c.box_pk);
  CHECK(back->shelter_scope == c.shelter_scope);
  CHECK(back->role == DeviceRole::kKiosk);
  CHECK(back->not_before == c.not_before);
  CHECK(back->not_after == c.not_after);
  CHECK(back->incarnation == 3);
  CHECK(back->municipality_code == "131016");
  CHECK(back->label == "tablet-2");
}

TEST_CASE("device cert: another municipality's root or a changed byte is kCrypto") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  auto other = crypto::GenerateSignKeyPair();
  Bytes signed_cert = SignDeviceCert(SampleCert(), root.sk);
  auto foreign = VerifyDeviceCert(View(signed_cert), other.pk);
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().code == ErrorCode::kCrypto);
  // The label is the last text in the payload; changing it keeps the CBOR well formed.
  Bytes tampered = signed_cert;
  auto at = std::string(tampered.begin(), tampered.end()).find("tablet-2");
  REQUIRE(at != std::string::npos);
  tampered[at + 7] = '9';
  auto changed = VerifyDeviceCert(View(tampered), root.pk);
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.error().code == ErrorCode::kCrypto);
}

TEST_CASE("device cert: malformed bytes or a signed payload of the wrong shape is kParse") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  auto parse_error = [&](const Bytes& b) {
    auto r = VerifyDeviceCert(View(b), root.pk);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  };
  parse_error(Bytes{0xFF});
  parse_error(cbor::Encode(cbor::Item(cbor::Array{cbor::Item(Bytes{1})})));
  // Correctly signed, but not a certificate: the root signs only what it means, yet the parser
  // must still refuse a payload without every field.
  auto signed_payload = [&](const cbor::Item& payload) {
    Bytes p = cbor::Encode(payload);
    auto sig = crypto::Sign(root.sk, View(p));
    Bytes sig_bytes(sig.begin(), sig.end());
    return cbor::Encode(cbor::Item(cbor::Array{cbor::Item(p), cbor::Item(sig_bytes)}));
  };
  parse_error(signed_payload(cbor::Item(cbor::Map{{1, Bytes(16)}})));
  parse_error(signed_payload(cbor::Item(cbor::Array{})));
  DeviceCert bad_role = SampleCert();
  bad_role.role = static_cast<DeviceRole>(9);
  parse_error(SignDeviceCert(bad_role, root.sk));
}

TEST_CASE("device cert: roles are read by their names only") {
  for (auto r : {DeviceRole::kTablet, DeviceRole::kKiosk, DeviceRole::kHq, DeviceRole::kAdmin}) {
    auto back = ParseDeviceRole(DeviceRoleName(r));
    REQUIRE(back.ok());
    CHECK(*back == r);
  }
  for (auto r : {StaffRole::kStaff, StaffRole::kLead, StaffRole::kKiosk, StaffRole::kAdmin,
                 StaffRole::kHq}) {
    auto back = ParseStaffRole(StaffRoleName(r));
    REQUIRE(back.ok());
    CHECK(*back == r);
  }
  CHECK(std::string(DeviceRoleName(DeviceRole::kTablet)) == "tablet");
  CHECK(std::string(StaffRoleName(StaffRole::kLead)) == "lead");
  CHECK(ParseDeviceRole("lead").error().code == ErrorCode::kInvalidArgument);
  CHECK(ParseStaffRole("tablet").error().code == ErrorCode::kInvalidArgument);
  CHECK_FALSE(ParseStaffRole("Lead").ok());
  CHECK_FALSE(ParseDeviceRole("").ok());
}

TEST_CASE("device cert: derived ids depend on the domain and the key, nothing else") {
  REQUIRE(crypto::InitCrypto().ok());
  CHECK(MunicipalityScope("131016") == MunicipalityScope("131016"));
  CHECK(MunicipalityScope("131016") != MunicipalityScope("131024"));
  CHECK(MunicipalityScope("131016") == DerivedId("municipality-scope", "131016"));
  CHECK(DerivedId("shelter", "x") != DerivedId("device", "x"));
  CHECK_FALSE(DerivedId("shelter", "x").IsZero());
}

}  // namespace
}  // namespace shelter::core
