#!/usr/bin/env python3
"""Checks that an exported ONNX model scores and reconstructs as aedetect does.

Usage: check_onnx_parity.py AEDETECT MODEL.safetensors INPUT [--limit N] [--work DIR]

INPUT is an IDX image file (gzipped or not) or a folder of images. With --limit N an IDX file's
first N images are taken (written as a PNG folder by `aedetect convert`, an exact 8-bit round trip).
The script runs `aedetect export --format onnx`, `aedetect score` (scores.csv) and
`aedetect denoise --out X.idx` (float32 reconstructions), reads the same images as float32 v / 255
(a folder through `aedetect convert` to IDX), runs the ONNX file in onnxruntime and fails unless
every `score` is within 1e-4 relative of scores.csv's (the ratio floored at a thousandth of the median
score, for standardised scores near zero) and every `reconstruction` value within
1e-5 absolute of aedetect's. A classifier (`finetune`'s file) is checked instead by its
`probabilities` against `aedetect classify`'s predictions.csv (1e-6 absolute: the CSV's 6 decimals).
It prints the largest differences. Needs onnxruntime and numpy only.
"""
import argparse
import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort

SCORE_RTOL = 1e-4
RECONSTRUCTION_ATOL = 1e-5
PROBABILITY_ATOL = 1e-6  # predictions.csv rounds to 6 decimals (5e-7), float32 softmax differences ~1e-7
IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    assert data[0] == 0 and data[1] == 0, f"{path}: not an IDX file"
    dtype, ndim = IDX_TYPES[data[2]], data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim).reshape(shape)


def run(binary, *args):
    sys.stdout.flush()
    subprocess.run([binary, *args], check=True, stdout=subprocess.DEVNULL)


def remove(path):
    """convert has no --force: clear what an earlier run left."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def aedetect_scores(binary, model, source, work):
    run(binary, "score", "--model", model, source, "--out", os.path.join(work, "run"), "--quiet", "--maps", "none", "--force")
    with open(os.path.join(work, "run", "scores.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    bad = [r["path"] for r in rows if r["status"] != "ok"]
    assert not bad, f"unreadable inputs: {bad[:5]}"
    return np.array([float(r["score"]) for r in rows])


def inputs_as_floats(binary, source, work, session):
    """The images as aedetect feeds them: uint8 / 255 in float32 (inverted if the model says so)."""
    if os.path.isdir(source):
        idx = os.path.join(work, "inputs.idx.gz")
        remove(idx)
        run(binary, "convert", source, "--out", idx)
        source = idx
    pixels = read_idx(source).astype(np.float32) / np.float32(255)
    meta = session.get_modelmeta().custom_metadata_map
    if '"invert":true' in meta["aedetect.preprocessing"]:
        pixels = np.float32(1) - pixels
    shape = session.get_inputs()[0].shape[1:]
    return pixels.reshape([len(pixels)] + list(shape))


def classifier_parity(binary, model, source, work, session, label):
    """A classifier's `probabilities` against predictions.csv (printed to 6 decimals)."""
    run(binary, "classify", "--model", model, source, "--out", os.path.join(work, "classified"), "--quiet", "--force")
    with open(os.path.join(work, "classified", "predictions.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    classes = json.loads(session.get_modelmeta().custom_metadata_map["aedetect.classes"])
    expected = np.array([[float(r[f"p_{c}"]) for c in classes] for r in rows])
    x = inputs_as_floats(binary, source, work, session)
    (probabilities,) = session.run(["probabilities"], {"input": x})
    absolute = np.abs(probabilities - expected).max()
    print(f"onnx parity {os.path.basename(model)} on {len(x)} inputs of {label}: probabilities max absolute "
          f"difference {absolute:.3g} from predictions.csv (limit {PROBABILITY_ATOL:g}: its 6 decimals)", flush=True)
    return 0 if absolute <= PROBABILITY_ATOL else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("model")
    parser.add_argument("input")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--work")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="onnx-parity-")
    os.makedirs(work, exist_ok=True)

    source = args.input
    if args.limit:
        source = os.path.join(work, "images")
        remove(source)
        run(args.binary, "convert", args.input, "--out", source, "--limit", str(args.limit))
    onnx_path = os.path.join(work, "model.onnx")
    run(args.binary, "export", "--model", args.model, "--format", "onnx", "--out", onnx_path, "--force")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
    if "probabilities" in [o.name for o in session.get_outputs()]:
        return classifier_parity(args.binary, args.model, source, work, session, args.input)
    expected_scores = aedetect_scores(args.binary, args.model, source, work)
    recon_path = os.path.join(work, "reconstructions.idx")
    run(args.binary, "denoise", "--model", args.model, source, "--out", recon_path, "--force")
    expected_recon = read_idx(recon_path).reshape(len(expected_scores), -1)

    x = inputs_as_floats(args.binary, source, work, session)
    assert len(x) == len(expected_scores), (len(x), len(expected_scores))
    recon, scores = [], []
    for start in range(0, len(x), 500):
        r, s = session.run(["reconstruction", "score"], {"input": x[start:start + 500]})
        recon.append(r.reshape(len(r), -1))
        scores.append(s)
    recon, scores = np.concatenate(recon), np.concatenate(scores)

    # Relative to the score, floored at a thousandth of the run's typical score: the zmap rule's
    # scores are standardised and cross zero, where a plain ratio is 0/0 or blows up.
    floor = 1e-3 * np.median(np.abs(expected_scores))
    relative = np.abs(scores - expected_scores) / np.maximum(np.abs(expected_scores), floor)
    absolute = np.abs(recon - expected_recon)
    name = os.path.basename(args.model)
    print(f"onnx parity {name} on {len(x)} inputs of {args.input}: score max relative difference "
          f"{relative.max():.3g} (limit {SCORE_RTOL:g}), reconstruction max absolute difference "
          f"{absolute.max():.3g} (limit {RECONSTRUCTION_ATOL:g})", flush=True)
    ok = relative.max() <= SCORE_RTOL and absolute.max() <= RECONSTRUCTION_ATOL
    if not ok:
        worst = int(relative.argmax())
        print(f"  worst score: input {worst}: onnx {scores[worst]!r}, scores.csv {expected_scores[worst]!r}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
