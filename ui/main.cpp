// shelter-app: the tablet app. main() builds the adapters (data directory, battery, fonts,
// translations, device seams) and hands them to App and the event loop.
//   shelter-app [--data DIR] [--lang ja] [--headless] [--script FILE] [--shots DIR]
//               [--size 1280x800] [--fullscreen | --window] [--dpi N] [--first-frame]
//               [--self-check] [--gpu]
// Without --size the window takes the whole screen of a tablet (up to 1366x800) and fills the
// screen, resizable, elsewhere; --dpi overrides the density the display reports (the layout is
// sized for 160 dpi and grows on denser screens).
//               [--camera DEV|FILE|DIR|none] [--printer NAME|none] [--idle-logout SECONDS]
// --idle-logout: end a staff session after this long without input (default 600; 0 never).
// --bench-motion N: once the script holds, time N synthetic pointer moves against an empty-frame
// anchor, print the figures and exit (tools/bench/app_bench.sh).
// --camera: a V4L2 device, an image file or a folder of images (shown to the camera in name
// order, over and over), or none; default the first /dev/video* there is, else none. A scripted
// run without --camera gets a test camera that sees what the script's `scan` says.
// --printer: where passes are printed with `lp` (default: the system's default printer); with
// none, or when there is no printer, passes are saved as PDF in DATA/passes. Certificates are
// always kept as PDF in DATA/certificates, and printed too unless none.
// Text size, contrast, power saving and the default language are kept in DATA/settings.conf
// (--lang wins for this run). Sync runs in the background (sync/background_sync.hpp) with the
// settings saved in DATA/sync.conf by the sync screen; for this run only: --sync off, --sync-port P
// (0: any),
// --peers H:P,..., --hq-address H:P, --no-discovery, --beacon-port P.
//   shelter-app --hq --data HQ_DIR [--db URL] ...   the HQ dashboard (ui/hq/) on an HQ device
// --self-check loads fonts and translations, reports every translated glyph that no font has and
// every missing translation key, and exits (non-zero when something is missing).
#include <SDL.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>

#include "core/log/login_only_materializer.hpp"
#include "core/node/node.hpp"
#include "core/ops/registration.hpp"
#include "core/text/i18n.hpp"
#include "platform/power.hpp"
#include "platform/printer.hpp"
#include "sync/background_sync.hpp"
#include "sync/node_peer.hpp"
#include "ui/app.hpp"
#include "ui/camera_choice.hpp"
#include "ui/card_device.hpp"
#include "ui/cert_output.hpp"
#include "ui/fonts.hpp"
#include "ui/hq/hq_dashboard.hpp"
#include "ui/pass_output.hpp"
#include "ui/qr_scanner.hpp"
#include "ui/runner.hpp"
#include "ui/script.hpp"

namespace {

using namespace shelter;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Translations and the font list. An installed shelter-app (PREFIX/bin) reads the packaged copy
// in PREFIX/share/shelterkit, found from its own path so any prefix works; one run from a build
// folder has none there and reads the source tree's, so a checkout works without installing and
// an install never depends on a checkout.
std::string AssetsDir() {
  if (const char* d = std::getenv("SHELTER_ASSETS")) return d;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = self.parent_path().parent_path() / "share" / "shelterkit";
    if (std::filesystem::exists(installed / "i18n" / "languages.json", ec)) return installed;
  }
  return std::string(SHELTER_SOURCE_DIR) + "/assets";
}

// Without --data: $XDG_DATA_HOME/shelterkit (~/.local/share/shelterkit), so a tablet's session
// starts the app with no arguments. Empty when neither variable is set.
std::string DefaultDataDir() {
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x == '/')
    return std::string(x) + "/shelterkit";
  if (const char* h = std::getenv("HOME"); h && *h == '/')
    return std::string(h) + "/.local/share/shelterkit";
  return {};
}

// The one description of the options: --help prints it, and the manual page is made from that
// output at build time (tools/package), so the two cannot drift.
constexpr const char* kHelp =
    "usage: shelter-app [--data DIR] [--lang CODE] [--headless] [--script FILE]\n"
    "                   [--shots DIR] [--size WxH] [--fullscreen | --window] [--dpi N]\n"
    "                   [--first-frame] [--self-check]\n"
    "                   [--gpu] [--camera DEV|FILE|DIR|none] [--printer NAME|none]\n"
    "                   [--idle-logout SECONDS] [--hq [--db URL]] [--bench-motion N]\n"
    "                   [--sync on|off] [--sync-port P] [--peers H:P,...]\n"
    "                   [--hq-address H:P] [--no-discovery] [--beacon-port P]\n"
    "The shelter tablet app: staff mode, the residents' kiosk and the HQ dashboard (--hq).\n"
    "  --data DIR           the device's data directory (default\n"
    "                       $XDG_DATA_HOME/shelterkit, ~/.local/share/shelterkit)\n"
    "  --lang CODE          UI language for this run (ja, en, ja-easy, zh-Hans, ko, vi)\n"
    "  --fullscreen         take the whole screen (a tablet's kiosk session)\n"
    "  --window             a window, whatever the screen\n"
    "  --size WxH           the window's size; --dpi N: the screen's density\n"
    "  --camera DEV|FILE|DIR|none   the QR camera (default: the first /dev/video*)\n"
    "  --printer NAME|none  where passes and certificates are printed with lp (none: PDF only)\n"
    "  --idle-logout SECONDS   end a staff session after this long idle (default 600)\n"
    "  --hq                 the HQ dashboard on an HQ device (--db URL: its database)\n"
    "  --sync on|off        sync with other tablets and HQ for this run (default on)\n"
    "  --sync-port P, --peers H:P,..., --hq-address H:P, --no-discovery, --beacon-port P\n"
    "                       sync settings for this run over DATA/sync.conf\n"
    "  --headless, --script FILE, --shots DIR, --first-frame, --bench-motion N, --gpu\n"
    "                       tests and benchmarks: offscreen, scripted, screenshots, timings\n"
    "  --self-check         check translations and glyph coverage, then exit\n"
    "  --version            the version; --help: this text\n";

int Usage() {
  std::fputs(kHelp, stderr);
  return 2;
}

std::string Hex(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

int SelfCheck(const core::Catalog& catalog, ui::FontLoader& fonts) {
  int bad = 0;
  for (const auto& k : catalog.MissingKeys()) {
    std::printf("missing translation %s\n", k.c_str());
    ++bad;
  }
  auto cps = catalog.Codepoints();
  for (char32_t c : core::DecodeUtf8(ui::kUiSymbols)) cps.push_back(c);
  for (const auto& lang : catalog.languages()) {
    for (char32_t c : fonts.Uncovered(cps, lang)) {
      std::printf("no glyph for %s (UI language %s)\n", Hex(c).c_str(), lang.c_str());
      ++bad;
    }
  }
  std::printf("%zu languages, %zu code points checked: %s\n", catalog.languages().size(),
              cps.size(), bad ? "FAIL" : "ok");
  return bad ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Everything this program writes may hold personal data: owner-only, whatever the caller's
  // umask (the library creates its files 0600 as well).
  ::umask(077);
  int64_t start_ms = SteadyMs();
  std::string data, lang, script_path, shots = ".", camera_arg, printer_arg;
  ui::RunnerOptions ro;
  ro.start_ms = start_ms;
  bool self_check = false;
  bool hq = false;
  std::string db_url, idle_logout;
  std::string sync_overrides;  // key=value lines over the saved sync settings
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--help") {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (a == "--version") {
      std::printf("shelter-app %s\n", SHELTER_VERSION);
      return 0;
    }
    if (a == "--data")
      data = value();
    else if (a == "--lang")
      lang = value();
    else if (a == "--headless")
      ro.headless = true;
    else if (a == "--gpu")
      ro.gpu = true;
    else if (a == "--script")
      script_path = value();
    else if (a == "--shots")
      shots = value();
    else if (a == "--first-frame")
      ro.report_first_frame = true;
    else if (a == "--bench-motion")
      ro.motion_events = std::atoi(value().c_str());
    else if (a == "--self-check")
      self_check = true;
    else if (a == "--camera")
      camera_arg = value();
    else if (a == "--printer")
      printer_arg = value();
    else if (a == "--hq")
      hq = true;
    else if (a == "--db")
      db_url = value();
    else if (a == "--idle-logout")
      idle_logout = value();
    else if (a == "--sync")
      sync_overrides += std::string("enabled=") + (value() == "off" ? "0" : "1") + "\n";
    else if (a == "--sync-port")
      sync_overrides += "port=" + value() + "\n";
    else if (a == "--peers")
      sync_overrides += "peers=" + value() + "\n";
    else if (a == "--hq-address")
      sync_overrides += "hq=" + value() + "\n";
    else if (a == "--beacon-port")
      sync_overrides += "beacon_port=" + value() + "\n";
    else if (a == "--no-discovery")
      sync_overrides += "discovery=0\n";
    else if (a == "--fullscreen")
      ro.window_mode = ui::WindowMode::kFullscreen;
    else if (a == "--window")
      ro.window_mode = ui::WindowMode::kWindow;
    else if (a == "--dpi") {
      ro.dpi = std::strtof(value().c_str(), nullptr);
      if (ro.dpi < 50 || ro.dpi > 1000) return Usage();
    } else if (a == "--size") {
      if (std::sscanf(value().c_str(), "%dx%d", &ro.width, &ro.height) != 2) return Usage();
    } else {
      return Usage();
    }
  }
  ro.shots_dir = shots;

  std::string assets = AssetsDir();
  auto catalog = core::Catalog::Load(assets + "/i18n");
  if (!catalog.ok()) {
    std::fprintf(stderr, "shelter-app: translations: %s\n", catalog.error().ToString().c_str());
    return 1;
  }
  auto fonts = ui::FontLoader::Open(assets + "/fonts.txt");
  if (!fonts.ok()) {
    std::fprintf(stderr, "shelter-app: fonts: %s\n", fonts.error().ToString().c_str());
    return 1;
  }
  if (self_check) {
    std::printf("assets: %s\n", assets.c_str());  // which copy was read (installed or source)
    return SelfCheck(*catalog, *fonts);
  }
  if (data.empty()) data = DefaultDataDir();
  if (data.empty()) return Usage();

  // HQ: staff logins only check PINs and roles; the dashboard reads the HQ tables.
  core::LoginOnlyMaterializer login_only;
  core::NodeOptions node_opts;
  if (hq) node_opts.materializer = &login_only;
  // A tablet commits many small edits a day: they are sealed into one segment when a peer asks.
  node_opts.seal_on_demand = !hq;
  auto node = core::Node::Open(data, node_opts);
  if (!node.ok()) {
    std::fprintf(stderr, "shelter-app: cannot open %s: %s\n", data.c_str(),
                 node.error().ToString().c_str());
    return 1;
  }

  if (std::getenv("SHELTER_APP_VERBOSE"))
    std::fprintf(stderr, "data open: %lld ms\n", static_cast<long long>(SteadyMs() - start_ms));
  std::optional<ui::Script> script;
  if (!script_path.empty()) {
    auto s = ui::Script::Load(script_path);
    if (!s.ok()) {
      std::fprintf(stderr, "shelter-app: %s\n", s.error().ToString().c_str());
      return 1;
    }
    script = std::move(*s);
  }

  ui::AppDevices devices;
  devices.power = platform::MakeSysfsPowerSource();
  devices.decode_prereg = [](std::string_view text) -> core::Result<core::Household> {
    SHELTER_ASSIGN_OR_RETURN(auto pre, core::DecodePreRegistration(text));
    return core::DraftFromPreRegistration(pre).household;
  };
  devices.check_card = &ui::CheckPcscCard;
  devices.read_card = &ui::ReadPcscCard;

  const bool verbose = std::getenv("SHELTER_APP_VERBOSE") != nullptr;
  std::unique_ptr<ui::QrScanner> scanner;
  if (script && camera_arg.empty()) {
    // A scripted run gets a test camera that "sees" what the script's `scan` says.
    devices.poll_qr = [&script]() { return script->TakeScan(); };
  } else if (auto camera = ui::ChooseCamera(camera_arg); !camera.ok()) {
    std::fprintf(stderr, "shelter-app: --camera: %s\n", camera.error().ToString().c_str());
    return 2;
  } else if (*camera) {
    ui::QrScannerOptions so;
    so.verbose = verbose;
    // The worker wakes the event loop when it has a code: SDL_PushEvent is thread-safe.
    auto wake = [] {
      SDL_Event e{};
      e.type = SDL_USEREVENT;
      SDL_PushEvent(&e);
    };
    scanner = std::make_unique<ui::QrScanner>(std::move(*camera), wake, so);
    devices.poll_qr = [s = scanner.get()] { return s->Poll(); };
    devices.set_camera_fps = [s = scanner.get()](int fps) { s->SetFps(fps); };
    devices.camera_failing = [s = scanner.get()] { return s->failing(); };
    devices.camera_preview = [s = scanner.get()](uint64_t seq) { return s->Preview(seq); };
  }

  ui::PassOutputOptions po;
  po.pdf_dir = data + "/passes";
  po.printer = printer_arg == "none" ? "" : printer_arg;
  po.use_printer = printer_arg != "none";
  ui::PassOutputDevice pass_output(**node, platform::MakeLpPrinter(), po);
  devices.print_pass = [&pass_output](const std::vector<core::Person>& p,
                                      const core::Household& h) { return pass_output.Print(p, h); };
  // Certificates are kept in DATA/certificates whether or not they print (never lost).
  ui::CertificateOutputOptions co;
  co.pdf_dir = data + "/certificates";
  co.printer = po.printer;
  co.use_printer = po.use_printer;
  ui::CertificateOutputDevice cert_output(platform::MakeLpPrinter(), co);
  devices.keep_certificate = [&cert_output](core::ByteView pdf, const std::string& name) {
    return cert_output.Keep(pdf, name);
  };

  // Glyphs baked for the first frame: translations, ASCII, kana, symbols; the common kanji
  // right after it; data glyphs as screens show them (App::SeeText).
  fonts->AddBase(catalog->Codepoints());
  std::vector<char32_t> ascii;
  for (char32_t c = 0x20; c < 0x7F; ++c) ascii.push_back(c);
  for (char32_t c = 0x3000; c < 0x3100; ++c) ascii.push_back(c);  // kana and CJK punctuation
  for (char32_t c : core::DecodeUtf8(ui::kUiSymbols)) ascii.push_back(c);
  fonts->AddBase(ascii);
  fonts->AddBodyOnlyDeferred(ui::JapaneseBaseCodepoints());

  ui::App app(**node, *catalog, *fonts, devices, &WallMs);
  app.UseSettingsFile(data + "/settings.conf", /*keep_language=*/!lang.empty());
  if (!lang.empty()) app.SetLanguage(catalog->IndexOf(lang));
  if (!idle_logout.empty()) {
    char* end = nullptr;
    double s = std::strtod(idle_logout.c_str(), &end);
    if (end == idle_logout.c_str() || *end || s < 0) return Usage();
    app.SetIdleLogoutMs(static_cast<int64_t>(s * 1000));
  }
  // Background sync (not on the HQ dashboard: `shelter-hq serve` syncs HQ).
  sync::StoreMutex node_mutex;
  sync::NodePeer node_peer(**node);
  std::unique_ptr<sync::BackgroundSync> background;
  if (!hq) {
    std::string conf = data + "/sync.conf";
    auto saved = ui::LoadSyncConfig(conf, sync::SyncConfig{});
    auto config = saved.ok() ? sync::ParseSyncConfig(sync_overrides, *saved) : saved;
    if (!config.ok()) {
      std::fprintf(stderr, "shelter-app: %s\n", config.error().ToString().c_str());
      return 2;
    }
    background = std::make_unique<sync::BackgroundSync>(node_peer, node_mutex, &WallMs);
    background->SetOnArrival([] {
      SDL_Event e{};
      e.type = SDL_USEREVENT;
      SDL_PushEvent(&e);  // thread-safe: wakes the event loop to show what arrived
    });
    background->Start(*config);
    app.AttachSync(background.get(), &node_mutex, conf);
    ro.node_mutex = &node_mutex;
  }
  std::unique_ptr<ui::HqDashboard> dashboard;
  if (hq) {
    auto role = (*node)->device().role;
    auto d = role == core::DeviceRole::kHq || role == core::DeviceRole::kAdmin
                 ? ui::HqDashboard::Open(db_url.empty() ? data + "/hq.db" : db_url)
                 : core::MakeError(core::ErrorCode::kPermissionDenied, "not an HQ device");
    if (!d.ok()) {
      std::fprintf(stderr, "shelter-app: HQ database: %s\n", d.error().ToString().c_str());
      return 1;
    }
    dashboard = std::move(*d);
    app.SetMode(dashboard.get());
  }
  int rc = ui::RunApp(app, *fonts, script ? &*script : nullptr, ro);
  if (background) background->Stop();  // before the node it syncs goes away
  scanner.reset();                     // stops the camera thread before the app it wakes goes away
  platform::ReleaseRenderCaches();     // passes and certificates drawn with cairo: leave no cache
  return rc;
}
