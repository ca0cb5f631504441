// shelterctl commands that edit stored records and resolve conflicts, through the same core
// functions as the tablet app's household editor (core/ops/edit.hpp): person edit, household edit,
// conflicts, resolve.
#include <ctime>
#include <iostream>

#include "core/ops/edit.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

// One ID argument and at least one --set FIELD=VALUE.
Result<std::vector<std::pair<std::string, std::string>>> Sets(Context& ctx, const char* what) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, std::string("give one ") + what + " ID");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& s : ctx.args.All("set")) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      return MakeError(ErrorCode::kInvalidArgument, "--set needs FIELD=VALUE");
    out.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  if (out.empty())
    return MakeError(ErrorCode::kInvalidArgument, "nothing to change: give --set FIELD=VALUE");
  return out;
}

Result<core::RecordState> Live(core::Node& node, const core::Id16& id, core::RecordType type,
                               const char* what) {
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(id));
  if (!rec || rec->type != type || rec->Deleted())
    return MakeError(ErrorCode::kNotFound, std::string("no such ") + what);
  return std::move(*rec);
}

void EmitEdit(Context& ctx, const core::Id16& id, size_t written) {
  Emit(ctx, {{"record", id.Hex()}, {"fields_written", written}},
       written == 0 ? "nothing changed\n"
                    : "saved " + std::to_string(written) + " field(s) of " + id.Hex() + "\n");
}

const char* TypeName(core::RecordType t) {
  switch (t) {
    case core::RecordType::kPerson: return "person";
    case core::RecordType::kHousehold: return "household";
    default: return "record";
  }
}

json ValueJson(const core::cbor::Item& v) {
  if (v.is_null()) return nullptr;
  if (auto* s = v.as_text()) return *s;
  if (auto* i = v.as_int()) return *i;
  if (auto* b = v.as_bool()) return *b;
  if (auto* b = v.as_bytes()) {
    if (auto id = core::Id16::FromBytes(core::View(*b)); id.ok()) return id->Hex();
    return core::ToHex(core::View(*b));
  }
  if (auto* a = v.as_array()) {
    json out = json::array();
    for (auto& x : *a) out.push_back(ValueJson(x));
    return out;
  }
  if (auto* m = v.as_map()) {
    json out = json::object();
    for (auto& [k, x] : *m)
      if (auto* key = k.as_text()) out[*key] = ValueJson(x);
    return out;
  }
  return "?";
}

std::string UtcTime(int64_t ms) {
  std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Status CmdPersonEdit(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto sets, Sets(ctx, "PERSON"));
  SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto rec, Live(*node, id, core::RecordType::kPerson, "person"));
  const core::Person loaded = core::PersonFromRecord(rec);
  core::Person edited = loaded;
  for (auto& [field, value] : sets) SHELTER_TRY(core::SetPersonField(edited, field, value));
  SHELTER_ASSIGN_OR_RETURN(size_t written, core::SavePersonEdit(*node, loaded, edited));
  EmitEdit(ctx, id, written);
  return core::Ok();
}

Status CmdHouseholdEdit(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto sets, Sets(ctx, "HOUSEHOLD"));
  SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto rec, Live(*node, id, core::RecordType::kHousehold, "household"));
  const core::Household loaded = core::HouseholdFromRecord(rec);
  core::Household edited = loaded;
  for (auto& [field, value] : sets) SHELTER_TRY(core::SetHouseholdField(edited, field, value));
  SHELTER_ASSIGN_OR_RETURN(size_t written, core::SaveHouseholdEdit(*node, loaded, edited));
  EmitEdit(ctx, id, written);
  return core::Ok();
}

Status CmdConflicts(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto conflicts, core::ListConflicts(*node));
  json out = json::array();
  std::string text;
  for (auto& c : conflicts) {
    json values = json::array();
    text += std::string(TypeName(c.type)) + " " + c.record.Hex() + "  " + c.field + "\n";
    for (size_t i = 0; i < c.values.size(); ++i) {
      const auto& v = c.values[i];
      json value = ValueJson(v.value);
      std::string at = UtcTime(core::HlcMillis(v.hlc));
      values.push_back({{"n", i + 1},
                        {"value", value},
                        {"device", v.dot.device.Hex()},
                        {"seq", v.dot.seq},
                        {"time", at}});
      std::string shown = value.is_string() ? value.get<std::string>() : value.dump();
      text += "  " + std::to_string(i + 1) + ") " + shown + "   device " + v.dot.device.Hex() +
              "  " + at + "\n";
    }
    out.push_back({{"record", c.record.Hex()},
                   {"type", TypeName(c.type)},
                   {"field", c.field},
                   {"values", values}});
  }
  if (conflicts.empty())
    text = "no conflicts\n";
  else
    text += "resolve one with: resolve RECORD_ID FIELD --keep N\n";
  Emit(ctx, out, text);
  return core::Ok();
}

Status CmdResolve(Context& ctx) {
  if (ctx.args.positional.size() != 2)
    return MakeError(ErrorCode::kInvalidArgument,
                     "resolve needs RECORD_ID FIELD --keep N (see `conflicts`)");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 id, core::Id16::FromHex(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(std::string keep_text, ctx.args.Need("keep"));
  size_t keep = 0;
  for (char c : keep_text) {
    if (c < '0' || c > '9' || keep > 1000)
      return MakeError(ErrorCode::kInvalidArgument,
                       "--keep needs the number of a value (see `conflicts`)");
    keep = keep * 10 + static_cast<size_t>(c - '0');
  }
  const std::string& field = ctx.args.positional[1];
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_TRY(core::ResolveConflictKeep(*node, id, field, keep));
  Emit(ctx, {{"record", id.Hex()}, {"field", field}, {"kept", keep}},
       "resolved " + field + " of " + id.Hex() + "\n");
  return core::Ok();
}

}  // namespace shelter::tools
