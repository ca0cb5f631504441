// App's sync: the background sync attached to the app (sync/background_sync.hpp), what arrives
// shown without a restart (a sync session, or another process such as shelterctl writing to the
// same data directory), the sync settings kept in the data directory, "sync now", and bundles
// carried on a USB stick (written and read on their own thread through the node's mutex).
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/private_file.hpp"
#include "core/ops/edit.hpp"
#include "sync/bundle.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

namespace {

constexpr int64_t kSyncPollMs = 1000;  // external writes and the sync screen's figures

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::string one;
  std::istringstream in(text);
  while (std::getline(in, one, ',')) {
    one.erase(0, one.find_first_not_of(" \t"));
    one.erase(one.find_last_not_of(" \t") + 1);
    if (!one.empty()) out.push_back(one);
  }
  return out;
}

bool SameFields(const std::vector<core::FieldWrite>& a, const std::vector<core::FieldWrite>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].field != b[i].field || !(a[i].value == b[i].value)) return false;
  return true;
}

// Staff changed something in the editor that is not saved yet.
bool Unsaved(const core::Household& edited, const core::Household& loaded) {
  if (!SameFields(core::HouseholdFields(edited), core::HouseholdFields(loaded))) return true;
  if (edited.members.size() != loaded.members.size()) return true;
  for (size_t i = 0; i < edited.members.size(); ++i)
    if (!SameFields(core::PersonFields(edited.members[i]), core::PersonFields(loaded.members[i])))
      return true;
  return false;
}

}  // namespace

void App::AttachSync(sync::BackgroundSync* bg, sync::StoreMutex* node_mutex,
                     std::string config_path) {
  sync_ = bg;
  node_mutex_ = node_mutex;
  sync_config_path_ = std::move(config_path);
  if (sync_) {
    sync_->SetLowPower(low_power_);
    sync.snap = sync_->Snapshot();
    seen_arrived_ = sync_->arrived();
  }
  if (auto v = node_.log().db().QueryInt("PRAGMA data_version"); v.ok() && *v) data_version_ = **v;
}

core::Result<sync::SyncConfig> LoadSyncConfig(const std::string& path, sync::SyncConfig base) {
  std::ifstream f(path);
  if (!f) return base;  // none saved yet: the defaults
  std::stringstream text;
  text << f.rdbuf();
  return sync::ParseSyncConfig(text.str(), base);
}

bool App::TickSync(int64_t now) {
  bool changed = false;
  if (sync_ && sync_->arrived() != seen_arrived_) {
    seen_arrived_ = sync_->arrived();
    OnArrived();
    changed = true;
  }
  if (now >= next_sync_poll_) {
    next_sync_poll_ = now + kSyncPollMs;
    // Another process (shelterctl) committed to log.db: apply what it stored.
    auto v = node_.log().db().QueryInt("PRAGMA data_version");
    if (v.ok() && *v && **v != data_version_) {
      data_version_ = **v;
      if (node_.keys_held() && node_.ApplyHeld().ok()) {
        OnArrived();
        changed = true;
      }
    }
    if (sync_) {
      auto snap = sync_->Snapshot();
      if (snap.sessions != sync.snap.sessions || snap.running != sync.snap.running ||
          screen_ == Screen::kSync)
        changed = true;
      sync.snap = std::move(snap);
      if (screen_ == Screen::kSync)  // read once a second while shown, not every frame
        if (auto inc = node_.log().Incidents(); inc.ok()) sync.incidents = std::move(*inc);
    }
  }
  if (sync.usb) {
    changed = true;  // progress
    if (sync.usb->result.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      UsbJob::Outcome o = sync.usb->result.get();
      std::string file = std::filesystem::path(sync.usb->file).filename().string();
      if (o.error) {
        sync.usb_result = std::string(T("sync.usb.failed")) + " (" + ErrorText(*o.error) + ")";
        sync.usb_error = true;
      } else if (sync.usb->is_export) {
        sync.usb_result = F("sync.usb.exported", {{"n", std::to_string(sync.usb->total)},
                                                  {"kb", std::to_string((o.bytes + 1023) / 1024)},
                                                  {"file", file}});
        sync.usb_error = false;
      } else {
        sync.usb_result =
            F("sync.usb.imported", {{"new", std::to_string(o.imported.segments_new)},
                                    {"dup", std::to_string(o.imported.segments_duplicate)},
                                    {"bad", std::to_string(o.imported.rejected)}});
        sync.usb_error = o.imported.rejected > 0;
      }
      sync.usb.reset();
      OnArrived();
    }
  }
  return changed;
}

void App::OnArrived() {
  if (!node_.session()) return;  // locked: the screens are re-read at the next login
  Refresh(/*local=*/false);
  if (!search.query.empty()) Search(search.query);
  if (!household.edited) return;
  // Staff may be typing: their copy stays, the members and conflicts are re-read, and the fields
  // another tablet changed meanwhile are marked (a save then makes a conflict, never an overwrite).
  bool editing = household.loaded && Unsaved(*household.edited, *household.loaded);
  if (!editing) {
    RefreshHousehold();
  } else {
    auto edited = *household.edited;
    auto loaded = *household.loaded;
    RefreshHousehold();
    household.edited = std::move(edited);
    household.loaded = std::move(loaded);
  }
  household.changed_elsewhere.clear();
  if (household.base) {
    std::vector<core::Id16> ids = {household.edited->id};
    for (auto& m : household.edited->members) ids.push_back(m.id);
    for (auto& id : ids)
      for (auto& f : core::ChangedSince(node_, *household.base, id))
        household.changed_elsewhere.push_back({id, f});
  }
}

void App::SyncNow() {
  if (!sync_) return Notify(T("sync.off"), true);
  sync_->Kick();
  Notify(T("sync.started"), false);
}

void App::SaveSyncSettings(bool enabled, const std::string& peers, const std::string& hq) {
  if (auto s = node_.Require({core::StaffRole::kLead, core::StaffRole::kAdmin}); !s.ok())
    return Notify(ErrorText(s.error()), true);
  if (!sync_) return Notify(T("sync.off"), true);
  sync::SyncConfig c = sync_->config();
  c.enabled = enabled;
  c.peers = SplitList(peers);
  auto hq_list = SplitList(hq);
  c.hq = hq_list.empty() ? "" : hq_list.front();
  // The same rules as the file: a bad address is refused here, not found at the next start.
  auto parsed = sync::ParseSyncConfig(sync::FormatSyncConfig(c), c);
  if (!parsed.ok() || hq_list.size() > 1) return Notify(T("sync.bad_address"), true);
  auto s = core::WritePrivateFile(sync_config_path_, core::View(sync::FormatSyncConfig(*parsed)));
  if (!s.ok()) return Notify(ErrorText(s.error()), true);
  sync_->Start(*parsed);
  sync.settings_open = false;
  Notify(T("sync.saved"), false);
}

void App::ScanSticks() { sync.sticks = platform::MountedSticks(); }

void App::StartUsbJob(bool is_export, const std::string& file) {
  if (sync.usb) return;
  if (!node_mutex_) return Notify(T("sync.off"), true);
  if (auto s =
          node_.Require({core::StaffRole::kStaff, core::StaffRole::kLead, core::StaffRole::kAdmin});
      !s.ok())
    return Notify(ErrorText(s.error()), true);
  auto job = std::make_unique<UsbJob>(node_, *node_mutex_);
  job->is_export = is_export;
  job->file = file;
  if (is_export)
    if (auto v = sync::VectorOf(node_.log()); v.ok())
      for (auto& [d, n] : *v) job->total += n;
  UsbJob* j = job.get();
  job->result = std::async(std::launch::async, [j] {
    UsbJob::Outcome o;
    if (j->is_export) {
      auto r = sync::WriteBundleFile(j->peer, j->file);
      if (r.ok())
        o.bytes = *r;
      else
        o.error = r.error();
    } else {
      auto r = sync::ImportBundleFile(j->peer, j->file);
      if (r.ok())
        o.imported = *r;
      else
        o.error = r.error();
    }
    return o;
  });
  sync.usb = std::move(job);
  sync.usb_result.clear();
}

void App::ExportToStick(const platform::Stick& stick) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(stick.path) / "shelterkit", ec);
  char stamp[32];
  std::time_t t = Now() / 1000;
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&t));
  StartUsbJob(true, stick.path + "/shelterkit/" + node_.device().label + "-" + stamp + ".skb");
}

void App::ImportFromStick(const std::string& file) { StartUsbJob(false, file); }

}  // namespace shelter::ui
