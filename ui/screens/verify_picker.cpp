// The verify screen's file picker panel: start-folder buttons (USB sticks, home, data folder),
// the folder shown with a way up, and one finger-sized row per folder or certificate file (files
// with their size). Rows are clipped (ImGuiListClipper): a folder of thousands costs what a
// screenful does.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

std::string SizeText(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024)
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B", bytes);
  else if (bytes < 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.0f KB", static_cast<double>(bytes) / 1024);
  else
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024 * 1024));
  return buf;
}

std::string StartLabel(App& app, const platform::StartFolder& s) {
  switch (s.kind) {
    case platform::StartFolderKind::kRemovable:
      return app.F("verify.pick.removable", {{"label", s.label}});
    case platform::StartFolderKind::kHome: return app.T("verify.pick.home");
    case platform::StartFolderKind::kData: return app.T("verify.pick.data");
  }
  return s.path;
}

bool Within(const std::string& path, const std::string& root) {
  return path.compare(0, root.size(), root) == 0 &&
         (path.size() == root.size() || path[root.size()] == '/' || root == "/");
}

void Rows(App& app, const platform::FolderListing& l) {
  const float row_h = TouchPx(app.theme());
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(l.entries.size()), row_h + ImGui::GetStyle().ItemSpacing.y);
  // Taps change the listing: act after the loop, not on entries that are gone.
  const platform::FolderEntry* tapped = nullptr;
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const platform::FolderEntry& e = l.entries[static_cast<size_t>(i)];
      std::string label = e.is_folder ? app.F("verify.pick.folder", {{"name", e.name}}) : e.name;
      ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
      if (Button(app, "verify.pick.entry." + e.name, label, -1, row_h)) tapped = &e;
      ImGui::PopStyleVar();
      if (!e.is_folder) {
        // The size right-aligned inside the row, drawn over the button.
        ImVec2 max = ImGui::GetItemRectMax();
        std::string size = SizeText(e.size);
        float w = ImGui::CalcTextSize(size.c_str()).x;
        ImGui::GetWindowDrawList()->AddText(ImVec2(max.x - ImGui::GetStyle().FramePadding.x - w,
                                                   max.y - (row_h + ImGui::GetFontSize()) / 2),
                                            ImGui::GetColorU32(ImGuiCol_TextDisabled),
                                            size.c_str());
      }
    }
  }
  clipper.End();
  if (!tapped) return;
  if (tapped->is_folder) {
    app.BrowseFolder(tapped->path);
  } else {
    app.PickFile(tapped->path);
  }
}

}  // namespace

void DrawVerifyPicker(App& app) {
  Palette pal = ColorsFor(app.theme());
  FilePickerState& p = app.verify.picker;
  ImGui::TextUnformatted(app.T("verify.pick.title"));
  app.Mark("verify.pick");
  if (p.reveal) {
    ImGui::SetScrollHereY(0.0f);  // the panel opens below the fold on a short screen
    p.reveal = false;
  }
  const std::string shown = p.listing ? p.listing->path : std::string();
  for (size_t i = 0; i < p.starts.size(); ++i) {
    const platform::StartFolder& s = p.starts[i];
    std::string label = StartLabel(app, s);
    FlowNext(ImGui::CalcTextSize(label.c_str()).x + TouchPx(app.theme()));
    if (Toggle(app, "verify.pick.start." + std::to_string(i), label, Within(shown, s.path)))
      app.BrowseFolder(s.path);
  }
  std::string close = "✕ " + std::string(app.T("verify.pick.close"));
  FlowNext(ImGui::CalcTextSize(close.c_str()).x + TouchPx(app.theme()));
  if (Button(app, "verify.pick.close", close)) {
    p.open = false;
    return;
  }
  if (!p.error.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(pal.danger, "⚠ %s", p.error.c_str());
    ImGui::PopTextWrapPos();
    app.Mark("verify.pick.error");
  }
  if (!p.listing) return;
  const platform::FolderListing& l = *p.listing;
  ImGui::BeginDisabled(l.parent.empty());
  bool up = Button(app, "verify.pick.up", app.T("verify.pick.up"));
  ImGui::EndDisabled();
  if (up) {
    std::string parent = l.parent;  // BrowseFolder replaces the listing
    return app.BrowseFolder(parent);
  }
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(pal.muted, "%s", l.path.c_str());
  if (l.entries.empty()) ImGui::TextColored(pal.muted, "%s", app.T("verify.pick.empty"));
  if (l.truncated)
    ImGui::TextColored(
        pal.warn, "⚠ %s",
        app.F("verify.pick.truncated", {{"n", std::to_string(l.entries.size())}}).c_str());
  // At least five rows tall; the verify screen scrolls around it when the window is short.
  float rows_h = std::max(ImGui::GetContentRegionAvail().y, 5.5f * TouchPx(app.theme()));
  ImGui::BeginChild("verify.pick.rows", ImVec2(0, rows_h), true);
  if (p.scroll_top) {
    ImGui::SetScrollY(0);
    p.scroll_top = false;
  }
  Rows(app, l);
  ImGui::EndChild();
}

}  // namespace shelter::ui
