// 証明書の確認: a clerk checks a disaster-victim certificate offline (camera, pasted text or a
// file, typed or picked by touch in verify_picker.cpp). The outcome is a word with an icon (✓ /
// ✕), its reason in the selected language, what the certificate says, and the trust and status
// list versions used. Nothing stays once the screen is left (App::Go wipes it).
#include <string>

#include "core/formats/certificate.hpp"
#include "core/model/damage.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

using core::CertStatus;

bool JapaneseUi(App& app) { return app.lang_code().rfind("ja", 0) == 0; }

std::string DateText(App& app, int32_t d) {
  if (d == 0) return "—";
  return JapaneseUi(app) ? core::DateIntToJapanese(d) : core::DateIntToIso(d);
}

// The legal Japanese term, with the selected language's words beside it outside Japanese.
std::string Term(App& app, const char* japanese, const std::string& key) {
  if (JapaneseUi(app)) return japanese;
  return std::string(app.T(key)) + " (" + japanese + ")";
}

std::string ReasonText(App& app, const core::DeviceVerification& dv) {
  const core::CertVerification& v = dv.result;
  switch (v.status) {
    case CertStatus::kValid:
      return app.T(v.revocation_checked ? "verify.reason.valid" : "verify.reason.valid_unchecked");
    case CertStatus::kKeyNotAllowed:
      if (v.claims && v.claims->issuer_code != dv.municipality_code)
        return app.F("verify.reason.other_municipality", {{"code", v.claims->issuer_code}});
      return app.T("verify.reason.key_not_allowed");
    case CertStatus::kRevoked:
      if (dv.revocation && dv.revocation->below_issue)
        return app.F("verify.reason.superseded",
                     {{"n", std::to_string(dv.revocation->below_issue)}});
      return app.F("verify.reason.revoked",
                   {{"date", dv.revocation ? DateText(app, core::DateIntFromUnix(dv.revocation->at))
                                           : std::string("—")}});
    case CertStatus::kKeyExpired:
      if (v.key)
        return app.F("verify.reason.key_expired",
                     {{"from", DateText(app, core::DateIntFromUnix(v.key->not_before))},
                      {"to", DateText(app, core::DateIntFromUnix(v.key->not_after))}});
      return app.T("verify.reason.malformed");  // not reached: an expired key is always known
    default: return app.T(std::string("verify.reason.") + core::CertStatusName(v.status));
  }
}

void Row(const char* label, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(label);
  ImGui::TableNextColumn();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(value.empty() ? "—" : value.c_str());
  ImGui::PopTextWrapPos();
}

void Claims(App& app, const core::DeviceVerification& dv) {
  const core::CertificateClaims& c = *dv.result.claims;
  if (!ImGui::BeginTable("verify.claims", 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg))
    return;
  ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 9);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
  Row(app.T("cert.type"), Term(app, core::CertTypeJapanese(c.type),
                               std::string("cert.type.") + core::CertTypeName(c.type)));
  std::string serial = c.serial;
  if (c.issue_no > 1) serial += "  " + app.F("cert.issue_no", {{"n", std::to_string(c.issue_no)}});
  Row(app.T("cert.serial"), serial);
  Row(app.T("cert.head"), c.head_name);
  bool hinan = c.type == core::CertType::kHinan;
  Row(app.T("cert.address"), c.head_address.empty() ? c.site : c.head_address);
  if (!hinan && !c.head_address.empty() && c.head_address != c.site)
    Row(app.T("cert.site"), c.site);
  if (!c.disaster.empty())
    Row(app.T("cert.disaster"), c.disaster + "（" + DateText(app, c.disaster_date) + "）");
  if (c.level)
    Row(app.T("cert.level"), Term(app, core::DamageLevelJapanese(*c.level),
                                  std::string("damage.") + core::DamageLevelName(*c.level)));
  if (c.flood != core::Flood::kNone)
    Row(app.T("cert.flood"),
        Term(app, core::FloodJapanese(c.flood), std::string("flood.") + core::FloodName(c.flood)));
  if (!c.damage_note.empty()) Row(app.T("cert.damage"), c.damage_note);
  if (!c.shelter_name.empty()) {
    Row(app.T("cert.shelter"), c.shelter_name);
    std::string from = DateText(app, c.stay_from);
    Row(app.T("cert.stay"),
        c.stay_to ? app.F("cert.stay_range", {{"from", from}, {"to", DateText(app, c.stay_to)}})
                  : app.F("cert.stay_open", {{"from", from}}));
  }
  if (!c.members.empty()) {
    std::string all;
    for (const auto& m : c.members) all += (all.empty() ? "" : "、") + m;
    Row(app.T("cert.members"), all);
  }
  Row(app.T("cert.certified_on"), DateText(app, c.certified_on));
  Row(app.T("cert.issued_at"), DateText(app, core::DateIntFromUnix(c.issued_at)));
  // The issuer as verified (signed claims, or the trust list's for an older certificate).
  const auto& who = dv.result.issuer;
  std::string title = who ? who->title : c.issuer_name;
  std::string place = who ? who->municipality_name : c.municipality_name;
  std::string issuer = (title.empty() ? "" : title + " · ") + (place.empty() ? "" : place + " · ");
  issuer += app.F("cert.issuer_value",
                  {{"code", c.issuer_code},
                   {"key", dv.result.key ? dv.result.key->label : std::string("—")},
                   {"prefix", dv.result.key ? dv.result.key->serial_prefix : std::string("—")}});
  Row(app.T("cert.issuer"), issuer);
  ImGui::EndTable();
}

void Outcome(App& app, const core::DeviceVerification& dv) {
  Palette pal = ColorsFor(app.theme());
  const core::CertVerification& v = dv.result;
  std::string status = core::CertStatusName(v.status);
  // A reissue's earlier papers are revoked too, but the clerk should ask for the new paper.
  std::string word = dv.revocation && dv.revocation->below_issue ? "superseded" : status;
  std::string title = v.ok() ? "✓ " + std::string(app.T("verify.status.valid"))
                             : "✕ " + std::string(app.T("verify.not_valid")) + " — " +
                                   app.T("verify.status." + word);
  ImGui::PushStyleColor(ImGuiCol_Text, v.ok() ? pal.ok : pal.danger);
  BigText(app, title, kHeadingScale);
  ImGui::PopStyleColor();
  app.Mark("verify.result." + status);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(ReasonText(app, dv).c_str());
  const char* source = app.verify.source == VerifySource::kCamera ? "verify.source.camera"
                       : app.verify.source == VerifySource::kText ? "verify.source.text"
                                                                  : "verify.source.file";
  if (v.ok()) {
    ImGui::TextColored(pal.muted, "%s", app.T(source));
  } else {
    ImGui::TextColored(pal.muted, "%s · %s: %s", app.T(source), app.T("verify.detail"),
                       v.reason.c_str());
  }
  ImGui::PopTextWrapPos();
  if (!v.claims) return;
  ImGui::Spacing();
  if (v.ok()) {
    ImGui::TextUnformatted(app.T("verify.claims_valid"));
  } else {
    ImGui::TextColored(pal.danger, "⚠ %s", app.T("verify.claims_invalid"));
  }
  Claims(app, dv);
}

}  // namespace

void DrawVerify(App& app) {
  Palette pal = ColorsFor(app.theme());
  VerifyState& vs = app.verify;
  if (vs.reveal_result) {
    ImGui::SetScrollY(0);  // the outcome is at the top; a file picked below the fold is checked
    vs.reveal_result = false;
  }
  Heading(app, app.T("verify.title"));
  bool shown = vs.result || !vs.input_error.empty();
  if (!shown) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(app.T("verify.help"));
    ImGui::PopTextWrapPos();
  }
  if (app.devices().poll_qr) {
    ImGui::TextColored(pal.muted, "▣ %s", app.T("verify.camera_on"));
  } else {
    ImGui::TextColored(pal.warn, "⚠ %s", app.T("verify.no_camera"));
  }
  // The lists this device holds (and the check uses): the clerk can tell how current they are.
  ImGui::PushTextWrapPos(0.0f);
  if (!vs.has_trust) {
    ImGui::TextColored(pal.warn, "⚠ %s", app.T("verify.no_trust"));
  } else if (vs.status_version) {
    std::string date = DateText(app, core::DateIntFromUnix(vs.status_as_of));
    ImGui::TextUnformatted(app.F("verify.lists", {{"trust", std::to_string(vs.trust_version)},
                                                  {"status", std::to_string(*vs.status_version)},
                                                  {"date", date}})
                               .c_str());
  } else {
    std::string text =
        app.F("verify.lists_no_status", {{"trust", std::to_string(vs.trust_version)}});
    ImGui::TextColored(pal.warn, "⚠ %s", text.c_str());
  }
  ImGui::PopTextWrapPos();
  app.Mark("verify.lists");
  ImGui::Separator();

  // The result first: it is what the clerk looks for; the inputs follow.
  if (!vs.input_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, pal.danger);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(("⚠ " + vs.input_error).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    app.Mark("verify.error");
  } else if (vs.result) {
    Outcome(app, *vs.result);
  }
  if (shown) {
    if (Button(app, "verify.clear", "✕ " + std::string(app.T("verify.clear"))))
      app.ClearVerify(/*keep_picker=*/true);
    ImGui::Separator();
  }

  float bw = ImGui::GetFontSize() * 7;
  float fw = ImGui::GetContentRegionAvail().x - bw - ImGui::GetStyle().ItemSpacing.x;
  bool enter = TextField(app, "verify.text", app.T("verify.text"), &vs.text, fw,
                         ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetTextLineHeightWithSpacing());
  ImGui::BeginDisabled(vs.text.empty());
  if (Button(app, "verify.check", app.T("verify.check"), bw) || (enter && !vs.text.empty()))
    app.VerifyText(vs.text, VerifySource::kText);
  ImGui::EndDisabled();
  enter = TextField(app, "verify.path", app.T("verify.path"), &vs.path, fw,
                    ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetTextLineHeightWithSpacing());
  ImGui::BeginDisabled(vs.path.empty());
  if (Button(app, "verify.open", app.T("verify.open"), bw) || (enter && !vs.path.empty()))
    app.VerifyFile(vs.path);
  ImGui::EndDisabled();
  // A finger picks the file instead of typing its path.
  if (vs.picker.open) {
    ImGui::Separator();
    DrawVerifyPicker(app);
  } else if (Button(app, "verify.browse", app.T("verify.browse"))) {
    app.OpenFilePicker();
  }
}

}  // namespace shelter::ui
