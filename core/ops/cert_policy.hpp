// Who may assess damage and issue, reissue or revoke which certificate: one rule, checked in core
// for every caller (shelterctl, the app, HQ). Pure functions of the node's device and session.
//   避難証明 (a stay at a shelter): any staff account but a kiosk's, on any device but a kiosk.
//   罹災証明書 and 被災証明書, and the damage assessments behind them: lead, certifier, admin or HQ
//   accounts on the municipality's own devices (admin or HQ), never on a shelter tablet or a kiosk.
// The trust list further limits which types each issuing key may sign (UsableKey).
#pragma once

#include "core/formats/issuer_list.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

// kUnauthenticated without a session; kPermissionDenied naming who may, when this device or
// account may not issue (or reissue) a certificate of `type`.
Status MayIssue(const Node& node, CertType type);
// The same rule for revoking: also needs a lead, certifier, admin or HQ account for 避難証明.
Status MayRevoke(const Node& node, CertType type);
// Recording a damage assessment or a disaster: the rule of 罹災証明書.
Status MayAssess(const Node& node);

}  // namespace shelter::core
