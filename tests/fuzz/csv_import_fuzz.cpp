// libFuzzer target for the shelter CSV import path: DecodeTextFile, ParseCsv, ParseShelterFile and
// NormalizeMunicipalityCode on arbitrary bytes (files come from outside). Besides not crashing, it
// checks that decoded text is valid UTF-8, imported rows satisfy the documented ranges, CsvLine
// output parses back to the same fields, and a normalised code normalises to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/formats/shelter_import.hpp"
#include "core/text/csv.hpp"
#include "core/text/text_normalize.hpp"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckCsvRoundTrip(const std::vector<shelter::core::CsvRecord>& records) {
  using shelter::core::CsvLine;
  std::string text;
  for (const auto& r : records) text += CsvLine(r.fields);
  auto again = shelter::core::ParseCsv(text);
  Require(again.ok());
  Require(again->size() == records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    Require((*again)[i].fields.size() == records[i].fields.size());
    for (size_t j = 0; j < records[i].fields.size(); ++j)
      Require((*again)[i].fields[j] == shelter::core::NeutralizeCsvCell(records[i].fields[j]));
  }
}

void CheckImport(const shelter::core::ShelterImport& imp) {
  Require(imp.shelters.size() == imp.shelter_lines.size());
  for (const auto& s : imp.shelters) {
    Require(!s.name.empty() && shelter::core::IsValidUtf8(s.name));
    Require(shelter::core::IsValidUtf8(s.address) && shelter::core::IsValidUtf8(s.notes));
    Require(s.municipality_code.empty() || s.municipality_code.size() == 6);
    Require(s.lat.has_value() == s.lon.has_value());
    if (s.lat) Require(*s.lat >= 20 && *s.lat <= 46 && *s.lon >= 122 && *s.lon <= 154);
    if (s.capacity) Require(*s.capacity >= 0);
    Require(s.hazards < 256);
  }
  for (const auto& e : imp.errors) Require(e.line >= 1 && !e.message.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto text = shelter::core::DecodeTextFile(bytes);
  if (text.ok()) {
    Require(shelter::core::IsValidUtf8(*text));
    auto records = shelter::core::ParseCsv(*text);
    if (records.ok()) CheckCsvRoundTrip(*records);
  }
  auto imp = shelter::core::ParseShelterFile(bytes);
  if (imp.ok()) CheckImport(*imp);
  // Municipality codes on their own: short inputs only, as they would appear in a cell.
  if (size <= 16) {
    auto code = shelter::core::NormalizeMunicipalityCode(bytes);
    if (code.ok()) {
      Require(code->size() == 6);
      auto again = shelter::core::NormalizeMunicipalityCode(*code);
      Require(again.ok() && *again == *code);
    }
  }
  return 0;
}
