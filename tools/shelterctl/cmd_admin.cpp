// shelterctl commands for IT staff: municipality, shelters, devices and staff accounts.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "core/formats/shelter_import.hpp"
#include "core/ops/facilities.hpp"
#include "core/ops/master_data.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

Status CmdInit(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string code_in, ctx.args.Need("code"));
  SHELTER_ASSIGN_OR_RETURN(std::string name, ctx.args.Need("name"));
  SHELTER_ASSIGN_OR_RETURN(std::string code, core::NormalizeMunicipalityCode(code_in));
  std::string admin = ctx.args.Opt("admin").value_or("admin");
  SHELTER_ASSIGN_OR_RETURN(std::string pin, ctx.secrets.ReadLine("new admin PIN"));
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::InitMunicipality(ctx.data_dir, code, name, admin,
                                                                   pin, ctx.node_options));
  Emit(ctx, {{"municipality", code}, {"device", node->device().device.Hex()}, {"admin", admin}},
       "initialised municipality " + code + " with admin account '" + admin + "'\n");
  return core::Ok();
}

Status CmdShelterImport(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "shelter import needs one FILE");
  SHELTER_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto r, core::ImportShelters(*node, bytes));
  json errors = json::array();
  std::ostringstream text;
  text << "imported " << r.imported << " shelters (" << r.format << ")";
  if (!r.errors.empty()) text << "; " << r.errors.size() << " rows rejected:";
  text << "\n";
  for (auto& e : r.errors) {
    errors.push_back({{"line", e.line}, {"message", e.message}});
    text << "  line " << e.line << ": " << e.message << "\n";
  }
  Emit(ctx, {{"imported", r.imported}, {"format", r.format}, {"errors", errors}}, text.str());
  return core::Ok();
}

Status CmdShelterList(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(auto list, core::ListShelters(*node));
  json arr = json::array();
  std::ostringstream text;
  for (auto& s : list) {
    SHELTER_ASSIGN_OR_RETURN(core::ShelterCounts c, node->state().Counts(s.id));
    const char* status = core::ShelterIsOpen(s, c.in_shelter) ? "open" : "closed";
    arr.push_back({{"id", s.id.Hex()},
                   {"common_id", s.common_id},
                   {"name", s.name},
                   {"address", s.address},
                   {"capacity", s.capacity},
                   {"kind", s.kind},
                   {"lat", s.lat},
                   {"lon", s.lon},
                   {"status", status},
                   {"in_shelter", c.in_shelter}});
    text << s.id.Hex() << "  " << (s.common_id.empty() ? "-" : s.common_id) << "  " << s.name
         << "  (" << s.kind << ", capacity "
         << (s.capacity > 0 ? std::to_string(s.capacity) : std::string("unknown")) << ", " << status
         << ", " << c.in_shelter << " in shelter)\n";
  }
  Emit(ctx, arr, text.str());
  return core::Ok();
}

namespace {

Result<core::ShelterInfo> ShelterArg(Context& ctx, core::Node& node, const char* command) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(command) + " needs one shelter ID or 共通ID (see `shelter list`)");
  return core::FindShelter(node, ctx.args.positional[0]);
}

Status SetOpen(Context& ctx, bool open) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::ShelterInfo s,
                           ShelterArg(ctx, *node, open ? "shelter open" : "shelter close"));
  SHELTER_TRY(core::SetShelterOpen(*node, s.id, open));
  const char* status = open ? "open" : "closed";
  Emit(ctx, {{"shelter", s.id.Hex()}, {"status", status}},
       "shelter " + s.id.Hex() + " is now " + status + "\n");
  return core::Ok();
}

}  // namespace

Status CmdShelterSet(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string text, ctx.args.Need("capacity"));
  int64_t capacity = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), capacity);
  if (ec != std::errc() || end != text.data() + text.size() || capacity < 0)
    return MakeError(ErrorCode::kInvalidArgument,
                     "--capacity needs a number of people (0 = unknown)");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::ShelterInfo s, ShelterArg(ctx, *node, "shelter set"));
  SHELTER_TRY(core::SetShelterCapacity(*node, s.id, capacity));
  Emit(ctx, {{"shelter", s.id.Hex()}, {"capacity", capacity}},
       "shelter " + s.id.Hex() + " capacity " + std::to_string(capacity) + "\n");
  return core::Ok();
}

namespace {

Result<std::optional<int64_t>> CountOption(Context& ctx, const char* name) {
  auto text = ctx.args.Opt(name);
  if (!text) return std::optional<int64_t>();
  int64_t v = -1;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < 0)
    return MakeError(ErrorCode::kInvalidArgument, std::string("--") + name + " needs a number");
  return std::optional<int64_t>(v);
}

json CountJson(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::string CountText(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : std::string("?");
}

std::string RatioText(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *v);
  return buf;
}

Status FacilitiesShow(Context& ctx, core::Node& node, const core::Id16& shelter) {
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  SHELTER_ASSIGN_OR_RETURN(core::LivingConditions lc,
                           core::GetLivingConditions(node, shelter, now_s));
  const core::Facilities& f = lc.facilities;
  json ratios = json::array();
  std::ostringstream text;
  text << "toilets: women " << CountText(f.toilets_women) << ", men " << CountText(f.toilets_men)
       << ", accessible " << CountText(f.toilets_accessible) << "\n"
       << "baths " << CountText(f.baths) << ", floor " << CountText(f.floor_m2) << " m², beds "
       << CountText(f.beds) << ", power " << (f.power.empty() ? "?" : f.power) << ", water "
       << (f.water.empty() ? "?" : f.water) << "\n"
       << "in the shelter: " << lc.occupants.people << " (women " << lc.occupants.women << ", men "
       << lc.occupants.men << ")" << (lc.first_days ? ", first days after the disaster" : "")
       << "\n";
  for (auto& r : lc.ratios) {
    ratios.push_back({{"key", r.key},
                      {"value", r.value ? json(*r.value) : json(nullptr)},
                      {"target", r.target},
                      {"at_most", r.at_most},
                      {"state", core::RatioStateName(r.state)},
                      {"alarm", r.Alarm()}});
    text << (r.Alarm() ? "ALARM " : "      ") << r.key << " " << RatioText(r.value)
         << (r.at_most ? " (at most " : " (at least ") << RatioText(r.target)
         << "): " << core::RatioStateName(r.state) << "\n";
  }
  json j = {{"shelter", shelter.Hex()},
            {"toilets_women", CountJson(f.toilets_women)},
            {"toilets_men", CountJson(f.toilets_men)},
            {"toilets_accessible", CountJson(f.toilets_accessible)},
            {"baths", CountJson(f.baths)},
            {"floor_m2", CountJson(f.floor_m2)},
            {"beds", CountJson(f.beds)},
            {"power", f.power},
            {"water", f.water},
            {"people", lc.occupants.people},
            {"women", lc.occupants.women},
            {"men", lc.occupants.men},
            {"disaster_date", lc.disaster_date},
            {"first_days", lc.first_days},
            {"alarms", lc.Alarms()},
            {"ratios", ratios}};
  Emit(ctx, j, text.str());
  return core::Ok();
}

}  // namespace

Status CmdShelterFacilities(Context& ctx) {
  if (ctx.args.positional.size() != 1 ||
      (ctx.args.positional[0] != "set" && ctx.args.positional[0] != "show"))
    return MakeError(ErrorCode::kInvalidArgument, "shelter facilities needs set or show");
  const bool set = ctx.args.positional[0] == "set";
  core::FacilitiesChange c;
  if (set) {
    SHELTER_ASSIGN_OR_RETURN(c.toilets_women, CountOption(ctx, "toilets-women"));
    SHELTER_ASSIGN_OR_RETURN(c.toilets_men, CountOption(ctx, "toilets-men"));
    SHELTER_ASSIGN_OR_RETURN(c.toilets_accessible, CountOption(ctx, "toilets-accessible"));
    SHELTER_ASSIGN_OR_RETURN(c.baths, CountOption(ctx, "baths"));
    SHELTER_ASSIGN_OR_RETURN(c.floor_m2, CountOption(ctx, "floor-m2"));
    SHELTER_ASSIGN_OR_RETURN(c.beds, CountOption(ctx, "beds"));
    c.power = ctx.args.Opt("power");
    c.water = ctx.args.Opt("water");
  }
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 shelter, ShelterOption(ctx, *node, true));
  if (set) SHELTER_TRY(core::SetFacilities(*node, shelter, c));
  return FacilitiesShow(ctx, *node, shelter);
}

Status CmdShelterOpen(Context& ctx) { return SetOpen(ctx, true); }
Status CmdShelterClose(Context& ctx) { return SetOpen(ctx, false); }

Status CmdDeviceList(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());  // the state names the shelters
  json arr = json::array();
  std::ostringstream text;
  for (auto& [id, cert] : node->known_devices()) {
    std::string shelter = "-";  // municipality-wide (admin, HQ)
    if (!cert.shelter_scope.IsZero()) {
      shelter = cert.shelter_scope.Hex();
      if (auto info = core::FindShelter(*node, shelter); info.ok() && !info->common_id.empty())
        shelter = info->common_id;
    }
    const char* state = node->IsRevoked(id) ? "revoked" : "active";
    const char* role = core::DeviceRoleName(cert.role);
    arr.push_back({{"id", id.Hex()},
                   {"label", cert.label},
                   {"shelter", shelter},
                   {"role", role},
                   {"state", state},
                   {"this_device", id == node->device().device}});
    text << id.Hex() << "  " << cert.label << "  " << shelter << "  " << role << "  " << state
         << (id == node->device().device ? "  (this device)" : "") << "\n";
  }
  Emit(ctx, arr, text.str());
  return core::Ok();
}

Status CmdDeviceEnroll(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string to, ctx.args.Need("to"));
  SHELTER_ASSIGN_OR_RETURN(core::DeviceRole role,
                           core::ParseDeviceRole(ctx.args.Opt("role").value_or("tablet")));
  std::string label = ctx.args.Opt("label").value_or(core::DeviceRoleName(role));
  std::string lead = ctx.args.Opt("lead").value_or("lead");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  core::Id16 scope;
  if (auto s = ctx.args.Opt("shelter")) {
    SHELTER_ASSIGN_OR_RETURN(core::ShelterInfo info, core::FindShelter(*node, *s));
    scope = info.id;
  } else if (role != core::DeviceRole::kHq) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "missing --shelter (only HQ devices span shelters)");
  }
  SHELTER_ASSIGN_OR_RETURN(std::string lead_pin,
                           ctx.secrets.ReadLine(("new PIN for " + lead).c_str()));
  SHELTER_ASSIGN_OR_RETURN(core::Id16 dev,
                           node->EnrollDevice(to, scope, role, label, lead, lead_pin));
  Emit(ctx, {{"device", dev.Hex()}, {"dir", to}, {"lead", lead}, {"shelter", scope.Hex()}},
       "enrolled device " + dev.Hex() + " in " + to + " with lead account '" + lead + "'\n");
  return core::Ok();
}

Status CmdStaffAdd(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string handle, ctx.args.Need("handle"));
  SHELTER_ASSIGN_OR_RETURN(core::StaffRole role,
                           core::ParseStaffRole(ctx.args.Opt("role").value_or("staff")));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(std::string pin,
                           ctx.secrets.ReadLine(("new PIN for " + handle).c_str()));
  SHELTER_TRY(node->AddStaff(handle, role, pin));
  Emit(ctx, {{"handle", handle}, {"role", core::StaffRoleName(role)}},
       "added " + std::string(core::StaffRoleName(role)) + " account '" + handle + "'\n");
  return core::Ok();
}

Status CmdStaffList(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
  SHELTER_ASSIGN_OR_RETURN(auto all, node->log().AllStaff());
  json arr = json::array();
  std::ostringstream text;
  for (auto& s : all) {
    const char* role = core::StaffRoleName(static_cast<core::StaffRole>(s.role));
    arr.push_back({{"handle", s.handle}, {"role", role}, {"locked", s.locked_until_ms > 0}});
    text << s.handle << "  " << role << "\n";
  }
  Emit(ctx, arr, text.str());
  return core::Ok();
}

Status CmdStatus(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(ctx.data_dir, ctx.node_options));
  SHELTER_ASSIGN_OR_RETURN(int64_t segments, node->log().SegmentCount());
  SHELTER_ASSIGN_OR_RETURN(auto incidents, node->log().Incidents());
  const auto& d = node->device();
  json inc = json::array();
  std::ostringstream text;
  text << "device " << d.device.Hex() << " (" << core::DeviceRoleName(d.role) << ", " << d.label
       << ") of municipality " << d.municipality_code << "\n"
       << "segments stored: " << segments << "\n"
       << "incidents: " << incidents.size() << "\n";
  for (auto& i : incidents) {
    inc.push_back(
        {{"kind", i.kind}, {"device", i.device.Hex()}, {"detail", i.detail}, {"at_ms", i.at_ms}});
    text << "  " << i.kind << " from " << i.device.Hex() << ": " << i.detail << "\n";
  }
  Emit(ctx,
       {{"device", d.device.Hex()},
        {"role", core::DeviceRoleName(d.role)},
        {"label", d.label},
        {"municipality", d.municipality_code},
        {"segments", segments},
        {"incidents", inc}},
       text.str());
  return core::Ok();
}

}  // namespace shelter::tools
