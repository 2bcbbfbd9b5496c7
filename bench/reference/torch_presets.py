#!/usr/bin/env python3
"""The four presets in PyTorch (CPU), built to match the Keras originals layer for layer:
glorot-uniform kernels, zero biases, orthogonal recurrent kernels with forget bias 1,
TensorFlow `same` padding, Adam with Keras's ε = 1e-7, sigmoid folded into the BCE loss.

usage: torch_presets.py PRESET [--epochs 12] [--limit 3000] [--threads 2] [--seed 0]
Prints one JSON line (see common.py).
"""
import argparse
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common


class TFPad(nn.Module):
    """Explicit (left, right, top, bottom) padding, for TensorFlow's asymmetric `same`."""

    def __init__(self, pad, value=0.0):
        super().__init__()
        self.pad, self.value = pad, value

    def forward(self, x):
        return F.pad(x, self.pad, value=self.value)


class SumBidirectional(nn.Module):
    """Keras Bidirectional(LSTM(u, return_sequences=True), merge_mode='sum')."""

    def __init__(self, features, units):
        super().__init__()
        self.units = units
        self.lstm = nn.LSTM(features, units, batch_first=True, bidirectional=True)
        for name, p in self.lstm.named_parameters():
            if name.startswith("weight_ih"):
                nn.init.xavier_uniform_(p.data.view(4 * units, features))
            elif name.startswith("weight_hh"):
                # Keras: one orthogonal [u, 4u] matrix; torch stores its transpose [4u, u].
                nn.init.orthogonal_(p.data)
            elif name.startswith("bias_ih"):
                p.data.zero_()
                p.data[units:2 * units] = 1.0
            else:
                p.data.zero_()

    def forward(self, x):
        y, _ = self.lstm(x)
        return y[..., :self.units] + y[..., self.units:]


class Channels(nn.Module):
    """NHWC data in, NCHW for the conv layers (and back at the end)."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return self.body(x.unsqueeze(1)).squeeze(1)


def build(preset):
    if preset == "dense":
        body = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 100), nn.ReLU(),
                             nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 784), nn.Unflatten(1, (28, 28)))
    elif preset == "conv":
        body = Channels(nn.Sequential(
            TFPad((1, 2, 1, 2)), nn.Conv2d(1, 10, 5, stride=2), nn.ReLU(),   # same, 28 → 14
            nn.MaxPool2d(5, stride=1),                                        # valid, 14 → 10
            nn.Flatten(), nn.Linear(1000, 196), nn.Unflatten(1, (1, 14, 14)),
            nn.ConvTranspose2d(1, 10, 4, stride=2, padding=1), nn.ReLU(),    # same, 14 → 28
            TFPad((1, 2, 1, 2)), nn.Conv2d(10, 1, 4)))                        # TF same: pad 1 before, 2 after
    elif preset == "lstm":
        body = nn.Sequential(SumBidirectional(28, 8), SumBidirectional(8, 8), nn.Linear(8, 28))
    elif preset == "denoise":
        body = Channels(nn.Sequential(
            nn.Conv2d(1, 10, 3, padding="same"), nn.ReLU(),
            TFPad((0, 1, 0, 1), float("-inf")), nn.MaxPool2d(2, stride=1),    # TF same pool: pad after
            nn.ConvTranspose2d(10, 10, 3, stride=1, padding=1), nn.ReLU(),
            nn.Conv2d(10, 1, 3, padding="same")))                             # sigmoid folded into the loss
    else:
        raise SystemExit(f"unknown preset {preset}")
    for m in body.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return body


def loss_function(preset):
    return nn.BCEWithLogitsLoss() if common.SETTINGS[preset]["loss"] == "binary_crossentropy" else nn.MSELoss()


def train(model, preset, x, epochs, generator):
    s = common.SETTINGS[preset]
    optimizer = torch.optim.Adam(model.parameters(), lr=s["lr"], eps=1e-7)
    criterion = loss_function(preset)
    n, seconds, losses = len(x), [], []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for lo in range(0, n, s["batch"]):
            target = x[order[lo:lo + s["batch"]]]
            inputs = target
            if s["noise"]:
                inputs = (target + s["noise"] * torch.randn(target.shape, generator=generator)).clamp_(0, 1)
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(model(inputs), target)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(target)
        seconds.append(time.perf_counter() - start)
        losses.append(total / n)
    return seconds, losses


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("preset")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--limit", type=int, default=3000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    x = torch.from_numpy(common.load_idx(f"{common.DATA}/train-images-idx3-ubyte.gz", args.limit))
    model = build(args.preset)
    seconds, losses = train(model, args.preset, x, args.epochs, generator)

    test = torch.from_numpy(common.load_idx(f"{common.DATA}/t10k-images-idx3-ubyte.gz"))
    model.eval()
    sigmoid = common.SETTINGS[args.preset]["loss"] == "binary_crossentropy"

    def reconstruct_all():
        with torch.inference_mode():
            for lo in range(0, len(test), 1000):
                y = model(test[lo:lo + 1000])
                if sigmoid:
                    y = torch.sigmoid(y)
        return len(test)

    images_per_second = common.time_inference(reconstruct_all)
    common.emit(framework="pytorch", version=torch.__version__, preset=args.preset, threads=args.threads,
                images_per_second=images_per_second, **common.epoch_summary(seconds, losses))


if __name__ == "__main__":
    main()
