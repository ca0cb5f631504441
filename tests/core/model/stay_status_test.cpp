// Tests for core/model/stay_status: the one rule of where a person counts, for every place the
// picker offers, for the events logs written before places existed, and for unknown names.
#include "core/model/stay_status.hpp"

#include <doctest/doctest.h>

namespace shelter::core {
namespace {

Whereabouts After(Place p) { return WhereaboutsOf(EventForPlace(p), p); }

TEST_CASE("stay status: every picker place counts as its class") {
  CHECK(After(Place::kShelter) == Whereabouts::kInShelter);
  CHECK(After(Place::kWelfareShelter) == Whereabouts::kInShelter);
  CHECK(After(Place::kCar) == Whereabouts::kInCar);
  CHECK(After(Place::kHome) == Whereabouts::kAtHome);
  CHECK(After(Place::kTent) == Whereabouts::kElsewhere);
  CHECK(After(Place::kRelatives) == Whereabouts::kElsewhere);
  CHECK(After(Place::kOutForDay) == Whereabouts::kOut);
  CHECK(After(Place::kOvernight) == Whereabouts::kOut);
  CHECK(After(Place::kLeft) == Whereabouts::kLeft);
  for (Place p : kPickerPlaces)
    CHECK(CurrentPlace(StayEventName(EventForPlace(p)), PlaceName(p)) == p);
}

TEST_CASE("stay status: going out for the day is not leaving the shelter") {
  CHECK(EventForPlace(Place::kOutForDay) == StayEvent::kLeave);
  CHECK(EventForPlace(Place::kLeft) == StayEvent::kLeave);
  CHECK(IsEvacuee(After(Place::kOutForDay)));
  CHECK_FALSE(IsEvacuee(After(Place::kLeft)));
  CHECK(After(Place::kOutForDay) != After(Place::kLeft));
}

TEST_CASE("stay status: an old log keeps its meaning") {
  // What check-out wrote before places: "leave" at "elsewhere" is out for the day, as counted then.
  CHECK(WhereaboutsOf("leave", "elsewhere") == Whereabouts::kOut);
  CHECK(CurrentPlace("leave", "elsewhere") == Place::kOutForDay);
  CHECK(WhereaboutsOf("overnight_out", "elsewhere") == Whereabouts::kOut);
  CHECK(CurrentPlace("overnight_out", "elsewhere") == Place::kOvernight);
  CHECK(WhereaboutsOf("arrive", "shelter") == Whereabouts::kInShelter);
  CHECK(WhereaboutsOf("hospital", "hospital") == Whereabouts::kElsewhere);
  CHECK(WhereaboutsOf("", "") == Whereabouts::kNeverArrived);
  CHECK_FALSE(CurrentPlace("", "").has_value());
  CHECK_FALSE(IsEvacuee(Whereabouts::kNeverArrived));
  for (Whereabouts w : {Whereabouts::kInShelter, Whereabouts::kOut, Whereabouts::kAtHome,
                        Whereabouts::kInCar, Whereabouts::kElsewhere})
    CHECK(IsEvacuee(w));
}

TEST_CASE("stay status: names and unknown values") {
  CHECK(std::string(WhereaboutsName(Whereabouts::kInCar)) == "in_car");
  CHECK(std::string(WhereaboutsName(Whereabouts::kLeft)) == "left");
  // An unknown place from a newer tablet reads as StayFromRecord reads it (the shelter default),
  // an unknown event as an arrive: never as having left.
  CHECK(WhereaboutsOf("arrive", "hotel") == Whereabouts::kInShelter);
  CHECK(WhereaboutsOf("leave", "hotel") == Whereabouts::kOut);
  for (const char* p : {"out_day", "overnight", "left"}) CHECK(ParsePlace(p).ok());
  CHECK(ParseStayEvent("undone").ok());
}

}  // namespace
}  // namespace shelter::core
