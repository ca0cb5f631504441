// Index of this file:
// [SECTION] Text helpers
// [SECTION] Column roles and the four formats
// [SECTION] Header detection
// [SECTION] Cell parsers
// [SECTION] Row import
// [SECTION] Public functions
#include "core/formats/shelter_import.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <span>

#include "core/text/csv.hpp"

namespace shelter::core {
namespace {

// [SECTION] Text helpers --------------------------------------------------------------------------

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000

std::string_view Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

// Full-width ASCII (U+FF01..U+FF5E) becomes ASCII and U+3000 a space; all else is unchanged.
// Municipal spreadsheets often type digits, parentheses and letters in full width.
std::string FoldWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    if (i + 2 < s.size() && b(0) == 0xEF && b(1) == 0xBC && b(2) >= 0x81 && b(2) <= 0xBF) {
      out.push_back(static_cast<char>(b(2) - 0x60));  // U+FF01..U+FF3F -> '!'..'_'
      i += 2;
    } else if (i + 2 < s.size() && b(0) == 0xEF && b(1) == 0xBD && b(2) >= 0x80 && b(2) <= 0x9E) {
      out.push_back(static_cast<char>(b(2) - 0x20));  // U+FF40..U+FF5E -> '`'..'~'
      i += 2;
    } else if (s.substr(i).starts_with(kIdeographicSpace)) {
      out.push_back(' ');
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// The comparable form of a column name: width-folded, trimmed, ASCII upper case, without a
// (必)/(推)/(任) 掲載区分 suffix, with ',' -> '、' and half-width '･' -> '・'.
std::string NormalizeColumnName(std::string_view raw) {
  std::string s(Trim(FoldWidth(raw)));
  for (std::string_view suffix : {"(必)", "(推)", "(任)"}) {
    if (s.ends_with(suffix)) {
      s.resize(s.size() - suffix.size());
      s = std::string(Trim(s));
    }
  }
  ReplaceAll(s, ",", "\xE3\x80\x81");             // '、'
  ReplaceAll(s, "\xEF\xBD\xA5", "\xE3\x83\xBB");  // '･' -> '・'
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// [SECTION] Column roles and the four formats -----------------------------------------------------

// What a column means to the importer. Codes: kCode 市区町村コード / 市町村コード, kLocCode
// 所在地_全国地方公共団体コード, kOrgCode 全国地方公共団体コード (the publisher). kDupSite: also a
// 指定緊急避難場所; kDupShelter: also a 指定避難所. kHazard0 + i is hazard bit i.
// clang-format off
enum Role : int {
  kIgnored, kId, kName, kKana, kAddress, kAddrPref, kAddrCity, kAddrTown, kAddrRest, kBuilding,
  kLat, kLon, kCapacity, kCode, kLocCode, kOrgCode, kNotes, kOtherNotes, kTarget, kDupSite,
  kDupShelter, kHazard0, kRoleCount = kHazard0 + 8
};
// clang-format on

struct ColumnSpec {
  const char* name;
  int role;
  bool required = false;  // the header must have it
  bool marker = false;    // the header must have at least one marker of its format
};

constexpr bool kReq = true;

// clang-format off
constexpr ColumnSpec kGsiEmergencyColumns[] = {
  {"NO", kIgnored}, {"共通ID", kId}, {"都道府県名及び市町村名", kIgnored}, {"市町村コード", kCode},
  {"施設・場所名", kName, kReq}, {"住所", kAddress, kReq},
  {"洪水", kHazard0 + 0, false, true}, {"崖崩れ、土石流及び地滑り", kHazard0 + 1, false, true},
  {"高潮", kHazard0 + 2, false, true}, {"地震", kHazard0 + 3, false, true},
  {"津波", kHazard0 + 4, false, true}, {"大規模な火事", kHazard0 + 5, false, true},
  {"内水氾濫", kHazard0 + 6, false, true}, {"火山現象", kHazard0 + 7, false, true},
  {"指定避難所との住所同一", kDupShelter, false, true},
  {"緯度", kLat, kReq}, {"経度", kLon, kReq}, {"備考", kNotes},
};

constexpr ColumnSpec kGsiShelterColumns[] = {
  {"NO", kIgnored}, {"共通ID", kId}, {"都道府県名及び市町村名", kIgnored}, {"市町村コード", kCode},
  {"施設・場所名", kName, kReq}, {"住所", kAddress, kReq},
  {"指定緊急避難場所との住所同一", kDupSite, false, true},
  {"その他市町村長が必要と認める事項", kOtherNotes, false, true},
  {"受入対象者", kTarget, false, true},
  {"緯度", kLat, kReq}, {"経度", kLon, kReq}, {"備考", kNotes},
};

// The hazard and 重複 columns shared by both open-data formats.
constexpr ColumnSpec kOpenDataHazardColumns[] = {
  {"災害種別_洪水", kHazard0 + 0, false, true},
  {"災害種別_崖崩れ、土石流及び地滑り", kHazard0 + 1, false, true},
  {"災害種別_高潮", kHazard0 + 2, false, true}, {"災害種別_地震", kHazard0 + 3, false, true},
  {"災害種別_津波", kHazard0 + 4, false, true}, {"災害種別_大規模な火事", kHazard0 + 5, false, true},
  {"災害種別_内水氾濫", kHazard0 + 6, false, true}, {"災害種別_火山現象", kHazard0 + 7, false, true},
  {"指定避難所との重複", kDupShelter, false, true},
};

constexpr ColumnSpec kOpenDataColumns[] = {
  {"全国地方公共団体コード", kOrgCode}, {"ID", kId}, {"名称", kName, kReq}, {"名称_カナ", kKana},
  {"名称_英字", kIgnored}, {"所在地_全国地方公共団体コード", kLocCode}, {"町字ID", kIgnored},
  {"所在地_連結表記", kAddress, kReq}, {"所在地_都道府県", kAddrPref},
  {"所在地_市区町村", kAddrCity}, {"所在地_町字", kAddrTown}, {"所在地_番地以下", kAddrRest},
  {"建物名等(方書)", kBuilding}, {"緯度", kLat}, {"経度", kLon}, {"標高", kIgnored},
  {"電話番号", kIgnored}, {"内線番号", kIgnored}, {"連絡先メールアドレス", kIgnored},
  {"連絡先FormURL", kIgnored}, {"連絡先備考(その他、SNSなど)", kIgnored}, {"郵便番号", kIgnored},
  {"市区町村コード", kCode}, {"地方公共団体名", kIgnored},
  {"想定収容人数", kCapacity}, {"対象となる町会・自治会", kIgnored}, {"URL", kIgnored},
  {"画像", kIgnored}, {"画像_ライセンス", kIgnored}, {"備考", kNotes},
  {"都道府県コード又は市区町村コード", kCode},  // seen in older municipal files
};

constexpr ColumnSpec kLegacyV1Columns[] = {
  {"NO", kIgnored}, {"名称", kName, kReq}, {"名称_カナ", kKana}, {"住所", kAddress, kReq},
  {"方書", kBuilding}, {"緯度", kLat}, {"経度", kLon}, {"標高", kIgnored}, {"電話番号", kIgnored},
  {"内線番号", kIgnored}, {"市区町村コード", kCode}, {"都道府県名", kIgnored},
  {"市区町村名", kIgnored},
  {"想定収容人数", kCapacity}, {"対象となる町会・自治会", kIgnored}, {"URL", kIgnored},
  {"備考", kNotes},
  {"都道府県コード又は市区町村コード", kCode},
};
// clang-format on

struct FormatSpec {
  ShelterFormat format;
  std::span<const ColumnSpec> columns;
  std::span<const ColumnSpec> shared_columns;  // in addition to `columns`
};

// Columns are listed in file order within each format; detection ignores order.
constexpr FormatSpec kFormats[] = {
    {ShelterFormat::kGsiEmergencySite, kGsiEmergencyColumns, {}},
    {ShelterFormat::kGsiShelter, kGsiShelterColumns, {}},
    {ShelterFormat::kOpenDataEmergencySite, kOpenDataColumns, kOpenDataHazardColumns},
    {ShelterFormat::kOpenDataLegacyV1, kLegacyV1Columns, kOpenDataHazardColumns},
};

// [SECTION] Header detection ----------------------------------------------------------------------

// A detected header: which CSV column holds each role, and the role's column name for messages.
struct Layout {
  ShelterFormat format = ShelterFormat::kGsiEmergencySite;
  size_t width = 0;  // columns in the header; every row must have this many
  std::array<int, kRoleCount> column{};
  std::array<const char*, kRoleCount> column_name{};
};

// Returns the number of the format's columns found, or 0 when the header does not match it.
size_t MatchFormat(const FormatSpec& spec, const std::vector<std::string>& header, Layout& out) {
  out = Layout{};
  out.format = spec.format;
  out.width = header.size();
  out.column.fill(-1);
  // Open-data files may have one coordinate column without the other; messages still name both.
  out.column_name.fill("");
  out.column_name[kLat] = "緯度";
  out.column_name[kLon] = "経度";
  size_t found = 0, markers = 0;
  for (std::span<const ColumnSpec> list : {spec.columns, spec.shared_columns}) {
    for (const ColumnSpec& col : list) {
      const std::string want = NormalizeColumnName(col.name);
      int index = -1;
      for (size_t i = 0; i < header.size() && index < 0; ++i) {
        if (header[i] == want) index = static_cast<int>(i);
      }
      if (index < 0) {
        if (col.required) return 0;
        continue;
      }
      ++found;
      if (col.marker) ++markers;
      if (col.role != kIgnored && out.column[col.role] < 0) {  // the first of duplicate columns
        out.column[col.role] = index;
        out.column_name[col.role] = col.name;
      }
    }
  }
  return markers > 0 ? found : 0;
}

// The best-matching format for one header record, if any.
bool DetectFormat(const CsvRecord& record, Layout& layout) {
  std::vector<std::string> header;
  header.reserve(record.fields.size());
  for (const std::string& f : record.fields) header.push_back(NormalizeColumnName(f));
  size_t best = 0;
  for (const FormatSpec& spec : kFormats) {
    Layout candidate;
    size_t score = MatchFormat(spec, header, candidate);
    if (score > best) {
      best = score;
      layout = candidate;
    }
  }
  return best > 0;
}

// [SECTION] Cell parsers --------------------------------------------------------------------------

// A finite decimal number such as "35.6895" or "３５．６８９５"; nullopt otherwise.
std::optional<double> ParseDecimal(std::string_view raw) {
  std::string folded = FoldWidth(raw);
  std::string_view s = Trim(folded);
  if (s.starts_with('+')) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A head count such as "500", "1,200", "１２００人" or "300.0"; "-" means none. Returns false
// when the text is not a count.
bool ParseCount(std::string_view raw, std::optional<int>& out) {
  std::string folded = FoldWidth(raw);
  std::string_view s = Trim(folded);
  if (s.ends_with("人")) s = Trim(s.substr(0, s.size() - std::string_view("人").size()));
  out.reset();
  if (s.empty() || s == "-") return true;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    if (s.substr(dot + 1).find_first_not_of('0') != std::string_view::npos) return false;
    s = s.substr(0, dot);
  }
  int64_t value = 0;
  size_t digits = 0;
  for (char c : s) {
    if (c == ',' && digits > 0) continue;
    if (c < '0' || c > '9' || ++digits > 8) return false;
    value = value * 10 + (c - '0');
  }
  if (digits == 0 || value > 10'000'000) return false;
  out = static_cast<int>(value);
  return true;
}

// A flag cell: "1" or "○" set, empty, "0", "×" or "-" not set. nullopt for anything else.
std::optional<bool> ParseFlag(std::string_view raw) {
  std::string folded = FoldWidth(raw);
  std::string_view s = Trim(folded);
  for (std::string_view yes :
       {"1", "\xE2\x97\x8B", "\xE2\x97\xAF", "\xE3\x80\x87", "\xE2\x97\x8F"}) {
    if (s == yes) return true;  // 1 ○ ◯ 〇 ●
  }
  for (std::string_view no : {"", "0", "-", "\xC3\x97"}) {
    if (s == no) return false;  // × too
  }
  return std::nullopt;
}

int CheckDigit(std::string_view five_digits) {
  int sum = 0;
  for (int i = 0; i < 5; ++i) sum += (five_digits[i] - '0') * (6 - i);
  return (11 - sum % 11) % 10;
}

// Prefecture 01..47; municipality part 000 (the prefecture itself) or 100..999.
bool PlausibleCode(std::string_view five_digits) {
  int pref = (five_digits[0] - '0') * 10 + (five_digits[1] - '0');
  int local = (five_digits[2] - '0') * 100 + (five_digits[3] - '0') * 10 + (five_digits[4] - '0');
  return pref >= 1 && pref <= 47 && (local == 0 || local >= 100);
}

// [SECTION] Row import ----------------------------------------------------------------------------

bool AllFieldsEmpty(const CsvRecord& record) {
  for (const std::string& f : record.fields) {
    if (!Trim(f).empty()) return false;
  }
  return true;
}

void Join(std::string& out, std::string_view part, std::string_view separator) {
  if (part.empty()) return;
  if (!out.empty()) out += separator;
  out += part;
}

// Imports one data row into `out`, or records why it was rejected.
void ImportRow(const Layout& layout, const CsvRecord& record, ShelterImport& out) {
  if (AllFieldsEmpty(record)) return;
  if (record.fields.size() != layout.width) {
    out.errors.push_back({record.line, "expected " + std::to_string(layout.width) +
                                           " columns, found " +
                                           std::to_string(record.fields.size())});
    return;
  }
  auto cell = [&](int role) -> std::string_view {
    int i = layout.column[role];
    return i < 0 ? std::string_view() : Trim(record.fields[static_cast<size_t>(i)]);
  };
  auto name_of = [&](int role) { return std::string(layout.column_name[role]); };
  std::vector<std::string> problems;
  ShelterMaster m;

  m.common_id = cell(kId);
  m.name = cell(kName);
  if (m.name.empty()) problems.push_back("column " + name_of(kName) + ": missing");
  m.name_kana = cell(kKana);
  m.address = cell(kAddress);
  if (m.address.empty()) {
    for (int role : {kAddrPref, kAddrCity, kAddrTown, kAddrRest}) m.address += cell(role);
  }
  if (std::string_view building = cell(kBuilding); m.address.find(building) == std::string::npos) {
    Join(m.address, building, " ");  // 建物名等(方書) / 方書, unless the address already has it
  }

  std::string_view lat_text = cell(kLat), lon_text = cell(kLon);
  if (!lat_text.empty() || !lon_text.empty()) {
    std::optional<double> lat = ParseDecimal(lat_text), lon = ParseDecimal(lon_text);
    bool lat_ok = lat && *lat >= 20 && *lat <= 46, lon_ok = lon && *lon >= 122 && *lon <= 154;
    if (lat && lon && *lat >= 122 && *lat <= 154 && *lon >= 20 && *lon <= 46) {
      problems.push_back("columns " + name_of(kLat) + " and " + name_of(kLon) + ": swapped");
    } else {
      if (!lat_ok) {
        problems.push_back("column " + name_of(kLat) +
                           (lat_text.empty() ? ": missing while the other coordinate is given"
                            : lat            ? ": outside Japan (20..46)"
                                             : ": not a decimal number"));
      }
      if (!lon_ok) {
        problems.push_back("column " + name_of(kLon) +
                           (lon_text.empty() ? ": missing while the other coordinate is given"
                            : lon            ? ": outside Japan (122..154)"
                                             : ": not a decimal number"));
      }
    }
    if (lat_ok && lon_ok) {
      m.lat = lat;
      m.lon = lon;
    }
  }

  if (layout.column[kCapacity] >= 0 && !ParseCount(cell(kCapacity), m.capacity)) {
    problems.push_back("column " + name_of(kCapacity) + ": not a head count");
  }

  for (int role : {kCode, kLocCode, kOrgCode}) {
    std::string_view text = cell(role);
    if (text.empty()) continue;
    Result<std::string> code = NormalizeMunicipalityCode(text);
    if (!code.ok()) {
      problems.push_back("column " + name_of(role) + ": not a valid 全国地方公共団体コード");
    } else if (m.municipality_code.empty()) {
      m.municipality_code = *code;
    }
  }

  auto flag = [&](int role, bool& value) {
    if (layout.column[role] < 0) return;
    std::optional<bool> f = ParseFlag(cell(role));
    if (!f) problems.push_back("column " + name_of(role) + ": expected 1 or empty");
    value = f.value_or(false);
  };
  for (int bit = 0; bit < 8; ++bit) {
    bool set = false;
    flag(kHazard0 + bit, set);
    if (set) m.hazards |= 1u << bit;
  }
  flag(kDupSite, m.also_emergency_site);
  flag(kDupShelter, m.also_designated_shelter);

  m.target_people = cell(kTarget);
  Join(m.notes, cell(kOtherNotes), " / ");
  Join(m.notes, cell(kNotes), " / ");
  if (layout.format == ShelterFormat::kGsiShelter) {
    m.kind = m.target_people.empty() ? ShelterKind::kDesignated : ShelterKind::kWelfare;
  } else {
    m.kind = ShelterKind::kEmergencySite;
  }

  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) Join(message, p, "; ");
    out.errors.push_back({record.line, std::move(message)});
    return;
  }
  out.shelters.push_back(std::move(m));
  out.shelter_lines.push_back(record.line);
}

// A title line or two may precede the header in municipal files.
constexpr size_t kHeaderSearchRecords = 5;

}  // namespace

// [SECTION] Public functions ----------------------------------------------------------------------

const char* ShelterFormatName(ShelterFormat format) {
  switch (format) {
    case ShelterFormat::kGsiEmergencySite: return "gsi_emergency_site";
    case ShelterFormat::kGsiShelter: return "gsi_shelter";
    case ShelterFormat::kOpenDataEmergencySite: return "opendata_emergency_site";
    case ShelterFormat::kOpenDataLegacyV1: return "opendata_legacy_v1";
  }
  return "unknown";
}

Result<ShelterImport> ParseShelterFile(std::string_view file_bytes) {
  SHELTER_ASSIGN_OR_RETURN(std::string text, DecodeTextFile(file_bytes));
  SHELTER_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text));
  if (records.empty()) return MakeError(ErrorCode::kParse, "file has no header row");
  Layout layout;
  size_t header = 0;
  while (header < records.size() && header < kHeaderSearchRecords &&
         !DetectFormat(records[header], layout)) {
    ++header;
  }
  if (header == records.size() || header == kHeaderSearchRecords) {
    return MakeError(ErrorCode::kParse,
                     "unrecognised header: expected GSI or open-data shelter columns");
  }
  ShelterImport result;
  result.format = layout.format;
  // A second row for one shelter (same 共通ID, or same name and address without one) would
  // silently overwrite the first: report it and keep the first.
  std::map<std::string, size_t> first_line;
  for (size_t i = header + 1; i < records.size(); ++i) {
    const size_t before = result.shelters.size();
    ImportRow(layout, records[i], result);
    if (result.shelters.size() == before) continue;
    const ShelterMaster& m = result.shelters.back();
    const bool by_id = !m.common_id.empty();
    std::string key = by_id ? "id\n" + m.common_id
                            : "place\n" + m.municipality_code + "\n" + m.name + "\n" + m.address;
    auto [it, fresh] = first_line.try_emplace(std::move(key), records[i].line);
    if (fresh) continue;
    result.errors.push_back(
        {records[i].line, std::string(by_id ? "duplicate 共通ID/ID" : "same name and address") +
                              " as line " + std::to_string(it->second) + "; kept line " +
                              std::to_string(it->second)});
    result.shelters.pop_back();
    result.shelter_lines.pop_back();
  }
  return result;
}

Result<std::string> NormalizeMunicipalityCode(std::string_view code) {
  std::string folded = FoldWidth(code);
  std::string_view d = Trim(folded);
  if (d.find_first_not_of("0123456789") != std::string_view::npos || d.size() < 4 || d.size() > 6) {
    return MakeError(ErrorCode::kInvalidArgument, "municipality code is not 4 to 6 digits");
  }
  std::string s(d);
  if (s.size() == 6) {
    if (!PlausibleCode(s.substr(0, 5))) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "municipality code is not a prefecture or municipality");
    }
    if (CheckDigit(s) != s[5] - '0') {
      return MakeError(ErrorCode::kInvalidArgument, "municipality code check digit is wrong");
    }
    return s;
  }
  if (s.size() == 5) {
    if (PlausibleCode(s)) return s + static_cast<char>('0' + CheckDigit(s));
    // A 6-digit code whose leading zero was lost, e.g. by a spreadsheet ("92011" for 092011).
    std::string six = "0" + s;
    if (PlausibleCode(six.substr(0, 5)) && CheckDigit(six) == six[5] - '0') return six;
    return MakeError(ErrorCode::kInvalidArgument, "municipality code is not a valid 5-digit code");
  }
  std::string five = "0" + s;  // a 5-digit code without its leading zero ("1100" for 01100)
  if (!PlausibleCode(five)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "municipality code is not a prefecture or municipality");
  }
  return five + static_cast<char>('0' + CheckDigit(five));
}

}  // namespace shelter::core
