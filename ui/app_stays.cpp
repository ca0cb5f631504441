// App's whereabouts actions (app.hpp): check-in and check-out through core::MoveTo, the undo
// bar's core::UndoMoves, the place picker and the dashboard's people lists, and the status text
// of a person by the whereabouts rule (core/model/stay_status.hpp).
#include "core/ops/moves.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

const char* App::PlaceLabel(core::Place p) const {
  return T(std::string("place.") + core::PlaceName(p));
}

void App::OfferUndo(std::vector<core::Id16> ids, const std::string& text) {
  stays.undo = UndoOffer{std::move(ids), text, Now() + StaysState::kUndoMs};
}

bool App::TickStays(int64_t now) {
  if (!stays.undo || now < stays.undo->until_ms) return false;
  stays.undo.reset();
  return true;
}

bool App::MoveTo(const core::Id16& person, core::Place place) {
  auto r = core::MoveTo(node_, person, place);
  if (!r.ok()) {
    Notify(ErrorText(r.error()), true);
    return false;
  }
  std::string name;
  if (auto p = node_.state().FindPerson(person); p.ok() && *p)
    name = (*p)->name.empty() ? (*p)->kana : (*p)->name;
  stays.picking.reset();
  OfferUndo({*r}, F("stays.moved", {{"name", name}, {"place", PlaceLabel(place)}}));
  Refresh();
  if (!search.query.empty()) Search(search.query);
  RefreshHousehold();
  return true;
}

void App::Undo() {
  if (!stays.undo) return;
  auto r = core::UndoMoves(node_, stays.undo->stays);
  stays.undo.reset();
  if (!r.ok()) return Notify(ErrorText(r.error()), true);
  Notify(T("stays.undone"), false);
  Refresh();
  if (!search.query.empty()) Search(search.query);
  RefreshHousehold();
}

void App::PickPlace(std::optional<core::Id16> person, PickerKind kind) {
  stays.picking = person;
  stays.picking_kind = kind;
}

void App::ShowPeople(std::optional<core::Whereabouts> where) {
  stays.list = where;
  stays.picking.reset();
}

// The search screen's one-tap check-in and check-out: the same moves (with the undo bar on the
// screens that show it) and a short notice.
void App::CheckIn(const core::Id16& person, core::Place place) {
  if (MoveTo(person, place)) Notify(T("checkin.done"), false);
}
void App::CheckOut(const core::Id16& person) {
  if (MoveTo(person, core::Place::kOutForDay)) Notify(T("checkout.done"), false);
}

const char* WhereaboutsKey(core::Whereabouts w) {
  switch (w) {
    case core::Whereabouts::kInShelter: return "status.in_shelter";
    case core::Whereabouts::kOut: return "status.out";
    case core::Whereabouts::kAtHome: return "status.at_home";
    case core::Whereabouts::kInCar: return "status.in_car";
    case core::Whereabouts::kElsewhere: return "status.elsewhere";
    case core::Whereabouts::kNeverArrived: return "status.not_arrived";
    case core::Whereabouts::kLeft: return "status.left";
  }
  return "status.elsewhere";
}

const char* StatusKey(const core::PersonSummary& p) {
  using core::Whereabouts;
  switch (p.where()) {
    case Whereabouts::kNeverArrived: return "status.not_arrived";
    case Whereabouts::kInShelter: return "status.in_shelter";
    case Whereabouts::kInCar: return "status.in_car";
    case Whereabouts::kAtHome: return "status.at_home";
    case Whereabouts::kLeft: return "status.left";
    case Whereabouts::kOut:
      return core::CurrentPlace(p.event, p.place) == core::Place::kOvernight ? "status.overnight"
                                                                             : "status.out";
    case Whereabouts::kElsewhere: break;
  }
  if (p.event == core::StayEventName(core::StayEvent::kHospital)) return "status.hospital";
  auto place = core::CurrentPlace(p.event, p.place);
  if (place == core::Place::kTent) return "place.tent";
  if (place == core::Place::kRelatives) return "place.relatives";
  return "status.elsewhere";
}

}  // namespace shelter::ui
