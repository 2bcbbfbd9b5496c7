#!/usr/bin/env python3
"""Reference loaders for `aedetect bench load`: Pillow for a PNG folder, gzip + numpy for an IDX file.

Each prints one JSON line: seconds (measured inside Python, interpreter start-up excluded), count, mean.
Output matches aedetect's: float32 [N, 28, 28, 1] in [0, 1].
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def sorted_pngs(folder):
    files = []
    for path, dirs, names in os.walk(folder, followlinks=True):
        dirs.sort()
        files += [os.path.join(path, n) for n in sorted(names) if n.lower().endswith(".png")]
    return files


def load_png_folder(folder):
    from PIL import Image
    start = time.perf_counter()
    files = sorted_pngs(folder)
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


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    seconds, images = load_png_folder(path) if kind == "png" else load_idx(path)
    print(json.dumps({"seconds": seconds, "count": len(images), "mean": float(images.mean(dtype=np.float64))}))
