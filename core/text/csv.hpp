// CSV reading (RFC 4180 with hard size limits) and text decoding for files from municipalities
// (UTF-8 with or without BOM, or Shift_JIS/CP932), plus a small writer for exports.
// Thread-safety: free functions without shared state; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::core {

struct CsvRecord {
  size_t line = 0;                  // 1-based line on which the record starts
  std::vector<std::string> fields;  // at least one field; quotes removed, "" unescaped
};

// Hard limits so that a hostile file cannot exhaust memory. Exceeding one is a kParse error.
struct CsvLimits {
  size_t max_records = 1'000'000;
  size_t max_fields_per_record = 512;
  size_t max_field_bytes = 64 * 1024;
  // Total fields in the file. Each field costs one std::string even when empty, so without this
  // cap a file of commas would use ~40 bytes of memory per input byte.
  size_t max_total_fields = 10'000'000;
};

// Parses RFC 4180 CSV: fields separated by ',', optionally in double quotes with "" as an escaped
// quote; CRLF, LF or a lone CR end a line; quoted fields may contain commas and line ends (kept
// as written); the last line may lack a line end; empty lines are skipped. A '"' inside an
// unquoted field is kept as an ordinary character.
// Returns kParse, with the line number in the detail, on an unterminated quoted field, on text
// after a closing quote, or when a limit in `limits` is exceeded.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view utf8_text, const CsvLimits& limits = {});

// Decodes a text file to UTF-8. Input that is valid UTF-8 (after an optional BOM) is UTF-8;
// anything else is converted from CP932 (Windows Shift_JIS) with iconv(3). The BOM is removed.
// Returns kParse "file is neither UTF-8 nor Shift_JIS" when neither decoding works, kParse when
// the file contains NUL bytes (UTF-16 or binary), and kUnsupported when iconv lacks CP932.
Result<std::string> DecodeTextFile(std::string_view bytes);

// One field for a CSV export: quoted (with "" escapes) when it contains ',', '"', CR or LF or
// starts or ends with a space or tab; otherwise returned unchanged.
std::string EncodeCsvField(std::string_view field);

// A cell made safe for spreadsheets (OWASP CSV injection): a cell starting with '=', '+', '-',
// '@', a tab or a CR would run as a formula, so it gets a leading single quote. Others unchanged.
std::string NeutralizeCsvCell(std::string_view cell);

// One CSV line ending in CRLF, every cell neutralised (NeutralizeCsvCell) and encoded
// (EncodeCsvField): the one writer for every export. A record of a single empty field is written
// as "" so that it does not read back as an empty (skipped) line.
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace shelter::core
