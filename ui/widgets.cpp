#include "ui/widgets.hpp"

#include <algorithm>

#include <imgui_internal.h>
#include <imgui_stdlib.h>

namespace shelter::ui {

bool Button(App& app, const std::string& id, const std::string& label, float w, float h) {
  h = std::max(h, TouchPx(app.theme()));
  if (w == 0)
    w = std::max(ImGui::CalcTextSize(label.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x,
                 h * 1.6f);
  if (w < 0) w = ImGui::GetContentRegionAvail().x;
  bool pressed = ImGui::Button((label + "##" + id).c_str(), ImVec2(w, h));
  app.Mark(id);
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
  ImGui::TextUnformatted(label);
  if (w < 0) w = ImGui::GetContentRegionAvail().x;
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

bool CountTile(App& app, const std::string& id, const char* label, int64_t value, const char* icon,
               const ImVec4& color, float w) {
  ImGui::BeginChild(id.c_str(), ImVec2(w, ImGui::GetFontSize() * 4.5f), true,
                    ImGuiWindowFlags_NoScrollbar);
  ImGui::TextColored(color, "%s %s", icon, label);
  ImGui::PushFont(app.large_font());
  ImGui::Text("%lld", static_cast<long long>(value));
  ImGui::PopFont();
  // The whole tile is the touch target (a press and release inside it, as for a button).
  ImGui::SetCursorPos(ImVec2(0, 0));
  bool tapped = ImGui::InvisibleButton(("##tap" + id).c_str(), ImGui::GetWindowSize());
  ImGui::EndChild();
  app.Mark(id);
  app.Mark(id + "=" + std::to_string(value));
  return tapped;
}

void CodeToggles(App& app, const std::string& id_prefix, const std::vector<std::string>& codes,
                 const std::function<std::string(const std::string&)>& label,
                 std::vector<std::string>* selected) {
  float w = (ImGui::GetContentRegionAvail().x - 3 * ImGui::GetStyle().ItemSpacing.x) / 4;
  int col = 0;
  for (const auto& code : codes) {
    if (col++ % 4 != 0) ImGui::SameLine();
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

void Badge(const std::string& text, const ImVec4& bg, const ImVec4& fg) {
  ImVec2 size = ImGui::CalcTextSize(text.c_str());
  ImVec2 pad(8, 2);
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

void LanguageSwitch(App& app, const std::string& id) {
  const auto& cat = app.catalog();
  std::string label = std::string(app.T("lang.switch")) + ": " + cat.Text(app.lang(), "lang.name");
  if (Button(app, id, label)) ImGui::OpenPopup("language-picker");
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

}  // namespace shelter::ui
