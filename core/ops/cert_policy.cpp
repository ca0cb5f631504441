#include "core/ops/cert_policy.hpp"

#include <string>

namespace shelter::core {
namespace {

constexpr const char* kOfficeRule =
    "罹災証明書, 被災証明書 and damage assessments are done on the municipality's admin or HQ "
    "device by a lead, certifier, admin or HQ account";

bool OfficeDevice(const Node& node) {
  DeviceRole r = node.device().role;
  return r == DeviceRole::kAdmin || r == DeviceRole::kHq;
}
bool OfficeRole(StaffRole r) {
  return r == StaffRole::kLead || r == StaffRole::kCertifier || r == StaffRole::kAdmin ||
         r == StaffRole::kHq;
}

// The refusal names who may, in English for staff (the app maps the code to its own text).
Status Refuse(const Node& node, const std::string& what, const char* who) {
  return MakeError(ErrorCode::kPermissionDenied,
                   std::string("this ") + DeviceRoleName(node.device().role) + " device with a '" +
                       StaffRoleName(node.session()->role) + "' account may not " + what + ": " +
                       who);
}

Status OfficeOnly(const Node& node, const std::string& what) {
  if (!node.session()) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (!OfficeDevice(node) || !OfficeRole(node.session()->role))
    return Refuse(node, what, kOfficeRule);
  return Ok();
}

}  // namespace

Status MayIssue(const Node& node, CertType type) {
  const std::string what = std::string("issue a ") + CertTypeName(type) + " certificate";
  if (type != CertType::kHinan) return OfficeOnly(node, what);
  if (!node.session()) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (node.device().role == DeviceRole::kKiosk || node.session()->role == StaffRole::kKiosk)
    return Refuse(node, what, "a 避難証明 is issued by shelter staff, never at a kiosk");
  return Ok();
}

Status MayRevoke(const Node& node, CertType type) {
  const std::string what = std::string("revoke a ") + CertTypeName(type) + " certificate";
  if (type != CertType::kHinan) return OfficeOnly(node, what);
  if (!node.session()) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (node.device().role == DeviceRole::kKiosk || !OfficeRole(node.session()->role))
    return Refuse(node, what, "a lead, certifier, admin or HQ account revokes a 避難証明");
  return Ok();
}

Status MayAssess(const Node& node) { return OfficeOnly(node, "record a damage assessment"); }

}  // namespace shelter::core
