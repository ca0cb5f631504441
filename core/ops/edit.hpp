// Editing stored persons and households and resolving conflicts, for every caller (the tablet
// app's editor, shelterctl): an edit writes only the fields the editor changed, so a concurrent
// edit of one field on another device is one conflict, not one per field. Each checks the staff
// role and commits one durable transaction. One thread at a time (like Node).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/model/entities.hpp"
#include "core/model/record_state.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

// What an editor saw of some records when it loaded them: the dots of every field's values.
struct EditBase {
  std::map<Id16, std::map<std::string, std::vector<Dot>>> seen;
};

// Writes the fields of `edited` whose value differs from `loaded` (what the editor showed), and
// nothing else. Returns how many fields were written (0: nothing changed, nothing committed).
// kNotFound for an unknown record; kInvalidArgument for a reserved field ("_...").
// With `base` (EditBaseOf when the editor loaded the record), only the values the editor saw are
// superseded: one that arrived by sync meanwhile becomes a conflict, never silently replaced.
Result<size_t> EditChangedFields(Node& node, const Id16& record,
                                 const std::vector<FieldWrite>& loaded,
                                 const std::vector<FieldWrite>& edited,
                                 const EditBase* base = nullptr);
// The same for a person and a household as the editor loaded and changed them. The edited person
// is validated first (a name or kana, known sex and need codes, a valid birth date), the edited
// household's own fields and pets too (HouseholdProblems; kInvalidArgument names the first).
Result<size_t> SavePersonEdit(Node& node, const Person& loaded, const Person& edited,
                              const EditBase* base = nullptr);
Result<size_t> SaveHouseholdEdit(Node& node, const Household& loaded, const Household& edited,
                                 const EditBase* base = nullptr);

// Adds `person` to the stored household `household`: a new person record (new id, the
// household's id and scope) validated like a registration's member, with an "arrive" stay event
// when `check_in`, in one durable transaction. A new record supersedes nothing, so no edit base is
// needed; the household record itself is not written. Returns the new person's id. kNotFound for
// an unknown or deleted household; kInvalidArgument ("member 1: ...", see HouseholdProblems) for
// an invalid person or a household that has 50 members already.
Result<Id16> AddHouseholdMember(Node& node, const Id16& household, Person person,
                                bool check_in = false);

// The base of `records` as this device shows them now (unknown records are left out).
Result<EditBase> EditBaseOf(Node& node, const std::vector<Id16>& records);
// The fields of `record` whose values changed on this device since `base` was taken (an edit
// that arrived by sync): the editor marks them.
std::vector<std::string> ChangedSince(Node& node, const EditBase& base, const Id16& record);

// Sets one field of a person or household from text, by its stored field name (core/FORMATS.md):
// name, kana, dob (any form NormalizeDate reads), sex, rel, nat, lang, phone, note, needs and
// allergies (comma-separated codes, "" for none), care (0-5), evac_support and the consents
// c_family, c_acq, c_public, c_third (true/false); a household's addr, residence, phone, vehicle,
// damage, note. kInvalidArgument names the field (never the value) when it is unknown, not
// editable this way or the text does not fit.
Status SetPersonField(Person& p, const std::string& name, const std::string& text);
Status SetHouseholdField(Household& h, const std::string& name, const std::string& text);

// One conflicted field: two or more concurrent values that differ (equal values never conflict).
struct FieldConflict {
  Id16 record;
  RecordType type = RecordType::kPerson;
  std::string field;
  std::vector<RegisterValue> values;  // every concurrent value with its device (dot) and HLC
};
// The conflicted fields of one record, by field name.
std::vector<FieldConflict> ConflictsOf(const RecordState& r);
// Staff, lead or admin: every conflicted field of every person and household on this device,
// including persons merged away (two devices merging one person into different people is a
// conflict of its `_merged`).
Result<std::vector<FieldConflict>> ListConflicts(Node& node);
// Resolves `field` of `record` by keeping its value number `keep` (from 1) in the order
// ConflictsOf lists them. kInvalidArgument when the field has no conflict or `keep` is out of
// range.
Status ResolveConflictKeep(Node& node, const Id16& record, const std::string& field, size_t keep);

}  // namespace shelter::core
