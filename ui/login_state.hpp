// What the staff login holds (the login screen and the HQ mode's login form): the staff accounts
// to pick from, the one picked and the PIN typed so far (App::Login wipes it after every attempt).
// UI thread only.
#pragma once

#include <string>
#include <vector>

namespace shelter::ui {

struct LoginState {
  std::vector<std::string> staff_handles;  // enabled accounts, read when the app starts
  std::string handle;
  std::string pin;  // wiped after every attempt
};

}  // namespace shelter::ui
