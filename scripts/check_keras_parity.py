#!/usr/bin/env python3
"""Checks that the chapter's four Keras models, imported by `aedetect import`, score and encode as Keras's
own `predict` does, on the first N MNIST test images. Needs TensorFlow, so it is run by hand, not in CI:

    /work/venv-keras/bin/python scripts/check_keras_parity.py .build/debug/aedetect [N]

For each of fixtures/keras/{dense,conv,lstm,denoise}.keras: imports it (calibrated on
fixtures/mnist/train-images-idx3-ubyte.gz), runs `aedetect score` and `aedetect encode --out codes.idx`
on the first N (default 1,000) images of ../shared/data/mnist/t10k-images-idx3-ubyte.gz, runs the same
images through the .keras file in Keras, and prints the largest differences:
  score     max |s - k| / k of the per-image pixel MSE (scores.csv, 10 significant digits, against
            Keras's reconstruction's mean squared error in float64)
  code      per image, max |z - k| / max |k| over its code (relative to the code's scale); then, value by
            value, max |z - k| / |k| over the values with |k| >= 1e-2 and with |k| >= 1e-3 (small values
            carry the float32 rounding of sums of much larger terms), and max |z - k| over all values
Exits 1 unless every score is within 1e-4 relative, every code within 1e-4 of its scale and every code
value within 1e-4·|k| + 1e-6 (the criterion of Tests/KerasImportTests).
"""
import csv
import gzip
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

TEST_IMAGES = "../shared/data/mnist/t10k-images-idx3-ubyte.gz"
CALIBRATION = "fixtures/mnist/train-images-idx3-ubyte.gz"
PRESETS = ["dense", "conv", "lstm", "denoise"]


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    ndims = data[3]
    dims = struct.unpack(">" + "I" * ndims, data[4:4 + 4 * ndims])
    dtype = {0x08: np.uint8, 0x0D: np.dtype(">f4")}[data[2]]
    return np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndims).reshape(dims)


def write_idx_images(path, images):
    n, h, w = images.shape
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">IIII", 0x00000803, n, h, w) + images.astype(np.uint8).tobytes())


def aedetect(binary, *args):
    subprocess.run([binary, *args], check=True, stdout=subprocess.DEVNULL)


def ours(binary, preset, images_path, work):
    model = os.path.join(work, f"{preset}.safetensors")
    aedetect(binary, "import", f"fixtures/keras/{preset}.keras", "--calibrate", CALIBRATION, "--out", model, "--quiet")
    run = os.path.join(work, f"run-{preset}")
    aedetect(binary, "score", "--model", model, images_path, "--out", run, "--quiet", "--maps", "none")
    with open(os.path.join(run, "scores.csv")) as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["path"].rsplit("#", 1)[1]))
    scores = np.array([float(r["score"]) for r in rows])
    codes = None
    if preset != "denoise":
        path = os.path.join(work, f"codes-{preset}.idx")
        aedetect(binary, "encode", "--model", model, images_path, "--out", path)
        codes = read_idx(path).astype(np.float32)
    return scores, codes


def theirs(preset, pixels, encoder_layer):
    model = keras.saving.load_model(f"fixtures/keras/{preset}.keras", compile=False)
    x = pixels.reshape((len(pixels),) + tuple(model.input_shape[1:]))
    reconstructions = model.predict(x, batch_size=250, verbose=0).reshape(len(pixels), -1)
    flat = pixels.reshape(len(pixels), -1).astype(np.float64)
    mse = ((flat - reconstructions.astype(np.float64)) ** 2).mean(axis=1)
    codes = None
    if encoder_layer is not None:
        encoder = keras.Model(model.inputs, model.layers[encoder_layer].output)
        codes = encoder.predict(x, batch_size=250, verbose=0).reshape(len(pixels), -1)
    return mse, codes


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    images = read_idx(TEST_IMAGES)[:n]
    pixels = images.astype(np.float32) / np.float32(255)
    encoders = {"dense": 1, "conv": 4, "lstm": 0, "denoise": None}
    ok = True
    print(f"{n} MNIST test images; Keras {keras.__version__}")
    print(f"{'model':8} {'score rel':>10} {'code rel':>10} {'value rel (|k|>=1e-2)':>22} {'(|k|>=1e-3)':>12} {'abs':>9}  result")
    with tempfile.TemporaryDirectory() as work:
        images_path = os.path.join(work, "test.idx.gz")
        write_idx_images(images_path, images)
        for preset in PRESETS:
            s, z = ours(binary, preset, images_path, work)
            k_mse, k_codes = theirs(preset, pixels, encoders[preset])
            score_rel = float(np.max(np.abs(s - k_mse) / k_mse))
            passed = score_rel <= 1e-4
            code = [float("nan")] * 4
            if k_codes is not None:
                k = k_codes.astype(np.float64)
                diff = np.abs(z.astype(np.float64) - k)
                scale = np.max(np.abs(k), axis=1, keepdims=True)
                code = [float(np.max(diff / np.maximum(scale, 1e-12))),
                        float(np.max(diff[np.abs(k) >= 1e-2] / np.abs(k[np.abs(k) >= 1e-2]))),
                        float(np.max(diff[np.abs(k) >= 1e-3] / np.abs(k[np.abs(k) >= 1e-3]))),
                        float(np.max(diff))]
                passed = passed and code[0] <= 1e-4 and bool(np.all(diff <= 1e-4 * np.abs(k) + 1e-6))
            ok = ok and passed
            print(f"{preset:8} {score_rel:10.2e} {code[0]:10.2e} {code[1]:22.2e} {code[2]:12.2e} {code[3]:9.2e}  {'ok' if passed else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
