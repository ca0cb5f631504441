// App's certificates: the check (JDV1 text from the camera, typed or pasted, or read from a file
// typed or picked by touch, verified by core with the root key and the trust and status lists this
// device holds). Issuing is in ui/app_certs.cpp.
#include <algorithm>

#include "core/ops/certificate_issuance.hpp"
#include "platform/certificate_input.hpp"
#include "platform/file_browser.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

namespace {

void WipeClaims(core::CertificateClaims& c) {
  Wipe(c.head_name);
  Wipe(c.head_address);
  Wipe(c.site);
  for (auto& m : c.members) Wipe(m);
  c.members.clear();
}

}  // namespace

void App::ClearVerify(bool keep_picker) {
  if (!keep_picker) verify.picker = FilePickerState{};
  verify.picker.open = false;
  Wipe(verify.text);
  Wipe(verify.path);
  if (verify.result && verify.result->result.claims) WipeClaims(*verify.result->result.claims);
  verify.result.reset();
  verify.input_error.clear();
  // What the device holds now: shown before anything is checked.
  verify.has_trust = false;
  verify.status_version.reset();
  if (auto t = core::LoadTrustList(node_); t.ok() && *t) {
    verify.has_trust = true;
    verify.trust_version = (*t)->version;
  }
  if (auto s = core::LoadStatusList(node_); s.ok() && *s) {
    verify.status_version = (*s)->version;
    verify.status_as_of = (*s)->issued_at;
  }
}

void App::VerifyText(const std::string& jdv1, VerifySource source) {
  if (verify.result && verify.result->result.claims) WipeClaims(*verify.result->result.claims);
  verify.result.reset();
  verify.input_error.clear();
  verify.source = source;
  verify.reveal_result = true;
  auto r = core::VerifyWithDeviceLists(node_, jdv1);
  if (!r.ok()) {
    verify.input_error =
        r.error().code == core::ErrorCode::kNotFound ? T("verify.no_trust") : ErrorText(r.error());
    return;
  }
  verify.result = std::move(*r);
  verify.has_trust = true;
  verify.trust_version = verify.result->trust_version;
  verify.status_version = verify.result->status_version;
  if (verify.result->result.revocation_checked)
    verify.status_as_of = verify.result->result.revocation_as_of;
  if (const auto& c = verify.result->result.claims) {
    for (const std::string* s :
         {&c->head_name, &c->head_address, &c->site, &c->disaster, &c->damage_note,
          &c->shelter_name, &c->issuer_name, &c->municipality_name})
      SeeText(*s);
    for (const auto& m : c->members) SeeText(m);
  }
  if (const auto& k = verify.result->result.key) SeeText(k->label);
  if (const auto& i = verify.result->result.issuer) {
    SeeText(i->title);
    SeeText(i->municipality_name);
  }
  SeeText(verify.result->result.reason);
}

void App::VerifyFile(const std::string& path) {
  if (verify.result && verify.result->result.claims) WipeClaims(*verify.result->result.claims);
  verify.result.reset();
  verify.input_error.clear();
  verify.source = VerifySource::kFile;
  verify.reveal_result = true;
  auto text = platform::ReadCertificateFile(path);
  if (!text.ok()) {
    verify.input_error = text.error().code == core::ErrorCode::kNotFound ? T("verify.no_qr_in_file")
                                                                         : ErrorText(text.error());
    return;
  }
  VerifyText(*text, VerifySource::kFile);
}

void App::OpenFilePicker() {
  FilePickerState& p = verify.picker;
  p.open = true;
  p.reveal = true;
  p.starts = platform::StartFolders(node_.dir());
  for (const auto& s : p.starts) SeeText(s.label);
  if (p.listing) return BrowseFolder(p.listing->path);  // again: what is there now
  if (!p.starts.empty()) return BrowseFolder(p.starts.front().path);
  p.error = T("verify.pick.none");
}

void App::BrowseFolder(const std::string& path) {
  FilePickerState& p = verify.picker;
  auto l = platform::ListFolder(path, platform::IsCertificateFileName);
  if (!l.ok()) {
    // The folder shown stays (a tap on a folder that vanished leaves the worker where they were).
    p.error = F("verify.pick.cannot_open", {{"why", ErrorText(l.error())}});
    return;
  }
  p.error.clear();
  p.listing = std::move(*l);
  p.scroll_top = true;
  SeeText(p.listing->path);
  for (const auto& e : p.listing->entries) SeeText(e.name);
}

void App::PickFile(const std::string& path) {
  verify.picker.open = false;
  verify.path = path;  // the field shows which file was read
  VerifyFile(path);
}

}  // namespace shelter::ui
