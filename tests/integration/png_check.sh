# Screenshot checks shared by the shelter-app integration tests. Sourced, not run; needs bad().
# check_png FILE: a real PNG of the window's size with more than a blank screen in it.
check_png() {
  /usr/bin/python3 - "$1" <<'PY' || bad "screenshot $1"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1280, 800), f"size {w}x{h}"
idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                for i in range(8, len(data)) if data[i + 4:i + 8] == b"IDAT")
raw = zlib.decompress(idat)
assert len(set(raw[::97])) > 8, "blank screen"
PY
}
