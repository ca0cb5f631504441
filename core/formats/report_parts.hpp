// A JSR1 status report as SMS or satellite-message parts (core/FORMATS.md "JSR1 parts"): the
// same text cut into numbered ASCII parts of at most 160 characters, and joined back from parts
// given in any order, with duplicates. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::core {

inline constexpr std::string_view kReportPartPrefix = "JSR1 ";
// One SMS in the GSM-7 alphabet: every character of a part is in its basic set, one septet each.
inline constexpr size_t kMaxReportPartChars = 160;
inline constexpr size_t kMaxReportParts = 9;  // "i/n" stays one digit each; a report is ~350 chars
// Lines given to JoinReportParts, duplicates included (a message thread pasted twice).
inline constexpr size_t kMaxReportPartLines = 64;

// "JSR1 i/n TAG " + chunk, in order. TAG is the report's 6 upper-case hex digits (the start of
// SHA-256 of the text), the chunks concatenated are the text with every space written as '_'.
// kInvalidArgument when `jsr1_text` is not a one-line JSR1 text or needs more than
// kMaxReportParts parts.
Result<std::vector<std::string>> SplitReportText(std::string_view jsr1_text);

// The JSR1 text from parts in any order; an exact duplicate counts once. Each element is one
// part (surrounding spaces and line breaks ignored; blank ones skipped). kParse for a line that is
// not a part or is longer than kMaxReportPartChars, for more than kMaxReportPartLines lines, and
// when the joined text does not match its tag (a part changed or cut short); kInvalidArgument
// for a part of another report (another tag or count) or two different texts for one part;
// kNotFound naming the missing parts ("part 2 of 3 is missing").
Result<std::string> JoinReportParts(const std::vector<std::string>& parts);

// True when `line` (after leading spaces) starts like a part, "JSR1 ".
bool LooksLikeReportPart(std::string_view line);

// What a person pastes or a gateway delivers: either a JSR1 text (line breaks inside allowed)
// or parts, one a line. Returns the JSR1 text to parse (core::ParseStatusReport); the errors of
// JoinReportParts for parts; kParse for more than 64 KiB.
Result<std::string> ReportTextFromMessage(std::string_view message);

}  // namespace shelter::core
