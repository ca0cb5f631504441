// What the sync screen holds: the last snapshot of the background sync (refreshed about once a
// second while it is shown), the settings being edited, the mounted sticks and the USB job in
// progress with its result in words. UI thread only (the USB job's thread sees only its own
// state in UsbJob).
#pragma once

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/removable_media.hpp"
#include "sync/background_sync.hpp"
#include "sync/bundle.hpp"
#include "sync/locked_peer.hpp"
#include "sync/node_peer.hpp"

namespace shelter::ui {

// A bundle written to or read from a stick on its own thread, through the node's mutex.
struct UsbJob {
  UsbJob(core::Node& node, sync::StoreMutex& mu) : node_peer(node), peer(node_peer, mu) {}
  bool is_export = true;
  std::string file;    // the bundle's path
  uint64_t total = 0;  // segments to write (export)
  sync::NodePeer node_peer;
  sync::LockedPeer peer;
  struct Outcome {
    std::optional<core::Error> error;
    uint64_t bytes = 0;           // written (export)
    sync::BundleImport imported;  // read (import)
  };
  std::future<Outcome> result;
};

struct SyncState {
  sync::SyncSnapshot snap;
  std::vector<core::LogStore::Incident> incidents;  // the newest few, re-read with the snapshot
  std::string peers_text, hq_text;  // the settings form (comma-separated host:port, host:port)
  bool settings_open = false;
  bool enabled_edit = true;
  std::vector<platform::Stick> sticks;
  std::unique_ptr<UsbJob> usb;
  std::string usb_result;  // the last job's outcome in words
  bool usb_error = false;
};

}  // namespace shelter::ui
