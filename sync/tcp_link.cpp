#include "sync/tcp_link.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <boost/asio.hpp>

#include "sync/tcp_listener.hpp"

namespace shelter::sync {
// [SECTION] index: Connection (one session over one socket) · Dialling (host:port, SyncOverTcp) ·
// Serving (ServeTcp: the listener, the group-commit hook, peers dialled out)

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using core::ErrorCode;
using core::MakeError;
using core::Result;

// One socket, one session, two deadlines (the handshake's and the whole session's). Reports
// exactly once through `done`; gives its listener slot (if any) back when it closes.
// [SECTION] Connection (one session over one socket)
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Done = std::function<void(const Result<TcpResult>&)>;
  Connection(tcp::socket socket, SyncPeer& store, bool initiator, const TcpOptions& opts, Done done,
             TcpListener::Slot slot = nullptr)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        handshake_timer_(socket_.get_executor()),
        session_(store, initiator, opts.session),
        timeout_(opts.timeout),
        handshake_timeout_(std::min(opts.handshake_timeout, opts.timeout)),
        done_(std::move(done)),
        slot_(std::move(slot)) {}

  void Start() {
    auto self = shared_from_this();
    boost::system::error_code ec;
    auto remote = socket_.remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string();
    timer_.expires_after(timeout_);
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->Finish(MakeError(ErrorCode::kIo, "sync timed out"));
    });
    // A connection that never proves an enrolled device (an idle or half-open one) must not hold
    // a session slot for the whole timeout.
    handshake_timer_.expires_after(handshake_timeout_);
    handshake_timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec && !self->session_.peer())
        self->Finish(MakeError(
            ErrorCode::kIo,
            "no handshake within " + std::to_string(self->handshake_timeout_.count()) + " ms"));
    });
    core::Status s = session_.Start();
    if (!s.ok()) return Finish(s.error());
    Write();
    Read();
  }

 private:
  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(
        asio::buffer(buf_), [self](const boost::system::error_code& ec, size_t n) {
          if (self->finished_) return;
          if (ec) {
            if (self->session_.Finished()) return self->Finish(std::nullopt);
            return self->Finish(MakeError(
                ErrorCode::kIo, ec == asio::error::eof ? "peer closed the connection early"
                                                       : "connection failed: " + ec.message()));
          }
          core::Status s = self->session_.OnReceive(core::ByteView(self->buf_.data(), n));
          if (!s.ok()) {
            self->error_ = s.error();  // send what is left (a refusal), then close
            self->Write();
            return;
          }
          self->Write();
          if (!self->session_.Finished()) self->Read();
        });
  }

  void Write() {
    if (writing_ || finished_) return;
    out_ = session_.TakeOutput();
    if (out_.empty()) {
      if (error_) return Finish(*error_);
      if (session_.Finished()) Finish(std::nullopt);
      return;
    }
    writing_ = true;
    auto self = shared_from_this();
    asio::async_write(
        socket_, asio::buffer(out_), [self](const boost::system::error_code& ec, size_t) {
          self->writing_ = false;
          if (self->finished_) return;
          if (ec)
            return self->Finish(MakeError(ErrorCode::kIo, "connection failed: " + ec.message()));
          self->Write();
        });
  }

  void Finish(std::optional<core::Error> err) {
    if (finished_) return;
    finished_ = true;
    boost::system::error_code ignored;
    timer_.cancel();
    handshake_timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    slot_.reset();
    if (err) return done_(*err);
    TcpResult r;
    r.stats = session_.stats();
    if (session_.peer()) r.peer_device = session_.peer()->device.Hex();
    r.peer_address = remote_;
    r.reports = session_.reports();
    done_(r);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer handshake_timer_;
  SyncSession session_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds handshake_timeout_;
  Done done_;
  TcpListener::Slot slot_;
  std::array<uint8_t, 64 * 1024> buf_{};
  core::Bytes out_;
  bool writing_ = false, finished_ = false;
  std::optional<core::Error> error_;
  std::string remote_;  // the peer's IP address
};

}  // namespace

// [SECTION] Dialling (host:port, SyncOverTcp)
Result<std::pair<std::string, uint16_t>> ParseHostPort(const std::string& s) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
    return MakeError(ErrorCode::kInvalidArgument, "expected HOST:PORT");
  std::string host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned long port = 0;
  for (char c : s.substr(colon + 1)) {
    if (c < '0' || c > '9') return MakeError(ErrorCode::kInvalidArgument, "port must be a number");
    port = port * 10 + static_cast<unsigned long>(c - '0');
    if (port > 65535) return MakeError(ErrorCode::kInvalidArgument, "port out of range");
  }
  if (port == 0) return MakeError(ErrorCode::kInvalidArgument, "port out of range");
  return std::make_pair(host, static_cast<uint16_t>(port));
}

Result<TcpResult> SyncOverTcp(SyncPeer& store, const std::string& host, uint16_t port,
                              const TcpOptions& opts) {
  asio::io_context io;
  boost::system::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot resolve the peer address: " + ec.message());
  std::optional<Result<TcpResult>> result;
  tcp::socket socket(io);
  asio::steady_timer connect_timer(io);
  connect_timer.expires_after(opts.timeout);
  connect_timer.async_wait([&](const boost::system::error_code& e) {
    if (!e) socket.close(ec);
  });
  asio::async_connect(
      socket, endpoints, [&](const boost::system::error_code& e, const tcp::endpoint&) {
        connect_timer.cancel();
        if (e) {
          result = MakeError(ErrorCode::kIo, "cannot connect to the peer: " + e.message());
          return;
        }
        std::make_shared<Connection>(std::move(socket), store, true, opts,
                                     [&](const Result<TcpResult>& r) { result = r; })
            ->Start();
      });
  io.run();
  if (!result) return MakeError(ErrorCode::kIo, "sync ended without a result");
  return *result;
}

namespace {

// Dials host:port on `io` and runs an initiator session; reports once through `done`.
void Dial(asio::io_context& io, SyncPeer& store, const std::string& host, uint16_t port,
          const TcpOptions& opts, Connection::Done done) {
  boost::system::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return done(MakeError(ErrorCode::kIo, "cannot resolve " + host + ": " + ec.message()));
  auto socket = std::make_shared<tcp::socket>(io);
  auto timer = std::make_shared<asio::steady_timer>(io);
  timer->expires_after(opts.timeout);
  timer->async_wait([socket](const boost::system::error_code& e) {
    boost::system::error_code ignored;
    if (!e) socket->close(ignored);
  });
  asio::async_connect(
      *socket, endpoints,
      [socket, timer, &store, opts, done](const boost::system::error_code& e,
                                          const tcp::endpoint&) {
        timer->cancel();
        if (e) return done(MakeError(ErrorCode::kIo, "cannot connect: " + e.message()));
        std::make_shared<Connection>(std::move(*socket), store, true, opts, done)->Start();
      });
}

}  // namespace

// [SECTION] Serving (ServeTcp: the listener, the group-commit hook, peers dialled out)
core::Status ServeTcp(SyncPeer& store, const ServeOptions& opts) {
  asio::io_context io;
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(opts.bind, ec);
  if (ec) return MakeError(ErrorCode::kInvalidArgument, "bad listen address " + opts.bind);
  tcp::acceptor acceptor(io);
  tcp::endpoint ep(addr, opts.port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return MakeError(ErrorCode::kIo,
                     "cannot listen on port " + std::to_string(opts.port) + ": " + ec.message());
  uint16_t listen_port = acceptor.local_endpoint().port();
  if (opts.on_listening) opts.on_listening(listen_port);

  uint64_t ended = 0;
  auto stop = [&] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    io.stop();
  };
  // The store's group-commit hook; its first failure stops the server and is returned.
  std::optional<core::Error> commit_failed;
  auto commit = [&](BatchEnd at) {
    core::Status s = store.OnBatchEnd(at);
    if (!s.ok() && !commit_failed) commit_failed = s.error();
    return s.ok();
  };
  auto count = [&](const Result<TcpResult>& r) {
    bool committed = commit(BatchEnd::kSession);  // what the session brought, before it is told
    if (opts.on_session) opts.on_session(r);
    if (!committed || (opts.max_sessions && ++ended >= opts.max_sessions)) stop();
  };
  TcpListener listener(
      acceptor, {opts.max_connections, opts.max_connections_per_address, opts.accept_backoff},
      [&](tcp::socket socket, TcpListener::Slot slot) {
        std::make_shared<Connection>(std::move(socket), store, false, opts.tcp, count,
                                     std::move(slot))
            ->Start();
      },
      opts.on_warning);
  listener.Start();

  // Configured peers: each on its own timer, backing off while unreachable.
  struct Peer {
    std::string host;
    uint16_t port;
    int failures = 0;
    bool dialling = false;
    std::unique_ptr<asio::steady_timer> timer;
  };
  std::vector<Peer> peers;
  for (auto& [h, p] : opts.peers)
    peers.push_back({h, p, 0, false, std::make_unique<asio::steady_timer>(io)});
  std::function<void(Peer&, std::chrono::milliseconds)> schedule = [&](Peer& peer, auto delay) {
    peer.timer->expires_after(delay);
    peer.timer->async_wait([&](const boost::system::error_code& e) {
      if (e) return;
      peer.dialling = true;
      Dial(io, store, peer.host, peer.port, opts.tcp, [&](const Result<TcpResult>& r) {
        peer.dialling = false;
        peer.failures = r.ok() ? 0 : peer.failures + 1;
        auto next = r.ok() ? std::chrono::milliseconds(opts.peer_interval)
                           : std::chrono::milliseconds(BackoffMs(peer.failures));
        if (opts.on_peer) opts.on_peer(peer.host, peer.port, r, next);
        count(r);
        schedule(peer, next);
      });
    });
  };
  for (auto& p : peers) schedule(p, std::chrono::milliseconds(0));

  // Discovery: beacons out on a timer, beacons in trigger a session when digests differ.
  asio::ip::udp::socket udp(io);
  asio::steady_timer beacon_timer(io);
  std::array<uint8_t, 64> udp_buf{};
  asio::ip::udp::endpoint udp_from;
  std::map<core::Id16, std::chrono::steady_clock::time_point> last_dial;
  auto group = asio::ip::make_address(opts.beacon_group, ec);
  if (opts.discovery) {
    if (ec) return MakeError(ErrorCode::kInvalidArgument, "bad beacon group " + opts.beacon_group);
    asio::ip::udp::endpoint listen(asio::ip::address_v4::any(), opts.beacon_port);
    udp.open(listen.protocol(), ec);
    if (!ec) udp.set_option(asio::ip::udp::socket::reuse_address(true), ec);
    if (!ec) udp.bind(listen, ec);
    if (!ec) udp.set_option(asio::ip::multicast::join_group(group), ec);
    if (ec) return MakeError(ErrorCode::kIo, "cannot open the discovery socket: " + ec.message());
  }
  std::function<void()> send_beacon = [&] {
    auto digest = HelloDigest(store);
    if (digest.ok()) {
      auto bytes = std::make_shared<core::Bytes>(
          EncodeBeacon({store.device().device, listen_port, *digest}));
      udp.async_send_to(asio::buffer(*bytes), asio::ip::udp::endpoint(group, opts.beacon_port),
                        [bytes](const boost::system::error_code&, size_t) {});
    }
    beacon_timer.expires_after(std::chrono::milliseconds(NextBeaconDelayMs(
        opts.beacon_interval_s, static_cast<double>(core::crypto::RandomBytes(1)[0]) / 256.0)));
    beacon_timer.async_wait([&](const boost::system::error_code& e) {
      if (!e) send_beacon();
    });
  };
  // Devices heard by beacon (for a push on sync_now) and those being dialled now.
  struct Heard {
    std::string address;
    uint16_t port = 0;
    std::chrono::steady_clock::time_point at;
  };
  std::map<core::Id16, Heard> heard;
  std::set<core::Id16> dialling;
  auto dial_device = [&](const core::Id16& device, const Heard& h) {
    if (!dialling.insert(device).second) return;
    last_dial[device] = std::chrono::steady_clock::now();
    Dial(io, store, h.address, h.port, opts.tcp, [&, device](const Result<TcpResult>& r) {
      dialling.erase(device);
      count(r);
    });
  };
  std::function<void()> receive_beacon = [&] {
    udp.async_receive_from(
        asio::buffer(udp_buf), udp_from, [&](const boost::system::error_code& e, size_t n) {
          if (e) return;
          auto b = DecodeBeacon(core::ByteView(udp_buf.data(), n));
          if (b.ok() && b->device != store.device().device && !store.IsRevoked(b->device)) {
            auto mine = HelloDigest(store);
            auto now = std::chrono::steady_clock::now();
            Heard h{udp_from.address().to_string(), b->port, now};
            heard[b->device] = h;
            bool same = mine.ok() && b->digest == *mine;
            if (opts.on_beacon) opts.on_beacon(*b, h.address, same);
            if (mine.ok() && !same &&
                (!last_dial.count(b->device) || now - last_dial[b->device] >= opts.beacon_min_gap))
              dial_device(b->device, h);
          }
          receive_beacon();
        });
  };
  auto push_now = [&] {
    if (opts.discovery) send_beacon();
    for (auto& p : peers) {
      if (p.dialling) continue;
      p.timer->cancel();
      schedule(p, std::chrono::milliseconds(0));
    }
    auto now = std::chrono::steady_clock::now();
    for (auto& [device, h] : heard)
      if (now - h.at <= opts.heard_within) dial_device(device, h);
  };
  if (opts.discovery) {
    send_beacon();
    receive_beacon();
  }

  asio::steady_timer poll(io);
  std::function<void()> tick = [&] {
    poll.expires_after(std::chrono::milliseconds(200));
    poll.async_wait([&](const boost::system::error_code& e) {
      if (e) return;
      if (opts.should_stop && opts.should_stop()) return stop();
      if (opts.sync_now && opts.sync_now()) push_now();
      if (!commit(BatchEnd::kPoll)) return stop();
      tick();
    });
  };
  tick();
  if (opts.register_wake)
    opts.register_wake([&io, &opts, push_now] {
      asio::post(io, [&opts, push_now] {
        if (opts.sync_now && opts.sync_now()) push_now();
      });
    });
  io.run();
  if (opts.register_wake) opts.register_wake(nullptr);
  if (commit_failed) return *commit_failed;
  return core::Ok();
}

}  // namespace shelter::sync
