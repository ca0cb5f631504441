#!/usr/bin/python3
"""A virtual My Number Card (券面事項入力補助AP only) for tests over the real PC/SC stack.

It plugs into vsmartcard's vpcd through python3-virtualsmartcard's VirtualICC, so pcscd and
libpcsclite see an ordinary reader with a card in it. The card answers the APDUs shelterkit sends
(SELECT by DF name / FID, VERIFY with and without data, READ BINARY) with the file layouts of the
real card, and can misbehave on purpose (--fault). Every command APDU it receives is appended to
--log as hex (the VERIFY data masked), followed by power events, so tests can check what was sent.

Run with Debian's /usr/bin/python3 (python3-virtualsmartcard, python3-pycryptodome).
"""

import argparse
import hashlib
import importlib
import logging
import os
import socket
import sys

TEXT_AP = bytes.fromhex("D3921000310001010408")
ATR = bytes.fromhex("3B888001000000000000000009")

FAULTS = ("none", "locked-63c0", "locked-6983", "locked-6984", "not-mynumber", "bad-digest")


def import_virtualsmartcard():
    """Debian installs the module outside sys.path and only the Cryptodome namespace of
    pycryptodome, while virtualsmartcard imports Crypto: alias it before importing."""
    sys.path.insert(0, "/usr/lib/python3/site-packages/virtualsmartcard")
    try:
        import Cryptodome  # noqa: F401
        sys.modules.setdefault("Crypto", Cryptodome)
        for sub in ("Cipher", "Hash", "Util", "PublicKey", "Signature", "Random", "Protocol"):
            try:
                sys.modules.setdefault("Crypto." + sub, importlib.import_module("Cryptodome." + sub))
            except ImportError:
                pass
    except ImportError:
        pass
    from virtualsmartcard.VirtualSmartcard import SmartcardOS, VirtualICC
    return SmartcardOS, VirtualICC


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return tag + length + value


def basic_info_file(name, address, birth, sex):
    """EF 0002: FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth date, DF25 sex }."""
    fields = [tlv(bytes([0xDF, 0x22 + i]), v) for i, v in
              enumerate([name.encode(), address.encode(), birth.encode(), sex.encode()])]
    body_len = 11 + sum(len(f) for f in fields)  # DF21 TLV: 3 + 8 bytes
    header_len = len(tlv(b"\xFF\x20", bytes(body_len))) - body_len
    offsets, pos = [], header_len + 11
    for f in fields:
        offsets.append(pos)
        pos += len(f)
    df21 = tlv(b"\xDF\x21", b"".join(o.to_bytes(2, "big") for o in offsets))
    value = df21 + b"".join(fields)
    return tlv(b"\xFF\x20", value), b"".join(fields)


class QuickAckSocket:
    """vpcd writes a length prefix and the APDU as two small segments; with Nagle on its side and
    delayed ACKs on ours, every APDU would wait ~40 ms. ACK at once after each read instead."""

    def __init__(self, sock):
        self.sock = sock

    def recv(self, n):
        data = self.sock.recv(n)
        if hasattr(socket, "TCP_QUICKACK"):
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        return data

    def __getattr__(self, name):
        return getattr(self.sock, name)


class MyNumberCardOS:
    """The card's behaviour; subclassed from virtualsmartcard's SmartcardOS at run time."""

    def __init__(self, args, log):
        self.args = args
        self.log = log
        self.tries = args.tries
        self.apdus = 0
        self.person_file, digest_source = basic_info_file(args.name, args.address, args.birth,
                                                          args.sex)
        number = args.my_number.encode()
        self.number_file = tlv(b"\xFF\x10", number) + b"\xFF\xFF"
        digest = bytearray(hashlib.sha256(digest_source).digest())
        if args.fault == "bad-digest":
            digest[7] ^= 0x01
        body = (tlv(b"\xDF\x31", hashlib.sha256(self.number_file).digest()) +
                tlv(b"\xDF\x32", bytes(digest)))
        self.integrity_file = tlv(b"\xFF\x30", body + tlv(b"\xDF\x33", bytes(256)))
        self.files = {
            0x0001: self.number_file,
            0x0002: self.person_file + b"\xFF" * 16,  # physical file: TLV, then filler
            0x0003: self.integrity_file,
        }
        self.reset_state()

    def reset_state(self):
        self.ap_selected = False
        self.current_ef = None
        self.verified = False

    def note(self, line):
        self.log.write(line + "\n")
        self.log.flush()

    # SmartcardOS interface
    def getATR(self):
        return ATR

    def powerUp(self):
        self.note("# power-up")
        self.reset_state()

    def powerDown(self):
        self.note("# power-down")
        self.reset_state()

    def reset(self):
        self.note("# reset")
        self.reset_state()

    def execute(self, msg):
        msg = bytes(msg)
        self.apdus += 1
        if self.args.pull_after and self.apdus > self.args.pull_after:
            self.note("# pulled out")
            os._exit(0)  # the card leaves the field: vpcd sees the socket close
        if len(msg) >= 5 and msg[1] == 0x20 and msg[4] > 0:
            self.note(msg[:5].hex() + "*" * (2 * (len(msg) - 5)))
        else:
            self.note(msg.hex())
        if len(msg) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = msg[0], msg[1], msg[2], msg[3]
        data, le = b"", None
        if len(msg) == 5:
            le = msg[4] or 256
        elif len(msg) > 5:
            lc = msg[4]
            data = msg[5:5 + lc]
            if len(data) != lc:
                return b"\x67\x00"
            if len(msg) > 5 + lc:
                le = msg[5 + lc] or 256
        if cla != 0x00:
            return b"\x6E\x00"
        if ins == 0xA4:
            return self.select(p1, p2, data)
        if ins == 0x20:
            return self.verify(p1, p2, data)
        if ins == 0xB0:
            return self.read_binary(p1, p2, le or 256)
        return b"\x6D\x00"

    def select(self, p1, p2, data):
        if p1 == 0x04:
            if data == TEXT_AP and self.args.fault != "not-mynumber":
                self.reset_state()
                self.ap_selected = True
                return b"\x90\x00"
            return b"\x6A\x82"
        if p1 == 0x02 and len(data) == 2 and self.ap_selected:
            fid = int.from_bytes(data, "big")
            if fid in (0x0001, 0x0002, 0x0003, 0x0011):
                self.current_ef = fid
                return b"\x90\x00"
        return b"\x6A\x82"

    def verify(self, p1, p2, data):
        if self.current_ef != 0x0011 or p1 != 0x00 or p2 != 0x80:
            return b"\x6A\x88"
        fault = self.args.fault
        if fault == "locked-6983":
            return b"\x69\x83"
        if fault == "locked-6984":
            return b"\x69\x84"
        if fault == "locked-63c0":
            self.tries = 0
        if not data:
            return bytes([0x63, 0xC0 | self.tries])
        if self.tries == 0:
            return b"\x69\x84"
        if data == self.args.pin.encode():
            self.tries = self.args.tries
            self.verified = True
            return b"\x90\x00"
        self.tries -= 1
        return bytes([0x63, 0xC0 | self.tries])

    def read_binary(self, p1, p2, le):
        if p1 & 0x80:
            return b"\x69\x86"  # short EF identifiers are not emulated
        if self.current_ef not in self.files:
            return b"\x69\x86"
        if not self.verified:
            return b"\x69\x82"
        content = self.files[self.current_ef]
        offset = (p1 << 8) | p2
        if offset > len(content):
            return b"\x6B\x00"
        chunk = content[offset:offset + le]
        return chunk + (b"\x90\x00" if len(chunk) == le else b"\x62\x82")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=35963)
    ap.add_argument("--pin", default="1234")
    ap.add_argument("--tries", type=int, default=3)
    ap.add_argument("--name", default="山田\u3000太郎")
    ap.add_argument("--address", default="東京都千代田区千代田１－１")
    ap.add_argument("--birth", default="19800401")
    ap.add_argument("--sex", default="1")
    ap.add_argument("--my-number", default="123456789018")
    ap.add_argument("--fault", choices=FAULTS, default="none")
    ap.add_argument("--pull-after", type=int, default=0,
                    help="leave the reader instead of answering APDU N+1")
    ap.add_argument("--log", help="append received APDUs here")
    ap.add_argument("--self-check", action="store_true",
                    help="only check that virtualsmartcard imports, then exit")
    args = ap.parse_args()

    smartcard_os, virtual_icc = import_virtualsmartcard()
    if args.self_check:
        return
    if not args.log:
        ap.error("--log is required")
    card_os = type("MyNumberCard", (MyNumberCardOS, smartcard_os), {})
    with open(args.log, "a", encoding="ascii") as log:
        vicc = virtual_icc(None, "iso7816", "localhost", args.port, logginglevel=logging.ERROR)
        vicc.os = card_os(args, log)
        vicc.sock = QuickAckSocket(vicc.sock)
        log.write("# connected\n")
        log.flush()
        vicc.run()


if __name__ == "__main__":
    main()
