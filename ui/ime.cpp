// The IME composition and candidate window. Dear ImGui 1.86 has only the legacy
// io.ImeSetInputScreenPosFn (SetPlatformImeDataFn came with 1.87), called from EndFrame with
// (int)FLT_MAX before any field was active and with a stale position after one is left; so the
// position InputText records for it (the caret's top-left, GImGui->PlatformImePos) is read here
// after the screens are drawn, and only while a text field is active.
#include "ui/ime.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace shelter::ui {

namespace {

// Byte offset of code point `n` in `s` (its end when shorter).
size_t ByteOfChar(const std::string& s, int n) {
  size_t i = 0;
  for (int c = 0; i < s.size() && c < n; ++c) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

int CharCount(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// FrameBg drawn over WindowBg, opaque: the composition hides the field's text after the caret.
ImU32 FieldColour() {
  const ImVec4* c = ImGui::GetStyle().Colors;
  ImVec4 f = c[ImGuiCol_FrameBg], w = c[ImGuiCol_WindowBg];
  float a = f.w;
  return ImGui::GetColorU32(
      ImVec4(f.x * a + w.x * (1 - a), f.y * a + w.y * (1 - a), f.z * a + w.z * (1 - a), 1.0f));
}

}  // namespace

ImeComposition::ImeComposition() {
  // Compositions of more than 31 bytes (10 kana) come whole as SDL_TEXTEDITING_EXT.
  SDL_SetHint(SDL_HINT_IME_SUPPORT_EXTENDED_TEXT, "1");
}

void ImeComposition::Set(App& app, const char* text, int cursor, int selected) {
  text_ = text ? text : "";
  cursor_ = std::max(0, cursor);
  selected_ = std::max(0, selected);
  app.SeeText(text_);  // kana and kanji the atlas may not have baked yet
}

void ImeComposition::HandleEvent(App& app, const SDL_Event& e) {
  switch (e.type) {
    case SDL_TEXTEDITING: Set(app, e.edit.text, e.edit.start, e.edit.length); break;
    case SDL_TEXTEDITING_EXT:
      Set(app, e.editExt.text, e.editExt.start, e.editExt.length);
      SDL_free(e.editExt.text);  // the receiver owns it
      break;
    case SDL_TEXTINPUT: text_.clear(); break;
    default: break;
  }
}

void ImeComposition::Draw(App& app) {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiID field = g.ActiveId != 0 && g.InputTextState.ID == g.ActiveId ? g.ActiveId : 0;
  if (field != field_) {
    if (!text_.empty()) {
      SDL_ClearComposition();  // tapped elsewhere: the IME drops it too, nothing is typed later
      text_.clear();
    }
    field_ = field;
    last_rect_ = SDL_Rect{-1, -1, 0, 0};
  }
  if (!field) return;
  const float line = ImGui::GetFontSize();
  const ImVec2 caret(g.PlatformImePos.x + 1, g.PlatformImePos.y);
  SDL_Rect rect{static_cast<int>(std::lround(caret.x)), static_cast<int>(std::lround(caret.y)), 1,
                static_cast<int>(std::lround(line))};
  if (!text_.empty()) rect.w = static_cast<int>(std::lround(ImGui::CalcTextSize(text_.c_str()).x));
  if (rect.x != last_rect_.x || rect.y != last_rect_.y || rect.w != last_rect_.w ||
      rect.h != last_rect_.h) {
    // The IME shows its candidates just below this rectangle: under the composition.
    SDL_SetTextInputRect(&rect);
    last_rect_ = rect;
    if (std::getenv("SHELTER_APP_VERBOSE"))
      std::fprintf(stderr, "ime: candidate window at %d,%d %dx%d\n", rect.x, rect.y, rect.w,
                   rect.h);
  }
  if (text_.empty()) return;

  // From just left of the caret (ImGui's own caret is covered: the composition's shows).
  ImGui::SetNextWindowPos(ImVec2(caret.x - 2, caret.y));
  const float thin = std::max(1.0f, std::round(line / 16)), thick = thin * 3;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(2, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_PopupBorderSize, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, FieldColour());
  // A tooltip-layer window: above every screen, never focused, never hit by a tap, so the field
  // underneath stays the active one.
  const ImGuiWindowFlags flags =
      ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs |
      ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoFocusOnAppearing |
      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize;
  ImGui::Begin("##ime.composition", nullptr, flags);
  ImGui::TextUnformatted(text_.c_str());
  app.Mark("ime.composition");
  app.Mark("ime.composition.chars." + std::to_string(CharCount(text_)));
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  ImGui::Dummy(ImVec2(ImGui::GetItemRectSize().x + thin * 2, thick));  // room for the marks
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  // Under the text: a dotted line under the whole composition, a thick one under the segment
  // being converted; and the composition's own cursor.
  const float base = max.y + thin;
  for (float x = min.x; x < max.x; x += thin * 4)
    dl->AddRectFilled(ImVec2(x, base), ImVec2(std::min(x + thin * 2, max.x), base + thin), ink);
  auto x_at = [&](int chars) {
    size_t b = ByteOfChar(text_, chars);
    return min.x + ImGui::CalcTextSize(text_.c_str(), text_.c_str() + b).x;
  };
  if (selected_ > 0)
    dl->AddRectFilled(ImVec2(x_at(cursor_), base), ImVec2(x_at(cursor_ + selected_), base + thick),
                      ink);
  else
    dl->AddRectFilled(ImVec2(x_at(cursor_), min.y), ImVec2(x_at(cursor_) + thin, max.y), ink);
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(6);
}

}  // namespace shelter::ui
