// The admin device's side of certificates (declared in certificate_issuance.hpp): the signed trust
// list of issuing keys (their types, validity, issuer title), the municipality's name and verify
// URL it carries, and the signed revocation status list. One thread at a time (like Node).
#include <algorithm>
#include <cstdio>
#include <map>

#include "core/model/entities.hpp"
#include "core/ops/certificate_issuance.hpp"

namespace shelter::core {
namespace {

Error Denied(const std::string& why) { return MakeError(ErrorCode::kPermissionDenied, why); }

// The root secret of a logged-in admin on the admin device, else kPermissionDenied.
Result<const crypto::Secret*> RootSecret(Node& admin, const char* what) {
  SHELTER_TRY(admin.Require({StaffRole::kAdmin}));
  const crypto::Secret* root = admin.root_secret();
  if (!root) return Denied(std::string("only the municipality's admin device signs the ") + what);
  return root;
}

// The municipality's name from its record (written at init); empty when the record is absent.
std::string MunicipalityName(Node& admin) {
  auto r = admin.state().Get(DerivedId("municipality", admin.municipality_code()));
  if (!r.ok() || !*r) return "";
  return (*r)->Text(field::kName);
}

// `t` as the next version: this municipality's code and name, signed now and stored.
Status SignAndStoreTrustList(Node& admin, const crypto::Secret& root, TrustList t, int64_t now_s) {
  t.municipality_code = admin.municipality_code();
  t.municipality_name = MunicipalityName(admin);
  t.version += 1;
  t.issued_at = now_s;
  SHELTER_ASSIGN_OR_RETURN(Bytes signed_list, SignTrustList(t, root, admin.root_pk()));
  return admin.log().PutMeta(kMetaTrustList, View(signed_list));
}

IssuerKey* FindKey(TrustList& t, ByteView kid) {
  for (auto& k : t.keys)
    if (ByteView(k.kid.data(), k.kid.size()) == kid) return &k;
  return nullptr;
}

}  // namespace

Result<IssuerKey> TrustIssuingKey(Node& admin, const TrustRequest& req, int64_t now_s) {
  SHELTER_ASSIGN_OR_RETURN(const crypto::Secret* root, RootSecret(admin, "trust list"));
  if (req.allowed.empty())
    return MakeError(ErrorCode::kInvalidArgument, "name the certificate types the key may issue");
  if (req.not_after <= req.not_before)
    return MakeError(ErrorCode::kInvalidArgument, "validity ends before it starts");
  SHELTER_ASSIGN_OR_RETURN(auto current, LoadTrustList(admin));
  TrustList t = current.value_or(TrustList{});
  cose::Kid kid = cose::KidOf(req.pk);
  IssuerKey* entry = FindKey(t, ByteView(kid.data(), kid.size()));
  if (!entry) {
    int next = 1;
    for (auto& k : t.keys)
      if (k.serial_prefix.size() == 4 && k.serial_prefix[0] == 'K')
        next = std::max(next, std::atoi(k.serial_prefix.c_str() + 1) + 1);
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "K%03d", next);
    t.keys.push_back(IssuerKey{kid, req.pk, "", prefix, {}, 0, 0, false, ""});
    entry = &t.keys.back();
  }
  entry->label = req.label;
  entry->allowed = req.allowed;
  entry->not_before = req.not_before;
  entry->not_after = req.not_after;
  if (!req.title.empty()) entry->title = req.title;
  IssuerKey out = *entry;
  SHELTER_TRY(SignAndStoreTrustList(admin, *root, std::move(t), now_s));
  return out;
}

Status WithdrawIssuingKey(Node& admin, ByteView kid, int64_t now_s) {
  SHELTER_ASSIGN_OR_RETURN(const crypto::Secret* root, RootSecret(admin, "trust list"));
  SHELTER_ASSIGN_OR_RETURN(auto current, LoadTrustList(admin));
  if (!current) return MakeError(ErrorCode::kNotFound, "no trust list on this device");
  TrustList t = *current;
  IssuerKey* k = FindKey(t, kid);
  if (!k) return MakeError(ErrorCode::kNotFound, "no such key on the trust list");
  k->withdrawn = true;
  return SignAndStoreTrustList(admin, *root, std::move(t), now_s);
}

Result<IssuerKey> RetitleIssuingKey(Node& admin, ByteView kid, const std::string& title,
                                    int64_t now_s) {
  SHELTER_ASSIGN_OR_RETURN(const crypto::Secret* root, RootSecret(admin, "trust list"));
  if (title.empty()) return MakeError(ErrorCode::kInvalidArgument, "the title may not be empty");
  SHELTER_ASSIGN_OR_RETURN(auto current, LoadTrustList(admin));
  if (!current) return MakeError(ErrorCode::kNotFound, "no trust list on this device");
  TrustList t = *current;
  IssuerKey* k = FindKey(t, kid);
  if (!k) return MakeError(ErrorCode::kNotFound, "no such key on the trust list");
  k->title = title;
  IssuerKey out = *k;
  SHELTER_TRY(SignAndStoreTrustList(admin, *root, std::move(t), now_s));
  return out;
}

Status SetVerifyUrl(Node& admin, const std::string& url, int64_t now_s) {
  SHELTER_ASSIGN_OR_RETURN(const crypto::Secret* root, RootSecret(admin, "trust list"));
  if (!url.empty() && !IsVerifyUrl(url))
    return MakeError(ErrorCode::kInvalidArgument,
                     "the verify URL must be an http(s) address of at most 200 characters, "
                     "without spaces (e.g. https://www.city.example.lg.jp/verify/)");
  SHELTER_ASSIGN_OR_RETURN(auto current, LoadTrustList(admin));
  TrustList t = current.value_or(TrustList{});
  t.verify_url = url;
  return SignAndStoreTrustList(admin, *root, std::move(t), now_s);
}

Result<Bytes> PublishStatusList(Node& admin, int64_t now_s) {
  SHELTER_ASSIGN_OR_RETURN(const crypto::Secret* root, RootSecret(admin, "status list"));
  SHELTER_ASSIGN_OR_RETURN(auto certs, ListCertificates(admin));
  SHELTER_ASSIGN_OR_RETURN(auto current, LoadStatusList(admin));
  // A revocation keeps the date it was first published with, whatever republishes it later.
  std::map<std::pair<std::string, uint32_t>, int64_t> first_at;
  if (current)
    for (auto& e : current->entries) first_at[{e.serial, e.below_issue}] = e.at;
  auto at = [&](const std::string& serial, uint32_t below) {
    auto it = first_at.find({serial, below});
    return it == first_at.end() ? now_s : it->second;
  };
  StatusList s;
  s.version = current ? current->version + 1 : 1;
  s.issued_at = now_s;
  s.municipality_code = admin.municipality_code();
  for (auto& c : certs) {
    if (c.status == "revoked")
      s.entries.push_back(
          {c.serial, 0, at(c.serial, 0), IsRevocationReason(c.reason) ? c.reason : ""});
    else if (c.issue_no > 1)
      s.entries.push_back({c.serial, c.issue_no, at(c.serial, c.issue_no), ""});
  }
  SHELTER_ASSIGN_OR_RETURN(Bytes signed_list, SignStatusList(s, *root, admin.root_pk()));
  SHELTER_TRY(admin.log().PutMeta(kMetaStatusList, View(signed_list)));
  return signed_list;
}

}  // namespace shelter::core
