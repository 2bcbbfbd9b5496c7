#!/usr/bin/env python3
"""Reference loaders for `aedetect bench load`: Pillow for a PNG or JPEG folder, gzip + numpy for an IDX file.

Each prints one JSON line: seconds (measured inside Python, interpreter start-up excluded), count, mean.
Output matches aedetect's: float32 [N, 28, 28, 1] in [0, 1].
`make-jpeg IDX FOLDER COUNT` writes the first COUNT images of a gzipped IDX file as quality-95 JPEGs.
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def sorted_images(folder, suffixes):
    files = []
    for path, dirs, names in os.walk(folder, followlinks=True):
        dirs.sort()
        files += [os.path.join(path, n) for n in sorted(names) if n.lower().endswith(suffixes)]
    return files


def load_image_folder(folder, suffixes):
    from PIL import Image
    start = time.perf_counter()
    files = sorted_images(folder, suffixes)
    out = np.empty((len(files), 28, 28, 1), np.float32)
    for i, f in enumerate(files):
        with Image.open(f) as im:
            out[i, :, :, 0] = np.asarray(im.convert("L"), dtype=np.float32) / 255
    return time.perf_counter() - start, out


def load_idx(path):
    start = time.perf_counter()
    with open(path, "rb") as f:
        data = gzip.decompress(f.read())
    n = int.from_bytes(data[4:8], "big")
    out = np.frombuffer(data, np.uint8, offset=16).reshape(n, 28, 28, 1).astype(np.float32) / 255
    return time.perf_counter() - start, out


def make_jpeg(idx, folder, count):
    from PIL import Image
    start = time.perf_counter()
    images = load_idx(idx)[1][:count]
    os.makedirs(folder, exist_ok=True)
    for i, image in enumerate(images):
        pixels = (image[:, :, 0] * 255).round().astype(np.uint8)
        Image.fromarray(pixels, "L").save(os.path.join(folder, f"{i:05d}.jpg"), quality=95)
    return time.perf_counter() - start, images


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "make-jpeg":
        seconds, images = make_jpeg(path, sys.argv[3], int(sys.argv[4]))
    elif kind in ("png", "jpeg"):
        seconds, images = load_image_folder(path, (".png",) if kind == "png" else (".jpg", ".jpeg"))
    else:
        seconds, images = load_idx(path)
    print(json.dumps({"seconds": seconds, "count": len(images), "mean": float(images.mean(dtype=np.float64))}))
