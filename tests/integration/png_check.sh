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
  PYTHONPATH="$(dirname "${BASH_SOURCE[0]}")" /usr/bin/python3 - "$@" <<'PY'
import sys
import png_rows
w, h, bpp, rows = png_rows.read(sys.argv[1])
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

# png_diff_box A B: prints "X0 Y0 X1 Y1" (X1, Y1 exclusive), the box around every pixel that
# differs between two screenshots of one size, or "none" when they are the same.
png_diff_box() {
  PYTHONPATH="$(dirname "${BASH_SOURCE[0]}")" /usr/bin/python3 - "$@" <<'PY'
import sys
import png_rows
wa, ha, bpa, a = png_rows.read(sys.argv[1])
wb, hb, bpb, b = png_rows.read(sys.argv[2])
assert (wa, ha, bpa) == (wb, hb, bpb), "screenshots of different sizes"
xs, ys = [], []
for y in range(ha):
    if a[y] == b[y]:
        continue
    for x in range(wa):
        if a[y][x * bpa:x * bpa + 3] != b[y][x * bpa:x * bpa + 3]:
            xs.append(x)
            ys.append(y)
print(f"{min(xs)} {min(ys)} {max(xs) + 1} {max(ys) + 1}" if xs else "none")
PY
}
