// shelterctl commands of the registration flow: register a household (household JSON, a
// resident's JPR1 code, or the quick manual path), show a JPR1 code, issue and verify passes.
#include <iostream>

#include "core/formats/signed_payload.hpp"
#include "core/model/household_json.hpp"
#include "core/ops/duplicates.hpp"
#include "core/ops/registration.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

// TEXT argument, or "-" / nothing for stdin (after any PIN lines).
Result<std::string> TextArg(Context& ctx, const char* what) {
  std::string arg = ctx.args.positional.empty() ? "-" : ctx.args.positional[0];
  if (arg != "-") return arg;
  SHELTER_ASSIGN_OR_RETURN(std::string text, ctx.secrets.ReadRest());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, std::string("missing ") + what);
  return text;
}

Result<core::RegistrationDraft> DraftFromInput(Context& ctx) {
  if (auto kana = ctx.args.Opt("kana"))
    return core::QuickManualDraft(*kana, ctx.args.Opt("name").value_or(""),
                                  ctx.args.Opt("dob").value_or(""));
  std::string source = ctx.args.positional.empty() ? "-" : ctx.args.positional[0];
  std::string text;
  if (source == "-") {
    SHELTER_ASSIGN_OR_RETURN(text, ctx.secrets.ReadRest());
  } else {
    SHELTER_ASSIGN_OR_RETURN(text, ReadFileBytes(source, core::kMaxHouseholdJsonBytes));
  }
  auto start = text.find_first_not_of(" \t\r\n");
  if (start != std::string::npos && text.compare(start, 3, "JPR") == 0) {
    auto end = text.find_last_not_of(" \t\r\n");
    SHELTER_ASSIGN_OR_RETURN(auto pre,
                             core::DecodePreRegistration(text.substr(start, end - start + 1)));
    return core::DraftFromPreRegistration(pre);
  }
  core::RegistrationDraft d;
  SHELTER_ASSIGN_OR_RETURN(d.household, core::HouseholdFromJson(text));
  return d;
}

}  // namespace

Status CmdRegister(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::RegistrationDraft draft, DraftFromInput(ctx));
  SHELTER_ASSIGN_OR_RETURN(core::Id16 shelter, ShelterOption(ctx, *node, true));
  auto on_duplicate =
      ctx.args.Flag("anyway") ? core::OnDuplicate::kRegisterAnyway : core::OnDuplicate::kRefuse;
  SHELTER_ASSIGN_OR_RETURN(core::Confirmed c,
                           core::ConfirmRegistration(*node, std::move(draft), shelter,
                                                     ctx.args.Flag("checkin"), on_duplicate));
  if (!c.saved()) {
    // The person may already be registered here or at another shelter: nothing was saved.
    const auto& d = c.likely_duplicates.front();
    std::string why;
    for (auto& r : d.reasons) why += (why.empty() ? "" : ", ") + r;
    return MakeError(ErrorCode::kConflict, "member " + std::to_string(d.draft_member + 1) +
                                               " may already be registered as person " + d.b.Hex() +
                                               " (" + why + "); check it, or register --anyway");
  }
  json persons = json::array();
  std::string text_out = "registered household " + c.ids.household.Hex() + "\n";
  for (size_t i = 0; i < c.ids.persons.size(); ++i) {
    persons.push_back(c.ids.persons[i].Hex());
    text_out += "  person " + c.ids.persons[i].Hex() + "  pass " + c.passes[i] + "\n";
  }
  Emit(ctx, {{"household", c.ids.household.Hex()}, {"persons", persons}, {"passes", c.passes}},
       text_out);
  return core::Ok();
}

Status CmdPreregShow(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string text, TextArg(ctx, "JPR1 text"));
  SHELTER_ASSIGN_OR_RETURN(auto pre, core::DecodePreRegistration(text));
  json out = {{"household", json::parse(core::HouseholdToJson(pre.household))},
              {"language", pre.language},
              {"created", pre.created_s},
              {"warnings", pre.warnings}};
  Emit(ctx, out, out.dump(2) + "\n");
  return core::Ok();
}

Status CmdPassIssue(Context& ctx) {
  if (ctx.args.positional.empty())
    return MakeError(ErrorCode::kInvalidArgument, "pass issue needs a PERSON_ID");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 person, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(std::string pass, core::IssueShelterPass(*node, person));
  Emit(ctx, {{"person", person.Hex()}, {"pass", pass}}, pass + "\n");
  return core::Ok();
}

Status CmdPassVerify(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string text, TextArg(ctx, "JSP1 text"));
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
  SHELTER_ASSIGN_OR_RETURN(core::ShelterPass pass, core::VerifyShelterPassText(*node, text));
  const core::DeviceCert* signer = core::FindSigner(node->known_devices(), pass.kid);
  std::string issuer = signer ? signer->device.Hex() : std::string();
  Emit(ctx,
       {{"valid", true},
        {"person", pass.person.Hex()},
        {"household", pass.household.Hex()},
        {"shelter", pass.shelter.Hex()},
        {"issued", pass.issued_s},
        {"device", issuer}},
       "valid pass: person " + pass.person.Hex() + " of shelter " + pass.shelter.Hex() +
           ", issued by device " + issuer + "\n");
  return core::Ok();
}

}  // namespace shelter::tools
