// shelter-bench dupes: duplicate detection quality and speed on a generated population (the
// same seeded generator the tests use): precision, recall, TP/FP/FN, misses by variant kind,
// false positives by reason, and the time of FindAllDuplicates against reading the whole roster.
// Usage: shelter-bench dupes [--records N] [--scale N] [--seed S]
//   --records  population for the quality figures (default 10000)
//   --scale    a second, larger population timed as well (default 100000; 0 skips it)
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/crypto.hpp"
#include "core/model/state.hpp"
#include "core/node/node.hpp"
#include "core/ops/duplicates.hpp"
#include "tools/bench/figure.hpp"
#include "tools/fixtures/population.hpp"

namespace shelter::bench {
namespace {

using namespace shelter::core;
using Clock = std::chrono::steady_clock;

// CPU time of this process: the figure that does not depend on what else the machine runs.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "shelter-bench: %s failed: %s\n", what, r.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * v.size()));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

std::string Counts(const std::map<std::string, size_t>& m) {
  std::vector<std::pair<size_t, std::string>> v;
  for (auto& [k, n] : m) v.push_back({n, k});
  std::sort(v.rbegin(), v.rend());
  std::string out;
  for (auto& [n, k] : v) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(n);
  return out.empty() ? "-" : out;
}

struct Run {
  test::DuplicateQuality q;
  double find_all_ms = 0, roster_ms = 0;
  size_t records = 0;
};

Run Measure(const std::string& dir, size_t records, uint64_t seed, bool details) {
  test::PopulationOptions opts;
  opts.records = records;
  opts.seed = seed;
  auto t0 = Clock::now();
  test::Population pop = test::GeneratePopulation(opts);
  const double gen_ms = MsSince(t0);

  NodeOptions nopts;
  nopts.pwhash = crypto::PwHashParams::ForTests();
  auto admin =
      Check(Node::InitMunicipality(dir + "/admin", "042129", "石巻市", "admin", "1234", nopts),
            "InitMunicipality");
  t0 = Clock::now();
  Check(test::RegisterPopulation(*admin, pop, opts.shelters, dir), "RegisterPopulation");
  const double reg_ms = MsSince(t0);
  State& state = admin->state();

  Run run;
  run.records = pop.records;
  double best_roster = 1e300, best_find = 1e300, best_find_cpu = 1e300;
  std::vector<DuplicateCandidate> found;
  for (int i = 0; i < 3; ++i) {
    t0 = Clock::now();
    auto roster = Check(state.Roster(Id16{}), "Roster");
    best_roster = std::min(best_roster, MsSince(t0));
    if (roster.size() != pop.records) {
      std::fprintf(stderr, "shelter-bench: roster has %zu of %zu persons\n", roster.size(),
                   pop.records);
      std::exit(1);
    }
    t0 = Clock::now();
    const double cpu0 = CpuMs();
    found = Check(FindAllDuplicates(state), "FindAllDuplicates");
    best_find_cpu = std::min(best_find_cpu, CpuMs() - cpu0);
    best_find = std::min(best_find, MsSince(t0));
  }
  run.q = test::MeasureDuplicates(pop, found);
  run.find_all_ms = best_find;
  run.roster_ms = best_roster;

  std::printf(
      "    %zu records in %zu households at %d shelters (seed %llu; generated in %.0f ms, "
      "registered with check-in in %.0f ms)\n",
      pop.records, pop.households.size(), opts.shelters, static_cast<unsigned long long>(seed),
      gen_ms, reg_ms);
  std::printf(
      "    injected: %zu duplicate records, %zu namesakes (other birth date), %zu twin pairs, "
      "%zu sons named after their father\n",
      pop.duplicates, pop.namesakes, pop.twin_pairs, pop.juniors);
  if (details) std::printf("    variants applied: %s\n", Counts(pop.variant_counts).c_str());
  std::printf("    FindAllDuplicates       %.1f ms  (best of 3; %.1f ms CPU)\n", best_find,
              best_find_cpu);
  std::printf("    anchor: Roster(all)     %.1f ms  (reading every person once)\n", best_roster);
  std::printf("    ratio                   %.2fx\n", best_find / best_roster);
  std::printf("    true pairs %zu  reported %zu  TP %zu  FP %zu  FN %zu\n", run.q.true_pairs,
              run.q.reported, run.q.tp, run.q.fp, run.q.fn);
  std::printf("    precision %.4f  recall %.4f\n", run.q.precision, run.q.recall);
  std::printf("    missed pairs by variant: %s\n", Counts(run.q.missed_by_variant).c_str());
  std::printf("    false positives by reason: %s\n", Counts(run.q.fp_by_reason).c_str());
  if (details) {
    // The registration screen: one person's candidates.
    std::vector<double> ms;
    size_t hits = 0, n = 0;
    for (auto it = pop.human.begin(); it != pop.human.end() && n < 500; ++it, ++n) {
      if (n % 7) continue;
      auto q0 = Clock::now();
      hits += Check(FindDuplicatesOf(state, it->first), "FindDuplicatesOf").size();
      ms.push_back(MsSince(q0));
    }
    std::printf(
        "    FindDuplicatesOf (registration screen), n=%zu: p50 %.3f ms  p99 %.3f ms  "
        "(%zu candidates)\n",
        ms.size(), Pct(ms, 50), Pct(ms, 99), hits);
  }
  return run;
}

}  // namespace

int RunDupesBench(int argc, char** argv) {
  size_t records = 10000, scale = 100000;
  uint64_t seed = 20261123;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    const unsigned long long v = std::strtoull(argv[i + 1], nullptr, 10);
    if (opt == "--records")
      records = v;
    else if (opt == "--scale")
      scale = v;
    else if (opt == "--seed")
      seed = v;
    else {
      std::fprintf(stderr, "usage: shelter-bench dupes [--records N] [--scale N] [--seed S]\n");
      return 2;
    }
  }
  char tmpl[] = "/tmp/shelter-bench-dupes-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string root = tmpl;
  std::printf("shelter-bench dupes  (data under %s)\n\n", root.c_str());
  std::printf("[D1] duplicate detection quality\n");
  Run q = Measure(root + "/quality", records, seed, true);
  Run s;
  if (scale > 0) {
    std::printf("\n[D2] scale\n");
    s = Measure(root + "/scale", scale, seed + 1, false);
  }
  std::printf("\n%-44s %-10s %14s %s\n", "summary", "target", "measured", "verdict");
  auto row = [](const char* what, const char* target, double value, const char* unit, bool ok) {
    std::printf("%-44s %-10s %10.3f %-3s %s\n", what, target, value, unit, ok ? "ok" : "MISSED");
  };
  row("precision", ">= 0.95", q.q.precision, "", q.q.precision >= 0.95);
  row("recall", ">= 0.90", q.q.recall, "", q.q.recall >= 0.90);
  if (scale > 0)
    row("FindAllDuplicates, scale run", "<= 10 s", s.find_all_ms / 1000, "s",
        s.find_all_ms <= 10000);
  PrintFigure(
      Target("duplicates precision", q.q.precision, "", -1, ">= 0.95", q.q.precision >= 0.95));
  PrintFigure(Target("duplicates recall", q.q.recall, "", -1, ">= 0.90", q.q.recall >= 0.90));
  if (scale > 0)
    PrintFigure(Target("find all duplicates (" + std::to_string(scale) + " people)", s.find_all_ms,
                       "ms", s.roster_ms, "<= 10000 ms", s.find_all_ms <= 10000));
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
  return 0;
}

}  // namespace shelter::bench
