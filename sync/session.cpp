#include "sync/session.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/codec/cbor.hpp"

namespace shelter::sync {
// [SECTION] index: Helpers (digests, CBOR arrays) · Handshake (Noise XX, peer certificates) ·
// Messages (hello, vector, certificates, trust items, segments) · Output (flush, pump)

// [SECTION] Helpers (digests, CBOR arrays)
namespace {

using core::ErrorCode;
using core::MakeError;
using core::Status;

constexpr std::string_view kPrologue = "shelterkit sync";

int64_t SystemNowS() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

Bytes Cbor(core::cbor::Array a) { return core::cbor::Encode(core::cbor::Item(std::move(a))); }

Result<core::cbor::Array> DecodeArray(ByteView b, const char* what) {
  core::cbor::DecodeLimits lim{4, 16};
  auto doc = core::cbor::Decode(b, lim);
  if (!doc.ok() || !doc->as_array())
    return MakeError(ErrorCode::kParse, std::string("malformed ") + what);
  return *doc->as_array();
}

// SHA-256 over the encoded vector and the SHA-256 of each trust item (in storage-key order);
// a device with unsealed ops adds their count, so that no peer takes it to be in step.
std::array<uint8_t, 16> DigestOf(const Bytes& vector_bytes, const std::vector<Bytes>& trust,
                                 uint64_t unsealed = 0) {
  Bytes all = vector_bytes;
  for (auto& t : trust) {
    core::Hash32 th = core::crypto::Sha256(core::View(t));
    core::Append(all, core::ByteView(th.data(), th.size()));
  }
  if (unsealed > 0) {
    constexpr std::string_view kTag = "unsealed";
    all.insert(all.end(), kTag.begin(), kTag.end());
    for (int i = 7; i >= 0; --i) all.push_back(static_cast<uint8_t>(unsealed >> (8 * i)));
  }
  core::Hash32 d = core::crypto::Sha256(core::View(all));
  std::array<uint8_t, 16> out;
  std::memcpy(out.data(), d.data(), out.size());
  return out;
}

}  // namespace

Result<std::array<uint8_t, 16>> HelloDigest(SyncPeer& peer) {
  SHELTER_ASSIGN_OR_RETURN(VersionVector v, peer.Vector());
  SHELTER_ASSIGN_OR_RETURN(auto trust, peer.TrustItems());
  return DigestOf(EncodeVector(v), trust, peer.UnsealedOps());
}

SyncSession::SyncSession(SyncPeer& store, bool initiator, SessionOptions opts)
    : store_(store), initiator_(initiator), opts_(std::move(opts)) {
  if (!opts_.now_s) opts_.now_s = SystemNowS;
}

// [SECTION] Handshake (Noise XX, peer certificates)
Status SyncSession::Fail(core::Error e) {
  failed_ = true;
  return e;
}

Status SyncSession::Start() {
  if (hs_) return MakeError(ErrorCode::kInternal, "session already started");
  if (!store_.Unlocked()) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  HandshakeConfig c;
  c.pattern = NoisePattern::kXX;
  c.initiator = initiator_;
  c.prologue = Bytes(kPrologue.begin(), kPrologue.end());
  NoiseStatic s;
  s.pub = store_.device().box_pk;
  SyncPeer* store = &store_;
  s.dh = [store](const Key32& peer) { return store->StaticDh(peer); };
  c.s = std::move(s);
  SHELTER_ASSIGN_OR_RETURN(HandshakeState hs, HandshakeState::Create(std::move(c)));
  hs_ = std::move(hs);
  if (initiator_) {
    // Message 1 is cleartext: only the versions this device speaks.
    Bytes payload = Cbor({core::cbor::Item(static_cast<int64_t>(kProtocolVersion)),
                          core::cbor::Item(static_cast<int64_t>(kProtocolVersion))});
    SHELTER_ASSIGN_OR_RETURN(Bytes m1, hs_->WriteMessage(core::View(payload)));
    AppendFrame(out_, core::View(m1));
    stats_.handshake_bytes_out += kFrameHeaderBytes + m1.size();
  }
  return core::Ok();
}

Status SyncSession::OnReceive(ByteView bytes) {
  if (failed_) return MakeError(ErrorCode::kInternal, "session already failed");
  if (!hs_) return Fail(MakeError(ErrorCode::kInternal, "session not started"));
  stats_.bytes_in += bytes.size();
  frames_.Feed(bytes);
  while (true) {
    auto f = frames_.Next();
    if (!f.ok()) return Fail(f.error());
    if (!*f) break;
    Status s = OnFrame(core::View(**f));
    if (!s.ok()) return failed_ ? s : Fail(s.error());
  }
  return Flush();
}

Status SyncSession::OnFrame(ByteView frame) {
  if (!transport_) {
    stats_.handshake_bytes_in += kFrameHeaderBytes + frame.size();
    return OnHandshakeMessage(frame);
  }
  SHELTER_ASSIGN_OR_RETURN(Bytes plain, transport_->Decrypt(frame));
  messages_.Feed(core::View(plain));
  while (true) {
    SHELTER_ASSIGN_OR_RETURN(std::optional<Message> m, messages_.Next());
    if (!m) return core::Ok();
    SHELTER_TRY(OnMessage(*m));
  }
}

Status SyncSession::OnHandshakeMessage(ByteView frame) {
  if (hs_->IsMyTurn() || hs_->Finished())
    return MakeError(ErrorCode::kParse, "unexpected handshake message");
  SHELTER_ASSIGN_OR_RETURN(Bytes payload, hs_->ReadMessage(frame));
  SHELTER_ASSIGN_OR_RETURN(auto my_cert, store_.SignedCert(store_.device().device));
  if (!my_cert) return MakeError(ErrorCode::kCorrupt, "this device's certificate is missing");
  Bytes reply;
  if (!initiator_ && !hs_->remote_static()) {
    // Message 1: pick the version, answer with it and our certificate (encrypted).
    SHELTER_ASSIGN_OR_RETURN(auto a, DecodeArray(core::View(payload), "handshake hello"));
    const int64_t* lo = a.size() >= 2 ? a[0].as_int() : nullptr;
    const int64_t* hi = a.size() >= 2 ? a[1].as_int() : nullptr;
    if (!lo || !hi) return MakeError(ErrorCode::kParse, "malformed version range");
    bool common = *lo <= kProtocolVersion && kProtocolVersion <= static_cast<uint64_t>(*hi);
    Bytes p2 = Cbor({core::cbor::Item(static_cast<int64_t>(common ? kProtocolVersion : 0)),
                     core::cbor::Item(common ? *my_cert : Bytes())});
    SHELTER_ASSIGN_OR_RETURN(reply, hs_->WriteMessage(core::View(p2)));
    AppendFrame(out_, core::View(reply));
    stats_.handshake_bytes_out += kFrameHeaderBytes + reply.size();
    if (!common)
      return Fail(MakeError(ErrorCode::kUnsupported, "peer speaks no common protocol version"));
    return core::Ok();
  }
  if (initiator_) {
    // Message 2: the responder's version and certificate; answer with ours.
    SHELTER_ASSIGN_OR_RETURN(auto a, DecodeArray(core::View(payload), "handshake reply"));
    const int64_t* v = a.size() >= 2 ? a[0].as_int() : nullptr;
    const Bytes* cert = a.size() >= 2 ? a[1].as_bytes() : nullptr;
    if (!v || !cert) return MakeError(ErrorCode::kParse, "malformed handshake reply");
    if (*v != static_cast<int64_t>(kProtocolVersion))
      return MakeError(ErrorCode::kUnsupported, "peer speaks no common protocol version");
    SHELTER_TRY(CheckPeer(core::View(*cert)));
    Bytes p3 = Cbor({core::cbor::Item(*my_cert)});
    SHELTER_ASSIGN_OR_RETURN(reply, hs_->WriteMessage(core::View(p3)));
    AppendFrame(out_, core::View(reply));
    stats_.handshake_bytes_out += kFrameHeaderBytes + reply.size();
  } else {
    // Message 3: the initiator's certificate.
    SHELTER_ASSIGN_OR_RETURN(auto a, DecodeArray(core::View(payload), "handshake certificate"));
    const Bytes* cert = a.empty() ? nullptr : a[0].as_bytes();
    if (!cert) return MakeError(ErrorCode::kParse, "malformed handshake certificate");
    SHELTER_TRY(CheckPeer(core::View(*cert)));
  }
  if (!hs_->Finished()) return MakeError(ErrorCode::kInternal, "handshake did not finish");
  transport_ = hs_->Split();
  phase_ = Phase::kHello;
  return SendHello();
}

Status SyncSession::CheckPeer(ByteView signed_cert) {
  Status s = CheckPeerCert(signed_cert);
  if (!s.ok()) {
    // Reported where staff look (shelterctl status): who tried, never what they sent.
    core::Id16 who;
    if (auto any = core::VerifyDeviceCert(signed_cert, store_.root_pk()); any.ok())
      who = any->device;
    (void)store_.RecordIncident("untrusted-peer", who, s.error().detail);
  }
  return s;
}

Status SyncSession::CheckPeerCert(ByteView signed_cert) {
  auto cert = core::VerifyDeviceCert(signed_cert, store_.root_pk());
  if (!cert.ok())
    return MakeError(ErrorCode::kPermissionDenied,
                     "peer certificate is not signed by this municipality's root key");
  if (cert->municipality_code != store_.device().municipality_code)
    return MakeError(ErrorCode::kPermissionDenied, "peer belongs to another municipality");
  if (!hs_->remote_static() || *hs_->remote_static() != cert->box_pk)
    return MakeError(ErrorCode::kPermissionDenied,
                     "peer's transport key is not the one its certificate names");
  if (cert->device == store_.device().device)
    return MakeError(ErrorCode::kPermissionDenied, "peer presents this device's own identity");
  int64_t now = opts_.now_s();
  if (now + opts_.clock_allowance_s < cert->not_before ||
      now - opts_.clock_allowance_s > cert->not_after)
    return MakeError(ErrorCode::kPermissionDenied, "peer certificate is not valid now");
  if (store_.IsRevoked(cert->device) || (opts_.is_revoked && opts_.is_revoked(cert->device)))
    return MakeError(ErrorCode::kPermissionDenied,
                     "peer device " + cert->device.Hex() + " is revoked");
  SHELTER_TRY(Learn(*cert, signed_cert));
  peer_ = *cert;
  return core::Ok();
}

Status SyncSession::Learn(const core::DeviceCert& cert, ByteView signed_cert) {
  // Known already: no disk write (an idle in-sync check should not touch storage).
  const core::DeviceCert* known = store_.FindCert(cert.device);
  if (known && known->sign_pk == cert.sign_pk && known->box_pk == cert.box_pk &&
      known->incarnation == cert.incarnation && known->not_after == cert.not_after)
    return core::Ok();
  return store_.AddDeviceCert(signed_cert);
}

// [SECTION] Messages (hello, vector, certificates, trust items, segments)
Status SyncSession::SendHello() {
  // The peer is authenticated and asks: what this device committed unsealed becomes segments.
  SHELTER_TRY(store_.SealUnsealed());
  SHELTER_ASSIGN_OR_RETURN(mine_, store_.Vector());
  my_vector_bytes_ = EncodeVector(mine_);
  SHELTER_ASSIGN_OR_RETURN(my_trust_, store_.TrustItems());
  my_digest_ = DigestOf(my_vector_bytes_, my_trust_);
  Hello h;
  h.digest = my_digest_;
  for (auto& [dev, n] : mine_) h.segments += n;
  Queue(MsgType::kHello, core::View(EncodeHello(h)));
  return core::Ok();
}

Status SyncSession::OnMessage(const Message& m) {
  switch (static_cast<MsgType>(m.type)) {
    case MsgType::kHello: return OnHello(core::View(m.body));
    case MsgType::kVector: return OnVector(core::View(m.body));
    case MsgType::kCert: return OnCert(core::View(m.body));
    case MsgType::kSegment: return OnSegment(core::View(m.body));
    case MsgType::kTrust: return OnTrust(core::View(m.body));
    case MsgType::kDone:
      if (phase_ != Phase::kStreaming && phase_ != Phase::kVectors)
        return MakeError(ErrorCode::kParse, "done before the vectors");
      SHELTER_TRY(DecodeDone(core::View(m.body)));
      peer_done_ = true;
      return core::Ok();
  }
  return core::Ok();  // unknown message types are skipped (newer peers)
}

Status SyncSession::OnHello(ByteView body) {
  if (phase_ != Phase::kHello) return MakeError(ErrorCode::kParse, "unexpected hello");
  SHELTER_ASSIGN_OR_RETURN(Hello theirs, DecodeHello(body));
  if (my_digest_ == theirs.digest) {
    stats_.in_sync = true;  // one round trip: nothing else to say
    phase_ = Phase::kStreaming;
    done_queued_ = peer_done_ = true;
    return core::Ok();
  }
  // Revocations and key grants first: they decide what the rest of the session may do.
  for (auto& t : my_trust_) Queue(MsgType::kTrust, core::View(t));
  Queue(MsgType::kVector, core::View(my_vector_bytes_));
  phase_ = Phase::kVectors;
  return core::Ok();
}

Status SyncSession::OnVector(ByteView body) {
  if (phase_ != Phase::kVectors) return MakeError(ErrorCode::kParse, "unexpected vector");
  SHELTER_ASSIGN_OR_RETURN(VersionVector theirs, DecodeVector(body));
  // HQ-bound data first: what shelters wrote (tablets, kiosks) before what flows out from the
  // admin and HQ devices; within a class by segment number, so every device advances and a
  // dropped connection leaves each device's run contiguous.
  struct Item {
    int cls;
    uint64_t number;
    core::Id16 device;
    auto operator<=>(const Item&) const = default;
  };
  std::vector<Item> items;
  for (const Want& w : MissingFrom(mine_, theirs)) {
    const core::DeviceCert* c = store_.FindCert(w.device);
    int cls =
        c && (c->role == core::DeviceRole::kAdmin || c->role == core::DeviceRole::kHq) ? 1 : 0;
    if (!theirs.count(w.device)) certs_to_send_.insert(w.device);
    for (uint64_t n = w.from_number; n <= w.to_number; ++n) items.push_back({cls, n, w.device});
  }
  std::sort(items.begin(), items.end());
  for (auto& it : items) to_send_.emplace_back(it.device, it.number);
  phase_ = Phase::kStreaming;
  return core::Ok();
}

void SyncSession::Reject(const std::string& why) { reports_.push_back(why); }

Status SyncSession::OnCert(ByteView body) {
  if (phase_ != Phase::kStreaming && phase_ != Phase::kVectors)
    return MakeError(ErrorCode::kParse, "certificate before the vectors");
  auto c = core::VerifyDeviceCert(body, store_.root_pk());
  Status s = c.ok() ? Learn(*c, body) : Status(c.error());
  if (s.ok() && opts_.is_revoked && opts_.is_revoked(c->device))
    s = MakeError(ErrorCode::kPermissionDenied, "revoked");
  if (!s.ok()) {
    ++stats_.certs_rejected;
    Reject("certificate refused: " + s.error().detail);
    if (stats_.certs_rejected + stats_.segments_rejected > opts_.max_rejects)
      return MakeError(ErrorCode::kPermissionDenied, "peer sent too many bad certificates");
  }
  return core::Ok();
}

Status SyncSession::OnTrust(ByteView body) {
  if (phase_ != Phase::kStreaming && phase_ != Phase::kVectors)
    return MakeError(ErrorCode::kParse, "trust item before the hello");
  auto r = store_.AddTrustItem(body);
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kIo) return r.error();
    ++stats_.trust_rejected;
    Reject("trust item refused: " + r.error().detail);
    if (stats_.trust_rejected + stats_.certs_rejected + stats_.segments_rejected >
        opts_.max_rejects)
      return MakeError(ErrorCode::kPermissionDenied, "peer sent too many bad items");
    return core::Ok();
  }
  if (*r) ++stats_.trust_new;
  if (peer_ && store_.IsRevoked(peer_->device))
    return MakeError(ErrorCode::kPermissionDenied,
                     "peer device " + peer_->device.Hex() + " is revoked");
  return core::Ok();
}

Status SyncSession::OnSegment(ByteView body) {
  if (phase_ != Phase::kStreaming && phase_ != Phase::kVectors)
    return MakeError(ErrorCode::kParse, "segment before the vectors");
  auto r = store_.Ingest(body);
  if (r.ok()) {
    ++(*r ? stats_.segments_new : stats_.segments_duplicate);
    return core::Ok();
  }
  switch (r.error().code) {
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
    case ErrorCode::kUnauthenticated: return r.error();  // our problem, not the peer's
    default: break;
  }
  ++stats_.segments_rejected;
  Reject(std::string("segment refused (") + core::ErrorCodeName(r.error().code) +
         "): " + r.error().detail);
  if (stats_.certs_rejected + stats_.segments_rejected > opts_.max_rejects)
    return MakeError(ErrorCode::kPermissionDenied, "peer sent too many bad segments");
  return core::Ok();
}

void SyncSession::Queue(MsgType type, ByteView body) { AppendMessage(plain_, type, body); }

// [SECTION] Output (flush, pump)
Status SyncSession::Flush() {
  if (!transport_ || plain_.empty()) return core::Ok();
  for (size_t off = 0; off < plain_.size(); off += kNoiseMaxPlaintext) {
    size_t n = std::min(kNoiseMaxPlaintext, plain_.size() - off);
    SHELTER_ASSIGN_OR_RETURN(Bytes ct, transport_->Encrypt(core::View(plain_).substr(off, n)));
    AppendFrame(out_, core::View(ct));
  }
  plain_.clear();
  return core::Ok();
}

Status SyncSession::Pump() {
  if (phase_ != Phase::kStreaming || done_queued_) return Flush();
  while (out_.size() + plain_.size() < opts_.output_chunk) {
    if (!certs_to_send_.empty()) {
      core::Id16 dev = *certs_to_send_.begin();
      certs_to_send_.erase(certs_to_send_.begin());
      SHELTER_ASSIGN_OR_RETURN(auto cert, store_.SignedCert(dev));
      if (cert) {
        Queue(MsgType::kCert, core::View(*cert));
        ++stats_.certs_sent;
      }
    } else if (!to_send_.empty()) {
      auto [dev, number] = to_send_.front();
      to_send_.pop_front();
      SHELTER_ASSIGN_OR_RETURN(auto seg, store_.GetSegment(dev, number));
      if (seg && store_.Admissible(seg->header)) {  // never pass on a revoked device's forgeries
        Queue(MsgType::kSegment, core::View(seg->wire));
        ++stats_.segments_sent;
        SHELTER_TRY(Flush());  // a segment ends on a frame: a cut loses at most the one in flight
      }
    } else {
      Queue(MsgType::kDone, core::View(EncodeDone(stats_.segments_sent)));
      done_queued_ = true;
      break;
    }
  }
  return Flush();
}

Bytes SyncSession::TakeOutput() {
  if (!failed_) {
    Status s = Pump();
    if (!s.ok()) failed_ = true;
  }
  Bytes out = std::move(out_);
  out_.clear();
  stats_.bytes_out += out.size();
  return out;
}

bool SyncSession::Finished() const {
  return !failed_ && transport_ && done_queued_ && peer_done_ && plain_.empty() && out_.empty();
}

}  // namespace shelter::sync
