// Input-method support Dear ImGui 1.86's SDL backend lacks: the text a worker is composing with an
// IME (SDL_TEXTEDITING: kana before conversion, its cursor and the segment being converted) is
// drawn in the active field at the caret, underlined, and the IME's candidate window is placed at
// the caret with SDL_SetTextInputRect (through io.ImeSetInputScreenPosFn). UI thread only.
#pragma once

#include <SDL.h>

#include <string>

#include "ui/app.hpp"

namespace shelter::ui {

class ImeComposition {
 public:
  // REQUIRES: an ImGui context and SDL's video subsystem. Installs the candidate-window hook.
  ImeComposition();

  // Every SDL event, before or after ImGui's backend sees it: keeps SDL_TEXTEDITING(_EXT) and
  // drops the composition when SDL_TEXTINPUT commits it (ImGui's backend types the commit).
  void HandleEvent(App& app, const SDL_Event& e);
  // After the screens are drawn, before ImGui::Render(): the composition over the active field
  // at its caret, marked "ime.composition" and "ime.composition.chars.N" (N code points). A
  // composition left in a field that lost focus is cancelled in the IME too.
  void Draw(App& app);
  const std::string& text() const { return text_; }

 private:
  void Set(App& app, const char* text, int cursor, int selected);

  std::string text_;                  // UTF-8, as the IME sent it
  int cursor_ = 0;                    // in code points
  int selected_ = 0;                  // code points from the cursor that the IME is converting
  unsigned field_ = 0;                // the ImGui id of the field that was active last frame
  SDL_Rect last_rect_{-1, -1, 0, 0};  // what SDL_SetTextInputRect was last told
};

}  // namespace shelter::ui
