// shelterctl cert: issue, reissue, revoke, list and verify disaster-victim certificates. Verify
// takes the QR text, a file holding it, an image (PNG, JPEG, PGM) or a PDF (platform/
// certificate_input.hpp) and needs no login: only the device's root key, trust list and status
// list, or those given as files (--trust, --status) with the root key in hex (--root), without
// any data directory.
#include <sstream>

#include "core/base/hlc.hpp"
#include "core/base/private_file.hpp"
#include "core/codec/qr_code.hpp"
#include "core/ops/assessment.hpp"
#include "core/ops/certificate_issuance.hpp"
#include "platform/certificate_input.hpp"
#include "platform/printer.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

json ClaimsJson(const core::CertificateClaims& c) {
  json j = {{"type", core::CertTypeName(c.type)},
            {"serial", c.serial},
            {"issue_no", c.issue_no},
            {"issuer", c.issuer_code},
            {"issued_at", c.issued_at},
            {"certified_on", core::DateIntToIso(c.certified_on)},
            {"head_name", c.head_name},
            {"head_address", c.head_address},
            {"site", c.site},
            {"disaster", c.disaster},
            {"disaster_date", core::DateIntToIso(c.disaster_date)},
            {"members", c.members}};
  if (!c.municipality_name.empty()) j["municipality_name"] = c.municipality_name;
  if (!c.issuer_name.empty()) j["issuer_title"] = c.issuer_name;
  if (c.level) j["level"] = core::DamageLevelName(*c.level);
  if (c.flood != core::Flood::kNone) j["flood"] = core::FloodName(c.flood);
  if (!c.damage_note.empty()) j["damage"] = c.damage_note;
  if (!c.shelter_name.empty()) {
    j["shelter"] = c.shelter_name;
    j["stay_from"] = core::DateIntToIso(c.stay_from);
    j["stay_to"] = core::DateIntToIso(c.stay_to);
  }
  return j;
}

std::string ClaimsText(const core::CertificateClaims& c) {
  std::ostringstream s;
  s << "  " << core::CertTypeJapanese(c.type) << "  第 " << c.serial << " 号"
    << (c.issue_no > 1 ? "（第" + std::to_string(c.issue_no) + "版）" : "") << "\n"
    << "  世帯主: " << c.head_name << "  住所: " << c.head_address << "\n";
  if (!c.disaster.empty())
    s << "  罹災原因: " << c.disaster << "（" << core::DateIntToJapanese(c.disaster_date) << "）\n";
  if (c.level)
    s << "  被害の程度: " << core::DamageLevelJapanese(*c.level) << "  所在地: " << c.site << "\n";
  if (c.flood != core::Flood::kNone) s << "  浸水区分: " << core::FloodJapanese(c.flood) << "\n";
  if (!c.damage_note.empty()) s << "  被害の状況: " << c.damage_note << "\n";
  if (!c.shelter_name.empty())
    s << "  避難先: " << c.shelter_name << "  " << core::DateIntToJapanese(c.stay_from) << " から "
      << (c.stay_to ? core::DateIntToJapanese(c.stay_to) : std::string("現在まで")) << "\n";
  if (!c.members.empty()) {
    s << "  世帯構成員:";
    for (auto& m : c.members) s << " " << m;
    s << "\n";
  }
  s << "  証明日: " << core::DateIntToJapanese(c.certified_on) << "\n";
  return s.str();
}

// The verdict's issuer (text): 発行者 千代田区長（千代田区、団体コード 131016）.
std::string IssuerText(const core::CertVerification::Issuer& i) {
  std::string where = i.municipality_name.empty() ? "" : i.municipality_name + "、";
  return "  発行者: " + (i.title.empty() ? std::string("(no title on the trust list)") : i.title) +
         "（" + where + "団体コード " + i.code + "）\n";
}

// The refusal for the option that used to print an unsigned title.
Status RefuseIssuerTitle(const Context& ctx) {
  if (!ctx.args.Opt("issuer-title")) return core::Ok();
  return MakeError(ErrorCode::kInvalidArgument,
                   "--issuer-title is no longer taken: the issuer title is signed into the "
                   "certificate from the trust list's entry for this device's key; set it on the "
                   "admin device with trust add --key HEX --types ... --title 千代田区長 (or trust "
                   "retitle --kid HEX --title ...)");
}

// Writes the PDF (-o) and prints it (--print) for a freshly signed certificate.
Status Output(Context& ctx, const core::IssuedCertificate& ic) {
  json j = ClaimsJson(ic.claims);
  j["record"] = ic.record.Hex();
  j["jdv1"] = ic.jdv1;
  j["cose_bytes"] = ic.cose.size();
  std::string text = "issued " + std::string(core::CertTypeName(ic.claims.type)) + " certificate " +
                     ic.claims.serial + " (" + std::to_string(ic.cose.size()) +
                     " bytes of COSE)\n" + ic.jdv1 + "\n";
  if (auto pdf_path = ctx.args.Opt("o")) {
    platform::CertificatePage page{ic.claims, ic.jdv1, ic.verify_url};
    auto rendered = platform::RenderCertificatePdf(page);
    platform::ReleaseRenderCaches();  // one page per run
    SHELTER_ASSIGN_OR_RETURN(core::Bytes pdf, std::move(rendered));
    SHELTER_TRY(core::WritePrivateFile(*pdf_path, core::View(pdf)));  // personal data: 0600
    j["pdf"] = *pdf_path;
    text += "wrote " + *pdf_path + "\n";
    if (ctx.args.Flag("print")) {
      auto printer = platform::MakeLpPrinter();
      auto dest = printer->DefaultPrinter();
      if (!dest.ok()) {
        j["printed"] = false;
        j["print_error"] = dest.error().detail;
        text += "not printed: " + dest.error().detail + "\n";
      } else {
        SHELTER_ASSIGN_OR_RETURN(std::string job, printer->PrintPdf(*pdf_path, *dest));
        j["printed"] = true;
        text += "sent to " + *dest + ": " + job;
      }
    }
  } else if (ctx.args.Flag("print")) {
    return MakeError(ErrorCode::kInvalidArgument, "--print needs -o FILE.pdf");
  }
  Emit(ctx, j, text);
  return core::Ok();
}

}  // namespace

Status CmdCertIssue(Context& ctx) {
  SHELTER_TRY(RefuseIssuerTitle(ctx));
  SHELTER_ASSIGN_OR_RETURN(std::string type, ctx.args.Need("type"));
  SHELTER_ASSIGN_OR_RETURN(std::string hh, ctx.args.Need("household"));
  core::IssueRequest req;
  SHELTER_ASSIGN_OR_RETURN(req.type, core::ParseCertType(type));
  SHELTER_ASSIGN_OR_RETURN(req.household, core::Id16::FromHex(hh));
  req.damage_note = ctx.args.Opt("note").value_or("");
  req.include_members = ctx.args.Flag("members");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  if (auto d = ctx.args.Opt("disaster")) {
    SHELTER_ASSIGN_OR_RETURN(core::Disaster dis, core::FindDisaster(*node, *d));
    req.disaster = dis.id;
  }
  SHELTER_ASSIGN_OR_RETURN(core::IssuedCertificate ic, core::IssueCertificate(*node, req));
  return Output(ctx, ic);
}

Status CmdCertReissue(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "cert reissue needs a SERIAL");
  SHELTER_TRY(RefuseIssuerTitle(ctx));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::IssuedCertificate ic,
                           core::ReissueCertificate(*node, ctx.args.positional[0]));
  return Output(ctx, ic);
}

Status CmdCertRevoke(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "cert revoke needs a SERIAL");
  SHELTER_ASSIGN_OR_RETURN(std::string reason, ctx.args.Need("reason"));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(core::RevokeCertificate(*node, ctx.args.positional[0], reason));
  json j = {{"revoked", ctx.args.positional[0]}};
  std::string text = "revoked " + ctx.args.positional[0];
  if (node->root_secret()) {
    // On the admin device the status list is signed at once; it travels with the next sync.
    SHELTER_ASSIGN_OR_RETURN(core::Bytes list,
                             core::PublishStatusList(*node, core::HlcClock::SystemNowMs() / 1000));
    SHELTER_ASSIGN_OR_RETURN(core::StatusList s,
                             core::VerifyStatusList(core::View(list), node->root_pk()));
    j["status_list_version"] = s.version;
    text +=
        "; status list version " + std::to_string(s.version) + " published (it travels by sync)\n";
  } else {
    text +=
        " (verifiers see it once the admin device holds this record and publishes the status "
        "list)\n";
  }
  Emit(ctx, j, text);
  return core::Ok();
}

Status CmdCertList(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto all, core::ListCertificates(*node));
  json arr = json::array();
  std::string text;
  for (auto& c : all) {
    arr.push_back({{"serial", c.serial},
                   {"type", core::CertTypeName(c.type)},
                   {"household", c.household.Hex()},
                   {"issue_no", c.issue_no},
                   {"issued_at", c.issued_at},
                   {"status", c.status},
                   {"reason", c.reason}});
    text += c.serial + "  " + core::CertTypeName(c.type) + "  issue " + std::to_string(c.issue_no) +
            "  " + c.status + "  household " + c.household.Hex() + "\n";
  }
  Emit(ctx, arr, text);
  return core::Ok();
}

namespace {

// The lists to verify against: from --trust FILE [--status FILE] checked with --root HEX, else the
// data directory's.
Result<core::DeviceVerification> VerifyWithGivenLists(Context& ctx, const std::string& text) {
  auto trust_file = ctx.args.Opt("trust");
  if (!trust_file) {
    if (ctx.data_dir.empty())
      return MakeError(ErrorCode::kInvalidArgument,
                       "cert verify needs --data DIR (the device's lists), or --trust FILE --root "
                       "HEX [--status FILE] (the signed lists as files and the municipality's root "
                       "public key, printed by trust show)");
    if (ctx.args.Opt("status") || ctx.args.Opt("root"))
      return MakeError(ErrorCode::kInvalidArgument, "--status and --root go with --trust FILE");
    SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
    return core::VerifyWithDeviceLists(*node, text);
  }
  auto root_hex = ctx.args.Opt("root");
  if (!root_hex)
    return MakeError(
        ErrorCode::kInvalidArgument,
        "--trust FILE needs --root HEX: the municipality's root public key that signed "
        "the list (64 hex digits; shelterctl trust show prints it as "
        "root_public_key)");
  SHELTER_ASSIGN_OR_RETURN(core::Bytes root_bytes, core::FromHex(*root_hex));
  if (root_bytes.size() != 32)
    return MakeError(ErrorCode::kInvalidArgument, "--root must be 64 hex digits");
  core::crypto::PublicKey root;
  std::copy(root_bytes.begin(), root_bytes.end(), root.begin());
  constexpr size_t kMaxListFile = 64u << 20;
  SHELTER_ASSIGN_OR_RETURN(std::string trust_bytes, ReadFileBytes(*trust_file, kMaxListFile));
  SHELTER_ASSIGN_OR_RETURN(core::TrustList trust,
                           core::VerifyTrustList(core::View(trust_bytes), root));
  std::optional<core::StatusList> status;
  if (auto status_file = ctx.args.Opt("status")) {
    SHELTER_ASSIGN_OR_RETURN(std::string status_bytes, ReadFileBytes(*status_file, kMaxListFile));
    SHELTER_ASSIGN_OR_RETURN(status, core::VerifyStatusList(core::View(status_bytes), root));
    if (status->municipality_code != trust.municipality_code)
      return MakeError(ErrorCode::kInvalidArgument,
                       "the status list is of municipality " + status->municipality_code +
                           ", the trust list of " + trust.municipality_code);
  }
  return core::VerifyWithLists(text, trust, status ? &*status : nullptr);
}

}  // namespace

Status CmdCertVerify(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument,
                     "cert verify needs the QR text, or a .txt, .png, .jpg, .pgm or .pdf file");
  SHELTER_ASSIGN_OR_RETURN(std::string text,
                           platform::ReadCertificateInput(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(core::DeviceVerification dv, VerifyWithGivenLists(ctx, text));
  const core::CertVerification& v = dv.result;
  json j = {{"status", core::CertStatusName(v.status)},
            {"reason", v.reason},
            {"revocation_checked", v.revocation_checked},
            {"revocation_as_of", v.revocation_as_of},
            {"trust_list_version", dv.trust_version}};
  if (dv.status_version) j["status_list_version"] = *dv.status_version;
  if (v.key)
    j["key"] = {
        {"label", v.key->label}, {"serial_prefix", v.key->serial_prefix}, {"title", v.key->title}};
  if (v.issuer)
    j["issuer"] = {{"municipality_code", v.issuer->code},
                   {"municipality_name", v.issuer->municipality_name},
                   {"title", v.issuer->title}};
  if (v.claims) j["certificate"] = ClaimsJson(*v.claims);
  if (dv.revocation)
    j["revocation"] = {{"revoked_at", dv.revocation->at},
                       {"revoked_on", core::DateIntToIso(core::DateIntFromUnix(dv.revocation->at))},
                       {"reason", dv.revocation->reason},
                       {"below_issue", dv.revocation->below_issue}};
  std::string out = std::string(v.ok() ? "VALID" : "NOT VALID") + " (" +
                    core::CertStatusName(v.status) + "): " + v.reason + "\n";
  if (dv.revocation) {
    const core::Revocation& r = *dv.revocation;
    out += "  revoked on " + core::DateIntToIso(core::DateIntFromUnix(r.at)) +
           (r.reason.empty() ? std::string(r.below_issue ? " (superseded by a reissue)" : "")
                             : " (reason: " + r.reason + ")") +
           "\n";
  }
  if (v.issuer)
    out += IssuerText(*v.issuer);
  else if (v.claims)  // refused before the issuer was checked: what the certificate claims
    out += "  claims to be issued by: " + v.claims->issuer_name + "（" +
           v.claims->municipality_name + "、団体コード " + v.claims->issuer_code + "）\n";
  if (v.claims) out += ClaimsText(*v.claims);
  if (v.key) out += "  signed by: " + v.key->label + "\n";
  Emit(ctx, j, out);
  if (!v.ok())
    return MakeError(ErrorCode::kCrypto,
                     std::string(core::CertStatusName(v.status)) + ": " + v.reason);
  return core::Ok();
}

}  // namespace shelter::tools
