#!/usr/bin/env python3
"""The default detector's network (784-512-128-16-128-512-784, ReLU, linear code and output) in
PyTorch, timed as bare in-memory inference plus the per-image MSE on the 10,000 MNIST test
images: the reference issue 15 compares `aedetect score` with. No decoding, no files, no scoring
terms beyond the MSE; the images are already a float tensor in memory.

usage: torch_detector_score.py [--threads 2] [--batch 512] [--rounds 5]
Prints one JSON line: images/s (median of the rounds).
"""
import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST = os.path.join(ROOT, "..", "shared", "data", "mnist", "t10k-images-idx3-ubyte.gz")


def images():
    with gzip.open(TEST) as f:
        data = np.frombuffer(f.read(), np.uint8, offset=16)
    return torch.from_numpy(data.reshape(-1, 784).astype(np.float32) / 255)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sizes = [784, 512, 128, 16, 128, 512, 784]
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if b not in (16, 784):
            layers.append(nn.ReLU())
    net = nn.Sequential(*layers).eval()
    x = images()
    times = []
    with torch.inference_mode():
        for _ in range(args.rounds + 1):
            start = time.perf_counter()
            scores = []
            for s in range(0, len(x), args.batch):
                xb = x[s:s + args.batch]
                scores.append(((net(xb) - xb) ** 2).mean(dim=1))
            torch.cat(scores)
            times.append(time.perf_counter() - start)
    seconds = statistics.median(times[1:])
    print(json.dumps({"reference": "pytorch", "threads": args.threads, "batch": args.batch,
                      "images": len(x), "images_per_s": round(len(x) / seconds)}))


if __name__ == "__main__":
    main()
