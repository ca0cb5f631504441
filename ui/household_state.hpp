// What the household editor holds (the household open for editing, as loaded and as edited, its
// members' status and its conflicts, a member being added, the problems of a refused save) and
// what the pass screen shows (one member of it, with a freshly signed pass as a QR). Dropped
// on log out. UI thread only.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/codec/cbor.hpp"
#include "core/codec/qr_code.hpp"
#include "core/model/entities.hpp"
#include "core/model/state.hpp"
#include "core/ops/edit.hpp"
#include "ui/form_problems.hpp"

namespace shelter::ui {

struct ConflictView {  // one conflicted field of one record, with every concurrent value as text
  core::Id16 record;
  std::string field;
  std::vector<std::string> shown;
  std::vector<core::cbor::Item> values;
};

struct HouseholdState {
  std::optional<core::Household> edited;  // the editor's copy
  std::optional<core::Household> loaded;  // as loaded: a save writes only what changed
  std::vector<core::PersonSummary> members;
  std::vector<ConflictView> conflicts;
  int edit_member = 0;  // index in edited->members of the member whose fields are shown
  // What the editor saw when it loaded (a save supersedes only that), and the fields another
  // tablet changed since (shown with a badge; saving one of them makes a conflict).
  std::optional<core::EditBase> base;
  std::vector<std::pair<core::Id16, std::string>> changed_elsewhere;
  // Of the last refused save: the household's (member -1) or member edit_member's fields.
  FormProblems problems;
  // A member being added (App::AddMember): the form under the member list, with its own problems
  // (member 0, marked "error.new.<field>").
  std::optional<core::Person> new_member;
  bool new_check_in = true;
  FormProblems new_problems;
  bool ChangedElsewhere(const core::Id16& record, const std::string& field) const {
    for (auto& [r, f] : changed_elsewhere)
      if (r == record && f == field) return true;
    return false;
  }
};

struct PassState {
  std::optional<core::Person> person;  // a member of the open household
  std::string text;                    // its signed JSP1 pass, issued when the screen opened
  std::optional<core::QrSymbol> qr;    // `text` as a QR symbol, drawn on screen
};

}  // namespace shelter::ui
