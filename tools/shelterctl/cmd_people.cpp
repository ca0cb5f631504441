// shelterctl commands for shelter staff: search, check in/out, moves and their undo, rosters,
// counts and CSV export.
#include <iostream>
#include <sstream>

#include "core/base/private_file.hpp"
#include "core/model/household_json.hpp"
#include "core/ops/households.hpp"
#include "core/ops/moves.hpp"
#include "core/text/csv.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

json PersonJson(const core::PersonSummary& p) {
  return {{"id", p.id.Hex()},
          {"household", p.household.Hex()},
          {"shelter", p.shelter.Hex()},
          {"name", p.name},
          {"kana", p.kana},
          {"dob", p.dob},
          {"sex", p.sex},
          {"event", p.event},
          {"place", p.place},
          {"whereabouts", core::WhereaboutsName(p.where())},
          {"needs", p.needs},
          {"conflict", p.conflict}};
}

std::string StatusText(const core::PersonSummary& p) {
  switch (p.where()) {
    case core::Whereabouts::kNeverArrived: return "not arrived";
    case core::Whereabouts::kInShelter: return "in shelter";
    case core::Whereabouts::kInCar: return "in car (車中泊)";
    case core::Whereabouts::kAtHome: return "at home (在宅)";
    case core::Whereabouts::kOut:
      return core::CurrentPlace(p.event, p.place) == core::Place::kOvernight ? "overnight (外泊)"
                                                                             : "out (外出)";
    case core::Whereabouts::kLeft: return "left (退所)";
    default: return p.event == "arrive" ? "at " + p.place : p.event;
  }
}

std::string PersonLine(const core::PersonSummary& p) {
  std::ostringstream s;
  s << p.id.Hex() << "  " << (p.name.empty() ? "-" : p.name) << " (" << p.kana << ")  "
    << (p.dob.empty() ? "----------" : p.dob) << "  " << StatusText(p);
  if (!p.needs.empty()) {
    s << "  needs:";
    for (auto& n : p.needs) s << " " << n;
  }
  if (p.conflict) s << "  [conflict]";
  return s.str() + "\n";
}

Result<core::Id16> PersonArg(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "give one PERSON_ID (from search or roster)");
  return core::Id16::FromHex(ctx.args.positional[0]);
}

}  // namespace

Status CmdSearch(Context& ctx) {
  if (ctx.args.positional.empty())
    return MakeError(ErrorCode::kInvalidArgument, "search needs a QUERY");
  std::string q;
  for (auto& p : ctx.args.positional) q += (q.empty() ? "" : " ") + p;
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto found, node->state().SearchPersons(q, 50));
  json arr = json::array();
  std::string text;
  for (auto& p : found) {
    arr.push_back(PersonJson(p));
    text += PersonLine(p);
  }
  if (found.empty()) text = "no match\n";
  Emit(ctx, arr, text);
  return core::Ok();
}

Status CmdCheckin(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(core::Id16 person, PersonArg(ctx));
  SHELTER_ASSIGN_OR_RETURN(core::Place place,
                           core::ParsePlace(ctx.args.Opt("place").value_or("shelter")));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 stay, core::CheckIn(*node, person, place));
  Emit(ctx, {{"stay", stay.Hex()}, {"person", person.Hex()}, {"place", core::PlaceName(place)}},
       std::string("checked in (") + core::PlaceName(place) + ")\n");
  return core::Ok();
}

Status CmdCheckout(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(core::Id16 person, PersonArg(ctx));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 stay, core::CheckOut(*node, person));
  Emit(ctx, {{"stay", stay.Hex()}, {"person", person.Hex()}}, "checked out\n");
  return core::Ok();
}

Status CmdMove(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(core::Id16 person, PersonArg(ctx));
  auto to = ctx.args.Opt("to");
  if (!to) return MakeError(ErrorCode::kInvalidArgument, "move needs --to PLACE");
  SHELTER_ASSIGN_OR_RETURN(core::Place place, core::ParsePlace(*to));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 stay, core::MoveTo(*node, person, place));
  Emit(ctx, {{"stay", stay.Hex()}, {"person", person.Hex()}, {"place", core::PlaceName(place)}},
       std::string("moved to ") + core::PlaceName(place) + "  stay " + stay.Hex() + "\n");
  return core::Ok();
}

Status CmdUndo(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  core::Id16 undone;
  if (auto stay = ctx.args.Opt("stay")) {
    if (!ctx.args.positional.empty())
      return MakeError(ErrorCode::kInvalidArgument, "give a PERSON_ID or --stay, not both");
    SHELTER_ASSIGN_OR_RETURN(undone, core::Id16::FromHex(*stay));
    SHELTER_ASSIGN_OR_RETURN(auto undo, core::UndoMoves(*node, {undone}));
    (void)undo;
  } else {
    SHELTER_ASSIGN_OR_RETURN(core::Id16 person, PersonArg(ctx));
    SHELTER_ASSIGN_OR_RETURN(undone, core::UndoLastMove(*node, person));
  }
  Emit(ctx, {{"undone", undone.Hex()}}, "undone stay " + undone.Hex() + "\n");
  return core::Ok();
}

Status CmdRoster(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 shelter, ShelterOption(ctx, *node, false));
  SHELTER_ASSIGN_OR_RETURN(auto roster, node->state().Roster(shelter));
  json arr = json::array();
  std::string text;
  for (auto& p : roster) {
    arr.push_back(PersonJson(p));
    text += PersonLine(p);
  }
  Emit(ctx, arr, text);
  return core::Ok();
}

Status CmdCounts(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 shelter, ShelterOption(ctx, *node, false));
  SHELTER_ASSIGN_OR_RETURN(core::ShelterCounts c, node->state().Counts(shelter));
  std::ostringstream t;
  t << "households " << c.households << ", people " << c.persons << "\n"
    << "  in shelter " << c.in_shelter << ", out " << c.out << ", at home " << c.at_home
    << ", in car " << c.in_car << ", elsewhere " << c.elsewhere << ", not arrived "
    << c.never_arrived << ", left " << c.left << "\n"
    << "  in shelter with care needs " << c.in_shelter_with_needs << ", records in conflict "
    << c.conflicts << "\n";
  Emit(ctx,
       {{"households", c.households},
        {"persons", c.persons},
        {"in_shelter", c.in_shelter},
        {"out", c.out},
        {"at_home", c.at_home},
        {"in_car", c.in_car},
        {"elsewhere", c.elsewhere},
        {"not_arrived", c.never_arrived},
        {"left", c.left},
        {"in_shelter_with_needs", c.in_shelter_with_needs},
        {"conflicts", c.conflicts}},
       t.str());
  return core::Ok();
}

Status CmdHousehold(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "give one HOUSEHOLD_ID");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Household h, core::LoadHousehold(*node, id));
  std::cout << core::HouseholdToJson(h, !ctx.json) << "\n";
  return core::Ok();
}

Status CmdExport(Context& ctx) {
  if (!ctx.args.Flag("csv")) return MakeError(ErrorCode::kInvalidArgument, "export needs --csv");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(node->Require({core::StaffRole::kLead, core::StaffRole::kAdmin}));
  SHELTER_ASSIGN_OR_RETURN(core::Id16 shelter, ShelterOption(ctx, *node, false));
  SHELTER_ASSIGN_OR_RETURN(auto roster, node->state().Roster(shelter));
  std::string out = ctx.args.Flag("bom") ? "\xEF\xBB\xBF" : "";
  out += core::CsvLine({"person_id", "household_id", "shelter_id", "氏名", "ふりがな", "生年月日",
                        "性別", "状態", "場所", "所在", "要配慮"});
  for (auto& p : roster) {
    std::string needs;
    for (auto& n : p.needs) needs += (needs.empty() ? "" : ";") + n;
    out += core::CsvLine({p.id.Hex(), p.household.Hex(), p.shelter.Hex(), p.name, p.kana, p.dob,
                          p.sex, p.event, p.place, core::WhereaboutsName(p.where()), needs});
  }
  auto file = ctx.args.Opt("o");
  if (!file) {
    std::cout << out;
    return core::Ok();
  }
  // The export holds personal data: readable by its owner only.
  SHELTER_TRY(core::WritePrivateFile(*file, core::View(out)));
  std::cerr << "exported " << roster.size() << " people to " << *file << "\n";
  return core::Ok();
}

}  // namespace shelter::tools
