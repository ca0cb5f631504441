// The page's configuration and the lists it checks with. config.json (beside the page, written by
// the municipality when it publishes) holds the root public key; the trust list and status list
// come from the files published beside it (trust_list.cbor, status_list.cbor) and from files or
// QR codes the user loads, and the newest verified one of each kind is kept in localStorage. A
// list is verified against the root key every time it is loaded; one that fails is dropped.

import { fromHex } from './cose.js';
import { ListError, listKind, supersedes, verifyStatusList, verifyTrustList } from './lists.js';
import { LIST_MAX_CHARS, LIST_MAX_COSE, decodeWire, prefixOf } from './wire.js';

const KEEP = { JTL1: 'verify.trust_list', JSL1: 'verify.status_list' };
export const PUBLISHED = { JTL1: 'trust_list.cbor', JSL1: 'status_list.cbor' };

export const state = { config: null, rootPk: null, trust: null, status: null, bytes: {} };

function toB64(b) {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}
const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function fetchBytes(url) {
  try {
    const r = await fetch(url, { cache: 'no-cache' });
    return r.ok ? new Uint8Array(await r.arrayBuffer()) : null;
  } catch {
    return null; // offline and not kept: the caller goes on without it
  }
}

// Reads config.json. Returns an error key ('' when fine).
export async function loadConfig() {
  let cfg = null;
  try {
    const r = await fetch('config.json', { cache: 'no-cache' });
    if (r.ok) cfg = await r.json();
  } catch {
    cfg = null;
  }
  const pk = cfg && fromHex(cfg.root_public_key);
  if (!pk || pk.length !== 32 || typeof cfg.municipality_code !== 'string') return 'muni.unset';
  state.config = cfg;
  state.rootPk = pk;
  return '';
}

// Verifies a list of either kind: {kind, list} or throws ListError.
async function verifyAny(bytes) {
  const kind = listKind(bytes);
  if (!kind) throw new ListError('malformed', 'neither a trust list nor a status list');
  const list =
    kind === 'JTL1'
      ? await verifyTrustList(bytes, state.rootPk)
      : await verifyStatusList(bytes, state.rootPk);
  if (list.code !== state.config.municipality_code) {
    throw new ListError('municipality', `a list of municipality ${list.code}`);
  }
  return { kind, list };
}

// Offers a list: 'updated' when it replaced the one held (or there was none), 'older' when it did
// not; throws ListError when it is not a valid list of this municipality.
export async function offerList(bytes, { keep = true } = {}) {
  const { kind, list } = await verifyAny(bytes);
  const held = kind === 'JTL1' ? state.trust : state.status;
  if (held && !supersedes(list, bytes, held, state.bytes[kind]))
    return { kind, list: held, result: 'older' };
  if (kind === 'JTL1') state.trust = list;
  else state.status = list;
  state.bytes[kind] = bytes;
  if (keep) {
    try {
      localStorage.setItem(KEEP[kind], toB64(bytes));
    } catch {
      // Storage full or refused: the list still applies until the page is closed.
    }
  }
  return { kind, list, result: 'updated' };
}

// The bytes of a list as a file holds them: the COSE bytes, or the text JTL1:/JSL1: + Base45.
export async function listBytesOf(fileBytes) {
  if (fileBytes[0] === 0xd2 || fileBytes[0] === 0x84) return fileBytes;
  const text = new TextDecoder().decode(fileBytes.subarray(0, LIST_MAX_CHARS + 64));
  return listBytesOfText(text);
}

export async function listBytesOfText(text) {
  const prefix = prefixOf(text);
  if (prefix !== 'JTL1:' && prefix !== 'JSL1:') throw new ListError('malformed', 'not a list');
  try {
    return await decodeWire(text, prefix, LIST_MAX_CHARS, LIST_MAX_COSE);
  } catch (e) {
    throw new ListError('malformed', e.message);
  }
}

// The published lists and the kept ones; the newest valid one of each kind wins.
export async function loadLists() {
  for (const kind of ['JTL1', 'JSL1']) {
    const kept = localStorage.getItem(KEEP[kind]);
    const candidates = [await fetchBytes(PUBLISHED[kind])];
    try {
      if (kept) candidates.push(fromB64(kept));
    } catch {
      localStorage.removeItem(KEEP[kind]);
    }
    for (const bytes of candidates) {
      if (!bytes) continue;
      try {
        await offerList(bytes);
      } catch {
        // Not this municipality's, or damaged: ignored (a kept one that fails is replaced).
      }
    }
  }
}
