// One registration flow for every source: a card read, a resident's JPR1 code or staff typing
// make a household draft; staff correct and confirm it; confirming saves it (one durable
// transaction) and issues a signed JSP1 pass per person. One thread at a time (like Node).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/card/card_data.hpp"
#include "core/formats/pre_registration.hpp"
#include "core/formats/shelter_pass.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "core/ops/duplicates.hpp"
#include "core/ops/households.hpp"

namespace shelter::core {

struct RegistrationDraft {
  Household household;
  std::vector<std::string> notes;  // for staff: what to check (machine words, no personal data)
  Place check_in_place = Place::kShelter;  // where a check-in at confirming puts everyone
};

// From a My Number Card read: one person (the card holder) with 氏名, 住所 and birth date as
// the card has them, source "card". The kana is not on the card: staff ask for it.
RegistrationDraft DraftFromCard(const CardBasicInfo& card);
// From a resident's pre-registration: every member keeps source "qr".
RegistrationDraft DraftFromPreRegistration(const PreRegistration& pre);
// The fastest manual path for a resident with no card and no phone: one person, the name as
// spoken (kana), optionally kanji and a birth date in any spelling NormalizeDate reads (1958-05-05,
// 昭和33年5月5日, S33.5.5); everything else can follow later.
RegistrationDraft QuickManualDraft(std::string kana, std::string name = {}, std::string dob = {});

struct Confirmed {
  Registered ids;                   // zero household when nothing was saved
  std::vector<std::string> passes;  // JSP1 text per person, in member order
  // Members that may already be registered (here or at another shelter), best first, with the
  // reasons: when not empty nothing was saved, and staff check the candidates first.
  std::vector<DuplicateCandidate> likely_duplicates;
  bool saved() const { return !ids.household.IsZero(); }
};

enum class OnDuplicate {
  kRefuse,          // a likely duplicate is returned in `likely_duplicates`, nothing is saved
  kRegisterAnyway,  // staff checked the candidates: save (needs MayRegisterAnyway)
};

// The roles that may register a household at all (staff, lead, admin; not a kiosk).
Status MayRegister(const Node& node);
// The roles that may save a household whose members look like people already registered, after
// checking the candidates (the same roles as MayRegister).
Status MayRegisterAnyway(const Node& node);

// The one registration flow of every caller (the app, shelterctl): checks the role, validates the
// draft, looks for likely duplicates of its members (unless registering anyway), then saves it at
// `shelter` (one transaction), optionally checking everyone in, and issues a pass per person.
// kInvalidArgument names what is missing; kPermissionDenied for a kiosk login.
Result<Confirmed> ConfirmRegistration(Node& node, RegistrationDraft draft, const Id16& shelter,
                                      bool check_in,
                                      OnDuplicate on_duplicate = OnDuplicate::kRefuse);

// A new pass for a registered person (lost pass, moved shelter). kNotFound for an unknown person.
Result<std::string> IssueShelterPass(Node& node, const Id16& person);

// Parses a scanned pass and checks its signature against the device certificates this node
// knows. kNotFound when the signing device is unknown here; the errors of VerifyShelterPass.
Result<ShelterPass> VerifyShelterPassText(const Node& node, std::string_view text);

// What the kiosk and the staff scanner show after a pass is scanned: only this person.
struct PassScan {
  ShelterPass pass;
  PersonSummary person;
};
// Verifies the pass and finds its person here. kNotFound when the person is not on this device
// (another shelter, not synced yet); kPermissionDenied for a pass of another shelter.
Result<PassScan> ScanPass(Node& node, std::string_view text);
// The kiosk's one action: check the pass holder in (arrive) or out (leave). Returns the new state.
Result<PassScan> CheckInOutByPass(Node& node, std::string_view text, bool check_in);

}  // namespace shelter::core
