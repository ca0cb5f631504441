// shelterctl commands for duplicate persons: list candidates with reasons, merge, unmerge.
// The text listing shows names for staff; the JSON carries ids, shelters, scores and reasons only.
#include <map>
#include <sstream>

#include "core/ops/duplicates.hpp"
#include "core/ops/master_data.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

Result<std::pair<core::Id16, core::Id16>> TwoIds(Context& ctx, const char* usage) {
  if (ctx.args.positional.size() != 2) return MakeError(ErrorCode::kInvalidArgument, usage);
  SHELTER_ASSIGN_OR_RETURN(core::Id16 a, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(core::Id16 b, core::Id16::FromHex(ctx.args.positional[1]));
  return std::make_pair(a, b);
}

std::string PersonText(core::Node& node, const core::Id16& id) {
  std::ostringstream s;
  s << id.Hex() << "  ";
  auto rec = node.state().Get(id);
  if (rec.ok() && rec->has_value()) {
    core::Person p = core::PersonFromRecord(**rec);
    s << (p.name.empty() ? "-" : p.name) << " (" << (p.kana.empty() ? "-" : p.kana) << ")  "
      << (p.dob.empty() ? "----------" : p.dob);
  }
  return s.str();
}

}  // namespace

Status CmdDupes(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  std::vector<core::DuplicateCandidate> found;
  if (auto person = ctx.args.Opt("person")) {
    SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::Id16::FromHex(*person));
    SHELTER_ASSIGN_OR_RETURN(found, core::FindDuplicatesOf(node->state(), id));
  } else {
    SHELTER_ASSIGN_OR_RETURN(found, core::FindAllDuplicates(node->state()));
  }
  std::map<core::Id16, std::string> shelters;
  if (auto list = core::ListShelters(*node); list.ok())
    for (auto& s : *list) shelters[s.id] = s.name;
  auto shelter_name = [&](const core::Id16& id) {
    auto it = shelters.find(id);
    return it != shelters.end() ? it->second : id.IsZero() ? std::string("-") : id.Hex();
  };
  json arr = json::array();
  std::string text;
  for (auto& c : found) {
    json reasons = c.reasons;
    arr.push_back({{"a", c.a.Hex()},
                   {"b", c.b.Hex()},
                   {"shelter_a", c.shelter_a.Hex()},
                   {"shelter_b", c.shelter_b.Hex()},
                   {"score", c.score},
                   {"reasons", reasons}});
    std::string why;
    for (auto& r : c.reasons) why += (why.empty() ? "" : ", ") + r;
    text += "score " + std::to_string(c.score) + "  " + why + "\n";
    text += "  " + PersonText(*node, c.a) + "  @ " + shelter_name(c.shelter_a) + "\n";
    text += "  " + PersonText(*node, c.b) + "  @ " + shelter_name(c.shelter_b) + "\n";
  }
  if (found.empty()) text = "no possible duplicates\n";
  Emit(ctx, arr, text);
  return core::Ok();
}

Status CmdMerge(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto ids, TwoIds(ctx, "merge needs KEEP_ID DUP_ID"));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(core::MergePersons(*node, ids.first, ids.second));
  Emit(ctx, {{"keep", ids.first.Hex()}, {"merged", ids.second.Hex()}},
       "merged " + ids.second.Hex() + " into " + ids.first.Hex() + "\n");
  return core::Ok();
}

Status CmdUnmerge(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "unmerge needs one PERSON_ID");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(core::UnmergePerson(*node, id));
  Emit(ctx, {{"unmerged", id.Hex()}}, "unmerged " + id.Hex() + "\n");
  return core::Ok();
}

}  // namespace shelter::tools
