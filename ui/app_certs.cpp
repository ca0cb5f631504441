// App's certificates for the open household (the certificate screen): issue through the same core
// path as shelterctl, print again or save the same issue from its stored record, reissue and
// revoke. Every PDF is kept in the data folder first (AppDevices::keep_certificate), so a
// certificate issued without a printer is never lost. Who may do what is core's (cert_policy);
// a refusal is shown as core words it.
#include <algorithm>

#include "core/codec/cose.hpp"
#include "core/ops/assessment.hpp"
#include "core/ops/cert_policy.hpp"
#include "core/ops/certificate_issuance.hpp"
#include "platform/printer.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

namespace {

constexpr core::CertType kAllTypes[] = {core::CertType::kRisai, core::CertType::kHisai,
                                        core::CertType::kHinan};

}  // namespace

void App::RefuseCert(const core::Error& e) {
  certs.error = ErrorText(e) + " (" + e.detail + ")";
  Notify(certs.error, true);
}

void App::RefreshCertificates() {
  certs.list.clear();
  certs.types.clear();
  for (core::CertType t : kAllTypes)
    if (core::MayIssue(node_, t).ok()) certs.types.push_back(t);
  if (!certs.types.empty() &&
      std::find(certs.types.begin(), certs.types.end(), certs.type) == certs.types.end())
    certs.type = certs.types.back();
  if (!household.edited) return;
  auto all = core::ListCertificates(node_);
  if (!all.ok()) return RefuseCert(all.error());
  for (auto& c : *all)
    if (c.household == household.edited->id) certs.list.push_back(std::move(c));
  std::reverse(certs.list.begin(), certs.list.end());
  for (const auto& c : certs.list) SeeText(c.serial);
}

void App::OpenCertificates() {
  if (!household.edited) return;
  certs = CertState{};
  if (auto d = core::ListDisasters(node_); d.ok()) certs.disasters = std::move(*d);
  for (const auto& d : certs.disasters) SeeText(d.name);
  SeeText(household.edited->address);
  for (const auto& m : household.edited->members) SeeText(m.name);
  RefreshCertificates();
  Go(Screen::kCertificates);
}

void App::IssueStayCertificate() {
  if (!household.edited) return;
  certs = CertState{};
  RefreshCertificates();
  IssueCertificateOfType(core::CertType::kHinan, false);
  Go(Screen::kCertificates);
}

void App::IssueCertificateOfType(core::CertType type, bool include_members) {
  if (!household.edited) return;
  certs.error.clear();
  core::IssueRequest req;
  req.type = type;
  req.household = household.edited->id;
  req.include_members = include_members;
  if (type != core::CertType::kRisai) {
    req.disaster = certs.disaster;
    if (type == core::CertType::kHisai) req.damage_note = certs.damage_note;
  }
  auto ic = core::IssueCertificate(node_, req);
  if (!ic.ok()) return RefuseCert(ic.error());
  RefreshCertificates();
  ShowCertificate(ic->claims.serial);
  if (certs.shown) KeepShown(/*issued=*/true);
}

void App::ShowCertificate(const std::string& serial) {
  certs.error.clear();
  certs.revoking = false;
  auto rec = core::FindCertificate(node_, serial);
  if (!rec.ok()) return RefuseCert(rec.error());
  // The stored record's COSE is the certificate: its claims are read back through the signature
  // check with this device's trust list (no status list: a revoked one still shows its claims).
  auto trust = core::LoadTrustList(node_);
  if (!trust.ok()) return RefuseCert(trust.error());
  if (!*trust) return RefuseCert(core::MakeError(core::ErrorCode::kNotFound, "no trust list"));
  ShownCertificate s;
  s.serial = rec->serial;
  s.type = rec->type;
  s.issue_no = rec->issue_no;
  s.status = rec->status;
  s.reason = rec->reason;
  s.jdv1 = core::EncodeJdv1(core::View(rec->cose));
  core::DeviceVerification v = core::VerifyWithLists(s.jdv1, **trust, nullptr);
  if (!v.result.claims)
    return RefuseCert(core::MakeError(core::ErrorCode::kCrypto, v.result.reason));
  s.claims = std::move(*v.result.claims);
  if (auto qr = core::EncodeQr(s.jdv1, core::QrEcc::kQ); qr.ok()) s.qr = std::move(*qr);
  if (certs.shown && certs.shown->serial == s.serial && certs.shown->issue_no == s.issue_no) {
    s.file = certs.shown->file;
    s.printer = certs.shown->printer;
  }
  for (const std::string* t : {&s.claims.head_name, &s.claims.head_address, &s.claims.site,
                               &s.claims.disaster, &s.claims.shelter_name, &s.claims.issuer_name})
    SeeText(*t);
  for (const auto& m : s.claims.members) SeeText(m);
  certs.shown = std::move(s);
}

void App::KeepShown(bool issued) {
  ShownCertificate& s = *certs.shown;
  std::string verify_url;
  if (auto t = core::LoadTrustList(node_); t.ok() && *t) verify_url = (*t)->verify_url;
  auto pdf = platform::RenderCertificatePdf({s.claims, s.jdv1, verify_url});
  if (!pdf.ok()) return RefuseCert(pdf.error());
  if (!devices_.keep_certificate)
    return RefuseCert(core::MakeError(core::ErrorCode::kNotFound, "no certificate folder"));
  const std::string name = s.serial + "-" + std::to_string(s.issue_no) + ".pdf";
  auto out = devices_.keep_certificate(core::View(*pdf), name);
  if (!out.ok()) return RefuseCert(out.error());
  s.file = out->file;
  s.printer = out->printer;
  SeeText(s.file);
  const std::string kind = issued ? "issued" : "again";
  if (!out->printer.empty())
    return Notify(F("cert." + kind + "_printed", {{"serial", s.serial}, {"printer", s.printer}}),
                  false);
  Notify(F("cert." + kind + "_saved", {{"serial", s.serial}, {"path", s.file}}),
         !out->print_error.empty());
}

void App::PrintShownCertificate() {
  if (!certs.shown) return;
  certs.error.clear();
  ShowCertificate(certs.shown->serial);  // the record as stored now (the same issue)
  if (!certs.shown) return;
  if (certs.shown->status == "revoked")  // not handed out again; its kept PDF stays
    return RefuseCert(core::MakeError(core::ErrorCode::kPermissionDenied,
                                      "certificate " + certs.shown->serial + " is revoked"));
  KeepShown(/*issued=*/false);
}

void App::ReissueShownCertificate() {
  if (!certs.shown) return;
  certs.error.clear();
  auto ic = core::ReissueCertificate(node_, certs.shown->serial);
  if (!ic.ok()) return RefuseCert(ic.error());
  RefreshCertificates();
  ShowCertificate(ic->claims.serial);
  if (certs.shown) KeepShown(/*issued=*/true);
}

void App::RevokeShownCertificate(const std::string& reason) {
  if (!certs.shown) return;
  certs.error.clear();
  certs.revoking = false;
  const std::string serial = certs.shown->serial;
  if (auto s = core::RevokeCertificate(node_, serial, reason); !s.ok())
    return RefuseCert(s.error());
  RefreshCertificates();
  ShowCertificate(serial);
  Notify(F("cert.revoked_notice", {{"serial", serial}}), false);
}

void App::ShowIssuingKey() {
  issuing_key = IssuingKeyState{};
  if (!node_.session()) return;
  auto pk = core::IssuingPublicKey(node_);
  if (!pk.ok() || !*pk) return;
  issuing_key.hex = core::ToHex(core::ByteView((*pk)->data(), (*pk)->size()));
  const core::cose::Kid kid = core::cose::KidOf(**pk);
  issuing_key.kid = core::ToHex(core::ByteView(kid.data(), kid.size()));
  if (auto qr = core::EncodeQr(issuing_key.hex, core::QrEcc::kM); qr.ok())
    issuing_key.qr = std::move(*qr);
}

void App::NewIssuingKey() {
  if (!issuing_key.hex.empty() && !issuing_key.confirm) {
    issuing_key.confirm = true;  // rotation: asked once more
    return;
  }
  auto pk = core::CreateIssuingKey(node_);
  if (!pk.ok()) {
    const std::string why = ErrorText(pk.error()) + " (" + pk.error().detail + ")";
    ShowIssuingKey();
    issuing_key.error = why;
    return Notify(why, true);
  }
  ShowIssuingKey();
  Notify(T("settings.key_made"), false);
}

}  // namespace shelter::ui
