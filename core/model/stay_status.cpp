// The whereabouts rule (stay_status.hpp): which stay events and places count as what.
#include "core/model/stay_status.hpp"

#include <iterator>

namespace shelter::core {

const char* WhereaboutsName(Whereabouts w) {
  static constexpr const char* kNames[] = {"in_shelter", "out",           "at_home", "in_car",
                                           "elsewhere",  "never_arrived", "left"};
  static_assert(std::size(kNames) == kWhereaboutsCount);
  return kNames[static_cast<size_t>(w)];
}

Whereabouts WhereaboutsOf(std::optional<StayEvent> event, Place place) {
  if (!event) return Whereabouts::kNeverArrived;
  if (place == Place::kLeft) return Whereabouts::kLeft;
  switch (*event) {
    case StayEvent::kArrive:
      switch (place) {
        case Place::kShelter:
        case Place::kWelfareShelter: return Whereabouts::kInShelter;
        case Place::kHome: return Whereabouts::kAtHome;
        case Place::kCar: return Whereabouts::kInCar;
        case Place::kOutForDay:
        case Place::kOvernight: return Whereabouts::kOut;
        default: return Whereabouts::kElsewhere;
      }
    case StayEvent::kLeave:
    case StayEvent::kOvernightOut: return Whereabouts::kOut;
    default: return Whereabouts::kElsewhere;
  }
}

Whereabouts WhereaboutsOf(std::string_view event, std::string_view place) {
  if (event.empty()) return Whereabouts::kNeverArrived;
  Stay defaults;  // an unknown name reads as StayFromRecord reads it
  auto e = ParseStayEvent(event);
  auto p = ParsePlace(place);
  return WhereaboutsOf(e.ok() ? *e : defaults.event, p.ok() ? *p : defaults.place);
}

bool IsEvacuee(Whereabouts w) { return w != Whereabouts::kNeverArrived && w != Whereabouts::kLeft; }

std::optional<Place> CurrentPlace(std::string_view event, std::string_view place) {
  switch (WhereaboutsOf(event, place)) {
    case Whereabouts::kNeverArrived: return std::nullopt;
    case Whereabouts::kLeft: return Place::kLeft;
    case Whereabouts::kOut:
      if (event == StayEventName(StayEvent::kOvernightOut)) return Place::kOvernight;
      if (auto p = ParsePlace(place); p.ok() && *p == Place::kOvernight) return Place::kOvernight;
      return Place::kOutForDay;
    default: {
      auto p = ParsePlace(place);
      return p.ok() ? *p : Place::kElsewhere;
    }
  }
}

StayEvent EventForPlace(Place place) {
  switch (place) {
    case Place::kOutForDay:
    case Place::kLeft: return StayEvent::kLeave;
    case Place::kOvernight: return StayEvent::kOvernightOut;
    default: return StayEvent::kArrive;
  }
}

}  // namespace shelter::core
