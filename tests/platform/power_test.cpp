// Specifies platform/power (power_sysfs).
// Tests for the sysfs PowerSource against fake /sys/class/power_supply trees in a temp dir.
#include "platform/power.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <utility>

namespace shelter::platform {
namespace {

namespace fs = std::filesystem;

using Attributes = std::initializer_list<std::pair<const char*, const char*>>;

// A throwaway power_supply directory. Values get the kernel's trailing newline.
class FakeSysfs {
 public:
  FakeSysfs() {
    std::random_device random;
    for (;;) {
      root_ = fs::temp_directory_path() / ("shelter-power-" + std::to_string(random()));
      if (fs::create_directory(root_)) break;
    }
  }
  ~FakeSysfs() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  FakeSysfs(const FakeSysfs&) = delete;
  FakeSysfs& operator=(const FakeSysfs&) = delete;

  void Add(const std::string& supply, Attributes attributes, const char* newline = "\n") {
    fs::create_directories(root_ / supply);
    for (const auto& [name, value] : attributes) {
      std::ofstream(root_ / supply / name) << value << newline;
    }
  }
  std::string root() const { return root_.string(); }
  PowerStatus Read() const {
    core::Result<PowerStatus> status = MakeSysfsPowerSource(root())->Read();
    REQUIRE(status.ok());
    return *status;
  }

 private:
  fs::path root_;
};

TEST_CASE("one battery discharging, charger unplugged") {
  FakeSysfs sys;
  sys.Add("AC", {{"type", "Mains"}, {"online", "0"}});
  sys.Add("BAT0",
          {{"type", "Battery"}, {"present", "1"}, {"capacity", "76"}, {"status", "Discharging"}});
  const PowerStatus status = sys.Read();
  CHECK(status.present);
  CHECK(status.percent == 76);
  CHECK_FALSE(status.on_ac);
  CHECK_FALSE(status.charging);
}

TEST_CASE("one battery charging on mains") {
  FakeSysfs sys;
  sys.Add("AC", {{"type", "Mains"}, {"online", "1"}});
  sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "40"}, {"status", "Charging"}});
  const PowerStatus status = sys.Read();
  CHECK(status.percent == 40);
  CHECK(status.on_ac);
  CHECK(status.charging);
}

TEST_CASE("a full or charge-limited battery on mains is on AC but not charging") {
  for (const char* battery_status : {"Full", "Not charging"}) {
    CAPTURE(std::string(battery_status));
    FakeSysfs sys;
    sys.Add("ADP1", {{"type", "Mains"}, {"online", "1"}});
    sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "100"}, {"status", battery_status}});
    const PowerStatus status = sys.Read();
    CHECK(status.on_ac);
    CHECK_FALSE(status.charging);
  }
}

TEST_CASE("a USB charger counts as AC, online 2 (programmable) is online") {
  FakeSysfs sys;
  sys.Add("usb", {{"type", "USB"}, {"online", "2"}});
  sys.Add("battery", {{"type", "Battery"}, {"capacity", "55"}, {"status", "Charging"}});
  CHECK(sys.Read().on_ac);
}

TEST_CASE("two batteries average weighted by energy_full") {
  FakeSysfs sys;
  sys.Add(
      "BAT0",
      {{"type", "Battery"}, {"capacity", "100"}, {"energy_full", "10000000"}, {"status", "Full"}});
  sys.Add("BAT1", {{"type", "Battery"},
                   {"capacity", "40"},
                   {"energy_full", "30000000"},
                   {"status", "Charging"}});
  const PowerStatus status = sys.Read();
  CHECK(status.percent == 55);  // (100 * 10 + 40 * 30) / 40
  CHECK(status.charging);       // one of them charges
}

TEST_CASE("two batteries without a common energy_full average plainly") {
  FakeSysfs sys;
  SUBCASE("neither reports it") {
    sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "100"}});
    sys.Add("BAT1", {{"type", "Battery"}, {"capacity", "40"}});
  }
  SUBCASE("only one reports it") {
    sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "100"}, {"energy_full", "10000000"}});
    sys.Add("BAT1", {{"type", "Battery"}, {"capacity", "40"}});
  }
  CHECK(sys.Read().percent == 70);
}

TEST_CASE("batteries reporting only charge_full are weighted by it") {
  FakeSysfs sys;
  sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "80"}, {"charge_full", "1000000"}});
  sys.Add("BAT1", {{"type", "Battery"}, {"capacity", "20"}, {"charge_full", "3000000"}});
  CHECK(sys.Read().percent == 35);  // (80 + 20 * 3) / 4
}

TEST_CASE("a battery without a readable percent does not drag the average") {
  FakeSysfs sys;
  sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "64"}});
  sys.Add("BAT1", {{"type", "Battery"}, {"capacity", "n/a"}});
  CHECK(sys.Read().percent == 64);
}

TEST_CASE("mains only: no battery present, percent unknown") {
  FakeSysfs sys;
  sys.Add("AC", {{"type", "Mains"}, {"online", "1"}});
  const PowerStatus status = sys.Read();
  CHECK_FALSE(status.present);
  CHECK(status.percent == std::nullopt);
  CHECK(status.on_ac);
  CHECK_FALSE(status.charging);
}

TEST_CASE("an empty power_supply directory means no battery, running on external power") {
  FakeSysfs sys;
  const PowerStatus status = sys.Read();
  CHECK_FALSE(status.present);
  CHECK(status.percent == std::nullopt);
  CHECK(status.on_ac);
}

TEST_CASE("garbage values make fields unknown, never wrong") {
  FakeSysfs sys;
  SUBCASE("capacity not a number, out of range, negative, empty, or trailing junk") {
    for (const char* capacity : {"abc", "150", "-3", "", "12abc", "0x20", "99999999999999999999"}) {
      CAPTURE(std::string(capacity));
      FakeSysfs one;
      one.Add("BAT0", {{"type", "Battery"}, {"capacity", capacity}, {"status", "Discharging"}});
      const PowerStatus status = one.Read();
      CHECK(status.present);
      CHECK(status.percent == std::nullopt);
    }
  }
  SUBCASE("unknown status is not charging and does not imply a charger") {
    sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "30"}, {"status", "Exploding"}});
    const PowerStatus status = sys.Read();
    CHECK_FALSE(status.charging);
    CHECK_FALSE(status.on_ac);
  }
  SUBCASE("a charger whose online is garbage is ignored") {
    sys.Add("AC", {{"type", "Mains"}, {"online", "yes"}});
    sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "30"}, {"status", "Discharging"}});
    CHECK_FALSE(sys.Read().on_ac);
  }
  SUBCASE("binary junk in every file") {
    sys.Add("junk", {{"type", "\x01\xff\x00"}, {"online", "\xfe"}});
    sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "\x7f\x80"}, {"status", "\xff"}});
    const PowerStatus status = sys.Read();
    CHECK(status.present);
    CHECK(status.percent == std::nullopt);
    CHECK_FALSE(status.charging);
  }
  SUBCASE("values with odd whitespace still parse") {
    sys.Add("BAT0", {{"type", " Battery"}, {"capacity", "\t55 "}}, "\r\n");
    CHECK(sys.Read().percent == 55);
  }
}

TEST_CASE("without a capacity file the percent comes from energy or charge counters") {
  FakeSysfs sys;
  SUBCASE("energy") {
    sys.Add("BAT0", {{"type", "Battery"}, {"energy_now", "25000000"}, {"energy_full", "50000000"}});
    CHECK(sys.Read().percent == 50);
  }
  SUBCASE("charge, when capacity is garbage") {
    sys.Add("BAT0", {{"type", "Battery"},
                     {"capacity", "???"},
                     {"charge_now", "1500000"},
                     {"charge_full", "2000000"}});
    CHECK(sys.Read().percent == 75);
  }
  SUBCASE("now above full after recalibration reads 100, full of zero is unknown") {
    sys.Add("BAT0", {{"type", "Battery"}, {"energy_now", "51000000"}, {"energy_full", "50000000"}});
    sys.Add("BAT1", {{"type", "Battery"}, {"energy_now", "5"}, {"energy_full", "0"}});
    CHECK(sys.Read().percent == 100);
  }
}

TEST_CASE("peripheral batteries (scope Device), empty bays and other supplies are ignored") {
  FakeSysfs sys;
  sys.Add("wacom_battery_0",
          {{"type", "Battery"}, {"scope", "Device"}, {"capacity", "5"}, {"status", "Charging"}});
  sys.Add("BAT1", {{"type", "Battery"}, {"present", "0"}, {"capacity", "0"}});
  sys.Add("ups", {{"type", "UPS"}, {"online", "1"}, {"capacity", "10"}});
  sys.Add("no_type", {{"capacity", "10"}});
  std::ofstream(fs::path(sys.root()) / "stray_file") << "Battery\n";
  sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "80"}, {"status", "Discharging"}});
  const PowerStatus status = sys.Read();
  CHECK(status.present);
  CHECK(status.percent == 80);
  CHECK_FALSE(status.charging);
  CHECK_FALSE(status.on_ac);
}

TEST_CASE("a tablet listing only its battery: the battery's status tells about the charger") {
  FakeSysfs sys;
  sys.Add("battery", {{"type", "Battery"}, {"capacity", "61"}, {"status", "Charging"}});
  CHECK(sys.Read().on_ac);
}

TEST_CASE("a charger that says offline wins over a battery that says Full") {
  FakeSysfs sys;
  sys.Add("AC", {{"type", "Mains"}, {"online", "0"}});
  sys.Add("BAT0", {{"type", "Battery"}, {"capacity", "100"}, {"status", "Full"}});
  CHECK_FALSE(sys.Read().on_ac);
}

TEST_CASE("a missing or non-directory root is kNotFound and names the path") {
  FakeSysfs sys;
  SUBCASE("missing") {
    const std::string root = sys.root() + "/does-not-exist";
    const core::Result<PowerStatus> status = MakeSysfsPowerSource(root)->Read();
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == core::ErrorCode::kNotFound);
    CHECK(status.error().detail.find(root) != std::string::npos);
  }
  SUBCASE("a file") {
    const std::string root = sys.root() + "/file";
    std::ofstream(root) << "x";
    const core::Result<PowerStatus> status = MakeSysfsPowerSource(root)->Read();
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == core::ErrorCode::kNotFound);
  }
}

TEST_CASE("the real /sys/class/power_supply reads or reports kNotFound") {
  const core::Result<PowerStatus> status = MakeSysfsPowerSource()->Read();
  if (!status.ok()) {
    CHECK(status.error().code == core::ErrorCode::kNotFound);
  } else if (status->percent) {
    CHECK(*status->percent >= 0);
    CHECK(*status->percent <= 100);
  }
}

}  // namespace
}  // namespace shelter::platform
