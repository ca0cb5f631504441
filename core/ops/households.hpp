// Households and their people on a logged-in Node: register households, record stays
// (check-in/out), edit records and resolve conflicts, load a household. Each checks the staff role
// and commits one durable transaction. One thread at a time (like Node).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

struct Registered {
  Id16 household;
  std::vector<Id16> persons;
  std::vector<Id16> stays;  // the check-in events written (core::UndoMoves takes them)
};

// Registers a validated household at `shelter` (its scope key must be on this device) in one
// transaction; with check_in, every member also gets a stay event moving them to `place`
// (core/ops/moves.hpp: "arrive" at the shelter by default, or 車中泊, 在宅, ...).
Result<Registered> RegisterHousehold(Node& node, Household h, const Id16& shelter, bool check_in,
                                     Place place = Place::kShelter);
// Many households at once (bulk import, benchmarks): one transaction for all.
Result<std::vector<Registered>> RegisterHouseholds(Node& node, std::vector<Household> hs,
                                                   const Id16& shelter, bool check_in,
                                                   Place place = Place::kShelter);

// Appends a stay event for a person (kiosk accounts may do this too).
Result<Id16> RecordStay(Node& node, const Id16& person, StayEvent event, Place place,
                        const Id16& to_shelter = {});
// Check-in at `place` (no check of where the person was; core::MoveTo refuses a move to where
// the person already is).
Result<Id16> CheckIn(Node& node, const Id16& person, Place place = Place::kShelter);
// Out for the day (外出, "leave" at out_day). kConflict when the person is already out or left
// (core/model/stay_status.hpp).
Result<Id16> CheckOut(Node& node, const Id16& person);

// Sets fields of an existing record, superseding what this device shows for them.
// `seen`: what the editor saw (OpDraft::seen); unset: supersede what this device shows now.
Status EditRecord(Node& node, const Id16& record, std::vector<FieldWrite> fields,
                  std::optional<std::map<std::string, std::vector<Dot>>> seen = std::nullopt);
// Resolves a conflicted field by writing the chosen value over every concurrent one.
Status ResolveConflict(Node& node, const Id16& record, const std::string& field, cbor::Item chosen);

// A whole household with its members, as stored.
Result<Household> LoadHousehold(Node& node, const Id16& household);

}  // namespace shelter::core
