// The accepting side of ServeTcp, internal to sync: it keeps accepting whatever accept() says
// (after EMFILE/ENFILE and the like it waits a moment and tries again) and closes at once any
// connection over the caps on concurrent sessions per listener and per source address, so that a
// flood of idle connections cannot stop a device from syncing. One io_context thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio.hpp>

namespace shelter::sync {

struct ListenerLimits {
  size_t max_sessions = 64;                // concurrent sessions on the listener
  size_t max_per_address = 8;              // concurrent sessions from one source address
  std::chrono::milliseconds backoff{100};  // wait after a failed accept (out of descriptors)
};

class TcpListener {
 public:
  // A session's place under the caps; given back when the last copy is dropped.
  using Slot = std::shared_ptr<void>;
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket, Slot)>;
  using OnWarning = std::function<void(const std::string&)>;

  // REQUIRES: `acceptor` listens and outlives the listener. `on_accept` gets each connection
  // admitted under the caps; `on_warning` (may be empty) is told of failed accepts and of refused
  // connections, each kind at most once a minute, with no peer data but the address.
  TcpListener(boost::asio::ip::tcp::acceptor& acceptor, ListenerLimits limits, OnAccept on_accept,
              OnWarning on_warning);
  // Starts accepting; stops only when the acceptor is closed.
  void Start();
  // Sessions holding a slot now.
  size_t active() const { return counts_->total; }

 private:
  struct Counts {
    size_t total = 0;
    std::map<boost::asio::ip::address, size_t> per_address;
  };
  void Accept();
  void Admit(boost::asio::ip::tcp::socket socket);
  using Time = std::chrono::steady_clock::time_point;
  void Warn(std::optional<Time>& last, const std::string& text);

  boost::asio::ip::tcp::acceptor& acceptor_;
  ListenerLimits limits_;
  OnAccept on_accept_;
  OnWarning on_warning_;
  boost::asio::steady_timer backoff_;
  // Shared with the slots: a session may end after the listener is gone.
  std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
  std::optional<Time> warned_accept_, warned_full_, warned_address_;
};

}  // namespace shelter::sync
