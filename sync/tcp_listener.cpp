#include "sync/tcp_listener.hpp"

#include <utility>

namespace shelter::sync {

namespace asio = boost::asio;
using asio::ip::tcp;

TcpListener::TcpListener(tcp::acceptor& acceptor, ListenerLimits limits, OnAccept on_accept,
                         OnWarning on_warning)
    : acceptor_(acceptor),
      limits_(limits),
      on_accept_(std::move(on_accept)),
      on_warning_(std::move(on_warning)),
      backoff_(acceptor.get_executor()) {}

void TcpListener::Start() { Accept(); }

void TcpListener::Warn(std::optional<Time>& last, const std::string& text) {
  Time now = std::chrono::steady_clock::now();
  if (last && now - *last < std::chrono::minutes(1)) return;  // a flood must not flood the log
  last = now;
  if (on_warning_) on_warning_(text);
}

void TcpListener::Accept() {
  acceptor_.async_accept([this](const boost::system::error_code& e, tcp::socket socket) {
    if (e == asio::error::operation_aborted || !acceptor_.is_open()) return;  // closed: stop
    if (!e) {
      Admit(std::move(socket));
      return Accept();
    }
    // A connection that died in the queue, or an interrupted call: just accept the next one.
    if (e == asio::error::connection_aborted || e == asio::error::interrupted ||
        e == asio::error::try_again)
      return Accept();
    // Out of file descriptors (EMFILE, ENFILE) or memory: the queued connections stay queued
    // and sessions that end give descriptors back, so wait a moment and accept again. Returning
    // here would leave the device deaf for good.
    Warn(warned_accept_, "cannot accept connections (" + e.message() + "); retrying every " +
                             std::to_string(limits_.backoff.count()) + " ms");
    backoff_.expires_after(limits_.backoff);
    backoff_.async_wait([this](const boost::system::error_code& w) {
      if (!w && acceptor_.is_open()) Accept();
    });
  });
}

void TcpListener::Admit(tcp::socket socket) {
  boost::system::error_code ec;
  tcp::endpoint from = socket.remote_endpoint(ec);
  if (ec) return;  // gone already; the socket closes here
  asio::ip::address addr = from.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped())
    addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
  Counts& c = *counts_;
  bool full = c.total >= limits_.max_sessions;
  bool address_full = !full && c.per_address[addr] >= limits_.max_per_address;
  if (full || address_full) {
    // Closed at once, before any byte is read: a refused connection costs no session.
    if (full)
      Warn(warned_full_, "refusing connections: " + std::to_string(limits_.max_sessions) +
                             " sessions open (the listener's limit)");
    else
      Warn(warned_address_, "refusing connections from " + addr.to_string() + ": " +
                                std::to_string(limits_.max_per_address) +
                                " sessions open from one address");
    if (c.per_address[addr] == 0) c.per_address.erase(addr);
    socket.close(ec);
    return;
  }
  ++c.total;
  ++c.per_address[addr];
  Slot slot(nullptr, [counts = counts_, addr](void*) {
    --counts->total;
    if (--counts->per_address[addr] == 0) counts->per_address.erase(addr);
  });
  on_accept_(std::move(socket), std::move(slot));
}

}  // namespace shelter::sync
