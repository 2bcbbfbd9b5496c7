#!/usr/bin/env python3
"""Writes IDX image files that are not 28×28 grayscale, for checking the tiled detector.

Usage: make_shifted_digits.py MNIST_IDX OUT_PREFIX COUNT

From the first COUNT digits of MNIST_IDX (gzipped IDX, 28×28): OUT_PREFIX-gray40.idx.gz (each digit
placed at a seeded random offset on a 40×40 black image) and OUT_PREFIX-colour48.idx.gz (on a 48×48
background of a random dark colour, the digit tinted a random colour, [N, 48, 48, 3]). numpy only.
"""
import gzip
import sys

import numpy as np


def read_idx(path):
    data = gzip.decompress(open(path, "rb").read())
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def write_idx(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def main():
    source, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    digits = read_idx(source)[:count]
    rng = np.random.default_rng(0)
    gray = np.zeros((count, 40, 40), np.uint8)
    colour = np.zeros((count, 48, 48, 3), np.uint8)
    for i, digit in enumerate(digits):
        top, left = rng.integers(0, 13, 2)
        gray[i, top:top + 28, left:left + 28] = digit
        top, left = rng.integers(0, 21, 2)
        tint, background = rng.integers(80, 256, 3), rng.integers(0, 30, 3)
        colour[i] = background
        colour[i, top:top + 28, left:left + 28] += (digit[..., None].astype(int) * tint // 255).astype(np.uint8)
    write_idx(f"{prefix}-gray40.idx.gz", gray)
    write_idx(f"{prefix}-colour48.idx.gz", colour)


if __name__ == "__main__":
    main()
