// shelterctl card commands: read the basic 4 info (氏名, 住所, 生年月日, 性別) from a My Number
// Card on a PC/SC reader. No data directory or login: nothing is stored. The card PIN comes from
// stdin or --pin-fd, only after the tries left have been shown; it is wiped after use.
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "core/card/card_session.hpp"
#include "platform/card_reader.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::CardOutcome;
using core::CardRead;
using core::ErrorCode;
using core::MakeError;

namespace {

// Finds the reader holding a card (waiting --wait seconds, default 0) and connects to it.
Result<platform::ConnectedCard> ConnectToCard(const Context& ctx, CardRead& failure) {
  int wait_s = 0;
  if (auto w = ctx.args.Opt("wait")) {
    try {
      wait_s = std::stoi(*w);
    } catch (...) {
      return MakeError(ErrorCode::kInvalidArgument, "--wait needs a number of seconds");
    }
  }
  return platform::ConnectPcscCard(std::chrono::seconds(wait_s), &failure);
}

std::string TriesText(int tries) {
  return tries < 0 ? std::string("unknown") : std::to_string(tries);
}

}  // namespace

Status CmdCardStatus(Context& ctx) {
  CardRead failure;
  SHELTER_ASSIGN_OR_RETURN(platform::ConnectedCard card, ConnectToCard(ctx, failure));
  core::CardSession session(*card.connection);
  CardRead open = session.Open();
  SHELTER_TRY(card.connection->Disconnect());
  if (!open.ok()) return open.ToError();
  Emit(ctx, {{"reader", card.reader}, {"tries_left", open.tries_left}},
       "My Number Card in " + card.reader + "; PIN tries left: " + TriesText(open.tries_left) +
           "\n");
  return core::Ok();
}

Status CmdCardRead(Context& ctx) {
  CardRead failure;
  SHELTER_ASSIGN_OR_RETURN(platform::ConnectedCard card, ConnectToCard(ctx, failure));
  core::CardSession session(*card.connection);
  CardRead open = session.Open();
  if (!open.ok()) {
    (void)card.connection->Disconnect();
    return open.ToError();
  }
  // Shown before the PIN is asked for, on stderr so that --json output stays the record alone.
  std::fprintf(stderr, "My Number Card in %s; PIN tries left: %s\n", card.reader.c_str(),
               TriesText(open.tries_left).c_str());
  auto pin = ctx.secrets.ReadLine("card PIN (4 digits)");
  if (!pin.ok()) {
    (void)card.connection->Disconnect();
    return pin.error();
  }
  CardRead read = session.ReadBasicInfo(*pin);
  sodium_memzero(pin->data(), pin->size());
  SHELTER_TRY(card.connection->Disconnect());  // resets the card: the PIN state is dropped
  if (!read.ok()) {
    if (read.outcome == CardOutcome::kWrongPin)
      read.detail += "; " + TriesText(read.tries_left) + " tries left";
    return read.ToError();
  }
  const core::CardBasicInfo& info = *read.info;
  json j = {{"name", info.name},
            {"address", info.address},
            {"birth_date", info.birth_date},
            {"sex", info.sex}};
  if (info.needs_review) j["needs_review"] = true;
  std::ostringstream text;
  text << "name:       " << info.name << "\n"
       << "address:    " << info.address << "\n"
       << "birth date: " << (info.birth_date.empty() ? info.birth_date_raw : info.birth_date)
       << "\n"
       << "sex:        " << info.sex << "\n";
  if (info.needs_review)
    text << "check against the card face: some bytes were not as the card format promises\n";
  Emit(ctx, j, text.str());
  return core::Ok();
}

}  // namespace shelter::tools
