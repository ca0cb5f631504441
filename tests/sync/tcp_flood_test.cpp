// Specifies sync/tcp_link, with sync/tcp_listener.
// ServeTcp under a bounded flood of idle connections on loopback (127.0.0.0/8 only): the accept
// loop used to return on its first error, so running out of file descriptors (EMFILE) left a
// device deaf for good; now it keeps accepting, caps sessions per listener and per address and
// closes idle connections at the handshake deadline, and a real sync still completes.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sync/node_peer.hpp"
#include "sync/tcp_link.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace std::chrono_literals;

namespace {

// ServeTcp on its own thread (the node is used there only), bound to 127.0.0.1.
class Server {
 public:
  Server(core::Node& node, sync::ServeOptions o) : store_(node) {
    o.bind = "127.0.0.1";
    o.port = 0;
    o.on_listening = [this](uint16_t p) { port_ = p; };
    o.should_stop = [this] { return stop_.load(); };
    o.on_warning = [this](const std::string& w) {
      std::lock_guard<std::mutex> lock(mu_);
      warnings_.push_back(w);
    };
    thread_ = std::thread([this, o] { status_ = sync::ServeTcp(store_, o); });
    for (int i = 0; i < 500 && port_ == 0; ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(port_ != 0);
  }
  ~Server() {
    stop_ = true;
    thread_.join();
  }
  uint16_t port() const { return port_; }
  bool Warned(const std::string& part) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& w : warnings_)
      if (w.find(part) != std::string::npos) return true;
    return false;
  }
  // Waits up to `wait` for a warning containing `part`.
  bool WaitWarning(const std::string& part, std::chrono::milliseconds wait) {
    auto end = std::chrono::steady_clock::now() + wait;
    while (!Warned(part) && std::chrono::steady_clock::now() < end)
      std::this_thread::sleep_for(10ms);
    return Warned(part);
  }

 private:
  sync::NodePeer store_;
  std::atomic<uint16_t> port_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> warnings_;
  core::Status status_ = core::Ok();
  std::thread thread_;
};

// A TCP socket bound to the loopback address `from` (127.0.0.x), not yet connected.
int LoopbackSocket(const std::string& from) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  REQUIRE(inet_pton(AF_INET, from.c_str(), &a.sin_addr) == 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

bool ConnectTo(int fd, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

// Whether the server closed `fd` (EOF or reset) within `wait`.
bool ClosedByServer(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char c;
  return ::recv(fd, &c, 1, MSG_DONTWAIT) <= 0;
}

core::Result<sync::TcpResult> RealSync(core::Node& node, uint16_t port) {
  sync::TcpOptions t;
  t.timeout = 10s;
  sync::NodePeer store(node);
  return sync::SyncOverTcp(store, "127.0.0.1", port, t);
}

}  // namespace

TEST_CASE("serve: accepting goes on after running out of file descriptors (EMFILE)") {
  test::TestShelter sh(2);
  Server server(sh.tablet(1), sync::ServeOptions{});

  // Sockets made first; then the open-file limit is lowered to the lowest free descriptor, so
  // that the server's accept() for each of their connections fails with EMFILE.
  std::vector<int> flood;
  for (int i = 0; i < 20; ++i) flood.push_back(LoopbackSocket("127.0.0.2"));
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &old) == 0);
  int lowest_free = ::open("/dev/null", O_RDONLY);
  REQUIRE(lowest_free >= 0);
  ::close(lowest_free);
  rlimit low = old;
  low.rlim_cur = static_cast<rlim_t>(lowest_free);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
  int connected = 0;
  for (int fd : flood) connected += ConnectTo(fd, server.port()) ? 1 : 0;
  bool warned = server.WaitWarning("cannot accept connections", 5s);
  std::this_thread::sleep_for(300ms);  // several back-offs while still out of descriptors
  for (int fd : flood) ::close(fd);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &old) == 0);
  CHECK(connected == 20);
  CHECK(warned);

  auto r = RealSync(sh.tablet(0), server.port());
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->peer_device == sh.tablet(1).device().device.Hex());
}

TEST_CASE(
    "serve: connections over the caps are closed at once, idle ones at the handshake deadline") {
  test::TestShelter sh(2);
  sync::ServeOptions o;
  o.max_connections = 6;
  o.max_connections_per_address = 2;
  o.tcp.handshake_timeout = 1500ms;
  Server server(sh.tablet(1), o);

  // 5 addresses x 4 idle connections: 2 each from the first 3 addresses fill the listener.
  std::vector<std::pair<std::string, int>> flood;
  for (int a = 2; a <= 6; ++a)
    for (int i = 0; i < 4; ++i) {
      std::string from = "127.0.0." + std::to_string(a);
      int fd = LoopbackSocket(from);
      REQUIRE(ConnectTo(fd, server.port()));
      flood.push_back({from, fd});
    }
  std::this_thread::sleep_for(300ms);
  std::vector<std::pair<std::string, int>> held;
  for (auto& [from, fd] : flood)
    if (!ClosedByServer(fd, 0ms)) held.push_back({from, fd});
  CHECK(held.size() == 6);
  for (auto& [from, fd] : held) {
    CAPTURE(from);
    CHECK(std::count_if(held.begin(), held.end(), [&](auto& h) { return h.first == from; }) <= 2);
  }
  CHECK(server.Warned("refusing connections"));

  // The listener is full: a real device is turned away too, quickly, not left hanging...
  auto refused = RealSync(sh.tablet(0), server.port());
  CHECK_FALSE(refused.ok());
  // ...until the idle connections reach the handshake deadline and are closed.
  for (auto& [from, fd] : held) CHECK(ClosedByServer(fd, 3000ms));
  auto r = RealSync(sh.tablet(0), server.port());
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->peer_device == sh.tablet(1).device().device.Hex());
  for (auto& [from, fd] : flood) ::close(fd);
}
