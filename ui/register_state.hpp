// What the register screen holds: the household draft (filled by hand, from a card or a
// pre-registration QR), the tab, the card reader's last answer and the likely duplicates found
// before saving. Personal data of the draft is dropped on log out and after it is saved.
// UI thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model/entities.hpp"
#include "core/model/state.hpp"
#include "core/ops/households.hpp"
#include "ui/devices.hpp"
#include "ui/form_problems.hpp"

namespace shelter::ui {

struct DuplicateView {  // a draft member that may already be registered, as the screen shows it
  int member = 0;       // index in the draft
  core::PersonSummary existing;      // the person already registered (here or at another shelter)
  int score = 0;                     // 0..100
  std::vector<std::string> reasons;  // core/ops/duplicates.hpp reason codes
};

struct RegisterState {
  core::Household draft;  // always holds at least one member
  int tab = 2;            // 0 card, 1 QR, 2 manual
  bool check_in = true;
  std::string card_pin;                 // wiped after every read
  std::optional<CardCheck> card_check;  // set by App::CheckCard() and App::ReadCard()
  std::optional<core::Registered> last_registered;
  std::vector<DuplicateView> likely_duplicates;  // not empty: the screen asks before saving
  bool may_register_anyway = false;
  FormProblems problems;  // of the last refused "Register", shown beside the fields
};

}  // namespace shelter::ui
