#!/usr/bin/python3
"""Verifies JDV1 certificates with an implementation independent of shelterkit's: Debian's cbor2
(CBOR) and PyNaCl (Ed25519). Reads the trust list through `shelterctl trust show --json` output.

  cert_independent_verify.py verify TRUST.json JDV1_TEXT   -> prints JSON {"valid": ..., "claims": ...}
  cert_independent_verify.py tamper JDV1_TEXT              -> a copy with one claim byte changed
  cert_independent_verify.py forge JDV1_TEXT               -> re-signed by a fresh (unknown) key
  cert_independent_verify.py lists ROOT_HEX TRUST.cose [STATUS.cose]
                                     -> the signed lists' issuer fields and revocations, as JSON
"""
import json
import sys
import zlib

import cbor2
import nacl.exceptions
import nacl.signing

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
PREFIX = "JDV1:"


def b45decode(s):
    out = bytearray()
    for i in range(0, len(s), 3):
        chunk = [ALPHABET.index(c) for c in s[i:i + 3]]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise ValueError("base45 triple out of range")
            out += bytes([n >> 8, n & 0xFF])
        elif len(chunk) == 2:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ValueError("base45 pair out of range")
            out.append(n)
        else:
            raise ValueError("dangling base45 character")
    return bytes(out)


def b45encode(b):
    out = []
    for i in range(0, len(b) - 1, 2):
        n = b[i] * 256 + b[i + 1]
        out += [ALPHABET[n % 45], ALPHABET[(n // 45) % 45], ALPHABET[n // 2025]]
    if len(b) % 2:
        out += [ALPHABET[b[-1] % 45], ALPHABET[b[-1] // 45]]
    return "".join(out)


def cose_of(text):
    assert text.startswith(PREFIX), "no JDV1: prefix"
    wire = b45decode(text[len(PREFIX):])
    return zlib.decompress(wire) if wire[0] == 0x78 else wire, wire


def parse(cose):
    msg = cbor2.loads(cose)
    assert isinstance(msg, cbor2.CBORTag) and msg.tag == 18, "not a COSE_Sign1 (tag 18)"
    protected, unprotected, payload, signature = msg.value
    header = cbor2.loads(protected)
    assert header == {1: -8}, "protected header is not {1: -8}: %r" % header
    return protected, unprotected, payload, signature


def sig_structure(protected, payload):
    return cbor2.dumps(["Signature1", protected, b"", payload])


def verify(trust_json, text):
    cose, wire = cose_of(text)
    protected, unprotected, payload, signature = parse(cose)
    kid = unprotected[4].hex()
    keys = {k["kid"]: k for k in json.load(open(trust_json))["keys"]}
    result = {"wire_bytes": len(wire), "cose_bytes": len(cose), "kid": kid}
    if kid not in keys:
        result.update(valid=False, reason="unknown kid")
        return result
    key = nacl.signing.VerifyKey(bytes.fromhex(keys[kid]["public_key"]))
    try:
        key.verify(sig_structure(protected, payload), signature)
    except nacl.exceptions.BadSignatureError:
        result.update(valid=False, reason="bad signature")
        return result
    claims = cbor2.loads(payload)
    body = claims[-70001]
    # Deterministic encoding: re-encoding canonically gives the signed bytes back.
    result["canonical"] = cbor2.dumps(claims, canonical=True) == payload
    result.update(valid=True, iss=claims[1], iat=claims[6], type=body[1], serial=body[2],
                  head_name=body.get(5), site=body.get(6), level=body.get(7),
                  allowed=keys[kid]["types"], issuer_title=body.get(13),
                  municipality_name=body.get(19))
    # The issuer it names must be the one the trust list gives its key, where it gives one.
    listed = keys[kid].get("title") or None
    if listed and body.get(13) not in (None, listed):
        result.update(valid=False, reason="names another issuer title")
    return result


def signed_payload(root, path):
    protected, _, payload, signature = parse(open(path, "rb").read())
    root.verify(sig_structure(protected, payload), signature)
    return cbor2.loads(payload)


def lists(root_hex, trust_path, status_path=None):
    root = nacl.signing.VerifyKey(bytes.fromhex(root_hex))
    t = signed_payload(root, trust_path)
    out = {"magic": t[0], "municipality_name": t.get(5), "verify_url": t.get(6),
           "titles": [k.get(9) for k in t[4]]}
    if status_path:
        s = signed_payload(root, status_path)
        out["revocations"] = [e[:1] + e[3:] for e in s[4]]  # [serial, reason?]
    return out


def tamper(text):
    cose, _ = cose_of(text)
    protected, unprotected, payload, signature = parse(cose)
    claims = cbor2.loads(payload)
    claims[-70001][7] = 0  # 全壊
    if claims[-70001][1] != 1:
        claims[-70001][2] = claims[-70001][2] + "9"
    forged = cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims), signature]))
    return PREFIX + b45encode(forged)


def forge(text):
    cose, _ = cose_of(text)
    protected, unprotected, payload, _ = parse(cose)
    key = nacl.signing.SigningKey.generate()
    import hashlib
    kid = hashlib.sha256(bytes(key.verify_key)).digest()[:8]
    sig = key.sign(sig_structure(protected, payload)).signature
    return PREFIX + b45encode(cbor2.dumps(cbor2.CBORTag(18, [protected, {4: kid}, payload, sig])))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "verify":
        print(json.dumps(verify(sys.argv[2], sys.argv[3]), ensure_ascii=False))
    elif cmd == "tamper":
        print(tamper(sys.argv[2]))
    elif cmd == "forge":
        print(forge(sys.argv[2]))
    elif cmd == "lists":
        print(json.dumps(lists(*sys.argv[2:5]), ensure_ascii=False))
    else:
        sys.exit("unknown command")
