# Screenshot checks shared by the shelter-app integration tests. Sourced, not run; needs bad().
# check_png FILE [W H]: a real PNG of the window's size (default 1280x800) with more than a blank
# screen in it.
check_png() {
  /usr/bin/python3 - "$1" "${2:-1280}" "${3:-800}" <<'PY' || bad "screenshot $1"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (int(sys.argv[2]), int(sys.argv[3])), f"size {w}x{h}"
idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                for i in range(8, len(data)) if data[i + 4:i + 8] == b"IDAT")
raw = zlib.decompress(idat)
assert len(set(raw[::97])) > 8, "blank screen"
PY
}

# png_cover FILE X0 Y0 X1 Y1: prints the share (0-1) of coloured pixels (a channel 40 above
# another: the map's circles, not its white ground, grey grid or black text) in that rectangle.
png_cover() {
  /usr/bin/python3 - "$@" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
assert depth == 8 and ctype in (2, 6), "8-bit RGB(A) only"
bpp = 3 if ctype == 2 else 4
idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                for i in range(8, len(data)) if data[i + 4:i + 8] == b"IDAT")
raw = zlib.decompress(idat)
stride = w * bpp
rows, prev, at = [], bytearray(stride), 0
for _ in range(h):
    f, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
    at += 1 + stride
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
x0, y0, x1, y1 = map(int, sys.argv[2:6])
n = hit = 0
for y in range(y0, y1):
    for x in range(x0, x1):
        r, g, b = rows[y][x * bpp:x * bpp + 3]
        n += 1
        hit += max(r, g, b) - min(r, g, b) > 40
print(f"{hit / n:.3f}")
PY
}
