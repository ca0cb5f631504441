// The one rule for where a person is: a person's latest stay event that no `undone` event cancels
// (its event and place) gives one Whereabouts, and that says who counts as in the shelter, as an
// evacuee, as out, or as gone. Every count and export uses it: State::Counts, the status report
// (JSR1), shelterctl and the HQ store. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/model/entities.hpp"

namespace shelter::core {

// The count classes, in the order of the JSR1 place counts and HQ's columns (kLeft, added later,
// is last and is in neither: a person who left is no longer one of the shelter's people).
enum class Whereabouts : uint8_t {
  kInShelter,     // shelter, welfare shelter (space)
  kOut,           // out for the day (外出), overnight away (外泊); an old "leave"
  kAtHome,        // 在宅避難
  kInCar,         // 車中泊
  kElsewhere,     // tent, relatives, hospital, moved, other
  kNeverArrived,  // registered, never checked in (or every check-in undone)
  kLeft,          // 退所
};
inline constexpr size_t kWhereaboutsCount = 7;
// "in_shelter", "out", "at_home", "in_car", "elsewhere", "never_arrived", "left".
const char* WhereaboutsName(Whereabouts w);

// The class of a latest stay event. No event (nullopt) is kNeverArrived. "leave" with the place
// "left" is kLeft; any other "leave" (what check-out wrote before places existed) and
// "overnight_out" are kOut; "arrive" takes its place's class; the other events are kElsewhere.
Whereabouts WhereaboutsOf(std::optional<StayEvent> event, Place place);
// The same from the names stored in the state's index ("" = no event; unknown names read as
// StayFromRecord reads them).
Whereabouts WhereaboutsOf(std::string_view event, std::string_view place);

// The shelter's evacuees (避難者): in the shelter, out for now, or staying outside it (home, car,
// tent, relatives, ...); not those who never arrived or left.
bool IsEvacuee(Whereabouts w);
// The place a person is at for a picker: the place of an arrive, kOutForDay for an old "leave",
// kOvernight for "overnight_out", kLeft; nullopt when there is no event.
std::optional<Place> CurrentPlace(std::string_view event, std::string_view place);

// The event MoveTo writes for a move to `place`: "leave" for out_day and left, "overnight_out"
// for overnight, "arrive" for every other place (so a build that predates the new places still
// counts a new "leave" as out and never as in the shelter).
StayEvent EventForPlace(Place place);
// The places a worker can pick at check-in and check-out, in the picker's order.
inline constexpr Place kPickerPlaces[] = {
    Place::kShelter,        Place::kCar,       Place::kHome,      Place::kTent, Place::kRelatives,
    Place::kWelfareShelter, Place::kOutForDay, Place::kOvernight, Place::kLeft};

}  // namespace shelter::core
