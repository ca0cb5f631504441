// What the whereabouts jobs hold: the undo bar after a check-in or check-out (the stay events
// to undo and until when it shows), the people list a count tile opened, the person whose place
// is being picked, and the place a registration checks in at. Dropped on log out. UI thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/model/entities.hpp"
#include "core/model/stay_status.hpp"

namespace shelter::ui {

struct UndoOffer {
  std::vector<core::Id16> stays;  // what core::UndoMoves undoes
  std::string text;               // "山田 太郎: 車中泊" (shown, never logged)
  int64_t until_ms = 0;
};

// Which places a picker offers: where a person stays (check-in) or goes (check-out), or both.
enum class PickerKind { kCheckIn, kCheckOut, kAll };

struct StaysState {
  static constexpr int64_t kUndoMs = 10'000;
  std::optional<UndoOffer> undo;
  std::optional<core::Whereabouts> list;  // the dashboard's people list, by the tile tapped
  std::optional<core::Id16> picking;      // the person whose place picker is open
  PickerKind picking_kind = PickerKind::kAll;
  core::Place register_place = core::Place::kShelter;  // a registration's check-in place
  void Clear() { *this = StaysState{}; }
};

}  // namespace shelter::ui
