#include "core/ops/registration.hpp"

#include "core/formats/signed_payload.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

int64_t NowSeconds(Node& node) { return node.NowMs() / 1000; }

Result<std::string> PassFor(Node& node, const Id16& person, const Id16& household,
                            const Id16& shelter) {
  ShelterPass pass{person, household, shelter, NowSeconds(node),
                   crypto::KeyIdOf(node.device().sign_pk)};
  return EncodeShelterPass(pass, [&](ByteView msg) { return node.SignAsDevice(msg); });
}

}  // namespace

RegistrationDraft DraftFromCard(const CardBasicInfo& card) {
  RegistrationDraft d;
  Person p;
  p.name = card.name;
  p.dob = card.birth_date;
  p.sex = card.sex == "unknown" ? "unanswered" : card.sex;
  p.relationship = "head";
  p.source = "card";
  d.household.address = card.address;
  d.household.members.push_back(std::move(p));
  d.notes.push_back("ask for the kana reading");
  if (card.needs_review)
    d.notes.push_back("the card data looked wrong: compare with the card face");
  return d;
}

RegistrationDraft DraftFromPreRegistration(const PreRegistration& pre) {
  RegistrationDraft d;
  d.household = pre.household;
  for (auto& m : d.household.members) {
    m.source = "qr";
    if (m.language.empty()) m.language = pre.language;
  }
  d.notes = pre.warnings;
  d.notes.push_back("self-declared: check identity and names");
  return d;
}

RegistrationDraft QuickManualDraft(std::string kana, std::string name, std::string dob) {
  RegistrationDraft d;
  Person p;
  p.kana = std::move(kana);
  p.name = std::move(name);
  // Staff type dates as they hear them (昭和33年5月5日, S33.5.5): the parser search uses. A date
  // it cannot read stays as typed, so that validation names the field.
  if (auto d = NormalizeDate(dob, false); !dob.empty() && d.ok()) dob = *d;
  p.dob = std::move(dob);
  p.source = "manual";
  d.household.members.push_back(std::move(p));
  return d;
}

Status MayRegister(const Node& node) {
  return node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin});
}

Status MayRegisterAnyway(const Node& node) { return MayRegister(node); }

Result<Confirmed> ConfirmRegistration(Node& node, RegistrationDraft draft, const Id16& shelter,
                                      bool check_in, OnDuplicate on_duplicate) {
  SHELTER_TRY(MayRegister(node));
  Confirmed out;
  if (on_duplicate == OnDuplicate::kRefuse) {
    SHELTER_TRY(ValidateHousehold(draft.household));
    SHELTER_ASSIGN_OR_RETURN(out.likely_duplicates,
                             FindDuplicatesOfDraft(node.state(), draft.household, shelter));
    if (!out.likely_duplicates.empty()) return out;
  } else {
    SHELTER_TRY(MayRegisterAnyway(node));
  }
  SHELTER_ASSIGN_OR_RETURN(out.ids, RegisterHousehold(node, std::move(draft.household), shelter,
                                                      check_in, draft.check_in_place));
  for (auto& person : out.ids.persons) {
    SHELTER_ASSIGN_OR_RETURN(auto text, PassFor(node, person, out.ids.household, shelter));
    out.passes.push_back(std::move(text));
  }
  return out;
}

Result<std::string> IssueShelterPass(Node& node, const Id16& person) {
  SHELTER_TRY(node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin}));
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(person));
  if (!rec || rec->type != RecordType::kPerson || rec->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such person");
  Person p = PersonFromRecord(*rec);
  SHELTER_ASSIGN_OR_RETURN(auto hrec, node.state().Get(p.household));
  if (!hrec) return MakeError(ErrorCode::kNotFound, "the person's household is missing");
  return PassFor(node, person, p.household, HouseholdFromRecord(*hrec).shelter);
}

Result<ShelterPass> VerifyShelterPassText(const Node& node, std::string_view text) {
  SHELTER_ASSIGN_OR_RETURN(auto parsed, ParseShelterPass(text));
  const DeviceCert* signer = FindSigner(node.known_devices(), parsed.pass.kid);
  if (!signer)
    return MakeError(ErrorCode::kNotFound,
                     "JSP1: issued by a device this tablet does not know (sync first)");
  SHELTER_TRY(VerifyShelterPass(parsed, *signer));
  return parsed.pass;
}

Result<PassScan> ScanPass(Node& node, std::string_view text) {
  SHELTER_ASSIGN_OR_RETURN(ShelterPass pass, VerifyShelterPassText(node, text));
  const Id16& here = node.device().shelter_scope;
  if (!here.IsZero() && here != pass.shelter)
    return MakeError(ErrorCode::kPermissionDenied,
                     "this pass is for another shelter: please see staff");
  SHELTER_ASSIGN_OR_RETURN(auto person, node.state().FindPerson(pass.person));
  if (!person)
    return MakeError(ErrorCode::kNotFound,
                     "this person is not on this tablet yet: please see staff");
  return PassScan{pass, std::move(*person)};
}

Result<PassScan> CheckInOutByPass(Node& node, std::string_view text, bool check_in) {
  SHELTER_ASSIGN_OR_RETURN(PassScan scan, ScanPass(node, text));
  if (check_in) {
    SHELTER_TRY(CheckIn(node, scan.pass.person));
  } else {
    SHELTER_TRY(CheckOut(node, scan.pass.person));
  }
  SHELTER_ASSIGN_OR_RETURN(auto person, node.state().FindPerson(scan.pass.person));
  if (person) scan.person = std::move(*person);
  return scan;
}

}  // namespace shelter::core
