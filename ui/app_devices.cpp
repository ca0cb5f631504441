// App's device actions: the My Number Card (check, read with PIN), the camera's rate, printing a
// pass. The adapters behind the seams are main()'s choice; here only what the staff see.
#include <algorithm>

#include "ui/app.hpp"

namespace shelter::ui {

std::string App::CardText(const CardCheck& c) const {
  using core::CardOutcome;
  switch (c.outcome) {
    case CardOutcome::kOk:
      return c.tries_left < 0 ? std::string(T("register.card_prompt"))
                              : F("card.tries_left", {{"n", std::to_string(c.tries_left)}});
    case CardOutcome::kNoReader: return T("card.no_reader");
    case CardOutcome::kNoCard: return T("card.no_card");
    case CardOutcome::kNotMyNumberCard: return T("card.not_my_number");
    case CardOutcome::kWrongPin:
      return F("card.wrong_pin", {{"n", c.tries_left < 0 ? "?" : std::to_string(c.tries_left)}});
    case CardOutcome::kLocked: return T("card.locked");
    case CardOutcome::kCardRemoved: return T("card.removed");
    case CardOutcome::kCardReset: return T("card.reset");
    case CardOutcome::kDigestMismatch:
    case CardOutcome::kBadData: return T("card.bad_data");
    case CardOutcome::kBadPinFormat: return T("card.bad_pin");
    case CardOutcome::kCardError: return T("card.error");
  }
  return T("card.error");
}

void App::CheckCard() {
  if (!devices_.check_card) return;
  registration.card_check = devices_.check_card();
}

bool App::PollCard() {
  const auto& check = registration.card_check;
  if (screen_ != Screen::kRegister || registration.tab != 0 || !check) return false;
  using core::CardOutcome;
  // Waiting for a card (or a reader): look again, so the tries left show once it is placed.
  if (check->outcome != CardOutcome::kNoCard && check->outcome != CardOutcome::kNoReader)
    return false;
  if (Now() < next_card_poll_) return false;
  next_card_poll_ = Now() + kCardPollMs;
  CardCheck before = *check;
  CheckCard();
  return check->outcome != before.outcome || check->tries_left != before.tries_left;
}

void App::ReadCard(const std::string& pin) {
  if (!devices_.read_card) {
    Wipe(registration.card_pin);
    return Notify(T("register.card_unavailable"), true);
  }
  CardDraft read = devices_.read_card(pin);
  Wipe(registration.card_pin);
  if (!read.household) {
    registration.card_check = read.check;
    // After a wrong PIN the card is still there: show the tries left for the next attempt.
    if (read.check.outcome == core::CardOutcome::kWrongPin && read.check.tries_left > 0)
      registration.card_check->outcome = core::CardOutcome::kOk;
    return Notify(CardText(read.check), true);
  }
  registration.card_check.reset();
  registration.draft = std::move(*read.household);
  registration.likely_duplicates.clear();
  for (auto& m : registration.draft.members) {
    SeeText(m.name);
    SeeText(m.kana);
  }
  SeeText(registration.draft.address);
  registration.tab = 2;  // staff add the kana and confirm in the manual form
  Notify(T("card.read_done"), false);
}

void App::UpdateCamera() {
  bool wanted = (kiosk.active && kiosk.phase != KioskPhase::kExit) || scan_screen_;
  int fps = !wanted ? 0 : low_power_ ? kCameraLowPowerFps : kCameraFps;
  if (fps == camera_fps_) return;
  camera_fps_ = fps;
  if (devices_.set_camera_fps) devices_.set_camera_fps(fps);
}

void App::PrintPasses(const std::vector<core::Person>& persons) {
  if (!devices_.print_pass || !household.edited) return Notify(T("pass.no_printer"), true);
  auto out = devices_.print_pass(persons, *household.edited);
  if (!out.ok()) return Notify(ErrorText(out.error()), true);
  SeeText(out->where);
  Notify(out->printed ? F("pass.printed_on", {{"printer", out->where}})
                      : F("pass.saved_pdf", {{"path", out->where}}),
         false);
}

}  // namespace shelter::ui
