#include "core/ops/master_data.hpp"

#include <cctype>

#include "core/base/hlc.hpp"

namespace shelter::core {

Id16 ShelterIdFor(const std::string& municipality_code, const ShelterMaster& s) {
  if (!s.common_id.empty()) return DerivedId("shelter", s.common_id);
  return DerivedId("shelter", municipality_code + "\n" + s.name + "\n" + s.address);
}

static const char* KindName(ShelterKind k) {
  switch (k) {
    case ShelterKind::kDesignated: return "designated";
    case ShelterKind::kWelfare: return "welfare";
    case ShelterKind::kEmergencySite: return "emergency_site";
    case ShelterKind::kOther: return "other";
  }
  return "other";
}

static std::string Degrees(const std::optional<double>& d) {
  if (!d) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", *d);
  return buf;
}

// Whether an import row overwrites `field` of a shelter that already exists.
static bool ImportUpdates(const std::string& f, const ShelterMaster& row, ShelterFormat format,
                          const ShelterInfo& existing) {
  if (f == field::kCapacity) return row.capacity.has_value();
  if (f == field::kLat || f == field::kLon) return row.lat.has_value();
  if (f == field::kKana) return !row.name_kana.empty();
  if (f == field::kHazards) return format != ShelterFormat::kGsiShelter;  // no hazard columns
  if (f == field::kKind)
    return !(row.kind == ShelterKind::kEmergencySite &&
             (existing.kind == "designated" || existing.kind == "welfare"));
  return true;
}

Result<ShelterImportResult> ImportShelters(Node& node, std::string_view file_bytes) {
  SHELTER_TRY(node.Require({StaffRole::kAdmin}));
  SHELTER_ASSIGN_OR_RETURN(ShelterImport parsed, ParseShelterFile(file_bytes));
  ShelterImportResult out;
  out.format = ShelterFormatName(parsed.format);
  out.errors = parsed.errors;
  std::vector<OpDraft> drafts;
  for (auto& s : parsed.shelters) {
    ShelterInfo info;
    info.municipality_code =
        s.municipality_code.empty() ? node.municipality_code() : s.municipality_code;
    info.id = ShelterIdFor(info.municipality_code, s);
    info.common_id = s.common_id;
    info.name = s.name;
    info.kana = s.name_kana;
    info.address = s.address;
    info.lat = Degrees(s.lat);
    info.lon = Degrees(s.lon);
    info.capacity = s.capacity.value_or(0);
    info.kind = KindName(s.kind);
    info.hazards = s.hazards;
    // Keep the open/closed status an operator set: re-import only updates master data.
    auto fields = ShelterFields(info);
    std::erase_if(fields, [](auto& f) { return f.field == field::kStatus; });
    SHELTER_ASSIGN_OR_RETURN(auto existing, node.state().Get(info.id));
    if (!existing) {
      fields.push_back({field::kStatus, cbor::Item("closed")});
    } else {
      // What this file does not say keeps its value (GSI files have no 想定収容人数, an
      // emergency-site list does not know that a site is also a 指定避難所).
      const ShelterInfo before = ShelterFromRecord(*existing);
      std::erase_if(fields,
                    [&](auto& f) { return !ImportUpdates(f.field, s, parsed.format, before); });
    }
    drafts.push_back({info.id, RecordType::kShelter, std::move(fields)});
  }
  SHELTER_TRY(node.Commit(node.municipality_scope(), drafts));
  out.imported = drafts.size();
  return out;
}

bool ShelterIsOpen(const ShelterInfo& s, int64_t in_shelter) {
  return s.status == "open" || in_shelter > 0;
}

static Result<RecordState> ShelterRecord(Node& node, const Id16& shelter) {
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(shelter));
  if (!rec || rec->type != RecordType::kShelter || rec->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such shelter (see `shelter list`)");
  return *rec;
}

Status SetShelterCapacity(Node& node, const Id16& shelter, int64_t capacity) {
  SHELTER_TRY(node.Require({StaffRole::kLead, StaffRole::kAdmin}));
  if (capacity < 0 || capacity > kMaxShelterCapacity)
    return MakeError(ErrorCode::kInvalidArgument,
                     "capacity must be 0.." + std::to_string(kMaxShelterCapacity) + " people");
  SHELTER_ASSIGN_OR_RETURN(RecordState rec, ShelterRecord(node, shelter));
  SHELTER_TRY(node.Commit(
      rec.scope, {{shelter, RecordType::kShelter, {{field::kCapacity, cbor::Item(capacity)}}}}));
  return Ok();
}

Status SetShelterOpen(Node& node, const Id16& shelter, bool open) {
  SHELTER_TRY(node.Require({StaffRole::kLead, StaffRole::kAdmin}));
  SHELTER_ASSIGN_OR_RETURN(RecordState rec, ShelterRecord(node, shelter));
  SHELTER_TRY(node.Commit(
      rec.scope,
      {{shelter, RecordType::kShelter, {{field::kStatus, cbor::Item(open ? "open" : "closed")}}}}));
  return Ok();
}

Result<Id16> FindDeviceByPrefix(const Node& node, std::string_view prefix) {
  std::string want;
  for (char c : prefix) want += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (want.empty() || want.size() > 32 ||
      want.find_first_not_of("0123456789abcdef") != std::string::npos)
    return MakeError(ErrorCode::kInvalidArgument, "a device id is hex digits (see `device list`)");
  Id16 found;
  size_t matches = 0;
  for (auto& [id, cert] : node.known_devices())
    if (id.Hex().starts_with(want)) {
      found = id;
      ++matches;
    }
  if (matches == 0)
    return MakeError(ErrorCode::kNotFound, "no device with that id (see `device list`)");
  if (matches > 1)
    return MakeError(
        ErrorCode::kInvalidArgument,
        "ambiguous device id: " + std::to_string(matches) + " devices match; give more digits");
  return found;
}

Result<std::vector<ShelterInfo>> ListShelters(Node& node) {
  SHELTER_ASSIGN_OR_RETURN(auto ids, node.state().RecordsOfType(RecordType::kShelter));
  std::vector<ShelterInfo> out;
  for (auto& id : ids) {
    SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(id));
    if (rec && !rec->Deleted()) out.push_back(ShelterFromRecord(*rec));
  }
  return out;
}

Result<ShelterInfo> FindShelter(Node& node, std::string_view key) {
  SHELTER_ASSIGN_OR_RETURN(auto all, ListShelters(node));
  for (auto& s : all)
    if (s.id.Hex() == key || (!s.common_id.empty() && s.common_id == key)) return s;
  return MakeError(ErrorCode::kNotFound, "no shelter with that id or 共通ID (see `shelter list`)");
}

}  // namespace shelter::core
