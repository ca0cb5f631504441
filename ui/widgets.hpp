// Touch-sized widgets shared by the screens. Every one records its rectangle under a stable id
// (App::Mark) so the event script can press it, and carries a text label (colour never alone).
// UI thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/codec/qr_code.hpp"
#include "ui/app.hpp"

namespace shelter::ui {
// The width Button gives `label` when asked for none (w == 0).
float ButtonWidth(App& app, const std::string& label);

// Equal cells in rows across the content region: as many columns (up to max_cols) as leave each
// cell at least min_w, so labels fit on a narrow screen or at large text. Call Next() before each
// cell.
class Grid {
 public:
  Grid(float min_w, int max_cols);
  float cell_w() const { return cell_w_; }
  int cols() const { return cols_; }
  void Next();

 private:
  int cols_ = 1, i_ = 0;
  float cell_w_ = 0;
};

// A button at least TouchPx() high (or `h`); `w` 0 = fit the label, -1 = fill the row.
bool Button(App& app, const std::string& id, const std::string& label, float w = 0, float h = 0);
// A button drawn as selected (a ✓ mark and a frame, not only a colour).
bool Toggle(App& app, const std::string& id, const std::string& label, bool on, float w = 0);
// True when `utf8` has characters beyond the BMP (𠮷 in a name read from a card). Dear ImGui 1.86
// as Debian builds it edits UTF-16 code units only and would store U+FFFD for them.
bool BeyondBmp(const std::string& utf8);
// A labelled single-line text input; the label sits above the field. Returns true when edited.
// A value that is BeyondBmp() is shown read-only, so saving never corrupts it; the screen says why
// (key register.kept_as_read).
bool TextField(App& app, const std::string& id, const char* label, std::string* value, float w = -1,
               ImGuiInputTextFlags flags = 0);
bool Checkbox(App& app, const std::string& id, const std::string& label, bool* value);
// A grid of toggles, four per row, one per code (marked `id_prefix` + code), adding or removing
// the code in `selected`.
void CodeToggles(App& app, const std::string& id_prefix, const std::vector<std::string>& codes,
                 const std::function<std::string(const std::string&)>& label,
                 std::vector<std::string>* selected);
// A coloured badge whose text says what the colour means ("⚠ 競合" / "⚠ conflict").
float BadgeWidth(const std::string& text);  // Badge's width for `text`
void Badge(const std::string& text, const ImVec4& bg, const ImVec4& fg);
void Heading(App& app, const char* text);
// A count tile: icon and label, then the number in the large font; marked as `id` and as
// `id`=`value` so event scripts can check the number shown. Returns true when it is tapped.
// The narrowest CountTile that shows `label` whole.
float CountTileMinWidth(const char* label, const char* icon);
bool CountTile(App& app, const std::string& id, const char* label, int64_t value, const char* icon,
               const ImVec4& color, float w);
// Text `scale` times the body size, from the large font (kiosk, titles), wrapped.
void BigText(App& app, const std::string& text, float scale);
// Starts the next widget on the same line when `next_width` still fits, else on a new line.
void FlowNext(float next_width);
// Room under a scrolling page's last row: scrolled to the end, its buttons are wholly in view,
// not flush with (and a pixel under) the bottom edge. Call last, before EndChild.
void EndPage();
// A numeric keypad for PINs (digits, ⌫, clear) writing into `pin`; ids "<id>.0".."<id>.9".
void PinPad(App& app, const std::string& id, std::string* pin, size_t max_digits = 12);
// A QR symbol black on white with its 4-module quiet zone, at most `max_side` px, each module a
// whole number of pixels on whole-pixel positions (sharp edges for a phone camera); marked `mark`.
void QrImage(App& app, const core::QrSymbol& qr, float max_side, const std::string& mark);
// The language switch: a button with the current language that opens a picker of every language.
void LanguageSwitch(App& app, const std::string& id);
float LanguageSwitchWidth(App& app);  // its button's width in the current language and size

}  // namespace shelter::ui
