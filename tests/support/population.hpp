// A seeded generator of evacuees for duplicate-detection tests and benchmarks: households with
// Japanese names (kanji with readings) and addresses across several shelters, people re-registered
// at another shelter with spelling variants (the duplicates to find), and look-alikes that are
// different people (namesakes with another birth date, twins, a son named after his father).
// Also scores a detector's pairs against the known truth. Pure functions; no doctest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/duplicates.hpp"
#include "core/model.hpp"
#include "core/node.hpp"

namespace shelter::test {

struct PopulationOptions {
  uint64_t seed = 20261123;
  size_t records = 10000;  // person records in total, duplicates included
  int shelters = 4;
  double duplicate_share = 0.05;  // share of the records that re-register someone
  double namesake_share = 0.02;   // share that are a namesake of someone (another birth date)
};

struct GeneratedHousehold {
  core::Household household;  // ids set; register as they are
  int shelter = 0;            // 0 .. shelters-1
};

struct Population {
  std::vector<GeneratedHousehold> households;
  std::map<core::Id16, uint32_t> human;        // person record -> the human it describes
  std::map<core::Id16, std::string> variants;  // duplicate record -> variants applied
  size_t records = 0, duplicates = 0, namesakes = 0, twin_pairs = 0, juniors = 0;
  std::map<std::string, size_t> variant_counts;  // how often each variant was applied
};

Population GeneratePopulation(const PopulationOptions& opts);

// Creates the population's shelters on a logged-in admin node (enrolling one tablet per shelter
// under `scratch_dir`, which gives the admin each shelter's scope key) and registers every
// household at its shelter. Returns the shelter ids.
core::Result<std::vector<core::Id16>> RegisterPopulation(core::Node& admin, const Population& pop,
                                                         int shelters,
                                                         const std::string& scratch_dir);

struct DuplicateQuality {
  size_t true_pairs = 0, reported = 0, tp = 0, fp = 0, fn = 0;
  double precision = 0, recall = 0;
  std::map<std::string, size_t> missed_by_variant;  // FN pairs counted under each variant
  std::map<std::string, size_t> fp_by_reason;       // FP pairs counted under each reason
};

// Scores reported pairs (FindAllDuplicates) against the population's truth.
DuplicateQuality MeasureDuplicates(const Population& pop,
                                   const std::vector<core::DuplicateCandidate>& reported);

}  // namespace shelter::test
