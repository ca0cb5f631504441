// Whereabouts (DESIGN §12): a person moved to a place at check-in or check-out (shelter, 車中泊,
// 在宅, tent, relatives, welfare shelter, 外出, 外泊, 退所) and the undo of a move, each one stay
// event in the op log; nothing is ever deleted. What counts as what is core/model/stay_status.hpp.
// One thread at a time (like Node).
#pragma once

#include <vector>

#include "core/base/result.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

// Records that `person` is now at `place`: a stay event EventForPlace(place) with that place
// (staff, lead, admin or kiosk). Returns the new stay's id (what UndoMoves takes). kNotFound for
// an unknown person; kConflict when the person is already there (CurrentPlace == place).
Result<Id16> MoveTo(Node& node, const Id16& person, Place place);

// Cancels moves: one "undone" event per stay, naming it (`undoes`), all in one transaction; the
// counts then ignore the stay and the person is back where the stay before it put them (by every
// stay of the person, also ones that arrived from other tablets meanwhile). Same roles as MoveTo.
// Returns the undo events' ids. kNotFound for an id that is not a stay on this device;
// kConflict for an "undone" event or a stay already undone (here or by another tablet).
Result<std::vector<Id16>> UndoMoves(Node& node, const std::vector<Id16>& stays);

// Undoes the person's (or a person merged into them) latest stay that is not undone yet (the
// CLI's undo). Returns the id of the stay undone; kNotFound when there is none.
Result<Id16> UndoLastMove(Node& node, const Id16& person);

}  // namespace shelter::core
