// The certificate screen for the open household: its certificates (serial, type, issue number,
// status), the types this device and account may issue (core's cert_policy decides; the others
// are not offered), and the certificate shown with its QR large (a resident can photograph it),
// where its PDF was kept, print again, reissue and revoke with a reason.
#include <algorithm>
#include <string>

#include "core/formats/issuer_list.hpp"
#include "core/model/damage.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

std::string TypeText(App& app, core::CertType t) {
  return app.T(std::string("cert.type.") + core::CertTypeName(t));
}

std::string StatusText(App& app, const std::string& status, const std::string& reason) {
  if (status != "revoked") return app.T("cert.status.issued");
  const std::string key = "cert.reason." + reason;
  return app.F("cert.status.revoked",
               {{"reason", app.catalog().Has(0, key) ? app.T(key) : reason}});
}

void Shown(App& app) {
  CertState& cs = app.certs;
  const ShownCertificate& s = *cs.shown;
  const float fs = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  // As on the pass screen: large enough for a phone, never more than half the width.
  const float qr_side = std::min(avail * 0.5f, std::max(fs * 15, 340.0f));
  if (s.qr) {
    QrImage(app, *s.qr, qr_side, "certs.qr");
    ImGui::SameLine(0, fs);
  }
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(TypeText(app, s.type).c_str());
  app.Mark(std::string("certs.shown.type.") + core::CertTypeName(s.type));
  ImGui::Separator();
  ImGui::Text("%s: %s", app.T("cert.serial"), s.serial.c_str());
  app.Mark("certs.shown.serial");
  ImGui::TextUnformatted(app.F("cert.issue_n", {{"n", std::to_string(s.issue_no)}}).c_str());
  app.Mark("certs.shown.issue=" + std::to_string(s.issue_no));
  ImGui::TextUnformatted(StatusText(app, s.status, s.reason).c_str());
  app.Mark("certs.shown.status=" + s.status);
  ImGui::Text("%s: %s", app.T("cert.head"), s.claims.head_name.c_str());
  if (!s.claims.disaster.empty())
    ImGui::Text("%s: %s", app.T("cert.disaster"), s.claims.disaster.c_str());
  if (s.claims.level) {
    const std::string key = std::string("damage.") + core::DamageLevelName(*s.claims.level);
    ImGui::Text(
        "%s: %s", app.T("cert.level"),
        app.catalog().Has(0, key) ? app.T(key) : core::DamageLevelJapanese(*s.claims.level));
    app.Mark(std::string("certs.shown.level.") + core::DamageLevelName(*s.claims.level));
  }
  if (!s.claims.damage_note.empty())
    ImGui::Text("%s: %s", app.T("cert.damage"), s.claims.damage_note.c_str());
  if (!s.claims.shelter_name.empty())
    ImGui::Text("%s: %s", app.T("cert.shelter"), s.claims.shelter_name.c_str());
  if (!s.claims.members.empty()) {
    std::string m;
    for (const auto& n : s.claims.members) m += (m.empty() ? "" : ", ") + n;
    ImGui::Text("%s: %s", app.T("cert.members"), m.c_str());
  }
  if (!s.file.empty()) {
    ImGui::TextUnformatted(app.F("cert.saved_at", {{"path", s.file}}).c_str());
    app.Mark("certs.shown.file");
  }
  if (!s.printer.empty())
    ImGui::TextUnformatted(app.F("cert.printed_on", {{"printer", s.printer}}).c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  ImGui::Spacing();

  const bool revoked = s.status == "revoked";
  // A revoked certificate is not handed out again (its record and kept PDF stay).
  if (!revoked) {
    if (Button(app, "certs.print", app.T("cert.print_again"))) return app.PrintShownCertificate();
    FlowNext(ButtonWidth(app, app.T("cert.reissue")));
    if (Button(app, "certs.reissue", app.T("cert.reissue"))) return app.ReissueShownCertificate();
    FlowNext(ButtonWidth(app, app.T("cert.revoke")));
    if (Toggle(app, "certs.revoke", app.T("cert.revoke"), cs.revoking)) cs.revoking = !cs.revoking;
  }
  if (!revoked) FlowNext(ButtonWidth(app, app.T("cert.list")));
  if (Button(app, "certs.back", app.T("cert.list"))) {
    cs.shown.reset();
    cs.revoking = false;
    return;
  }
  if (!cs.revoking || revoked) return;
  ImGui::Spacing();
  ImGui::TextWrapped("%s", app.T("cert.revoke_why"));
  for (const char* r : core::kRevocationReasons) {
    const std::string label = app.T(std::string("cert.reason.") + r);
    FlowNext(ButtonWidth(app, label));
    if (Button(app, std::string("certs.reason.") + r, label)) return app.RevokeShownCertificate(r);
  }
}

void List(App& app) {
  CertState& cs = app.certs;
  if (cs.list.empty()) ImGui::TextDisabled("%s", app.T("cert.none_yet"));
  for (size_t i = 0; i < cs.list.size(); ++i) {
    const auto& c = cs.list[i];
    const std::string id = "certs.list." + std::to_string(i);
    ImGui::PushID(static_cast<int>(i));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted((c.serial + "  " + TypeText(app, c.type) + "  " +
                            app.F("cert.issue_n", {{"n", std::to_string(c.issue_no)}}) + "  " +
                            StatusText(app, c.status, c.reason))
                               .c_str());
    app.Mark(id + "=" + c.status);
    FlowNext(ButtonWidth(app, app.T("cert.open")));
    if (Button(app, id + ".open", app.T("cert.open"))) app.ShowCertificate(c.serial);
    ImGui::PopID();
  }
}

void IssueForm(App& app) {
  CertState& cs = app.certs;
  ImGui::Spacing();
  ImGui::Separator();
  Heading(app, app.T("cert.new"));
  if (cs.types.empty()) {
    ImGui::TextWrapped("%s", app.T("cert.none_allowed"));
    return;
  }
  for (core::CertType t : cs.types) {
    const std::string label = TypeText(app, t);
    FlowNext(ButtonWidth(app, label) + ImGui::GetFontSize() * 2);
    if (Toggle(app, std::string("certs.type.") + core::CertTypeName(t), label, cs.type == t))
      cs.type = t;
  }
  Checkbox(app, "certs.members", app.T("cert.include_members"), &cs.include_members);
  // 被災証明書 (and 避難証明) name a disaster; without one chosen core takes the assessment's.
  if (cs.type != core::CertType::kRisai && !cs.disasters.empty()) {
    ImGui::TextUnformatted(app.T("assess.disaster"));
    for (size_t i = 0; i < cs.disasters.size(); ++i) {
      const auto& d = cs.disasters[i];
      const std::string label = d.name + " " + d.date;
      FlowNext(ButtonWidth(app, label) + ImGui::GetFontSize() * 2);
      if (Toggle(app, "certs.disaster." + std::to_string(i), label, cs.disaster == d.id))
        cs.disaster = cs.disaster == d.id ? core::Id16{} : d.id;
    }
  }
  if (cs.type == core::CertType::kHisai)
    TextField(app, "certs.damage_note", app.T("cert.damage"), &cs.damage_note);
  // What goes into the certificate from the household (core adds the rest when it signs).
  const auto& h = *app.household.edited;
  const core::Person* head = h.members.empty() ? nullptr : &h.members.front();
  for (const auto& m : h.members)
    if (m.id == h.head) head = &m;
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", app.T("cert.preview"));
  ImGui::Text("%s: %s", app.T("cert.type"), TypeText(app, cs.type).c_str());
  if (head) ImGui::Text("%s: %s", app.T("cert.head"), head->name.c_str());
  ImGui::Text("%s: %s", app.T("cert.address"), h.address.c_str());
  if (cs.type == core::CertType::kHisai && !cs.damage_note.empty())
    ImGui::Text("%s: %s", app.T("cert.damage"), cs.damage_note.c_str());
  if (cs.include_members) {
    std::string m;
    for (const auto& p : h.members) m += (m.empty() ? "" : ", ") + p.name;
    ImGui::Text("%s: %s", app.T("cert.members"), m.c_str());
  }
  ImGui::PopTextWrapPos();
  if (Button(app, "certs.issue", app.T("cert.issue")))
    app.IssueCertificateOfType(cs.type, cs.include_members);
}

}  // namespace

void DrawCertificates(App& app) {
  Heading(app, app.T("cert.title"));
  if (!app.household.edited) {
    ImGui::TextUnformatted(app.T("household.none"));
    return;
  }
  CertState& cs = app.certs;
  if (!cs.error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(("⚠ " + cs.error).c_str());
    ImGui::PopTextWrapPos();
    app.Mark("certs.error");
  }
  if (cs.shown) return Shown(app);
  List(app);
  IssueForm(app);
  ImGui::Spacing();
  if (Button(app, "certs.household", app.T("action.back"))) app.Go(Screen::kHousehold);
}

}  // namespace shelter::ui
