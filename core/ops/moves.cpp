// MoveTo and the undo of moves (moves.hpp): stay events written through Node::Commit.
#include "core/ops/moves.hpp"

#include <algorithm>
#include <map>

#include "core/model/stay_status.hpp"

namespace shelter::core {
namespace {

Status MayMove(const Node& node) {
  return node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin, StaffRole::kKiosk});
}

}  // namespace

Result<Id16> MoveTo(Node& node, const Id16& person, Place place) {
  SHELTER_TRY(MayMove(node));
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(person));
  if (!rec || rec->type != RecordType::kPerson || rec->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such person");
  SHELTER_ASSIGN_OR_RETURN(auto now, node.state().FindPerson(person));
  if (now && CurrentPlace(now->event, now->place) == place)
    return MakeError(ErrorCode::kConflict, std::string("this person is already recorded there (") +
                                               PlaceName(place) + ")");
  Stay s{Id16::Random(), person, EventForPlace(place), place, {}, node.NowMs(), {}};
  SHELTER_TRY(node.Commit(rec->scope, {{s.id, RecordType::kStay, StayFields(s)}}));
  return s.id;
}

Result<std::vector<Id16>> UndoMoves(Node& node, const std::vector<Id16>& stays) {
  SHELTER_TRY(MayMove(node));
  if (stays.empty()) return MakeError(ErrorCode::kInvalidArgument, "nothing to undo");
  std::map<Id16, std::vector<OpDraft>> by_scope;
  std::vector<Id16> out, seen;
  for (const Id16& id : stays) {
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(id));
    if (!rec || rec->type != RecordType::kStay)
      return MakeError(ErrorCode::kNotFound, "no such check-in or check-out on this tablet");
    Stay target = StayFromRecord(*rec);
    if (target.event == StayEvent::kUndone)
      return MakeError(ErrorCode::kConflict, "an undo cannot be undone (record the move again)");
    SHELTER_ASSIGN_OR_RETURN(auto history, node.state().Stays(target.person));
    auto it = std::find_if(history.begin(), history.end(), [&](auto& h) { return h.id == id; });
    if (it != history.end() && it->undone)
      return MakeError(ErrorCode::kConflict, "this check-in or check-out is already undone");
    Stay undo{
        Id16::Random(), target.person, StayEvent::kUndone, target.place, {}, node.NowMs(), id};
    by_scope[rec->scope].push_back({undo.id, RecordType::kStay, StayFields(undo)});
    out.push_back(undo.id);
  }
  for (auto& [scope, drafts] : by_scope) SHELTER_TRY(node.Commit(scope, drafts));
  return out;
}

Result<Id16> UndoLastMove(Node& node, const Id16& person) {
  SHELTER_TRY(MayMove(node));
  SHELTER_ASSIGN_OR_RETURN(auto history, node.state().Stays(person));
  // Oldest first; the latest by HLC that is a move and not undone.
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->undone || it->event == StayEventName(StayEvent::kUndone)) continue;
    SHELTER_TRY(UndoMoves(node, {it->id}));
    return it->id;
  }
  return MakeError(ErrorCode::kNotFound, "this person has no check-in or check-out to undo");
}

}  // namespace shelter::core
