#include "core/text/csv.hpp"

#include <iconv.h>

#include <cerrno>

#include "core/text/text_normalize.hpp"  // IsValidUtf8

namespace shelter::core {
namespace {

Error CsvError(size_t line, const std::string& what) {
  return MakeError(ErrorCode::kParse, "CSV line " + std::to_string(line) + ": " + what);
}

// Number of line ends in `chunk`: LF, CRLF and a lone CR each count once. `chunk` never ends
// between a CR and its LF because callers cut it at a quote character.
size_t CountLineEnds(std::string_view chunk) {
  size_t n = 0;
  for (size_t i = 0; i < chunk.size(); ++i) {
    if (chunk[i] == '\n') {
      ++n;
    } else if (chunk[i] == '\r' && (i + 1 == chunk.size() || chunk[i + 1] != '\n')) {
      ++n;
    }
  }
  return n;
}

// Consumes one line end (CRLF, LF or CR) at `pos`, if there is one.
bool ConsumeLineEnd(std::string_view text, size_t& pos) {
  if (pos >= text.size()) return false;
  if (text[pos] == '\r') {
    ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
    return true;
  }
  if (text[pos] == '\n') {
    ++pos;
    return true;
  }
  return false;
}

bool IsFieldEnd(char c) { return c == ',' || c == '\r' || c == '\n'; }

// Closes an iconv descriptor on scope exit.
class IconvHandle {
 public:
  explicit IconvHandle(iconv_t cd) : cd_(cd) {}
  ~IconvHandle() {
    if (ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr const char* kNeitherEncoding = "file is neither UTF-8 nor Shift_JIS";

// Converts CP932 bytes to UTF-8. Returns kParse on an invalid or truncated sequence.
Result<std::string> Cp932ToUtf8(std::string_view bytes) {
  IconvHandle cd(iconv_open("UTF-8", "CP932"));
  if (!cd.ok()) {
    return MakeError(ErrorCode::kUnsupported, "iconv has no CP932 (Shift_JIS) converter");
  }
  // Output is at most 3x the input (a 1-byte half-width katakana becomes 3 UTF-8 bytes). Start at
  // 1.5x, enough for typical kanji-heavy text, and grow on E2BIG.
  std::string out(bytes.size() + bytes.size() / 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());  // iconv(3) takes char** but does not write
  size_t in_left = bytes.size();
  size_t used = 0;
  while (in_left > 0) {
    char* out_ptr = out.data() + used;
    size_t out_left = out.size() - used;
    size_t rc = iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left);
    used = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() + in_left * 3 + 16);
      continue;
    }
    return MakeError(ErrorCode::kParse, kNeitherEncoding);  // EILSEQ or EINVAL (truncated)
  }
  out.resize(used);
  return out;
}

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const CsvLimits& limits) {
  std::vector<CsvRecord> records;
  size_t line = 1;
  size_t pos = 0;
  size_t total_fields = 0;
  const size_t n = text.size();
  while (pos < n) {
    if (ConsumeLineEnd(text, pos)) {  // blank line
      ++line;
      continue;
    }
    if (records.size() >= limits.max_records) {
      return CsvError(line, "more than " + std::to_string(limits.max_records) + " records");
    }
    CsvRecord record;
    record.line = line;
    for (;;) {
      if (record.fields.size() >= limits.max_fields_per_record) {
        return CsvError(record.line, "more than " + std::to_string(limits.max_fields_per_record) +
                                         " fields in one record");
      }
      if (++total_fields > limits.max_total_fields) {
        return CsvError(
            line, "more than " + std::to_string(limits.max_total_fields) + " fields in the file");
      }
      std::string field;
      const size_t field_line = line;
      if (pos < n && text[pos] == '"') {
        ++pos;
        for (;;) {
          size_t quote = text.find('"', pos);
          if (quote == std::string_view::npos) {
            return CsvError(field_line, "unterminated quoted field");
          }
          std::string_view chunk = text.substr(pos, quote - pos);
          if (field.size() + chunk.size() > limits.max_field_bytes) {
            return CsvError(field_line, "field longer than " +
                                            std::to_string(limits.max_field_bytes) + " bytes");
          }
          field.append(chunk);
          line += CountLineEnds(chunk);
          pos = quote + 1;
          if (pos < n && text[pos] == '"') {  // "" is an escaped quote
            if (field.size() + 1 > limits.max_field_bytes) {
              return CsvError(field_line, "field longer than " +
                                              std::to_string(limits.max_field_bytes) + " bytes");
            }
            field.push_back('"');
            ++pos;
            continue;
          }
          break;
        }
        if (pos < n && !IsFieldEnd(text[pos])) {
          return CsvError(line, "text after the closing quote of a field");
        }
      } else {
        size_t start = pos;
        while (pos < n && !IsFieldEnd(text[pos])) ++pos;
        if (pos - start > limits.max_field_bytes) {
          return CsvError(field_line,
                          "field longer than " + std::to_string(limits.max_field_bytes) + " bytes");
        }
        field.assign(text.substr(start, pos - start));
      }
      record.fields.push_back(std::move(field));
      if (pos < n && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (ConsumeLineEnd(text, pos)) ++line;
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

Result<std::string> DecodeTextFile(std::string_view bytes) {
  if (bytes.find('\0') != std::string_view::npos) {
    return MakeError(ErrorCode::kParse,
                     "file contains NUL bytes; it is not a UTF-8 or Shift_JIS text file "
                     "(UTF-16 or binary?)");
  }
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    // A BOM says UTF-8; do not reinterpret the file as Shift_JIS behind the author's back.
    std::string_view rest = bytes.substr(kUtf8Bom.size());
    if (!IsValidUtf8(rest)) return MakeError(ErrorCode::kParse, kNeitherEncoding);
    return std::string(rest);
  }
  if (IsValidUtf8(bytes)) return std::string(bytes);
  return Cp932ToUtf8(bytes);
}

std::string EncodeCsvField(std::string_view field) {
  bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!field.empty()) {
    char first = field.front(), last = field.back();
    quote = quote || first == ' ' || first == '\t' || last == ' ' || last == '\t';
  }
  if (!quote) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string NeutralizeCsvCell(std::string_view cell) {
  if (cell.empty() || std::string_view("=+-@\t\r").find(cell.front()) == std::string_view::npos)
    return std::string(cell);
  return "'" + std::string(cell);
}

std::string CsvLine(const std::vector<std::string>& fields) {
  if (fields.size() == 1 && fields[0].empty()) return "\"\"\r\n";
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += EncodeCsvField(NeutralizeCsvCell(fields[i]));
  }
  out += "\r\n";
  return out;
}

}  // namespace shelter::core
