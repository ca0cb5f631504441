// shelterctl cert: issue, reissue, revoke, list and verify disaster-victim certificates. Verify
// takes the QR text, a file holding it, a grayscale PGM image or a PDF (rasterized by pdftoppm),
// and needs no login: only the device's root key, trust list and status list.
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/assessment.hpp"
#include "core/certificate_issuance.hpp"
#include "core/hlc.hpp"
#include "core/qr_code.hpp"
#include "platform/printer.hpp"
#include "core/image_io.hpp"
#include "tools/shelterctl/cli.hpp"

extern char** environ;

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

json ClaimsJson(const core::CertificateClaims& c) {
  json j = {{"type", core::CertTypeName(c.type)}, {"serial", c.serial}, {"issue_no", c.issue_no},
            {"issuer", c.issuer_code}, {"issued_at", c.issued_at},
            {"certified_on", core::DateIntToIso(c.certified_on)}, {"head_name", c.head_name},
            {"head_address", c.head_address}, {"site", c.site}, {"disaster", c.disaster},
            {"disaster_date", core::DateIntToIso(c.disaster_date)}, {"members", c.members}};
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
  if (!c.disaster.empty()) s << "  罹災原因: " << c.disaster << "（" << core::DateIntToJapanese(c.disaster_date) << "）\n";
  if (c.level) s << "  被害の程度: " << core::DamageLevelJapanese(*c.level) << "  所在地: " << c.site << "\n";
  if (c.flood != core::Flood::kNone) s << "  浸水区分: " << core::FloodJapanese(c.flood) << "\n";
  if (!c.damage_note.empty()) s << "  被害の状況: " << c.damage_note << "\n";
  if (!c.shelter_name.empty())
    s << "  避難先: " << c.shelter_name << "  " << core::DateIntToJapanese(c.stay_from) << " から "
      << (c.stay_to ? core::DateIntToJapanese(c.stay_to) : std::string("現在まで")) << "\n";
  s << "  証明日: " << core::DateIntToJapanese(c.certified_on) << "\n";
  return s.str();
}

// Writes the PDF (-o) and prints it (--print) for a freshly signed certificate.
Status Output(Context& ctx, const core::IssuedCertificate& ic) {
  json j = ClaimsJson(ic.claims);
  j["record"] = ic.record.Hex();
  j["jdv1"] = ic.jdv1;
  j["cose_bytes"] = ic.cose.size();
  std::string text = "issued " + std::string(core::CertTypeName(ic.claims.type)) + " certificate " + ic.claims.serial +
                     " (" + std::to_string(ic.cose.size()) + " bytes of COSE)\n" + ic.jdv1 + "\n";
  if (auto pdf_path = ctx.args.Opt("o")) {
    platform::CertificatePage page{ic.claims, ic.jdv1, ctx.args.Opt("issuer-title").value_or("")};
    auto rendered = platform::RenderCertificatePdf(page);
    platform::ReleaseRenderCaches();  // one page per run
    SHELTER_ASSIGN_OR_RETURN(core::Bytes pdf, std::move(rendered));
    std::ofstream out(*pdf_path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
    out.close();
    if (!out) return MakeError(ErrorCode::kIo, "cannot write " + *pdf_path);
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

// ---- reading a QR from an image or a PDF

Result<core::GrayImage> RasterizePdf(const std::string& pdf) {
  std::string prefix = (std::filesystem::temp_directory_path() / ("shelterctl-verify-" + std::to_string(getpid()))).string();
  std::vector<std::string> args = {"pdftoppm", "-gray", "-r", "200", "-f", "1", "-l", "1", "-singlefile", pdf, prefix};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, "pdftoppm", nullptr, nullptr, argv.data(), environ) != 0)
    return MakeError(ErrorCode::kNotFound, "pdftoppm is not installed (poppler-utils)");
  int status = 0;
  waitpid(pid, &status, 0);
  std::string pgm = prefix + ".pgm";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::filesystem::remove(pgm);
    return MakeError(ErrorCode::kParse, "pdftoppm could not read the PDF");
  }
  auto img = core::ReadImageFile(pgm);
  std::filesystem::remove(pgm);
  return img;
}

// The QR text from the argument: the text itself, or a .txt, image (.png .jpg .pgm) or .pdf file.
Result<std::string> InputText(const std::string& arg) {
  if (arg.rfind(core::kJdv1Prefix, 0) == 0) return arg;
  auto ends = [&](const char* ext) {
    std::string e = ext;
    return arg.size() >= e.size() && arg.compare(arg.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".pdf") || ends(".pgm") || ends(".png") || ends(".jpg") || ends(".jpeg")) {
    SHELTER_ASSIGN_OR_RETURN(core::GrayImage img, ends(".pdf") ? RasterizePdf(arg) : core::ReadImageFile(arg));
    auto found = core::DecodeQr(img.view());
    for (auto& q : found)
      if (q.text.rfind(core::kJdv1Prefix, 0) == 0) return q.text;
    return MakeError(ErrorCode::kNotFound, "no JDV1 QR code found in " + arg);
  }
  if (ends(".png") || ends(".jpg"))
    return MakeError(ErrorCode::kUnsupported, "image files are read as PGM (P5) for now: convert, or give the PDF");
  if (!std::filesystem::exists(arg)) return arg;  // QR text of another kind: reported as malformed
  return ReadFileBytes(arg);
}

}  // namespace

Status CmdCertIssue(Context& ctx) {
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
  if (ctx.args.positional.size() != 1) return MakeError(ErrorCode::kInvalidArgument, "cert reissue needs a SERIAL");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::IssuedCertificate ic, core::ReissueCertificate(*node, ctx.args.positional[0]));
  return Output(ctx, ic);
}

Status CmdCertRevoke(Context& ctx) {
  if (ctx.args.positional.size() != 1) return MakeError(ErrorCode::kInvalidArgument, "cert revoke needs a SERIAL");
  SHELTER_ASSIGN_OR_RETURN(std::string reason, ctx.args.Need("reason"));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(core::RevokeCertificate(*node, ctx.args.positional[0], reason));
  json j = {{"revoked", ctx.args.positional[0]}};
  std::string text = "revoked " + ctx.args.positional[0];
  if (node->root_secret()) {
    // On the admin device the status list is signed at once; it travels with the next sync.
    SHELTER_ASSIGN_OR_RETURN(core::Bytes list, core::PublishStatusList(*node, core::HlcClock::SystemNowMs() / 1000));
    SHELTER_ASSIGN_OR_RETURN(core::StatusList s, core::VerifyStatusList(core::View(list), node->root_pk()));
    j["status_list_version"] = s.version;
    text += "; status list version " + std::to_string(s.version) + " published (it travels by sync)\n";
  } else {
    text += " (verifiers see it once the admin device holds this record and publishes the status list)\n";
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
    arr.push_back({{"serial", c.serial}, {"type", core::CertTypeName(c.type)}, {"household", c.household.Hex()},
                   {"issue_no", c.issue_no}, {"issued_at", c.issued_at}, {"status", c.status}, {"reason", c.reason}});
    text += c.serial + "  " + core::CertTypeName(c.type) + "  issue " + std::to_string(c.issue_no) + "  " + c.status +
            "  household " + c.household.Hex() + "\n";
  }
  Emit(ctx, arr, text);
  return core::Ok();
}

Status CmdCertVerify(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "cert verify needs the QR text, or a .txt, .png, .jpg, .pgm or .pdf file");
  SHELTER_ASSIGN_OR_RETURN(std::string text, InputText(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
  SHELTER_ASSIGN_OR_RETURN(auto trust, core::LoadTrustList(*node));
  if (!trust)
    return MakeError(ErrorCode::kNotFound,
                     "this device holds no trust list (sync with a device that has it, or trust import)");
  SHELTER_ASSIGN_OR_RETURN(auto status, core::LoadStatusList(*node));
  core::CertVerification v = core::VerifyJdv1(text, *trust, status ? &*status : nullptr);
  json j = {{"status", core::CertStatusName(v.status)}, {"reason", v.reason},
            {"revocation_checked", v.revocation_checked}, {"revocation_as_of", v.revocation_as_of},
            {"trust_list_version", trust->version}};
  if (v.key) j["key"] = {{"label", v.key->label}, {"serial_prefix", v.key->serial_prefix}};
  if (v.claims) j["certificate"] = ClaimsJson(*v.claims);
  std::string out = std::string(v.ok() ? "VALID" : "NOT VALID") + " (" + core::CertStatusName(v.status) + "): " +
                    v.reason + "\n";
  if (v.claims) out += ClaimsText(*v.claims);
  if (v.key) out += "  signed by: " + v.key->label + "\n";
  Emit(ctx, j, out);
  if (!v.ok()) return MakeError(ErrorCode::kCrypto, std::string(core::CertStatusName(v.status)) + ": " + v.reason);
  return core::Ok();
}

}  // namespace shelter::tools
