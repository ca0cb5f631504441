#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>

#include <imgui_internal.h>
#include <imgui_stdlib.h>

namespace shelter::ui {

float ButtonWidth(App& app, const std::string& label) {
  return std::max(ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x,
                  TouchPx(app.theme()) * 1.6f);
}

Grid::Grid(float min_w, int max_cols) {
  float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  cols_ = std::max(1, max_cols);
  while (cols_ > 1 && (avail - gap * static_cast<float>(cols_ - 1)) / cols_ < min_w) --cols_;
  cell_w_ = (avail - gap * static_cast<float>(cols_ - 1)) / cols_;
}

void Grid::Next() {
  if (i_++ % cols_ != 0) ImGui::SameLine();
}

bool Button(App& app, const std::string& id, const std::string& label, float w, float h) {
  h = std::max(h, TouchPx(app.theme()));
  if (w == 0)
    w = std::max(ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x,
                 h * 1.6f);
  if (w < 0) w = ImGui::GetContentRegionAvail().x;
  bool pressed = ImGui::Button((label + "##" + id).c_str(), ImVec2(w, h));
  app.Mark(id);
  // ImGui clips a label wider than its button: the layout audit reports it.
  float need = ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x;
  if (need > w) app.MarkLabelOverflow(id, need - w);
  return pressed;
}

bool Toggle(App& app, const std::string& id, const std::string& label, bool on, float w) {
  if (on) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 3.0f);
  }
  bool pressed = Button(app, id, (on ? "✓ " : "") + label, w);
  if (on) {
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
  }
  return pressed;
}

bool BeyondBmp(const std::string& utf8) {
  return std::any_of(utf8.begin(), utf8.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
}

bool TextField(App& app, const std::string& id, const char* label, std::string* value, float w,
               ImGuiInputTextFlags flags) {
  if (BeyondBmp(*value)) flags |= ImGuiInputTextFlags_ReadOnly;
  ImGui::BeginGroup();
  // A field placed with SameLine() next to another must not inherit its text baseline.
  ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset = 0.0f;
  if (w < 0) w = ImGui::GetContentRegionAvail().x;
  // A long label wraps at the field's width: it never makes the field's group wider.
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
  ImGui::TextUnformatted(label);
  ImGui::PopTextWrapPos();
  ImGui::SetNextItemWidth(w);
  // Taller frame: the field is a touch target too.
  float pad =
      std::max(ImGui::GetStyle().FramePadding.y, (TouchPx(app.theme()) - ImGui::GetFontSize()) / 2);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x, pad));
  bool changed = ImGui::InputText(("##" + id).c_str(), value, flags);
  ImGui::PopStyleVar();
  app.Mark(id);
  ImGui::EndGroup();
  if (changed) app.SeeText(*value);
  return changed;
}

float CountTileMinWidth(const char* label, const char* icon) {
  std::string text = std::string(icon) + " " + label;
  return ImGui::CalcTextSize(text.c_str()).x + 2 * ImGui::GetStyle().WindowPadding.x + 2;
}

bool CountTile(App& app, const std::string& id, const char* label, int64_t value, const char* icon,
               const ImVec4& color, float w) {
  ImGui::BeginChild(id.c_str(), ImVec2(w, ImGui::GetFontSize() * 4.5f), true,
                    ImGuiWindowFlags_NoScrollbar);
  std::string text = std::string(icon) + " " + label;
  float label_overflow = ImGui::CalcTextSize(text.c_str()).x - ImGui::GetContentRegionAvail().x;
  ImGui::TextColored(color, "%s", text.c_str());
  ImGui::PushFont(app.large_font());
  ImGui::Text("%lld", static_cast<long long>(value));
  ImGui::PopFont();
  // The whole tile is the touch target (a press and release inside it, as for a button).
  ImGui::SetCursorPos(ImVec2(0, 0));
  bool tapped = ImGui::InvisibleButton(("##tap" + id).c_str(), ImGui::GetWindowSize());
  ImGui::EndChild();
  app.Mark(id);
  if (label_overflow > 0) app.MarkLabelOverflow(id, label_overflow);
  app.Mark(id + "=" + std::to_string(value));
  return tapped;
}

void CodeToggles(App& app, const std::string& id_prefix, const std::vector<std::string>& codes,
                 const std::function<std::string(const std::string&)>& label,
                 std::vector<std::string>* selected) {
  // As many in a row (up to four) as leave room for the longest label with its check mark.
  float min_w = 0;
  for (const auto& code : codes) min_w = std::max(min_w, ButtonWidth(app, "✓ " + label(code)));
  Grid grid(min_w, 4);
  float w = grid.cell_w();
  for (const auto& code : codes) {
    grid.Next();
    auto it = std::find(selected->begin(), selected->end(), code);
    bool on = it != selected->end();
    if (Toggle(app, id_prefix + code, label(code), on, w)) {
      if (on)
        selected->erase(it);
      else
        selected->push_back(code);
    }
  }
}

bool Checkbox(App& app, const std::string& id, const std::string& label, bool* value) {
  // A whole-row toggle button: easier to hit than a small box.
  bool pressed = Toggle(app, id, label, *value);
  if (pressed) *value = !*value;
  return pressed;
}

float BadgeWidth(const std::string& text) { return ImGui::CalcTextSize(text.c_str()).x + 16; }

void Badge(const std::string& text, const ImVec4& bg, const ImVec4& fg) {
  ImVec2 size = ImGui::CalcTextSize(text.c_str());
  ImVec2 pad(8, 2);  // BadgeWidth adds 2 * pad.x
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + size.x + 2 * pad.x, p.y + size.y + 2 * pad.y),
                    ImGui::ColorConvertFloat4ToU32(bg), 6.0f);
  dl->AddText(ImVec2(p.x + pad.x, p.y + pad.y), ImGui::ColorConvertFloat4ToU32(fg), text.c_str());
  ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y + 2 * pad.y));
}

void Heading(App& app, const char* text) {
  BigText(app, text, 1.3f);
  ImGui::Separator();
}

void BigText(App& app, const std::string& text, float scale) {
  // Baked sizes are drawn 1:1 (crisp); other scales stretch the nearest larger-or-equal font.
  bool heading = scale <= kHeadingScale + 0.01f;
  ImGui::PushFont(heading ? app.heading_font() : app.large_font());
  ImGui::SetWindowFontScale(scale / (heading ? kHeadingScale : kLargeScale));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PopFont();
}

void EndPage() { ImGui::Dummy(ImVec2(0, ImGui::GetStyle().ItemSpacing.y)); }

void FlowNext(float next_width) {
  float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
  float limit = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (right <= limit) ImGui::SameLine();
}

void PinPad(App& app, const std::string& id, std::string* pin, size_t max_digits) {
  float h = TouchPx(app.theme()) * 1.2f;
  float w = h * 1.6f;
  const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫"};
  for (int i = 0; i < 12; ++i) {
    if (i % 3 != 0) ImGui::SameLine();
    std::string k = keys[i];
    std::string kid = id + "." + (k == "⌫" ? "back" : k == "C" ? "clear" : k);
    if (ImGui::Button((k + "##" + kid).c_str(), ImVec2(w, h))) {
      if (k == "⌫") {
        if (!pin->empty()) pin->pop_back();
      } else if (k == "C") {
        pin->assign(pin->size(), '\0');
        pin->clear();
      } else if (pin->size() < max_digits) {
        *pin += k;
      }
    }
    app.Mark(kid);
  }
}

std::string LanguageSwitchLabel(App& app) {
  return std::string(app.T("lang.switch")) + ": " + app.catalog().Text(app.lang(), "lang.name");
}

float LanguageSwitchWidth(App& app) {
  return std::max(ImGui::CalcTextSize(LanguageSwitchLabel(app).c_str()).x +
                      2 * ImGui::GetStyle().FramePadding.x,
                  TouchPx(app.theme()) * 1.6f);
}

void LanguageSwitch(App& app, const std::string& id) {
  const auto& cat = app.catalog();
  if (Button(app, id, LanguageSwitchLabel(app))) ImGui::OpenPopup("language-picker");
  if (ImGui::BeginPopup("language-picker")) {
    for (size_t i = 0; i < cat.languages().size(); ++i) {
      const std::string& name = cat.Text(static_cast<int>(i), "lang.name");
      if (Toggle(app, "lang." + cat.languages()[i], name, static_cast<int>(i) == app.lang(),
                 TouchPx(app.theme()) * 5)) {
        app.SetLanguage(static_cast<int>(i));
        ImGui::CloseCurrentPopup();
      }
    }
    ImGui::EndPopup();
  }
}

void QrImage(App& app, const core::QrSymbol& qr, float max_side, const std::string& mark) {
  constexpr int kQuiet = 4;
  const int modules = qr.size + 2 * kQuiet;
  const float px = std::max(3.0f, std::floor(max_side / static_cast<float>(modules)));
  const float side = px * static_cast<float>(modules);
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  p0 = ImVec2(std::floor(p0.x), std::floor(p0.y));
  ImGui::Dummy(ImVec2(side, side));
  app.Mark(mark);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + side, p0.y + side), IM_COL32(255, 255, 255, 255));
  const ImU32 dark = IM_COL32(0, 0, 0, 255);
  for (int y = 0; y < qr.size; ++y) {
    const float top = p0.y + px * static_cast<float>(y + kQuiet);
    for (int x = 0; x < qr.size;) {
      if (!qr.Dark(x, y)) {
        ++x;
        continue;
      }
      int run = x;
      while (run < qr.size && qr.Dark(run, y)) ++run;
      dl->AddRectFilled(ImVec2(p0.x + px * static_cast<float>(x + kQuiet), top),
                        ImVec2(p0.x + px * static_cast<float>(run + kQuiet), top + px), dark);
      x = run;
    }
  }
}

}  // namespace shelter::ui
