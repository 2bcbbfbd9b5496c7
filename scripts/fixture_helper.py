#!/usr/bin/env python3
"""Helpers for scripts/make-fixtures (standard library only).

  anomalies MNIST_IMAGES_GZ OUT_IDX NAMES_TXT   planted anomalies as a raw u8 IDX [N, 28, 28], one name per line
  broken GOOD_PNG GOOD_IDX_GZ OUT_FOLDER        the ten deliberately broken files
  jpeg-sources MNIST_IMAGES_GZ OUT_FOLDER       digit.png/.pgm and colour.png/.ppm, the sources of the JPEG fixtures
"""
import gzip
import random
import struct
import sys
import zlib

SIDE = 28


def idx_u8(images):
    header = struct.pack(">BBBBIII", 0, 0, 0x08, 3, len(images), SIDE, SIDE)
    return header + b"".join(bytes(im) for im in images)


def mnist_images(path, indices):
    data = gzip.open(path).read()
    return [list(data[16 + i * 784:16 + (i + 1) * 784]) for i in indices]


def checkerboard(cell):
    return [255 if ((y // cell) + (x // cell)) % 2 else 0 for y in range(SIDE) for x in range(SIDE)]


def solid_block(top, left, size, value):
    return [value if top <= y < top + size and left <= x < left + size else 0 for y in range(SIDE) for x in range(SIDE)]


def noise(rng):
    return [rng.randrange(256) for _ in range(SIDE * SIDE)]


def text_lines(rng):
    """Rows of short dashes, like a line of printed text seen from afar."""
    image = [0] * (SIDE * SIDE)
    for row in (5, 11, 17, 23):
        x = 1
        while x < SIDE - 3:
            word = rng.randrange(2, 6)
            for dx in range(word):
                if x + dx < SIDE - 1:
                    image[row * SIDE + x + dx] = image[(row + 1) * SIDE + x + dx] = 255
            x += word + 2
    return image


def anomalies(mnist_path, out_idx, names_txt):
    rng = random.Random(20240601)
    items = [(f"anomaly_checkerboard_{c}", checkerboard(c)) for c in (2, 3, 4, 7)]
    items += [(f"anomaly_block_{i}", solid_block(t, l, s, v)) for i, (t, l, s, v) in
              enumerate([(0, 0, 28, 255), (4, 4, 20, 200), (0, 0, 14, 255)])]
    items += [(f"anomaly_inverted_{i}", [255 - p for p in im]) for i, im in
              enumerate(mnist_images(mnist_path, [9000, 9001, 9002, 9003]))]
    items += [(f"anomaly_noise_{i}", noise(rng)) for i in range(4)]
    items += [(f"anomaly_text_{i}", text_lines(rng)) for i in range(3)]
    with open(out_idx, "wb") as f:
        f.write(idx_u8([im for _, im in items]))
    with open(names_txt, "w") as f:
        f.write("\n".join(name for name, _ in items) + "\n")


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def broken(good_png, good_idx_gz, out):
    png = open(good_png, "rb").read()
    idx = gzip.open(good_idx_gz).read()
    files = {
        "empty.png": b"",
        "text.png": b"This is a text file that only pretends to be a PNG image.\n",
        "truncated.png": png[: len(png) // 2],
    }
    # Bad CRC: flip the last byte of the IDAT chunk's CRC.
    at = png.index(b"IDAT") - 4
    length = struct.unpack(">I", png[at:at + 4])[0]
    crc_end = at + 12 + length
    files["bad-crc.png"] = png[:crc_end - 1] + bytes([png[crc_end - 1] ^ 0xFF]) + png[crc_end:]
    # A valid IHDR claiming 100000 × 100000 8-bit grayscale, a tiny IDAT, IEND: all CRCs correct.
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)
    files["huge-dimensions.png"] = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                                    + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    gz = gzip.compress(idx[:16 + 784 * 4], mtime=0)
    files["truncated-gzip-idx3-ubyte.gz"] = gz[: len(gz) // 2]
    files["wrong-magic-idx3-ubyte"] = b"\x01\x02\x08\x03" + idx[4:16 + 784]
    files["overflow-dims-idx3-ubyte"] = struct.pack(">BBBBIII", 0, 0, 8, 3, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(64)
    files["short-idx3-ubyte"] = struct.pack(">BBBBIII", 0, 0, 8, 3, 2, SIDE, SIDE) + idx[16:16 + 1000]
    files["trailing-bytes-idx3-ubyte"] = struct.pack(">BBBBIII", 0, 0, 8, 3, 1, SIDE, SIDE) + idx[16:16 + 784] + b"0123456789"
    for name, data in files.items():
        with open(f"{out}/{name}", "wb") as f:
            f.write(data)


def png(width, height, channels, pixels):
    """8-bit gray (1) or RGB (3), filter 0 on every row."""
    stride = width * channels
    rows = b"".join(b"\0" + bytes(pixels[y * stride:(y + 1) * stride]) for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0 if channels == 1 else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def pnm(width, height, channels, pixels):
    return b"P%d\n%d %d\n255\n" % (5 if channels == 1 else 6, width, height) + bytes(pixels)


def jpeg_sources(mnist_path, out):
    # digit: the first 3 of the test subset (index 150: 50 of each digit, in digit order).
    digit = mnist_images(mnist_path, [150])[0]
    # colour: 32 × 24 smooth gradients in all three channels, with a flat orange block.
    width, height = 32, 24
    colour = []
    for y in range(height):
        for x in range(width):
            if 20 <= x < 28 and 4 <= y < 12:
                colour += [240, 140, 20]
            else:
                colour += [x * 255 // (width - 1), y * 255 // (height - 1), 255 - (x + y) * 255 // (width + height - 2)]
    files = {
        "digit.png": png(SIDE, SIDE, 1, digit), "digit.pgm": pnm(SIDE, SIDE, 1, digit),
        "colour.png": png(width, height, 3, colour), "colour.ppm": pnm(width, height, 3, colour),
    }
    for name, data in files.items():
        with open(f"{out}/{name}", "wb") as f:
            f.write(data)


if __name__ == "__main__":
    {"anomalies": anomalies, "broken": broken, "jpeg-sources": jpeg_sources}[sys.argv[1]](*sys.argv[2:])
