#include "sync/background_sync.hpp"

#include <ctime>
#include <sstream>

namespace shelter::sync {

using core::ErrorCode;
using core::MakeError;

namespace {

bool ReadBool(const std::string& v, bool* out) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return *out = true, true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return *out = false, true;
  return false;
}

bool ReadPort(const std::string& v, bool allow_zero, uint16_t* out) {
  if (v.empty() || v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos)
    return false;
  unsigned long n = std::stoul(v);
  if (n > 65535 || (n == 0 && !allow_zero)) return false;
  *out = static_cast<uint16_t>(n);
  return true;
}

}  // namespace

core::Result<SyncConfig> ParseSyncConfig(const std::string& text, SyncConfig c) {
  if (text.size() > 64 * 1024)
    return MakeError(ErrorCode::kInvalidArgument, "sync settings too long");
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), v = line.substr(eq + 1);
    auto bad = [&] { return MakeError(ErrorCode::kInvalidArgument, "sync setting " + key); };
    if (key == "enabled") {
      if (!ReadBool(v, &c.enabled)) return bad();
    } else if (key == "discovery") {
      if (!ReadBool(v, &c.discovery)) return bad();
    } else if (key == "port") {
      if (!ReadPort(v, true, &c.port)) return bad();
    } else if (key == "beacon_port") {
      if (!ReadPort(v, false, &c.beacon_port)) return bad();
    } else if (key == "hq") {
      if (!v.empty() && !ParseHostPort(v).ok()) return bad();
      c.hq = v;
    } else if (key == "peers") {
      c.peers.clear();
      std::istringstream list(v);
      std::string one;
      while (std::getline(list, one, ',')) {
        if (one.empty()) continue;
        if (!ParseHostPort(one).ok() || c.peers.size() >= 32) return bad();
        c.peers.push_back(one);
      }
    }
  }
  return c;
}

std::string FormatSyncConfig(const SyncConfig& c) {
  std::string peers;
  for (auto& p : c.peers) peers += (peers.empty() ? "" : ",") + p;
  return "enabled=" + std::string(c.enabled ? "1" : "0") + "\nport=" + std::to_string(c.port) +
         "\npeers=" + peers + "\nhq=" + c.hq + "\ndiscovery=" + (c.discovery ? "1" : "0") +
         "\nbeacon_port=" + std::to_string(c.beacon_port) + "\n";
}

BackgroundSync::BackgroundSync(SyncPeer& store, StoreMutex& mu, NowMs now_ms)
    : peer_(store, mu), now_ms_(std::move(now_ms)) {}

BackgroundSync::~BackgroundSync() { Stop(); }

void BackgroundSync::Start(const SyncConfig& config) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    bool low_power = config_.low_power;
    config_ = config;
    config_.low_power = low_power || config.low_power;
    snap_.discovery_failed = false;
    std::vector<std::string> dialled = config.peers;
    if (!config.hq.empty()) dialled.push_back(config.hq);
    book_.Configure(dialled);
    restart_ = true;
    stop_ = false;
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  wake_.notify_all();
}

void BackgroundSync::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundSync::Kick() {
  kick_.store(true, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mu_);
  if (wake_loop_) wake_loop_();  // the serve loop looks now, not at its next poll
}

void BackgroundSync::SetLowPower(bool on) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (config_.low_power == on) return;
    config_.low_power = on;
    restart_ = true;
  }
  wake_.notify_all();
}

SyncConfig BackgroundSync::config() const {
  std::lock_guard<std::mutex> lock(mu_);
  return config_;
}

SyncSnapshot BackgroundSync::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  SyncSnapshot s = snap_;
  s.low_power = config_.low_power;
  s.peers = book_.rows();
  s.refusals = book_.refusals();
  return s;
}

void BackgroundSync::Recount() {
  auto v = peer_.Vector();  // the store's mutex: never while holding mu_
  if (!v.ok()) return;
  std::lock_guard<std::mutex> lock(mu_);
  book_.Recount(*v);
}

ServeOptions BackgroundSync::OptionsFor(const SyncConfig& c, bool discovery) {
  ServeOptions o;
  o.bind = c.bind;
  o.port = c.port;
  o.tcp.session.now_s = [] { return static_cast<int64_t>(std::time(nullptr)); };
  std::vector<std::string> dialled = c.peers;
  if (!c.hq.empty()) dialled.push_back(c.hq);
  for (auto& a : dialled)
    if (auto hp = ParseHostPort(a); hp.ok()) o.peers.push_back(*hp);
  o.peer_interval = c.low_power ? c.low_power_peer_interval : c.peer_interval;
  o.discovery = discovery;
  o.beacon_port = c.beacon_port;
  o.beacon_interval_s = c.low_power ? c.low_power_beacon_interval_s : c.beacon_interval_s;
  o.beacon_min_gap = std::chrono::seconds(std::min<int64_t>(30, o.beacon_interval_s));
  o.on_listening = [this](uint16_t port) {
    std::lock_guard<std::mutex> lock(mu_);
    snap_.running = true;
    snap_.port = port;
    snap_.error.reset();
  };
  o.should_stop = [this] {
    if (!peer_.Unlocked()) return true;  // keys dropped (a log out): pause
    std::lock_guard<std::mutex> lock(mu_);
    return stop_ || restart_;
  };
  o.sync_now = [this] {
    if (!kick_.exchange(false, std::memory_order_acq_rel)) return false;
    Recount();
    return true;
  };
  o.register_wake = [this](std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(mu_);
    wake_loop_ = std::move(wake);
  };
  o.on_beacon = [this](const Beacon& b, const std::string& address, bool in_sync) {
    std::lock_guard<std::mutex> lock(mu_);
    book_.OnBeacon(b, address, in_sync, now_ms_());
  };
  o.on_session = [this](const core::Result<TcpResult>& r) {
    auto v = peer_.Vector();
    const core::DeviceCert* cert = nullptr;
    if (r.ok())
      if (auto id = core::Id16::FromHex(r->peer_device); id.ok()) cert = peer_.FindCert(*id);
    {
      std::lock_guard<std::mutex> lock(mu_);
      book_.OnSession(r, v.ok() ? *v : VersionVector{}, cert, now_ms_());
      if (r.ok()) {
        snap_.last_sync_ms = now_ms_();
        ++snap_.sessions;
      }
    }
    if (r.ok() && (r->stats.segments_new || r->stats.trust_new) && on_arrival_) on_arrival_();
  };
  o.on_peer = [this](const std::string& host, uint16_t port, const core::Result<TcpResult>& r,
                     std::chrono::milliseconds next) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = now_ms_();
    book_.OnDial(host + ":" + std::to_string(port), r, now + next.count(), now);
  };
  return o;
}

void BackgroundSync::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    restart_ = false;
    if (!config_.enabled) {
      snap_.running = false;
      wake_.wait(lock, [&] { return stop_ || restart_; });
      continue;
    }
    lock.unlock();
    bool unlocked = peer_.Unlocked();
    lock.lock();
    snap_.locked = !unlocked;
    if (!unlocked) {
      snap_.running = false;
      wake_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stop_ || restart_; });
      continue;
    }
    SyncConfig c = config_;
    bool discovery = c.discovery && !snap_.discovery_failed;
    lock.unlock();
    core::Status s = ServeTcp(peer_, OptionsFor(c, discovery));
    lock.lock();
    snap_.running = false;
    if (s.ok()) continue;
    if (discovery && s.error().detail.find("discovery") != std::string::npos) {
      snap_.discovery_failed = true;  // no multicast here: configured peers still sync
      continue;
    }
    snap_.error = s.error().code;
    wake_.wait_for(lock, std::chrono::seconds(10), [&] { return stop_ || restart_; });
  }
  snap_.running = false;
}

}  // namespace shelter::sync
