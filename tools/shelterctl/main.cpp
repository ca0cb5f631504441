// shelterctl: the IT staff's and scripts' command line. Every command takes --data DIR and
// --json; errors are one line on stderr and a non-zero exit. PINs come from stdin or --pin-fd.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "tools/shelterctl/cli.hpp"

namespace {

using namespace shelter::tools;

struct Entry {
  const char* verb;
  const char* sub;  // nullptr: no sub-command
  Command fn;
  const char* help;
};

constexpr Entry kCommands[] = {
    {"init", nullptr, CmdInit, "init --code 131016 --name 千代田区 [--admin HANDLE]  (new admin PIN on stdin)"},
    {"shelter", "import", CmdShelterImport, "shelter import FILE.csv  (GSI or open-data CSV; UTF-8 or Shift_JIS)"},
    {"shelter", "list", CmdShelterList, "shelter list"},
    {"device", "enroll", CmdDeviceEnroll, "device enroll --shelter ID --to DIR [--role tablet|kiosk|hq] [--label L] [--lead HANDLE]  (stdin: admin PIN, new lead PIN)"},
    {"staff", "add", CmdStaffAdd, "staff add --handle H --role staff|lead|kiosk|admin|hq  (stdin: your PIN, new PIN)"},
    {"staff", "list", CmdStaffList, "staff list"},
    {"register", nullptr, CmdRegister, "register [FILE|-] [--shelter ID] [--checkin]  (stdin: PIN, then the household JSON if FILE is -)"},
    {"search", nullptr, CmdSearch, "search QUERY  (kana, kanji or birth date)"},
    {"checkin", nullptr, CmdCheckin, "checkin PERSON_ID [--place shelter|home|car|tent|relatives|welfare_shelter]"},
    {"checkout", nullptr, CmdCheckout, "checkout PERSON_ID"},
    {"roster", nullptr, CmdRoster, "roster [--shelter ID]"},
    {"counts", nullptr, CmdCounts, "counts [--shelter ID]"},
    {"household", nullptr, CmdHousehold, "household ID"},
    {"export", nullptr, CmdExport, "export --csv [--bom] [-o FILE] [--shelter ID]"},
    {"status", nullptr, CmdStatus, "status  (device, log and incident summary; no login needed)"},
    {"sync", nullptr, CmdSync, "sync --peer HOST:PORT [--timeout S]  (one session with a peer)"},
    {"serve", nullptr, CmdServe, "serve --listen PORT [--bind ADDR] [--peers H:P,...] [--hq H:P] [--peer-interval S] [--discover [--beacon-interval S] [--beacon-port P]] [--sessions N] [--timeout S]  (a long-running peer)"},
    {"device", "revoke", CmdDeviceRevoke, "device revoke DEVICE_ID  (admin: revoke and rotate the shelter key)"},
    {"bundle", "export", CmdBundleExport, "bundle export FILE  (the log, for a USB stick)"},
    {"bundle", "import", CmdBundleImport, "bundle import FILE"},
};

void Usage() {
  std::fprintf(stderr, "usage: shelterctl --data DIR [--json] [--staff HANDLE] [--pin-fd N] COMMAND ...\n");
  for (auto& e : kCommands) std::fprintf(stderr, "  %s\n", e.help);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
    Usage();
    return argc < 2 ? 2 : 0;
  }
  auto args = ParseArgs(argc, argv, 1);
  if (!args.ok()) {
    std::fprintf(stderr, "error: %s\n", args.error().detail.c_str());
    return 2;
  }
  Context ctx;
  ctx.args = *args;
  auto& pos = ctx.args.positional;
  const Entry* found = nullptr;
  for (auto& e : kCommands) {
    if (pos.empty() || pos[0] != e.verb) continue;
    if (e.sub && (pos.size() < 2 || pos[1] != e.sub)) continue;
    found = &e;
    break;
  }
  if (!found) {
    std::fprintf(stderr, "error: unknown command%s%s (see shelterctl --help)\n",
                 pos.empty() ? "" : " ", pos.empty() ? "" : pos[0].c_str());
    return 2;
  }
  pos.erase(pos.begin(), pos.begin() + (found->sub ? 2 : 1));
  ctx.json = ctx.args.Flag("json");
  auto data = ctx.args.Opt("data");
  if (!data || data->empty()) {
    std::fprintf(stderr, "error: missing --data DIR\n");
    return 2;
  }
  ctx.data_dir = *data;
  std::optional<int> pin_fd;
  if (auto fd = ctx.args.Opt("pin-fd")) {
    try {
      pin_fd = std::stoi(*fd);
    } catch (...) {
      std::fprintf(stderr, "error: --pin-fd needs a file descriptor number\n");
      return 2;
    }
  }
  ctx.secrets = SecretInput(pin_fd);
  // Tests may lower the Argon2id cost for new PINs; the stored parameters always govern logins.
  if (const char* fast = std::getenv("SHELTER_TEST_FAST_KDF"); fast && *fast == '1')
    ctx.node_options.pwhash = shelter::core::crypto::PwHashParams::ForTests();
  else
    ctx.node_options.pwhash = shelter::core::crypto::PwHashParams::Interactive();

  shelter::core::Status s = found->fn(ctx);
  if (!s.ok()) {
    if (ctx.json)
      std::cout << json{{"error", s.error().detail}, {"code", shelter::core::ErrorCodeName(s.error().code)}}.dump() << "\n";
    std::fprintf(stderr, "error: %s\n", s.error().detail.c_str());
    return 1;
  }
  return 0;
}
