#!/usr/bin/env python3
"""Makes the JPEG fixtures that need Pillow or libjpeg's encoder directly, and Pillow's decodes of every
good JPEG fixture as references. Run once from the repository root; the outputs are committed:

    python3 -m venv .venv-bench && .venv-bench/bin/pip install pillow numpy
    .venv-bench/bin/python scripts/make_jpeg_fixtures.py

Writes, from fixtures/jpeg/colour.png and fixtures/digits/:
  fixtures/jpeg/exif-<n>.jpg         colour.png with EXIF orientation n (2–8), saved by Pillow
  fixtures/jpeg/cmyk-ink.jpg         CMYK with black ink (K > 0), Adobe marker, inverted (libjpeg)
  fixtures/jpeg/cmyk-no-adobe.jpg    the same CMYK, no Adobe marker, not inverted (libjpeg)
  fixtures/jpeg/ycck.jpg             the same CMYK as YCCK, Adobe marker, inverted (libjpeg)
  fixtures/jpeg/broken/*             broken or refused files (see fixtures/README.md)
  fixtures/digits-jpeg/              every PNG of fixtures/digits as a grayscale JPEG, quality 95 (Pillow)
  fixtures/jpeg/reference/<stem>.ppm|.pgm
                                     Pillow's decode of each good JPEG in fixtures/jpeg (RGB, or L for a
                                     gray file) after ImageOps.exif_transpose (CMYK without
                                     an Adobe marker: not inverted, see references())
The CMYK/YCCK files are written by scripts/write_cmyk_jpeg.c, compiled here with cc against libjpeg.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageOps

JPEG = "fixtures/jpeg"


def exif_fixtures():
    colour = Image.open(f"{JPEG}/colour.png").convert("RGB")
    for n in range(2, 9):
        exif = Image.Exif()
        exif[0x0112] = n
        colour.save(f"{JPEG}/exif-{n}.jpg", quality=95, exif=exif)


def cmyk_with_ink():
    """colour.png as CMYK with grey component replacement: K takes 60% of the common ink."""
    rgb = np.asarray(Image.open(f"{JPEG}/colour.png").convert("RGB")).astype(int)
    ink = 255 - rgb
    k = (ink.min(axis=2) * 3) // 5
    return np.dstack([ink - k[..., None], k]).astype(np.uint8)


def cmyk_fixtures(tmp):
    tool = os.path.join(tmp, "write_cmyk_jpeg")
    subprocess.run(["cc", "-O1", "scripts/write_cmyk_jpeg.c", "-ljpeg", "-o", tool], check=True)
    cmyk = cmyk_with_ink()
    h, w, _ = cmyk.shape
    for mode, name, inverted in [("cmyk", "cmyk-ink", True), ("cmyk-no-adobe", "cmyk-no-adobe", False),
                                 ("ycck", "ycck", True)]:
        raw = os.path.join(tmp, name + ".raw")
        (255 - cmyk if inverted else cmyk).tofile(raw)
        subprocess.run([tool, mode, str(w), str(h), raw, f"{JPEG}/{name}.jpg"], check=True)


def sof_offset(data):
    """Offset of the first baseline/extended start-of-frame marker (FF C0 or FF C1)."""
    i = 2
    while data[i + 1] not in (0xC0, 0xC1):
        i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    return i


def broken_fixtures():
    out = f"{JPEG}/broken"
    os.makedirs(out, exist_ok=True)
    colour = open(f"{JPEG}/colour.jpg", "rb").read()
    progressive = open(f"{JPEG}/colour-progressive.jpg", "rb").read()
    digit = open(f"{JPEG}/digit.jpg", "rb").read()
    files = {
        "empty.jpg": b"",
        "text.jpg": b"This is a text file that only pretends to be a JPEG image.\n",
        "truncated.jpg": colour[:len(colour) // 2],
        "truncated-progressive.jpg": progressive[:len(progressive) * 2 // 3],
        "no-frame.jpg": b"\xff\xd8\xff\xd9",
    }
    sof = sof_offset(digit)
    huge = bytearray(digit)
    huge[sof + 5:sof + 9] = (50000).to_bytes(2, "big") + (60000).to_bytes(2, "big")
    files["huge-dimensions.jpg"] = bytes(huge)
    # A 12-bit header (extended sequential SOF1, precision 12) on the digit's 8-bit data: refused at the header.
    twelve = bytearray(digit)
    twelve[sof + 1], twelve[sof + 4] = 0xC1, 12
    files["12-bit.jpg"] = bytes(twelve)
    # Huffman table counts summing to more than 256 codes: libjpeg's "Bogus Huffman table definition".
    dht = digit.index(b"\xff\xc4")
    bad = bytearray(digit)
    bad[dht + 5:dht + 21] = bytes([255] * 16)
    files["bad-huffman-table.jpg"] = bytes(bad)
    for name, data in files.items():
        with open(f"{out}/{name}", "wb") as f:
            f.write(data)


def digits_jpeg():
    for root, dirs, names in os.walk("fixtures/digits"):
        dirs.sort()
        for name in sorted(n for n in names if n.endswith(".png")):
            target = os.path.join("fixtures/digits-jpeg", os.path.relpath(root, "fixtures/digits"))
            os.makedirs(target, exist_ok=True)
            Image.open(os.path.join(root, name)).convert("L").save(
                os.path.join(target, name[:-4] + ".jpg"), quality=95, optimize=True)


def references():
    out = f"{JPEG}/reference"
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(JPEG)):
        if not name.endswith(".jpg"):
            continue
        with Image.open(f"{JPEG}/{name}") as im:
            if im.mode == "CMYK" and "adobe" not in im.info:
                # Pillow takes every CMYK JPEG as inverted; inversion is Adobe's convention, and aedetect (like
                # Chromium and Firefox) assumes it only when the Adobe marker is there. The reference for a
                # file without the marker is Pillow's decode with the samples taken as stored.
                im.tile = [im.tile[0]._replace(args=("CMYK", ""))]
            upright = ImageOps.exif_transpose(im)
            gray = upright.mode == "L"
            upright.convert("L" if gray else "RGB").save(f"{out}/{name[:-4]}.{'pgm' if gray else 'ppm'}")


if __name__ == "__main__":
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    with tempfile.TemporaryDirectory() as tmp:
        exif_fixtures()
        cmyk_fixtures(tmp)
        broken_fixtures()
        digits_jpeg()
        references()
    print("JPEG fixtures and references written", file=sys.stderr)
