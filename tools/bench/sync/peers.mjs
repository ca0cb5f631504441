// Replays trace.json with Yjs (+ y-protocols sync) and Automerge (sync protocol) and prints one
// JSON line per peer: bytes and messages of the reconcile syncs, round trips, CPU ms, concurrent
// values kept on the hot records, and the idle (already in sync) check.
import fs from 'node:fs';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as A from '@automerge/automerge';

const trace = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

// ---- Yjs: y-protocols step 1 (state vector) and step 2 (missing updates) both ways: 1 RTT.
function yjsSync(a, b, stats) {
  const msgs = [];
  for (const [from, to] of [[a, b], [b, a]]) {
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep1(e, from);
    msgs.push([encoding.toUint8Array(e), to, from]);
  }
  for (const [m, to, from] of msgs) {
    stats.bytes += m.length; stats.messages++;
    const reply = encoding.createEncoder();
    syncProtocol.readSyncMessage(decoding.createDecoder(m), reply, to, 'peer');
    const r = encoding.toUint8Array(reply);
    stats.bytes += r.length; stats.messages++;
    syncProtocol.readSyncMessage(decoding.createDecoder(r), encoding.createEncoder(), from, 'peer');
  }
  stats.roundTrips += 1;
}
function runYjs() {
  const docs = [0, 1, 2].map((i) => { const d = new Y.Doc(); d.clientID = 1000 + i; return d; });
  const m0 = docs[0].getMap('records');
  docs[0].transact(() => {
    for (const r of trace.records) {
      const rec = new Y.Map();
      for (const [k, v] of Object.entries(r)) if (k !== 'id') rec.set(k, v);
      m0.set(r.id, rec);
    }
  });
  const full = Y.encodeStateAsUpdate(docs[0]);
  Y.applyUpdate(docs[1], full); Y.applyUpdate(docs[2], full);
  for (const e of trace.edits) docs[e.replica].getMap('records').get(trace.records[e.record].id).set('status', e.value);
  const stats = { bytes: 0, messages: 0, roundTrips: 0 };
  const t0 = cpu();
  for (const [a, b] of trace.syncs) yjsSync(docs[a], docs[b], stats);
  const cpuMs = cpu() - t0;
  yjsSync(docs[0], docs[2], { bytes: 0, messages: 0, roundTrips: 0 });
  const idle = { bytes: 0, messages: 0, roundTrips: 0 };
  yjsSync(docs[0], docs[2], idle);
  let kept = 0;
  for (const i of trace.hot) kept += 1;  // a Y.Map key holds one value: the others are gone
  const same = Buffer.compare(Buffer.from(Y.encodeStateVector(docs[0])), Buffer.from(Y.encodeStateVector(docs[2]))) === 0;
  return { peer: 'yjs 13.6.33', full_state_bytes: full.length, ...stats, cpu_ms: cpuMs,
           hot_values_kept: kept, hot_values_written: trace.hot.length * 3, idle_check_bytes: idle.bytes,
           converged: same };
}

// ---- Automerge: generateSyncMessage / receiveSyncMessage until both are quiet.
function amSync(a, b, states, ia, ib, stats) {
  let docs = { [ia]: a, [ib]: b };
  let flights = 0;
  for (let quiet = 0; quiet < 2;) {
    let sent = false;
    for (const [x, y] of [[ia, ib], [ib, ia]]) {
      const [s, msg] = A.generateSyncMessage(docs[x], states[x][y]);
      states[x][y] = s;
      if (msg) {
        sent = true; stats.bytes += msg.length; stats.messages++;
        const [d, s2] = A.receiveSyncMessage(docs[y], states[y][x], msg);
        docs[y] = d; states[y][x] = s2;
      }
    }
    if (sent) { flights++; quiet = 0; } else quiet++;
  }
  stats.roundTrips += flights;
  return [docs[ia], docs[ib]];
}
function runAutomerge() {
  let d0 = A.from({ records: {} }, { actor: '00'.repeat(15) + '01' });
  d0 = A.change(d0, (d) => {
    for (const r of trace.records) { const { id, ...rest } = r; d.records[id] = rest; }
  });
  const full = A.save(d0);
  const docs = [d0, A.clone(A.load(full), { actor: '00'.repeat(15) + '02' }), A.clone(A.load(full), { actor: '00'.repeat(15) + '03' })];
  const states = [0, 1, 2].map(() => [0, 1, 2].map(() => A.initSyncState()));
  for (const e of trace.edits)
    docs[e.replica] = A.change(docs[e.replica], (d) => { d.records[trace.records[e.record].id].status = e.value; });
  const stats = { bytes: 0, messages: 0, roundTrips: 0 };
  const t0 = cpu();
  for (const [a, b] of trace.syncs) [docs[a], docs[b]] = amSync(docs[a], docs[b], states, a, b, stats);
  const cpuMs = cpu() - t0;
  [docs[0], docs[2]] = amSync(docs[0], docs[2], states, 0, 2, { bytes: 0, messages: 0, roundTrips: 0 });
  // The idle check runs on a new connection: sync states as persisted between connections.
  for (const [x, y] of [[0, 2], [2, 0]]) states[x][y] = A.decodeSyncState(A.encodeSyncState(states[x][y]));
  const idle = { bytes: 0, messages: 0, roundTrips: 0 };
  [docs[0], docs[2]] = amSync(docs[0], docs[2], states, 0, 2, idle);
  let kept = 0;
  for (const i of trace.hot) kept += Object.keys(A.getConflicts(docs[2].records[trace.records[i].id], 'status') ?? {}).length;
  return { peer: 'automerge 3.5.0', full_state_bytes: full.length, ...stats,            cpu_ms: cpuMs, hot_values_kept: kept, hot_values_written: trace.hot.length * 3,
           idle_check_bytes: idle.bytes, converged: A.equals(docs[0], docs[2]) };
}

for (const f of [runYjs, runAutomerge]) console.log(JSON.stringify(f()));
