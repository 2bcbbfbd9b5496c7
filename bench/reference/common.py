"""What the PyTorch and Keras references share: the data, the presets' training settings,
timing rules and the one JSON line each run prints for bench/compare.

Rules (the same as `aedetect bench train` / `bench infer`):
- training data: the first `limit` MNIST training images, float32 in [0, 1];
- seconds/epoch: median of epochs 3..N; loss: the mean training loss of epoch 10 (or the last);
- inference: the 10,000 test images in batches of 1000, one warm-up pass, then the median pass.
"""
import gzip
import json
import resource
import statistics
import sys
import time

import numpy as np

DATA = "../shared/data/mnist"

# Batch size, learning rate and training noise of each preset (see Presets.swift).
SETTINGS = {
    "dense": dict(batch=100, lr=0.01, noise=None, loss="mse"),
    "conv": dict(batch=300, lr=0.005, noise=None, loss="mse"),
    "lstm": dict(batch=300, lr=0.001, noise=None, loss="mse"),
    "denoise": dict(batch=300, lr=0.005, noise=0.3, loss="binary_crossentropy"),
}


def load_idx(path, limit=None):
    with open(path, "rb") as f:
        data = gzip.decompress(f.read())
    n = int.from_bytes(data[4:8], "big")
    images = np.frombuffer(data, np.uint8, offset=16).reshape(n, 28, 28)
    if limit is not None:
        images = images[:limit]
    return images.astype(np.float32) / 255


def epoch_summary(seconds, losses):
    steady = seconds[2:] if len(seconds) > 2 else seconds[-1:]
    at = min(10, len(losses))
    return dict(seconds_per_epoch=statistics.median(steady), loss_at_10=float(losses[at - 1]),
                epochs=len(losses), epoch_seconds=seconds, losses=[float(l) for l in losses])


def time_inference(run_batches, passes=5):
    """run_batches() reconstructs the whole test set once; returns images/s of the median pass."""
    run_batches()  # warm-up
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        count = run_batches()
        times.append(time.perf_counter() - start)
    return count / statistics.median(times)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(**fields):
    fields["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(fields))
    sys.stdout.flush()
