// libFuzzer target for JSR1 SMS parts (core/formats/report_parts): a message of parts or a text
// as pasted at HQ, and the same bytes as separate part arguments. Besides not crashing, a joined
// text is made of report characters only, splits again and joins back to itself, and a text that
// splits joins back from its parts in reverse order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/formats/report_parts.hpp"
#include "core/formats/status_report.hpp"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void RoundTrip(const std::string& text) {
  auto parts = shelter::core::SplitReportText(text);
  if (!parts.ok()) return;
  for (auto& p : *parts) Require(p.size() <= shelter::core::kMaxReportPartChars);
  std::vector<std::string> reversed(parts->rbegin(), parts->rend());
  auto back = shelter::core::JoinReportParts(reversed);
  Require(back.ok() && *back == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shelter::core;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto text = ReportTextFromMessage(input); text.ok()) (void)ParseStatusReport(*text);

  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= input.size() && lines.size() <= kMaxReportPartLines) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    lines.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  if (auto joined = JoinReportParts(lines); joined.ok()) {
    for (char c : *joined) Require(c != '_' && c != '\n' && c >= ' ' && c <= 'Z');
    RoundTrip(*joined);
    (void)ParseStatusReport(*joined);
  }
  // The input as a text of its own: one that splits joins back.
  RoundTrip("JSR1:" + std::string(input));
  return 0;
}
