// The app's state and controller: the device's Node, the UI settings, the current screen, the
// shelter's data every screen shows (re-read after every change) and one state per screen
// (ui/*_state.hpp). Each user action is one method that calls one core function and keeps its
// result in that state; screens (ui/screens/) draw, edit their own state and call these. Widgets
// record their rectangles so an event script can press them like a finger would. UI thread only.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/formats/device_settings.hpp"
#include "core/model/entities.hpp"
#include "core/model/state.hpp"
#include "core/node/node.hpp"
#include "core/ops/facilities.hpp"
#include "core/ops/households.hpp"
#include "core/text/i18n.hpp"
#include "ui/assess_state.hpp"
#include "ui/cert_state.hpp"
#include "ui/devices.hpp"
#include "ui/fonts.hpp"
#include "ui/household_state.hpp"
#include "ui/kiosk_state.hpp"
#include "ui/login_state.hpp"
#include "ui/register_state.hpp"
#include "ui/report_state.hpp"
#include "ui/search_state.hpp"
#include "ui/stays_state.hpp"
#include "ui/sync_state.hpp"
#include "ui/theme.hpp"
#include "ui/verify_state.hpp"

namespace shelter::ui {

enum class Screen {
  kLogin,
  kDashboard,
  kRegister,
  kSearch,
  kHousehold,
  kNeeds,
  kPass,
  kSettings,
  kKiosk,
  kVerify,
  kSync,
  kReport,
  kCertificates,
  kAssessment
};

struct MarkRect {
  ImVec2 min, max;
  ImVec2 clip_min, clip_max;  // the visible part of the widget's window
  // The widget's window, or one around it, scrolls (with a scrollbar, a swipe or the wheel) in
  // that direction: a widget outside the visible part can be brought into view.
  bool scrolls_x = false, scrolls_y = false;
  float label_overflow = 0;  // px by which its label is wider than the widget (0: it fits)
};

struct Notice {
  std::string text;
  bool error = false;
  int64_t until_ms = 0;
};

class App;
class PreviewTexture;

// Another mode's screens drawn inside App's window instead of the staff screens (the HQ
// dashboard): App keeps the language, theme, fonts, marks and staff login; the mode adds its data
// and its timers.
class AppMode {
 public:
  virtual ~AppMode() = default;
  virtual void Draw(App& app) = 0;
  virtual bool Tick(App& app) = 0;  // true when a frame is due
  virtual int64_t NextWakeMs(const App& app) const = 0;
};

class App {
 public:
  using NowFn = int64_t (*)();
  App(core::Node& node, const core::Catalog& catalog, FontLoader& fonts, AppDevices& devices,
      NowFn now_ms);

  // --- frame ---------------------------------------------------------------------------------
  void Draw();                 // the whole UI for one ImGui frame
  bool Tick();                 // runs timers; true when something changed and a frame is due
  int64_t NextWakeMs() const;  // when the next timer fires (absolute ms)
  bool TakeFontRebuild();      // true once after the language, text scale or glyph set changed
  void AfterFirstFrame();      // bakes the glyphs held back for a fast first frame
  void SetMode(AppMode* mode) { mode_ = mode; }  // not owned; nullptr = the staff app
  const std::string& lang_code() const { return catalog_.languages()[lang_]; }
  const ThemeOptions& theme() const { return theme_; }
  ImFont* large_font() const { return fonts_.large(); }
  ImFont* heading_font() const { return fonts_.heading(); }
  int64_t Now() const { return now_ms_(); }

  // --- text ----------------------------------------------------------------------------------
  const char* T(std::string_view key) const { return catalog_.Text(lang_, key).c_str(); }
  std::string F(std::string_view key,
                std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    return catalog_.Format(lang_, key, args);
  }
  const core::Catalog& catalog() const { return catalog_; }
  int lang() const { return lang_; }
  std::string ErrorText(const core::Error& e) const;
  std::string CardText(const CardCheck& c) const;  // what the reader said, in the UI language
  const char* PlaceLabel(core::Place p) const;     // 車中泊, 在宅, ... (key place.<name>)
  void SeeText(const std::string& utf8);           // data shown or typed: bake its glyphs

  // --- widgets the script can find ------------------------------------------------------------
  void Mark(const std::string& id);  // the last ImGui item, under `id`
  // The same for an item in a table row that spans all columns: against the table's clip, not
  // the last column's.
  void MarkInCell(const std::string& id);
  // The label of the widget just marked `id` is `px` wider than the widget (layout audit).
  void MarkLabelOverflow(const std::string& id, float px);
  // Every mark of the last frame (the layout audit).
  const std::map<std::string, MarkRect>& marks() const { return last_marks_; }
  std::optional<MarkRect> FindMark(const std::string& id) const;
  void BeginFrame();

  // --- actions (one core call each) -----------------------------------------------------------
  void SetLanguage(int lang);
  void SetTheme(const ThemeOptions& t);
  void SetLowPower(bool on);
  // Device settings (ui/app_settings.cpp). UseSettingsFile loads those kept at `path` and applies
  // them (the default language too, unless `keep_language`: --lang was given); ChangeSettings, the
  // settings screen's one action, applies a change and keeps it there (core::SaveDeviceSettings).
  void UseSettingsFile(std::string path, bool keep_language);
  void ChangeSettings(const core::DeviceSettings& s);
  core::DeviceSettings settings() const;  // as in effect now, with the default language
  void Go(Screen s);
  void Login(const std::string& handle, const std::string& pin);
  void Logout();
  // core::ConfirmRegistration: a likely duplicate fills likely_duplicates and saves nothing;
  // `anyway` (after staff checked them) saves it still, when the role allows.
  void RegisterDraft(bool check_in, bool anyway = false);
  void OpenDuplicate(size_t i);  // drops the draft, opens the existing person's household
  void DismissDuplicates();      // back to the form
  void LoadPreRegistration(const std::string& qr_text);
  void CheckCard();                            // card_check: a card there? PIN tries left?
  void ReadCard(const std::string& card_pin);  // fills the draft; card_check says how it went
  void Search(const std::string& query);
  void CheckIn(const core::Id16& person, core::Place place = core::Place::kShelter);
  void CheckOut(const core::Id16& person);
  // Whereabouts (ui/app_stays.cpp). MoveTo: core::MoveTo, then the undo bar offers to undo it
  // for StaysState::kUndoMs (true when it was recorded); Undo: core::UndoMoves of what the bar
  // offers. PickPlace opens the place picker for a person (nullopt closes it); ShowPeople opens the
  // dashboard's list of the people a tile counts (nullopt closes it).
  bool MoveTo(const core::Id16& person, core::Place place);
  void Undo();
  void PickPlace(std::optional<core::Id16> person, PickerKind kind = PickerKind::kAll);
  void ShowPeople(std::optional<core::Whereabouts> where);
  void OpenHousehold(const core::Id16& household);
  void SavePerson(const core::Person& p);
  void SaveHousehold(const core::Household& h);
  // core::AddHouseholdMember: household.new_member into the open household (checked in when
  // household.new_check_in); its problems go to household.new_problems.
  void AddMember();
  void Resolve(const ConflictView& c, size_t chosen);
  void OpenPass(const core::Id16& person);  // the pass screen, for a member of the open household
  // One sheet with a pass for each (eight to an A4 page): a person's, or the whole household's.
  void PrintPasses(const std::vector<core::Person>& persons);
  void EnterKiosk();
  // Back to the welcome screen for the next resident, from every path (done, cancelled, timed
  // out, entering and leaving): the device's language, nothing scanned or typed kept.
  void KioskReset();
  void KioskScanned(const std::string& qr_text);
  void KioskConfirm();
  void KioskExit(const std::string& handle, const std::string& pin);
  void Notify(const std::string& text, bool error);
  // Certificate check (ui/app_verify.cpp): offline, with the lists this device holds.
  void VerifyText(const std::string& jdv1, VerifySource source);
  void VerifyFile(const std::string& path);
  // Wipes input and result; the file picker too unless `keep_picker` (the screen's Clear button:
  // the next file is often in the same folder). On leaving the screen everything goes.
  void ClearVerify(bool keep_picker = false);
  // The file picker (platform/file_browser): opens at the first start folder (a USB stick, else
  // home, else the data folder) or the folder it showed last; lists a folder; checks a file.
  void OpenFilePicker();
  void BrowseFolder(const std::string& path);
  void PickFile(const std::string& path);
  // Sync (ui/app_sync.cpp). The runner holds `node_mutex` while it ticks and draws; the
  // background sync takes it for each store call. `config_path` keeps the sync settings.
  void AttachSync(sync::BackgroundSync* bg, sync::StoreMutex* node_mutex, std::string config_path);
  void SyncNow();
  // Lead or admin: turns sync on or off and sets the peers and the HQ address (host:port),
  // saved in the data directory and applied at once.
  void SaveSyncSettings(bool enabled, const std::string& peers, const std::string& hq);
  void ScanSticks();
  void ExportToStick(const platform::Stick& stick);
  void ImportFromStick(const std::string& file);
  sync::BackgroundSync* background_sync() const { return sync_; }
  // Certificates of the open household (ui/app_certs.cpp). Every PDF is kept in the data folder
  // (AppDevices::keep_certificate), then printed when a printer is set up; refusals are core's.
  // OpenCertificates: the certificate screen with the household's certificates and the types
  // this device and account may issue. IssueStayCertificate: a 避難証明 issued, kept and shown.
  void OpenCertificates();
  void IssueStayCertificate();
  // The certificate screen's form: certs.type with certs.include_members (and, for 被災証明書,
  // certs.disaster and certs.damage_note).
  void IssueCertificateOfType(core::CertType type, bool include_members);
  void ShowCertificate(const std::string& serial);  // its QR and claims from the stored record
  // The shown certificate again, same serial and issue, re-rendered from its stored COSE.
  void PrintShownCertificate();
  void ReissueShownCertificate();                          // core::ReissueCertificate: issue + 1
  void RevokeShownCertificate(const std::string& reason);  // a kRevocationReasons code
  // The device's issuing key on the settings screen: ShowIssuingKey reads it; NewIssuingKey makes
  // a new one (core::CreateIssuingKey: a lead's, admin's or HQ account's only) replacing any older.
  void ShowIssuingKey();
  void NewIssuingKey();
  // Damage assessments of the open household (ui/app_assess.cpp): the history of surveys, and
  // assess.draft recorded as the next survey (core::RecordAssessment; core says who may).
  void OpenAssessment();
  void RecordSurvey();
  // The shelter lead or an admin saves this shelter's facilities (core refuses anyone else).
  core::Status SaveFacilities(const core::FacilitiesChange& c);
  void MakeReport();  // this shelter's signed JSR1 status report, for HQ (ui/app_report.cpp)

  // --- what the screens show -------------------------------------------------------------------
  core::Node& node() { return node_; }
  AppDevices& devices() { return devices_; }
  Screen screen() const { return screen_; }
  const core::ShelterInfo& shelter() const { return shelter_; }
  const core::ShelterCounts& counts() const { return counts_; }
  // This shelter's facilities and living-condition ratios (core/ops/facilities), refreshed with
  // the counts; nullopt on a device without a shelter.
  const std::optional<core::LivingConditions>& living() const { return living_; }
  // This shelter's people, refreshed after each change.
  const std::vector<core::PersonSummary>& roster() const { return roster_; }
  const std::optional<platform::PowerStatus>& power() const { return power_; }
  bool low_power() const { return low_power_; }
  int camera_fps() const { return camera_fps_; }
  // The camera's live picture while the kiosk waits for a pass (nullptr: none to show).
  const PreviewTexture* camera_preview() const;
  void SetPreviewTexture(PreviewTexture* t) {
    preview_ = t;
  }  // the runner's; not owned  // what the camera was last asked for; 0 = closed
  static constexpr int kCameraFps = 15;
  static constexpr int kCameraLowPowerFps = 5;
  const std::optional<Notice>& notice() const { return notice_; }

  // Each screen's (or flow's) own state; a screen reads and writes only its own (the data above
  // is App's to change).
  LoginState login;  // the login screen and the HQ mode's login form
  RegisterState registration;
  SearchState search;
  HouseholdState household;
  PassState pass;
  KioskState kiosk;
  VerifyState verify;           // certificate check
  SyncState sync;               // the sync screen
  ReportState report;           // the status report for HQ
  CertState certs;              // the certificate screen
  AssessState assess;           // the damage-assessment screen
  IssuingKeyState issuing_key;  // the settings screen's issuing key
  StaysState stays;             // undo bar, people lists, the place picker

  // Idle log out: a staff session ends after this long without a touch or a key (personal data
  // does not stay on an unattended screen). 0: never. The kiosk, used by residents, is exempt.
  static constexpr int64_t kIdleLogoutMs = 10 * 60'000;
  void SetIdleLogoutMs(int64_t ms) { idle_logout_ms_ = ms; }
  void NoteInput() { last_input_ms_ = Now(); }  // the runner and the event script call it

 private:
  // Re-reads counts and roster after a change; a local one is pushed to the peers at once.
  void Refresh(bool local = true);
  bool TickSync(int64_t now);  // what arrived, external writes, the USB job; true to redraw
  void OnArrived();            // re-reads the screens' data, keeping what staff are typing
  void StartUsbJob(bool is_export, const std::string& file);  // a bundle on its own thread
  void RefreshHousehold();
  void RefreshCertificates();
  void RefreshAssessments();
  void KeepShown(bool issued);  // the shown certificate's PDF kept (and printed); told in a notice
  void RefuseCert(const core::Error& e);
  void OfferUndo(std::vector<core::Id16> stays, const std::string& text);
  bool TickStays(int64_t now);  // the undo bar's time is up: true to redraw
  void TakeEditBase();
  // A refused save: the problems beside their fields, the English detail for staff, a short toast.
  void RefuseForm(
      FormProblems& form, const core::Error& e,
      std::vector<core::FieldProblem> list);  // what the household editor saw, for its next save
  void PollPower();
  bool TickKiosk(int64_t now);  // timeouts, scanned passes, the preview (ui/app_kiosk.cpp)
  int64_t KioskWakeMs() const;
  void PollCamera();
  void UpdateCamera();  // opens the camera while a scanning screen is open, at the mode's rate
  bool PollCard();      // the Card tab waiting for a card looks again every kCardPollMs

  core::Node& node_;
  const core::Catalog& catalog_;
  FontLoader& fonts_;
  AppDevices& devices_;
  NowFn now_ms_;
  AppMode* mode_ = nullptr;
  int lang_ = 0;
  ThemeOptions theme_;
  bool font_rebuild_ = true;
  Screen screen_ = Screen::kLogin;
  core::ShelterInfo shelter_;
  core::ShelterCounts counts_;
  std::optional<core::LivingConditions> living_;
  std::vector<core::PersonSummary> roster_;
  std::optional<platform::PowerStatus> power_;
  bool low_power_ = false;
  std::string settings_path_;     // empty: settings are not kept (tests, HQ)
  std::string default_language_;  // the settings screen's choice; "" = the catalog's first
  void ApplySettings(const core::DeviceSettings& s, bool language);
  int camera_fps_ = 0;
  PreviewTexture* preview_ = nullptr;
  uint64_t preview_seq_ = 0;  // the frame shown
  bool preview_fresh_ =
      false;  // a frame came since the last KioskReset (none of the last resident)
  int64_t next_preview_ms_ = 0;
  std::optional<Notice> notice_;
  int64_t idle_logout_ms_ = kIdleLogoutMs;
  int64_t next_power_poll_ = 0;
  int64_t last_input_ms_ = 0;
  bool IdleLogoutDue(int64_t now) const;
  int64_t next_card_poll_ = 0;
  static constexpr int64_t kCardPollMs = 1500;
  bool qr_polled_ = false;    // a screen polled the camera during this frame
  bool scan_screen_ = false;  // ... during the last frame drawn: a scanning screen is open
  std::map<std::string, MarkRect> marks_, last_marks_;
  sync::BackgroundSync* sync_ = nullptr;
  sync::StoreMutex* node_mutex_ = nullptr;
  std::string sync_config_path_;
  uint64_t seen_arrived_ = 0;
  int64_t data_version_ = 0;  // log.db's, to notice another process's commits
  int64_t next_sync_poll_ = 0;
};

// The sync settings saved in `path` over `base` (the defaults when there is no file yet).
core::Result<sync::SyncConfig> LoadSyncConfig(const std::string& path, sync::SyncConfig base);

// Staff type dates as they come (1985/3/2, 昭和60年3月2日, ...): reads them into YYYY-MM-DD; an
// unreadable date is left as typed, and validation then names the member and field.
void NormalizeDates(std::vector<core::Person>& members);

// Overwrites a typed secret (a PIN) before emptying it.
void Wipe(std::string& s);

// Short, stable text for a person's status ("in shelter", "out", ...) as a catalog key.
const char* StatusKey(const core::PersonSummary& p);
// The catalog key of a count class ("status.in_car", "status.left", ...).
const char* WhereaboutsKey(core::Whereabouts w);

}  // namespace shelter::ui
