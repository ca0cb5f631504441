#include "core/device/device_cert.hpp"

#include <cstring>

#include "core/codec/cbor.hpp"

namespace shelter::core {

const char* DeviceRoleName(DeviceRole r) {
  switch (r) {
    case DeviceRole::kTablet: return "tablet";
    case DeviceRole::kKiosk: return "kiosk";
    case DeviceRole::kHq: return "hq";
    case DeviceRole::kAdmin: return "admin";
  }
  return "?";
}

const char* StaffRoleName(StaffRole r) {
  switch (r) {
    case StaffRole::kStaff: return "staff";
    case StaffRole::kLead: return "lead";
    case StaffRole::kKiosk: return "kiosk";
    case StaffRole::kAdmin: return "admin";
    case StaffRole::kHq: return "hq";
    case StaffRole::kCertifier: return "certifier";
  }
  return "?";
}

Result<DeviceRole> ParseDeviceRole(std::string_view s) {
  for (auto r : {DeviceRole::kTablet, DeviceRole::kKiosk, DeviceRole::kHq, DeviceRole::kAdmin})
    if (s == DeviceRoleName(r)) return r;
  return MakeError(ErrorCode::kInvalidArgument, "unknown device role (tablet, kiosk, hq, admin)");
}

Result<StaffRole> ParseStaffRole(std::string_view s) {
  for (auto r : {StaffRole::kStaff, StaffRole::kLead, StaffRole::kKiosk, StaffRole::kAdmin,
                 StaffRole::kHq, StaffRole::kCertifier})
    if (s == StaffRoleName(r)) return r;
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown staff role (staff, lead, kiosk, admin, hq, certifier)");
}

static Bytes ToBytes(const crypto::PublicKey& k) { return Bytes(k.begin(), k.end()); }
static Bytes ToBytes(const Id16& id) { return Bytes(id.b.begin(), id.b.end()); }

Bytes SignDeviceCert(const DeviceCert& c, const crypto::Secret& root_sk) {
  cbor::Map m{
      {1, ToBytes(c.device)},
      {2, ToBytes(c.sign_pk)},
      {3, ToBytes(c.box_pk)},
      {4, ToBytes(c.shelter_scope)},
      {5, static_cast<int64_t>(c.role)},
      {6, c.not_before},
      {7, c.not_after},
      {8, static_cast<int64_t>(c.incarnation)},
      {9, c.municipality_code},
      {10, c.label},
  };
  Bytes payload = cbor::Encode(cbor::Item(std::move(m)));
  crypto::Signature sig = crypto::Sign(root_sk, View(payload));
  return cbor::Encode(cbor::Array{cbor::Item(payload), cbor::Item(Bytes(sig.begin(), sig.end()))});
}

Result<DeviceCert> VerifyDeviceCert(ByteView signed_cert, const crypto::PublicKey& root_pk) {
  auto bad = [] { return MakeError(ErrorCode::kParse, "malformed device certificate"); };
  SHELTER_ASSIGN_OR_RETURN(cbor::Item outer, cbor::Decode(signed_cert));
  auto* a = outer.as_array();
  if (!a || a->size() != 2 || !(*a)[0].as_bytes() || !(*a)[1].as_bytes()) return bad();
  const Bytes& payload = *(*a)[0].as_bytes();
  if (!crypto::Verify(root_pk, View(payload), View(*(*a)[1].as_bytes())))
    return MakeError(ErrorCode::kCrypto, "device certificate is not signed by this municipality");
  SHELTER_ASSIGN_OR_RETURN(cbor::Item m, cbor::Decode(View(payload)));
  auto key32 = [&](int k, crypto::PublicKey& out) {
    auto* b = m.Find(k) ? m.Find(k)->as_bytes() : nullptr;
    if (!b || b->size() != 32) return false;
    std::memcpy(out.data(), b->data(), 32);
    return true;
  };
  auto id16 = [&](int k, Id16& out) {
    auto* b = m.Find(k) ? m.Find(k)->as_bytes() : nullptr;
    if (!b || b->size() != 16) return false;
    std::memcpy(out.b.data(), b->data(), 16);
    return true;
  };
  auto integer = [&](int k) -> const int64_t* { return m.Find(k) ? m.Find(k)->as_int() : nullptr; };
  auto text = [&](int k) -> const std::string* {
    return m.Find(k) ? m.Find(k)->as_text() : nullptr;
  };
  DeviceCert c;
  if (!id16(1, c.device) || !key32(2, c.sign_pk) || !key32(3, c.box_pk) ||
      !id16(4, c.shelter_scope))
    return bad();
  auto *role = integer(5), *nb = integer(6), *na = integer(7), *inc = integer(8);
  auto *code = text(9), *label = text(10);
  if (!role || *role < 1 || *role > 4 || !nb || !na || !inc || *inc < 0 || !code || !label)
    return bad();
  c.role = static_cast<DeviceRole>(*role);
  c.not_before = *nb;
  c.not_after = *na;
  c.incarnation = static_cast<uint32_t>(*inc);
  c.municipality_code = *code;
  c.label = *label;
  return c;
}

Id16 DerivedId(std::string_view domain, std::string_view key) {
  std::string in = "shelterkit:" + std::string(domain) + ":" + std::string(key);
  Hash32 h = crypto::Sha256(View(in));
  Id16 id;
  std::memcpy(id.b.data(), h.data(), 16);
  return id;
}

Id16 MunicipalityScope(std::string_view municipality_code) {
  return DerivedId("municipality-scope", municipality_code);
}

}  // namespace shelter::core
