// `shelter-hq serve`: the HQ as a long-running sync peer. Accepts device syncs (sync/PROTOCOL.md)
// on the HQ device's Node, flushes the HQ store after every session and while data arrives, and
// prints one line per session. Blocks the calling thread until SIGTERM/SIGINT or --sessions.
#pragma once

#include <map>
#include <set>
#include <string>

namespace shelter::hq {

// `opts`/`flags` as parsed by shelter-hq's main: data, db, user, json, and the serve options of
// sync::ParseServeOptions (listen, bind, timeout, sessions, peers, peer-interval,
// beacon-interval, beacon-port; discover). Returns the exit code: 0 after a clean stop, 1 when
// the server cannot start or the store fails.
int RunServe(const std::map<std::string, std::string>& opts, const std::set<std::string>& flags,
             const std::string& pin);

}  // namespace shelter::hq
