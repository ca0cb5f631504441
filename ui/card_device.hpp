// The app's My Number Card adapter: the PC/SC reader (platform) and the card session (core) behind
// the AppDevices card seams. Each call finds the card, runs its APDUs and disconnects with a card
// reset; nothing of the PIN or the card data is kept or logged here. UI thread (each call blocks
// for the few APDUs it sends).
#pragma once

#include <string_view>

#include "ui/devices.hpp"

namespace shelter::ui {

// Whether a My Number Card is on a reader, and its PIN tries left (no try is used).
CardCheck CheckPcscCard();
// Verifies the PIN, reads the basic 4 info and makes a household draft (core::DraftFromCard).
CardDraft ReadPcscCard(std::string_view pin);

}  // namespace shelter::ui
