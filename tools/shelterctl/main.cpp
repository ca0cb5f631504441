// shelterctl: the IT staff's and scripts' command line. Every command takes --data DIR and
// --json; errors are one line on stderr and a non-zero exit. PINs come from stdin or --pin-fd.
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <utility>

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
    {"init", nullptr, CmdInit,
     "init --code 131016 --name 千代田区 [--admin HANDLE]  (new admin PIN on stdin)"},
    {"shelter", "import", CmdShelterImport,
     "shelter import FILE.csv  (GSI or open-data CSV; UTF-8 or Shift_JIS)"},
    {"shelter", "list", CmdShelterList,
     "shelter list  (status is open when opened or anyone is in it)"},
    {"shelter", "set", CmdShelterSet,
     "shelter set ID|共通ID --capacity N  (lead or admin; 想定収容人数, 0 = unknown)"},
    {"shelter", "open", CmdShelterOpen, "shelter open ID|共通ID  (lead or admin: 開設)"},
    {"shelter", "close", CmdShelterClose, "shelter close ID|共通ID  (lead or admin)"},
    {"shelter", "facilities", CmdShelterFacilities,
     "shelter facilities set [--shelter ID] [--toilets-women N] [--toilets-men N] "
     "[--toilets-accessible N] [--baths N] [--floor-m2 N] [--beds N] [--power grid|generator|none] "
     "[--water mains|tank|none]  (lead or admin)\n"
     "  shelter facilities show [--shelter ID]  (the facilities and the living-condition ratios "
     "against the Sphere figures, with alarms)"},
    {"device", "enroll", CmdDeviceEnroll,
     "device enroll --shelter ID --to DIR [--role tablet|kiosk|hq] [--label L] [--lead HANDLE]  "
     "(stdin: admin PIN, new lead PIN)"},
    {"staff", "add", CmdStaffAdd,
     "staff add --handle H --role staff|lead|kiosk|admin|hq|certifier  (stdin: your PIN, new PIN)"},
    {"staff", "list", CmdStaffList, "staff list"},
    {"register", nullptr, CmdRegister,
     "register [FILE|-] [--shelter ID] [--checkin] [--anyway]  (household JSON or a JPR1 code; "
     "refuses likely duplicates unless --anyway; stdin: PIN, then the input if FILE is -)"},
    {"register", nullptr, CmdRegister,
     "register --kana KANA [--name 氏名] [--dob DATE] [--checkin]  (the quick manual path)"},
    {"prereg", "show", CmdPreregShow,
     "prereg show TEXT|-  (decode a resident's JPR1 code; no --data needed)"},
    {"pass", "issue", CmdPassIssue, "pass issue PERSON_ID  (a new signed JSP1 pass)"},
    {"pass", "sheet", CmdPassSheet,
     "pass sheet --household ID -o FILE.pdf|FILE.png [--dpi 300]  (a new pass for every member, "
     "eight to an A4 page, with name, kana, birth date, shelter and issue date)"},
    {"pass", "verify", CmdPassVerify,
     "pass verify TEXT|-  (checks the signature against known devices; no login)"},
    {"search", nullptr, CmdSearch, "search QUERY  (kana, kanji or birth date)"},
    {"checkin", nullptr, CmdCheckin,
     "checkin PERSON_ID [--place shelter|home|car|tent|relatives|welfare_shelter]  (the "
     "stay id is printed)"},
    {"checkout", nullptr, CmdCheckout, "checkout PERSON_ID  (out for the day, 外出)"},
    {"move", nullptr, CmdMove,
     "move PERSON_ID --to shelter|car|home|tent|relatives|welfare_shelter|out_day|overnight|left  "
     "(車中泊, 在宅, 外出, 外泊, 退所, ...)"},
    {"undo", nullptr, CmdUndo,
     "undo PERSON_ID | undo --stay STAY_ID  (the person's last check-in/out, or that one; kept "
     "in the log as an undo event)"},
    {"roster", nullptr, CmdRoster, "roster [--shelter ID]"},
    {"counts", nullptr, CmdCounts, "counts [--shelter ID]"},
    {"report", nullptr, CmdReport,
     "report [--shelter ID] [--parts] [-o FILE.png]  (the signed JSR1 status report for HQ: text, "
     "SMS parts of <= 160 characters, or a QR image; --json adds the counts)"},
    {"household", "edit", CmdHouseholdEdit,
     "household edit ID --set FIELD=VALUE ...  (addr, residence, phone, vehicle, damage, note; "
     "writes only what changes)"},
    {"household", nullptr, CmdHousehold, "household ID"},
    {"person", "edit", CmdPersonEdit,
     "person edit ID --set FIELD=VALUE ...  (name, kana, dob, sex, rel, nat, lang, phone, note, "
     "needs, allergies, care, evac_support, c_family, c_acq, c_public, c_third; writes only what "
     "changes)"},
    {"conflicts", nullptr, CmdConflicts,
     "conflicts  (every conflicted field: record, field, each value with its device and time)"},
    {"resolve", nullptr, CmdResolve,
     "resolve RECORD_ID FIELD --keep N  (keep value N of `conflicts`)"},
    {"export", nullptr, CmdExport, "export --csv [--bom] [-o FILE] [--shelter ID]"},
    {"status", nullptr, CmdStatus, "status  (device, log and incident summary; no login needed)"},
    {"card", "status", CmdCardStatus,
     "card status [--wait S]  (My Number Card: reader and PIN tries left; no PIN, no --data)"},
    {"card", "read", CmdCardRead,
     "card read [--wait S]  (PIN tries left on stderr, then the card PIN on stdin; prints name, "
     "address, birth_date, sex; no --data)"},
    {"disaster", "add", CmdDisasterAdd,
     "disaster add --name 令和7年8月の大雨 --date 2025-08-10 [--kind "
     "earthquake|tsunami|flood|typhoon|landslide|volcano|fire|other]"},
    {"disaster", "list", CmdDisasterList, "disaster list"},
    {"assess", "history", CmdAssessHistory, "assess history HOUSEHOLD_ID"},
    {"assess", nullptr, CmdAssess,
     "assess HOUSEHOLD_ID --disaster ID|NAME --level "
     "zenkai|daikibo_hankai|chukibo_hankai|hankai|jun_hankai|below_jun_hankai [--flood "
     "above_floor|below_floor] [--stage first|second|resurvey] [--date D] [--site ADDRESS] "
     "[--surveyor S] [--note N]"},
    {"cert", "key-new", CmdCertKeyNew,
     "cert key-new  (new issuing key on this device; prints its public key)"},
    {"trust", "add", CmdTrustAdd,
     "trust add --key HEX --types risai,hisai,hinan [--label L] [--title 千代田区長] [--days 365 | "
     "--from DATE --until DATE]  (admin device; the title is signed into the key's certificates)"},
    {"trust", "retitle", CmdTrustRetitle,
     "trust retitle --kid HEX --title T  (admin device: a new trust list version; certificates "
     "signed under the old title stop verifying)"},
    {"trust", "withdraw", CmdTrustWithdraw, "trust withdraw --kid HEX  (admin device)"},
    {"municipality", "set", CmdMunicipalitySet,
     "municipality set --verify-url URL  (admin device: the verifier page certificates print; it "
     "travels in the trust list)"},
    {"trust", "export", CmdTrustExport,
     "trust export -o FILE [--text]  (the signed trust list, or its JTL1: QR text; no login "
     "needed)"},
    {"trust", "publish-status", CmdTrustPublishStatus,
     "trust publish-status [-o FILE [--text]]  (signed revocation list, or its JSL1: QR text; "
     "travels by sync; admin device)"},
    {"trust", "import", CmdTrustImport,
     "trust import FILE  (a signed trust or status list; no login needed)"},
    {"trust", "show", CmdTrustShow,
     "trust show  (keys, titles, verify URL, root public key; no login needed)"},
    {"cert", "issue", CmdCertIssue,
     "cert issue --type risai|hisai|hinan --household ID [--disaster ID|NAME] [--note TEXT] "
     "[--members] [-o FILE.pdf [--print]]  (the issuer title comes from the trust list)"},
    {"cert", "reissue", CmdCertReissue, "cert reissue SERIAL [-o FILE.pdf] [--print]"},
    {"cert", "revoke", CmdCertRevoke,
     "cert revoke SERIAL --reason error|duplicate|superseded|withdrawn|fraud"},
    {"cert", "list", CmdCertList, "cert list"},
    {"cert", "verify", CmdCertVerify,
     "cert verify JDV1:...|FILE.txt|FILE.png|FILE.jpg|FILE.pgm|FILE.pdf [--trust FILE --root HEX "
     "[--status FILE]]  (no login; with --trust no --data)"},
    {"qr", "encode", CmdQrEncode,
     "qr encode TEXT -o FILE.png [--ecc L|M|Q|H] [--scale PX_PER_MODULE]  (no --data)"},
    {"qr", "decode", CmdQrDecode,
     "qr decode IMAGE... [--fast]  (PNG, JPEG, PGM; one text per line; --fast reads as the "
     "camera reads most frames; no --data)"},
    {"qr", "sheet", CmdQrSheet,
     "qr sheet TEXT... -o sheet.png|sheet.pdf [--label L] [--names 'NAME1|NAME2'] [--ecc Q] "
     "[--dpi 300]  (A4 pass sheet; refuses a text its code would not carry unchanged; no --data)"},
    {"dupes", nullptr, CmdDupes, "dupes [--person ID]  (possible duplicate persons, with reasons)"},
    {"merge", nullptr, CmdMerge,
     "merge KEEP_ID DUP_ID  (lead or admin: DUP_ID becomes part of KEEP_ID)"},
    {"unmerge", nullptr, CmdUnmerge, "unmerge PERSON_ID  (lead or admin: undo a merge)"},
    {"sync", nullptr, CmdSync, "sync --peer HOST:PORT [--timeout S]  (one session with a peer)"},
    {"serve", nullptr, CmdServe,
     "serve --listen PORT [--bind ADDR] [--peers H:P,...] [--hq H:P] [--peer-interval S] "
     "[--discover [--beacon-interval S] [--beacon-port P]] [--sessions N] [--timeout S]  (a "
     "long-running peer)"},
    {"device", "revoke", CmdDeviceRevoke,
     "device revoke DEVICE_ID|PREFIX  (admin: revoke and rotate the shelter key)"},
    {"device", "list", CmdDeviceList,
     "device list  (enrolled devices known here: id, label, shelter, role, active|revoked)"},
    {"bundle", "export", CmdBundleExport, "bundle export FILE  (the log, for a USB stick)"},
    {"bundle", "import", CmdBundleImport, "bundle import FILE"},
};

// Commands that work on their input alone, without a data directory.
constexpr const char* kNoDataVerbs[] = {"prereg", "card", "qr"};
// Commands that may run without one and say themselves what they need instead.
constexpr std::pair<const char*, const char*> kDataOptional[] = {{"cert", "verify"}};

// The one description of the commands: --help prints it, and the manual page and the bash
// completion are made from that output at build time (tools/package), so none of them can drift.
void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: shelterctl --data DIR [--json] [--staff HANDLE] [--pin-fd N] COMMAND ...\n"
               "Provisioning, registration, certificates and sync from the command line.\n"
               "  --data DIR      the device's data directory\n"
               "  --json          machine-readable output (errors too)\n"
               "  --staff HANDLE  the account to log in as\n"
               "  --pin-fd N      read PINs from file descriptor N instead of stdin\n"
               "  --version       the version; --help: this text\n"
               "Commands:\n");
  for (auto& e : kCommands) std::fprintf(out, "  %s\n", e.help);
}

}  // namespace

int main(int argc, char** argv) {
  // Everything this program writes may hold personal data: owner-only, whatever the caller's
  // umask (the library creates its files 0600 as well).
  ::umask(077);
  if (argc < 2) {
    Usage(stderr);
    return 2;
  }
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
    Usage(stdout);
    return 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("shelterctl %s\n", SHELTER_VERSION);
    return 0;
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
  bool needs_data = true;
  for (const char* verb : kNoDataVerbs)
    if (found->verb == std::string_view(verb)) needs_data = false;
  for (auto [verb, sub] : kDataOptional)
    if (found->verb == std::string_view(verb) && found->sub && found->sub == std::string_view(sub))
      needs_data = false;
  if (needs_data && (!data || data->empty())) {
    std::fprintf(stderr, "error: missing --data DIR\n");
    return 2;
  }
  ctx.data_dir = data.value_or("");
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
      std::cout << json{{"error", s.error().detail},
                        {"code", shelter::core::ErrorCodeName(s.error().code)}}
                       .dump()
                << "\n";
    std::fprintf(stderr, "error: %s\n", s.error().detail.c_str());
    return 1;
  }
  return 0;
}
