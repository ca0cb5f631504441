#!/usr/bin/python3
"""Test data for verify_page_test.sh, made with Debian's cbor2 and PyNaCl (not shelterkit's code):

  verify_page_data.py tamper JDV1_TEXT      -> one byte of the signed payload changed, encoded again
  verify_page_data.py forge JDV1_TEXT       -> the same claims signed by a fresh key on no list
  verify_page_data.py truncate JDV1_TEXT    -> the COSE bytes cut short, encoded again
  verify_page_data.py list-qr FILE PREFIX   -> PREFIX + Base45 of a signed list (zlib when smaller)
"""
import hashlib
import os
import sys
import zlib

import cbor2
import nacl.signing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cert_independent_verify import b45encode, cose_of, parse, sig_structure  # noqa: E402


def wire_text(prefix, cose):
    z = zlib.compress(cose, 9)
    return prefix + b45encode(z if len(z) < len(cose) else cose)


def tamper(text):
    protected, unprotected, payload, signature = parse(cose_of(text)[0])
    changed = bytearray(payload)
    changed[len(changed) // 2] ^= 0x01
    msg = cbor2.CBORTag(18, [protected, unprotected, bytes(changed), signature])
    return wire_text("JDV1:", cbor2.dumps(msg))


def forge(text):
    protected, _, payload, _ = parse(cose_of(text)[0])
    key = nacl.signing.SigningKey.generate()
    kid = hashlib.sha256(bytes(key.verify_key)).digest()[:8]
    sig = key.sign(sig_structure(protected, payload)).signature
    return wire_text("JDV1:", cbor2.dumps(cbor2.CBORTag(18, [protected, {4: kid}, payload, sig])))


def truncate(text):
    cose = cose_of(text)[0]
    return wire_text("JDV1:", cose[: len(cose) * 2 // 3])


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "tamper":
        print(tamper(sys.argv[2]))
    elif cmd == "forge":
        print(forge(sys.argv[2]))
    elif cmd == "truncate":
        print(truncate(sys.argv[2]))
    elif cmd == "list-qr":
        print(wire_text(sys.argv[3], open(sys.argv[2], "rb").read()))
    else:
        sys.exit("unknown command")
