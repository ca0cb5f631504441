// shelterctl commands around certificates that are not certificates themselves: disasters,
// damage assessments, the device's issuing key, and the signed trust and status lists.
#include <fstream>
#include <sstream>

#include "core/base/hlc.hpp"
#include "core/ops/assessment.hpp"
#include "core/ops/certificate_issuance.hpp"
#include "core/text/text_normalize.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

int64_t NowS() { return core::HlcClock::SystemNowMs() / 1000; }

Result<std::vector<core::CertType>> ParseTypes(const std::string& list) {
  std::vector<core::CertType> out;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) {
      SHELTER_ASSIGN_OR_RETURN(core::CertType t, core::ParseCertType(item));
      out.push_back(t);
    }
  if (out.empty())
    return MakeError(ErrorCode::kInvalidArgument, "--types needs risai, hisai and/or hinan");
  return out;
}

// 00:00 JST of a YYYY-MM-DD date as unix seconds (days-from-civil), or an error.
Result<int64_t> JstMidnight(const std::string& in) {
  SHELTER_ASSIGN_OR_RETURN(std::string iso, core::NormalizeDate(in, false));
  int32_t d = core::ToDateInt(iso);
  if (d == 0) return MakeError(ErrorCode::kInvalidArgument, "not a date: " + in);
  int64_t y = d / 10000, m = d / 100 % 100, day = d % 100;
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return days * 86400 - 9 * 3600;
}

json KeyJson(const core::IssuerKey& k) {
  json types = json::array();
  for (auto t : k.allowed) types.push_back(core::CertTypeName(t));
  return {{"kid", core::ToHex(core::ByteView(k.kid.data(), k.kid.size()))},
          {"public_key", core::ToHex(core::ByteView(k.pk.data(), k.pk.size()))},
          {"label", k.label},
          {"serial_prefix", k.serial_prefix},
          {"types", types},
          {"not_before", k.not_before},
          {"not_after", k.not_after},
          {"withdrawn", k.withdrawn},
          {"title", k.title}};
}

Status WriteFile(const std::string& path, core::ByteView bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return MakeError(ErrorCode::kIo, "cannot write " + path);
  return core::Ok();
}

}  // namespace

Status CmdDisasterAdd(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string name, ctx.args.Need("name"));
  SHELTER_ASSIGN_OR_RETURN(std::string date_in, ctx.args.Need("date"));
  SHELTER_ASSIGN_OR_RETURN(std::string date, core::NormalizeDate(date_in, false));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  std::string kind = ctx.args.Opt("kind").value_or("other");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::AddDisaster(*node, {{}, name, date, kind}));
  Emit(ctx, {{"disaster", id.Hex()}, {"name", name}, {"date", date}, {"kind", kind}},
       "disaster " + id.Hex() + " (" + kind + ")\n");
  return core::Ok();
}

Status CmdDisasterList(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto all, core::ListDisasters(*node));
  json arr = json::array();
  std::string text;
  for (auto& d : all) {
    arr.push_back({{"id", d.id.Hex()}, {"name", d.name}, {"date", d.date}, {"kind", d.kind}});
    text += d.id.Hex() + "  " + d.date + "  " + d.kind + "  " + d.name + "\n";
  }
  Emit(ctx, arr, text);
  return core::Ok();
}

Status CmdAssess(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "assess needs a HOUSEHOLD id");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 household, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(std::string level, ctx.args.Need("level"));
  SHELTER_ASSIGN_OR_RETURN(std::string disaster, ctx.args.Need("disaster"));
  core::Assessment a;
  a.household = household;
  SHELTER_ASSIGN_OR_RETURN(a.level, core::ParseDamageLevel(level));
  SHELTER_ASSIGN_OR_RETURN(a.flood, core::ParseFlood(ctx.args.Opt("flood").value_or("none")));
  SHELTER_ASSIGN_OR_RETURN(a.stage,
                           core::ParseSurveyStage(ctx.args.Opt("stage").value_or("first")));
  SHELTER_ASSIGN_OR_RETURN(
      a.date,
      core::NormalizeDate(
          ctx.args.Opt("date").value_or(core::DateIntToIso(core::DateIntFromUnix(NowS()))), false));
  a.site = ctx.args.Opt("site").value_or("");
  a.note = ctx.args.Opt("note").value_or("");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  a.surveyor = ctx.args.Opt("surveyor").value_or(node->session()->handle);
  SHELTER_ASSIGN_OR_RETURN(core::Disaster d, core::FindDisaster(*node, disaster));
  a.disaster = d.id;
  SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::RecordAssessment(*node, a));
  Emit(ctx, {{"assessment", id.Hex()}, {"level", core::DamageLevelName(a.level)}},
       "assessment " + id.Hex() + ": " + core::DamageLevelJapanese(a.level) + "\n");
  return core::Ok();
}

Status CmdAssessHistory(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "needs a HOUSEHOLD id");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 household, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto history, core::AssessmentHistory(*node, household));
  SHELTER_ASSIGN_OR_RETURN(auto current, core::CurrentAssessment(*node, household));
  json arr = json::array();
  std::string text;
  for (auto& a : history) {
    bool cur = current && current->id == a.id;
    arr.push_back({{"id", a.id.Hex()},
                   {"level", core::DamageLevelName(a.level)},
                   {"flood", core::FloodName(a.flood)},
                   {"stage", core::SurveyStageName(a.stage)},
                   {"date", a.date},
                   {"surveyor", a.surveyor},
                   {"supersedes", a.prev.IsZero() ? "" : a.prev.Hex()},
                   {"current", cur}});
    text += a.date + "  " + core::SurveyStageJapanese(a.stage) + "  " +
            core::DamageLevelJapanese(a.level) + (cur ? "  (current)" : "") + "\n";
  }
  Emit(ctx, arr, text);
  return core::Ok();
}

Status CmdCertKeyNew(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::crypto::PublicKey pk, core::CreateIssuingKey(*node));
  core::cose::Kid kid = core::cose::KidOf(pk);
  std::string hex = core::ToHex(core::ByteView(pk.data(), pk.size()));
  Emit(ctx, {{"public_key", hex}, {"kid", core::ToHex(core::ByteView(kid.data(), kid.size()))}},
       "new issuing key " + hex + "\n(add it on the admin device: shelterctl trust add --key " +
           hex + " --types ...)\n");
  return core::Ok();
}

Status CmdTrustAdd(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string key_hex, ctx.args.Need("key"));
  SHELTER_ASSIGN_OR_RETURN(std::string types, ctx.args.Need("types"));
  SHELTER_ASSIGN_OR_RETURN(core::Bytes key, core::FromHex(key_hex));
  if (key.size() != 32)
    return MakeError(ErrorCode::kInvalidArgument, "--key must be 64 hex digits");
  core::TrustRequest req;
  std::copy(key.begin(), key.end(), req.pk.begin());
  SHELTER_ASSIGN_OR_RETURN(req.allowed, ParseTypes(types));
  req.label = ctx.args.Opt("label").value_or("issuing key");
  req.title = ctx.args.Opt("title").value_or("");
  int64_t days = std::atoll(ctx.args.Opt("days").value_or("365").c_str());
  if (days <= 0 || days > 3650)
    return MakeError(ErrorCode::kInvalidArgument, "--days must be 1..3650");
  int64_t now = NowS();
  req.not_before = now - 300;  // field clocks drift
  req.not_after = now + days * 86400;
  // An explicit period (JST dates, both inclusive), e.g. to end a key's validity.
  if (auto from = ctx.args.Opt("from")) {
    SHELTER_ASSIGN_OR_RETURN(req.not_before, JstMidnight(*from));
  }
  if (auto until = ctx.args.Opt("until")) {
    SHELTER_ASSIGN_OR_RETURN(int64_t end, JstMidnight(*until));
    req.not_after = end + 86400 - 1;
  }
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::IssuerKey k, core::TrustIssuingKey(*node, req, now));
  Emit(ctx, KeyJson(k),
       "trusted key " + k.serial_prefix + " (" + types + ") until " +
           core::DateIntToIso(core::DateIntFromUnix(k.not_after)) +
           (k.title.empty() ? std::string(", no issuer title (give --title 千代田区長)")
                            : ", issuer title " + k.title) +
           "; the list travels by sync (or trust export)\n");
  return core::Ok();
}

Status CmdTrustRetitle(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string kid_hex, ctx.args.Need("kid"));
  SHELTER_ASSIGN_OR_RETURN(std::string title, ctx.args.Need("title"));
  SHELTER_ASSIGN_OR_RETURN(core::Bytes kid, core::FromHex(kid_hex));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::IssuerKey k,
                           core::RetitleIssuingKey(*node, core::View(kid), title, NowS()));
  Emit(ctx, KeyJson(k),
       "key " + k.serial_prefix + " now issues as " + k.title +
           "; certificates it signed under another title no longer verify (the list travels by "
           "sync)\n");
  return core::Ok();
}

Status CmdMunicipalitySet(Context& ctx) {
  auto url = ctx.args.Opt("verify-url");
  if (!url)
    return MakeError(ErrorCode::kInvalidArgument,
                     "municipality set needs --verify-url URL (an empty URL removes it)");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(core::SetVerifyUrl(*node, *url, NowS()));
  SHELTER_ASSIGN_OR_RETURN(auto trust, core::LoadTrustList(*node));
  uint64_t version = trust ? trust->version : 0;
  Emit(ctx, {{"verify_url", *url}, {"trust_list_version", version}},
       (url->empty() ? std::string("certificates print no verify URL")
                     : "certificates print the verify URL " + *url) +
           " once issued under trust list version " + std::to_string(version) +
           " (it travels by sync)\n");
  return core::Ok();
}

Status CmdTrustWithdraw(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string kid_hex, ctx.args.Need("kid"));
  SHELTER_ASSIGN_OR_RETURN(core::Bytes kid, core::FromHex(kid_hex));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(core::WithdrawIssuingKey(*node, core::View(kid), NowS()));
  Emit(ctx, {{"withdrawn", kid_hex}}, "withdrew key " + kid_hex + "\n");
  return core::Ok();
}

Status CmdTrustExport(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string out, ctx.args.Need("o"));
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
  SHELTER_ASSIGN_OR_RETURN(auto list, core::SignedTrustList(*node));
  if (!list) return MakeError(ErrorCode::kNotFound, "this device holds no trust list");
  // --text: the JTL1: QR text (for `qr encode`) instead of the bytes.
  const bool text = ctx.args.Flag("text");
  std::string qr = text ? core::EncodeQrText(core::kJtl1Prefix, core::View(*list)) : "";
  SHELTER_TRY(WriteFile(out, text ? core::View(qr) : core::View(*list)));
  Emit(ctx, {{"file", out}, {"bytes", list->size()}}, "wrote the trust list to " + out + "\n");
  return core::Ok();
}

Status CmdTrustPublishStatus(Context& ctx) {
  std::string out = ctx.args.Opt("o").value_or("");  // optional: the list also travels by sync
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Bytes list, core::PublishStatusList(*node, NowS()));
  // --text: the JSL1: QR text (for `qr encode`) instead of the bytes.
  const bool text = ctx.args.Flag("text");
  std::string qr = text ? core::EncodeQrText(core::kJsl1Prefix, core::View(list)) : "";
  if (!out.empty()) SHELTER_TRY(WriteFile(out, text ? core::View(qr) : core::View(list)));
  SHELTER_ASSIGN_OR_RETURN(core::StatusList s,
                           core::VerifyStatusList(core::View(list), node->root_pk()));
  Emit(ctx, {{"file", out}, {"revocations", s.entries.size()}, {"version", s.version}},
       "published status list version " + std::to_string(s.version) + " (" +
           std::to_string(s.entries.size()) + " revocations)" + (out.empty() ? "" : " to " + out) +
           "; it travels by sync\n");
  return core::Ok();
}

Status CmdTrustImport(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "trust import needs one FILE");
  SHELTER_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
  // A trust list or a status list: both are signed by the root; the payload says which.
  if (core::VerifyTrustList(core::View(bytes), node->root_pk()).ok()) {
    SHELTER_TRY(core::ImportTrustList(*node, core::View(bytes)));
    Emit(ctx, {{"imported", "trust_list"}}, "imported the trust list\n");
    return core::Ok();
  }
  SHELTER_TRY(core::ImportStatusList(*node, core::View(bytes)));
  Emit(ctx, {{"imported", "status_list"}}, "imported the status list\n");
  return core::Ok();
}

Status CmdTrustShow(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
  SHELTER_ASSIGN_OR_RETURN(auto trust, core::LoadTrustList(*node));
  SHELTER_ASSIGN_OR_RETURN(auto status, core::LoadStatusList(*node));
  if (!trust) return MakeError(ErrorCode::kNotFound, "this device holds no trust list");
  json keys = json::array();
  std::ostringstream text;
  std::string root_hex =
      core::ToHex(core::ByteView(node->root_pk().data(), node->root_pk().size()));
  text << "trust list version " << trust->version << " of " << trust->municipality_code
       << (trust->municipality_name.empty() ? "" : " " + trust->municipality_name) << "\n"
       << "root public key " << root_hex << "\n";
  if (!trust->verify_url.empty()) text << "verify URL " << trust->verify_url << "\n";
  for (auto& k : trust->keys) {
    keys.push_back(KeyJson(k));
    text << "  " << k.serial_prefix << "  " << keys.back()["kid"].get<std::string>() << "  "
         << k.label << "  " << keys.back()["types"].dump()
         << (k.title.empty() ? "" : "  title " + k.title) << (k.withdrawn ? "  WITHDRAWN" : "")
         << "\n";
  }
  json j = {{"version", trust->version},
            {"municipality", trust->municipality_code},
            {"municipality_name", trust->municipality_name},
            {"verify_url", trust->verify_url},
            {"root_public_key", root_hex},
            {"keys", keys}};
  if (status) {
    j["status_list"] = {{"version", status->version},
                        {"issued_at", status->issued_at},
                        {"revocations", status->entries.size()}};
    text << "status list version " << status->version << ": " << status->entries.size()
         << " revocations\n";
  } else {
    text << "no status list (revocations are not checked)\n";
  }
  Emit(ctx, j, text.str());
  return core::Ok();
}

}  // namespace shelter::tools
