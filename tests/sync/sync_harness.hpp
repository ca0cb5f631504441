// Drives two SyncSessions against each other in memory: each step delivers everything one side
// has to send (one flight), optionally cutting the connection after a byte budget. For sync tests
// and the simulator. Single-threaded.
#pragma once

#include <cstdint>
#include <optional>

#include "core/node/node.hpp"
#include "sync/node_peer.hpp"
#include "sync/session.hpp"

namespace shelter::test {

struct LinkRun {
  core::Status a = core::Ok(), b = core::Ok();
  bool finished = false;  // both sessions completed
  bool cut = false;       // the byte budget ran out first
  int flights = 0;        // one-way deliveries that carried bytes
  uint64_t bytes_ab = 0, bytes_ba = 0;
  sync::SessionStats stats_a, stats_b;
};

// Runs a session between `a` (initiator) and `b` (responder). `cut_after` drops the link once
// that many bytes have crossed (in both directions together).
inline LinkRun RunLink(sync::SyncPeer& a, sync::SyncPeer& b, std::optional<uint64_t> cut_after = {},
                       sync::SessionOptions oa = {}, sync::SessionOptions ob = {}) {
  LinkRun run;
  sync::SyncSession sa(a, true, oa), sb(b, false, ob);
  run.a = sa.Start();
  run.b = sb.Start();
  if (!run.a.ok() || !run.b.ok()) return run;
  auto drain = [](sync::SyncSession& s) {
    core::Bytes all;
    while (true) {
      core::Bytes chunk = s.TakeOutput();
      if (chunk.empty()) return all;
      core::Append(all, core::View(chunk));
    }
  };
  bool turn_a = true;
  int idle = 0;
  while (idle < 2 && run.flights < 10000) {
    sync::SyncSession& from = turn_a ? sa : sb;
    sync::SyncSession& to = turn_a ? sb : sa;
    core::Status& to_status = turn_a ? run.b : run.a;
    core::Bytes out = drain(from);
    turn_a = !turn_a;
    if (out.empty()) {
      ++idle;
      continue;
    }
    idle = 0;
    ++run.flights;
    uint64_t total = run.bytes_ab + run.bytes_ba;
    if (cut_after && total + out.size() > *cut_after) {
      out.resize(*cut_after - total);
      run.cut = true;
    }
    (turn_a ? run.bytes_ba : run.bytes_ab) += out.size();
    if (!out.empty()) to_status = to.OnReceive(core::View(out));
    if (run.cut || !to_status.ok()) break;
  }
  // A failed side may still have a last message (a refusal) to deliver.
  if (!run.cut && run.a.ok() && !run.b.ok()) {
    core::Bytes last = drain(sb);
    if (!last.empty()) run.a = sa.OnReceive(core::View(last));
  } else if (!run.cut && run.b.ok() && !run.a.ok()) {
    core::Bytes last = drain(sa);
    if (!last.empty()) run.b = sb.OnReceive(core::View(last));
  }
  run.finished = sa.Finished() && sb.Finished();
  run.stats_a = sa.stats();
  run.stats_b = sb.stats();
  return run;
}

// The same between two devices' Nodes.
inline LinkRun RunLink(core::Node& a, core::Node& b, std::optional<uint64_t> cut_after = {},
                       sync::SessionOptions oa = {}, sync::SessionOptions ob = {}) {
  sync::NodePeer pa(a), pb(b);
  return RunLink(pa, pb, cut_after, std::move(oa), std::move(ob));
}

}  // namespace shelter::test
