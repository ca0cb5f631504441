// Shelter master-data import from open-data CSV files: GSI 指定緊急避難場所 / 指定避難所 and the
// 自治体標準オープンデータセット 指定緊急避難場所一覧 (current and legacy v1). Described in
// core/FORMATS.md ("Shelter CSV import"); the column sets are in shelter_import.cpp.
// Thread-safety: free functions without shared state; safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::core {

enum class ShelterFormat {
  kGsiEmergencySite,  // GSI 指定緊急避難場所データ
  kGsiShelter,        // GSI 指定避難所データ
  kOpenDataEmergencySite,  // 自治体標準オープンデータセット 指定緊急避難場所一覧 (39 columns)
  kOpenDataLegacyV1,  // 推奨データセット v1 指定緊急避難場所 (26 columns)
};

// A stable ASCII identifier for logs, e.g. "gsi_emergency_site".
const char* ShelterFormatName(ShelterFormat format);

enum class ShelterKind {
  kDesignated,     // 指定避難所
  kWelfare,        // 福祉避難所
  kEmergencySite,  // 指定緊急避難場所
  kOther,
};

// Bits of ShelterMaster::hazards, in the column order of the source files.
inline constexpr uint32_t kHazardFlood = 1u << 0;        // 洪水
inline constexpr uint32_t kHazardLandslide = 1u << 1;    // 崖崩れ、土石流及び地滑り
inline constexpr uint32_t kHazardStormSurge = 1u << 2;   // 高潮
inline constexpr uint32_t kHazardEarthquake = 1u << 3;   // 地震
inline constexpr uint32_t kHazardTsunami = 1u << 4;      // 津波
inline constexpr uint32_t kHazardLargeFire = 1u << 5;    // 大規模な火事
inline constexpr uint32_t kHazardInlandFlood = 1u << 6;  // 内水氾濫
inline constexpr uint32_t kHazardVolcano = 1u << 7;      // 火山現象

struct ShelterMaster {
  std::string common_id;          // GSI 共通ID or open-data ID; may be empty
  std::string municipality_code;  // 6-digit 全国地方公共団体コード with check digit, or empty
  std::string name;
  std::string name_kana;
  std::string address;
  std::optional<double> lat,
      lon;                      // both set or both empty; inside Japan (lat 20..46, lon 122..154)
  std::optional<int> capacity;  // 想定収容人数
  ShelterKind kind = ShelterKind::kOther;
  uint32_t hazards = 0;              // kHazard* bits: sites designated for these hazards
  bool also_emergency_site = false;  // shelter row: 指定緊急避難場所との住所同一
  bool also_designated_shelter = false;  // site row: 指定避難所との住所同一 / 指定避難所との重複
  std::string target_people;  // 受入対象者 (福祉避難所)
  std::string notes;  // 備考 (GSI shelters: also その他市町村長が必要と認める事項)
};

struct ImportRowError {
  size_t line = 0;      // 1-based line where the bad record starts
  std::string message;  // English; names the column(s) and problem(s), never the cell contents
};

struct ShelterImport {
  ShelterFormat format = ShelterFormat::kGsiEmergencySite;
  std::vector<ShelterMaster> shelters;
  std::vector<size_t> shelter_lines;   // parallel to `shelters`: line where each row starts
  std::vector<ImportRowError> errors;  // one entry per rejected row, in file order
};

// Decodes (DecodeTextFile), parses (ParseCsv) and imports a shelter CSV. The format is detected
// from the header's set of column names, ignoring order, unknown extra columns, surrounding
// spaces, full-width letters/parentheses and (必)/(推)/(任) suffixes; a title line or two before
// the header is skipped. Good rows are imported; each bad row (wrong column count, missing name,
// bad 緯度/経度/想定収容人数/hazard flag, bad municipality code) is reported by line. A row for a
// shelter an earlier row already gave (same 共通ID/ID, or same name and address when it has none)
// is reported by line and dropped: the first row is kept. Rows whose fields are all empty are
// skipped silently.
// Returns the DecodeTextFile/ParseCsv error for undecodable or malformed files, and kParse
// "unrecognised header: expected GSI or open-data shelter columns" for any other CSV.
Result<ShelterImport> ParseShelterFile(std::string_view file_bytes);

// Normalises a 全国地方公共団体コード (JIS X 0402) to 6 digits with its check digit. Accepts
// ASCII or full-width digits and surrounding spaces: 6 digits (check digit verified); 5 digits
// (check digit appended); 5 digits that are a 6-digit code missing its leading zero ("92011" ->
// "092011"); 4 digits that are a 5-digit code missing its leading zero ("1100" -> "011002").
// The prefecture must be 01..47 and the municipality part 000 or 100..999.
// Returns kInvalidArgument for anything else, including a wrong check digit.
Result<std::string> NormalizeMunicipalityCode(std::string_view code);

}  // namespace shelter::core
