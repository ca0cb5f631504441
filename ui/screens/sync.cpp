// Sync: how this tablet stands with HQ and each peer at a glance (last contact, in sync or how
// many segments apart, unreachable with the next try), sessions refused and incidents in words,
// "sync now", the sync settings (lead), and bundles on a USB stick with progress and the result.
#include <ctime>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

// "14:05 (3 min ago)" in the tablet's local time; "—" for never.
std::string When(App& app, int64_t at_ms) {
  if (at_ms <= 0) return app.T("sync.never");
  std::time_t t = at_ms / 1000;
  std::tm tm{};
  localtime_r(&t, &tm);
  char hhmm[16];
  std::strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
  int64_t mins = std::max<int64_t>(0, (app.Now() - at_ms) / 60'000);
  return std::string(hhmm) + " (" + app.F("sync.ago", {{"n", std::to_string(mins)}}) + ")";
}

std::string PeerState(App& app, const sync::PeerRow& r) {
  if (r.last_error && r.last_sync_ms == 0)
    return app.F("sync.unreachable", {{"t", When(app, r.next_try_ms).substr(0, 5)}});
  if (r.last_error)
    return app.F("sync.unreachable", {{"t", When(app, r.next_try_ms).substr(0, 5)}}) + " · " +
           app.F("sync.behind", {{"n", std::to_string(r.behind)}});
  if (r.last_contact_ms == 0) return app.T("sync.not_yet");
  if (r.in_sync) return app.T("sync.in_sync");
  return app.F("sync.behind", {{"n", std::to_string(r.behind)}});
}

const char* IncidentKey(const std::string& kind) {
  if (kind == "forged") return "sync.incident.forged";
  if (kind == "unknown-device") return "sync.incident.unknown";
  if (kind == "revoked-device") return "sync.incident.revoked";
  if (kind == "equivocation") return "sync.incident.equivocation";
  return "sync.incident.untrusted";
}

void DrawStatus(App& app, const sync::SyncSnapshot& s) {
  Palette pal = ColorsFor(app.theme());
  std::string line;
  bool bad = false;
  if (!app.background_sync()) {
    line = app.T("sync.off");
  } else if (!app.background_sync()->config().enabled) {
    line = app.T("sync.disabled");
  } else if (s.error) {
    line = std::string(app.T("sync.error")) + " (" + app.ErrorText({*s.error, ""}) + ")";
    bad = true;
  } else if (s.running) {
    line = app.F("sync.running", {{"port", std::to_string(s.port)}});
  } else {
    line = app.T("sync.starting");
  }
  if (s.discovery_failed) line += " · " + std::string(app.T("sync.no_discovery"));
  if (s.low_power) line += " · " + std::string(app.T("battery.low_power"));
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(bad ? pal.danger : pal.ok, "%s%s", bad ? "⚠ " : "● ", line.c_str());
  ImGui::PopTextWrapPos();
  app.Mark(s.running ? "sync.state.running" : "sync.state.stopped");
}

void DrawPeers(App& app, const sync::SyncSnapshot& s) {
  const sync::PeerRow* hq = nullptr;
  for (auto& r : s.peers)
    if (r.role == core::DeviceRole::kHq) hq = &r;
  std::string hq_addr = app.background_sync() ? app.background_sync()->config().hq : "";
  ImGui::TextUnformatted(app.T("sync.hq"));
  ImGui::Indent();
  if (!hq && hq_addr.empty()) {
    ImGui::TextDisabled("%s", app.T("sync.hq_none"));
  } else if (!hq || hq->last_sync_ms == 0) {
    ImGui::TextUnformatted((hq_addr + " · " + app.T("sync.not_yet")).c_str());
    if (hq && hq->last_error) ImGui::TextUnformatted(PeerState(app, *hq).c_str());
  } else {
    ImGui::TextUnformatted(
        (std::string(app.T("sync.last_success")) + ": " + When(app, hq->last_sync_ms)).c_str());
    ImGui::TextUnformatted(app.F("sync.hq_unacked", {{"n", std::to_string(hq->behind)}}).c_str());
    app.Mark("sync.hq.unacked=" + std::to_string(hq->behind));
    if (hq->last_error) ImGui::TextUnformatted(PeerState(app, *hq).c_str());
  }
  ImGui::Unindent();
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("sync.peers"));
  int shown = 0;
  if (ImGui::BeginTable("sync.peers", 3,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    for (auto& r : s.peers) {
      if (r.role == core::DeviceRole::kHq) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      std::string label = r.label.empty() ? r.address : r.label;
      ImGui::TextUnformatted(label.c_str());
      app.Mark("sync.peer." + std::to_string(shown));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(When(app, r.last_contact_ms).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(PeerState(app, r).c_str());
      if (r.in_sync) app.Mark("sync.peer." + std::to_string(shown) + ".in_sync");
      ++shown;
    }
    ImGui::EndTable();
  }
  if (shown == 0) ImGui::TextDisabled("%s", app.T("sync.no_peers"));
}

void DrawProblems(App& app, const sync::SyncSnapshot& s) {
  Palette pal = ColorsFor(app.theme());
  const auto& incidents = app.sync.incidents;
  size_t n_inc = incidents.size();
  if (s.refusals.empty() && n_inc == 0) return;
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("sync.problems"));
  ImGui::PushTextWrapPos(0);
  for (auto it = s.refusals.rbegin(); it != s.refusals.rend() && it - s.refusals.rbegin() < 5; ++it)
    ImGui::TextColored(pal.danger, "⚠ %s: %s", When(app, it->at_ms).c_str(),
                       app.ErrorText({it->code, ""}).c_str());
  for (size_t i = incidents.size(); i > 0 && incidents.size() - i < 5; --i) {
    const auto& inc = incidents[i - 1];
    ImGui::TextColored(pal.danger, "⚠ %s: %s (%s)", When(app, inc.at_ms).c_str(),
                       app.T(IncidentKey(inc.kind)), inc.device.Hex().substr(0, 8).c_str());
  }
  ImGui::PopTextWrapPos();
}

void DrawSettingsForm(App& app) {
  SyncState& st = app.sync;
  bool enabled = app.background_sync()->config().enabled;
  if (!st.settings_open) {
    if (Button(app, "sync.settings", app.T("sync.settings"))) {
      auto c = app.background_sync()->config();
      st.peers_text.clear();
      for (auto& p : c.peers) st.peers_text += (st.peers_text.empty() ? "" : ", ") + p;
      st.hq_text = c.hq;
      st.enabled_edit = enabled;
      st.settings_open = true;
    }
    return;
  }
  Checkbox(app, "sync.enabled", app.T("sync.enabled"), &st.enabled_edit);
  TextField(app, "sync.peers_field", app.T("sync.peers_field"), &st.peers_text);
  TextField(app, "sync.hq_field", app.T("sync.hq_field"), &st.hq_text);
  if (Button(app, "sync.save", app.T("action.save")))
    app.SaveSyncSettings(st.enabled_edit, st.peers_text, st.hq_text);
  ImGui::SameLine();
  if (Button(app, "sync.cancel", app.T("action.cancel"))) st.settings_open = false;
}

void DrawUsb(App& app) {
  SyncState& st = app.sync;
  Palette pal = ColorsFor(app.theme());
  ImGui::TextUnformatted(app.T("sync.usb"));
  if (st.usb) {
    uint64_t done = st.usb->is_export ? st.usb->peer.reads() : st.usb->peer.arrived();
    std::string what = st.usb->is_export
                           ? app.F("sync.usb.writing", {{"n", std::to_string(done)},
                                                        {"total", std::to_string(st.usb->total)}})
                           : app.F("sync.usb.reading", {{"n", std::to_string(done)}});
    float frac = st.usb->is_export && st.usb->total
                     ? static_cast<float>(done) / static_cast<float>(st.usb->total)
                     : -1.0f * static_cast<float>(ImGui::GetTime());
    ImGui::ProgressBar(frac < 0 ? 0.5f : frac, ImVec2(-1, 0), what.c_str());
    app.Mark("sync.usb.busy");
    return;
  }
  if (!st.usb_result.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(st.usb_error ? pal.danger : pal.ok, "%s%s", st.usb_error ? "⚠ " : "✓ ",
                       st.usb_result.c_str());
    ImGui::PopTextWrapPos();
    app.Mark(st.usb_error ? "sync.usb.failed" : "sync.usb.done");
  }
  if (Button(app, "sync.usb.scan", app.T("sync.usb.scan"))) app.ScanSticks();
  if (st.sticks.empty()) {
    ImGui::TextDisabled("%s", app.T("sync.usb.none"));
    return;
  }
  for (size_t i = 0; i < st.sticks.size(); ++i) {
    const auto& stick = st.sticks[i];
    std::string n = std::to_string(i);
    ImGui::TextUnformatted(("■ " + stick.label).c_str());
    ImGui::SameLine();
    if (Button(app, "sync.usb.export." + n, app.T("sync.usb.export"))) app.ExportToStick(stick);
    auto files = platform::BundlesOn(stick);
    for (size_t k = 0; k < files.size() && k < 5; ++k) {
      std::string name = files[k].substr(files[k].find_last_of('/') + 1);
      if (name.rfind(app.node().device().label + "-", 0) == 0) continue;  // our own export
      if (Button(app, "sync.usb.import." + n + "." + std::to_string(k),
                 app.F("sync.usb.import", {{"file", name}})))
        app.ImportFromStick(files[k]);
    }
  }
}

}  // namespace

void DrawSync(App& app) {
  Heading(app, app.T("sync.title"));
  const sync::SyncSnapshot& s = app.sync.snap;
  DrawStatus(app, s);
  if (Button(app, "sync.now", app.T("sync.now"))) app.SyncNow();
  ImGui::Spacing();
  DrawPeers(app, s);
  DrawProblems(app, s);
  ImGui::Spacing();
  ImGui::Separator();
  DrawUsb(app);
  ImGui::Spacing();
  ImGui::Separator();
  bool lead = app.node().session() && (app.node().session()->role == core::StaffRole::kLead ||
                                       app.node().session()->role == core::StaffRole::kAdmin);
  if (lead && app.background_sync()) DrawSettingsForm(app);
}

}  // namespace shelter::ui
