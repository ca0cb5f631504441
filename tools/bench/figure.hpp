// One measured figure of a benchmark, printed as one tab-separated line that tools/bench/all
// gathers into its table (the shell benchmarks print the same line with printf):
//   figure <TAB> name <TAB> value <TAB> unit <TAB> anchor <TAB> ratio <TAB> target <TAB> verdict
// `anchor` is the same work measured in the same run without shelterkit's part ("-" when the target
// is absolute); `ratio` is value / anchor; `verdict` is met, missed or info. Header-only.
#pragma once

#include <cstdio>
#include <string>
#include <utility>

namespace shelter::bench {

struct Figure {
  std::string name;    // what was measured, e.g. "kana search p99"
  double value;        // in `unit`
  std::string unit;    // "ms", "x", "MB", "%", "B"
  double anchor;       // in `unit`; < 0: no anchor
  std::string target;  // as the design states it, e.g. "<= 1 ms", "<= 2x anchor"; "" for info
  bool met;
};

// A figure held to a target; `anchor` < 0 when the target is absolute.
inline Figure Target(std::string name, double value, std::string unit, double anchor,
                     std::string target, bool met) {
  return {std::move(name), value, std::move(unit), anchor, std::move(target), met};
}
// A figure shown for context, with no target.
inline Figure Info(std::string name, double value, std::string unit, double anchor = -1) {
  return {std::move(name), value, std::move(unit), anchor, "", true};
}

inline void PrintFigure(const Figure& f) {
  char anchor[32] = "-", ratio[32] = "-";
  if (f.anchor >= 0) {
    std::snprintf(anchor, sizeof anchor, "%.3f", f.anchor);
    if (f.anchor > 0) std::snprintf(ratio, sizeof ratio, "%.2f", f.value / f.anchor);
  }
  const bool info = f.target.empty();
  std::printf("figure\t%s\t%.3f\t%s\t%s\t%s\t%s\t%s\n", f.name.c_str(), f.value, f.unit.c_str(),
              anchor, ratio, info ? "-" : f.target.c_str(),
              info ? "info" : (f.met ? "met" : "missed"));
}

}  // namespace shelter::bench
