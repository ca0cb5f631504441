// JSR1 parts: "JSR1 i/n TAG chunk". Chunks carry the text's spaces as '_' so that no gateway
// trims or collapses a space at a part's edge; the tag both groups the parts of one report and
// checks the joined text before its signature is.
#include "core/formats/report_parts.hpp"

#include <map>

#include "core/base/crypto.hpp"
#include "core/formats/status_report.hpp"

namespace shelter::core {
namespace {

constexpr size_t kTagChars = 6;
constexpr size_t kMaxMessage = 64 * 1024;
// "JSR1 " + "i/n" + " " + tag + " ": what a part spends before its chunk.
constexpr size_t kHeaderChars = kReportPartPrefix.size() + 3 + 1 + kTagChars + 1;
constexpr size_t kChunkChars = kMaxReportPartChars - kHeaderChars;

std::string TagOf(std::string_view text) {
  Hash32 h = crypto::Sha256(View(text));
  static const char kHex[] = "0123456789ABCDEF";
  std::string tag;
  for (size_t i = 0; i < kTagChars / 2; ++i) {
    tag += kHex[h[i] >> 4];
    tag += kHex[h[i] & 15];
  }
  return tag;
}

// A JSR1 text's characters: the QR alphanumeric set (Base45), which holds the prefix too.
bool TextChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '$' || c == '%' ||
         c == '*' || c == '+' || c == '-' || c == '.' || c == '/' || c == ':';
}

bool HexUpper(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

struct Part {
  size_t index = 0, count = 0;
  std::string tag, chunk;  // chunk with '_' back to spaces
};

Error BadLine(size_t line, const std::string& why) {
  return MakeError(ErrorCode::kParse, "JSR1 part on line " + std::to_string(line) + ": " + why);
}

Result<Part> ParsePart(std::string_view s, size_t line) {
  if (s.size() > kMaxReportPartChars)
    return BadLine(line, "longer than " + std::to_string(kMaxReportPartChars) + " characters");
  if (s.substr(0, kReportPartPrefix.size()) != kReportPartPrefix)
    return BadLine(line, "does not start with \"JSR1 i/n\"");
  s.remove_prefix(kReportPartPrefix.size());
  // i/n: one digit each (kMaxReportParts is 9).
  if (s.size() < 4 || s[0] < '1' || s[0] > '9' || s[1] != '/' || s[2] < '1' || s[2] > '9' ||
      s[3] != ' ')
    return BadLine(line, "no part number \"i/n\"");
  Part p;
  p.index = size_t(s[0] - '0');
  p.count = size_t(s[2] - '0');
  if (p.index > p.count) return BadLine(line, "part number beyond the part count");
  s.remove_prefix(4);
  if (s.size() < kTagChars + 2 || s[kTagChars] != ' ')
    return BadLine(line, "no report tag after the part number");
  for (size_t i = 0; i < kTagChars; ++i)
    if (!HexUpper(s[i])) return BadLine(line, "the report tag is not 6 hex digits");
  p.tag = std::string(s.substr(0, kTagChars));
  s = Trim(s.substr(kTagChars));
  if (s.empty()) return BadLine(line, "empty");
  for (char c : s) {
    if (c == '_') {
      p.chunk += ' ';
    } else if (TextChar(c)) {
      p.chunk += c;
    } else {
      return BadLine(line, "a character that is not in a JSR1 report");
    }
  }
  return p;
}

std::string Missing(const std::map<size_t, std::string>& have, size_t count) {
  std::string list;
  size_t n = 0;
  for (size_t i = 1; i <= count; ++i)
    if (!have.count(i)) list += (n++ ? ", " : "") + std::to_string(i);
  return (n == 1 ? "part " : "parts ") + list + " of " + std::to_string(count) +
         (n == 1 ? " is" : " are") + " missing";
}

}  // namespace

Result<std::vector<std::string>> SplitReportText(std::string_view text) {
  if (text.substr(0, kStatusReportPrefix.size()) != kStatusReportPrefix)
    return MakeError(ErrorCode::kInvalidArgument, "not a JSR1 report text");
  for (char c : text)
    if (!TextChar(c))
      return MakeError(ErrorCode::kInvalidArgument, "a JSR1 text is one line of QR characters");
  size_t count = (text.size() + kChunkChars - 1) / kChunkChars;
  if (count > kMaxReportParts)
    return MakeError(ErrorCode::kInvalidArgument,
                     "JSR1 text too long for " + std::to_string(kMaxReportParts) + " parts");
  std::string tag = TagOf(text);
  std::vector<std::string> parts;
  for (size_t i = 0; i < count; ++i) {
    std::string part = std::string(kReportPartPrefix) + std::to_string(i + 1) + "/" +
                       std::to_string(count) + " " + tag + " ";
    for (char c : text.substr(i * kChunkChars, kChunkChars)) part += c == ' ' ? '_' : c;
    parts.push_back(std::move(part));
  }
  return parts;
}

Result<std::string> JoinReportParts(const std::vector<std::string>& lines) {
  if (lines.size() > kMaxReportPartLines)
    return MakeError(ErrorCode::kParse,
                     "more than " + std::to_string(kMaxReportPartLines) + " lines of JSR1 parts");
  std::map<size_t, std::string> chunks;
  std::string tag;
  size_t count = 0;
  for (size_t line = 0; line < lines.size(); ++line) {
    std::string_view s = Trim(lines[line]);
    if (s.empty()) continue;
    SHELTER_ASSIGN_OR_RETURN(Part p, ParsePart(s, line + 1));
    const std::string name = "part " + std::to_string(p.index) + "/" + std::to_string(p.count);
    if (tag.empty()) {
      tag = p.tag;
      count = p.count;
    } else if (p.tag != tag || p.count != count) {
      return MakeError(ErrorCode::kInvalidArgument,
                       name + " " + p.tag + " on line " + std::to_string(line + 1) +
                           " is from another report than the first part's (" + tag + ")");
    }
    auto [it, fresh] = chunks.emplace(p.index, p.chunk);
    if (!fresh && it->second != p.chunk)
      return MakeError(ErrorCode::kInvalidArgument,
                       name + " is given twice with different texts (line " +
                           std::to_string(line + 1) + "): a part was changed");
  }
  if (tag.empty()) return MakeError(ErrorCode::kParse, "no JSR1 part given");
  if (chunks.size() != count) return MakeError(ErrorCode::kNotFound, Missing(chunks, count));
  std::string text;
  for (auto& [i, chunk] : chunks) text += chunk;
  if (TagOf(text) != tag)
    return MakeError(ErrorCode::kParse, "the JSR1 parts joined do not match their report tag " +
                                            tag + ": a part was changed or cut short");
  return text;
}

bool LooksLikeReportPart(std::string_view line) {
  return Trim(line).substr(0, kReportPartPrefix.size()) == kReportPartPrefix;
}

Result<std::string> ReportTextFromMessage(std::string_view message) {
  if (message.size() > kMaxMessage)
    return MakeError(ErrorCode::kParse, "a JSR1 message is at most 64 KiB");
  if (!LooksLikeReportPart(message)) return std::string(Trim(message));
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string_view::npos) end = message.size();
    if (!Trim(message.substr(start, end - start)).empty()) {
      if (lines.size() == kMaxReportPartLines)
        return MakeError(ErrorCode::kParse, "more than " + std::to_string(kMaxReportPartLines) +
                                                " lines of JSR1 parts");
      lines.emplace_back(message.substr(start, end - start));
    }
    start = end + 1;
  }
  return JoinReportParts(lines);
}

}  // namespace shelter::core
