// The fuzz targets in every build, without libFuzzer: runs a target's seed corpus and then a fixed
// number of deterministic mutations of each seed (bit flips, byte changes, truncations,
// duplications, splices), so each parser's fuzz target is compiled and exercised by ctest (under
// the sanitizers in CI) and a crash found once is found again. Exit status 1 names the input that
// broke; a target that traps or a sanitizer report fails the test as well.
//   replay CORPUS_DIR [MUTATIONS_PER_SEED]
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

constexpr size_t kMaxInput = 1 << 20;  // seeds are small; a larger file is a mistake

struct Rng {  // xorshift64*: the same mutations on every run and every machine
  uint64_t s = 0x9E3779B97F4A7C15ull;
  uint64_t Next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1Dull;
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
};

std::vector<uint8_t> Mutate(const std::vector<uint8_t>& seed, const std::vector<uint8_t>& other,
                            Rng& rng) {
  std::vector<uint8_t> m = seed;
  int steps = 1 + static_cast<int>(rng.Below(4));
  for (int i = 0; i < steps; ++i) {
    switch (rng.Below(6)) {
      case 0:  // flip one bit
        if (!m.empty()) m[rng.Below(m.size())] ^= static_cast<uint8_t>(1u << rng.Below(8));
        break;
      case 1:  // an interesting byte
        if (!m.empty()) {
          static constexpr uint8_t kBytes[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x18,
                                               0x1b, 0x5f, 0x9f, 0xbf, 0xd2, ':'};
          m[rng.Below(m.size())] = kBytes[rng.Below(sizeof kBytes)];
        }
        break;
      case 2:  // truncate
        m.resize(rng.Below(m.size() + 1));
        break;
      case 3:  // duplicate a run
        if (!m.empty() && m.size() < kMaxInput / 2) {
          size_t at = rng.Below(m.size());
          size_t len = 1 + rng.Below(std::min<size_t>(64, m.size() - at));
          std::vector<uint8_t> run(m.begin() + at, m.begin() + at + len);
          m.insert(m.begin() + rng.Below(m.size() + 1), run.begin(), run.end());
        }
        break;
      case 4:  // delete a run
        if (!m.empty()) {
          size_t at = rng.Below(m.size());
          size_t len = 1 + rng.Below(std::min<size_t>(32, m.size() - at));
          m.erase(m.begin() + at, m.begin() + at + len);
        }
        break;
      default:  // splice in the tail of another seed
        if (!other.empty()) {
          size_t cut = rng.Below(m.size() + 1);
          size_t from = rng.Below(other.size());
          m.resize(cut);
          m.insert(m.end(), other.begin() + from, other.end());
        }
        break;
    }
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS_PER_SEED]\n", argv[0]);
    return 2;
  }
  const long mutations = argc > 2 ? std::atol(argv[2]) : 200;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(argv[1], ec))
    if (e.is_regular_file()) files.push_back(e.path());
  if (ec || files.empty()) {
    std::fprintf(stderr, "no seeds in %s: a fuzz target needs a corpus\n", argv[1]);
    return 1;
  }
  std::sort(files.begin(), files.end());
  std::vector<std::vector<uint8_t>> seeds;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (b.size() > kMaxInput) {
      std::fprintf(stderr, "seed %s is over %zu bytes\n", f.filename().c_str(), kMaxInput);
      return 1;
    }
    seeds.push_back(std::move(b));
  }
  // The empty input, each seed, then its mutations.
  LLVMFuzzerTestOneInput(nullptr, 0);
  Rng rng;
  long runs = 1;
  for (size_t i = 0; i < seeds.size(); ++i) {
    LLVMFuzzerTestOneInput(seeds[i].data(), seeds[i].size());
    ++runs;
    const auto& other = seeds[(i + 1) % seeds.size()];
    for (long k = 0; k < mutations; ++k) {
      std::vector<uint8_t> m = Mutate(seeds[i], other, rng);
      LLVMFuzzerTestOneInput(m.data(), m.size());
      ++runs;
    }
  }
  std::printf("%zu seeds, %ld inputs, no crash\n", seeds.size(), runs);
  return 0;
}
