// ForEachRow: the one loop over the rows of a prepared Stmt (core/base/sqlite_db.hpp) that steps,
// stops on an error and always leaves the cached statement reset. Same threading as the Db.
#pragma once

#include <type_traits>

#include "core/base/result.hpp"
#include "core/base/sqlite_db.hpp"

namespace shelter::core {

// Steps through the remaining rows of `st` calling `fn(const Stmt&)` on each, then resets `st`
// (also when it stops early or fails). `fn` returns void; or bool, false to stop; or Status, an
// error stops and is returned. Otherwise returns Step's error (kIo/kCorrupt) or Ok.
template <typename Fn>
Status ForEachRow(Stmt& st, Fn&& fn) {
  using R = std::invoke_result_t<Fn&, const Stmt&>;
  const Stmt& row = st;
  while (true) {
    Result<bool> more = st.Step();
    if (!more.ok()) {
      st.Reset();
      return more.error();
    }
    if (!*more) break;
    if constexpr (std::is_void_v<R>) {
      fn(row);
    } else if constexpr (std::is_same_v<R, bool>) {
      if (!fn(row)) break;
    } else {
      Status s = fn(row);
      if (!s.ok()) {
        st.Reset();
        return s;
      }
    }
  }
  st.Reset();
  return Ok();
}

}  // namespace shelter::core
