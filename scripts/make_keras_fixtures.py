#!/usr/bin/env python3
"""Makes the Keras 3 reference files that `aedetect import` is tested against. Run once, by hand, from
the repository root (CI has no TensorFlow; the outputs are committed):

    python3 -m venv /work/venv-keras && /work/venv-keras/bin/pip install tensorflow
    /work/venv-keras/bin/python scripts/make_keras_fixtures.py

Builds the textbook chapter's four autoencoders in Keras 3 (TensorFlow backend) layer for layer as
the presets describe them (Sources/NeuralNet/Model/Presets.swift), trains each for one epoch on the
first 6,000 MNIST training images (../shared/data/mnist), and writes into fixtures/keras/:

  <preset>.keras          the model (config.json, metadata.json, model.weights.h5). The optimizer is
                          compiled afresh after training so that its moments are not saved (they would
                          triple the file); the compile config (loss, Adam's learning rate) is kept.
  <preset>.outputs.json   Keras's own `predict` on the six images fixtures/mnist/t10k-images-idx3-ubyte.gz
                          #0, #90, ..., #450 (digits 0, 1, 3, 5, 7, 9), to 8 significant digits (the
                          tests compare within 1e-4 relative): reconstructions, per-image pixel MSE
                          (mean of (x - x')^2 over the pixels) and, for models with an encoder, the
                          encoder layer's output.
  bad-dropout.keras       a tiny Dense model with a Dropout layer (outside the import vocabulary).

With the argument `small` it writes only these small models (untrained, seeded), leaving the others as they are:
  functional-chain.keras  16 → Dense 8 relu → Dense 4 "bottleneck" → Dense 8 relu → Dense 16 sigmoid written with
                          the Functional API; binary cross-entropy. functional-chain.outputs.json: three seeded
                          inputs in [0, 1], Keras's reconstructions and the bottleneck's outputs.
  bad-branch.keras        a Functional model that is not a chain (two Dense branches added).
  nested.keras            the chapter's style of an autoencoder made of two models: Sequential([encoder, decoder]),
                          encoder = Sequential(16 → Dense 8 relu → Dense 4 relu, name="encoder"), decoder 4 → 8 → 16
                          sigmoid. nested.outputs.json: inputs, reconstructions and the encoder's outputs.
  sequence.keras          Input(4, 4) → Bidirectional(LSTM 3, concat) → Dense 4 on the sequence (no TimeDistributed)
                          → Reshape(-1) → Dense 16 → Reshape(4, -1). sequence.outputs.json: inputs, reconstructions.
"""
import gzip
import json
import os
import struct
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = "fixtures/keras"
MNIST = "../shared/data/mnist/train-images-idx3-ubyte.gz"
FIXTURE_IMAGES = "fixtures/mnist/t10k-images-idx3-ubyte.gz"
FIXTURE_INDICES = list(range(0, 500, 90))
TRAIN_SAMPLES = 6000


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n, h, w = struct.unpack(">IIII", data[:16])
    assert magic == 0x00000803, hex(magic)
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, h, w)


def scaled(images):
    """Pixels in [0, 1] as aedetect's loaders give them: float32(v) / 255."""
    return images.astype(np.float32) / np.float32(255)


def dense():
    """784 → Dense 256 relu → 100 relu (the code) → 256 relu → 784 linear; mse; Adam 0.01; batch 100."""
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dense(100, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(784, activation="linear"),
    ], name="dense_autoencoder")
    return model, "mse", 0.01, 100, 1


def conv():
    """Conv2D 10 5×5 /2 same relu → MaxPool 5×5 /1 valid → Flatten → Dense 196 → Reshape 14×14×1 (the code)
    → Conv2DTranspose 10 4×4 /2 same relu → Conv2D 1 4×4 same; mse; Adam 0.005; batch 300."""
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(10, 5, strides=2, padding="same", activation="relu"),
        layers.MaxPooling2D(5, strides=1, padding="valid"),
        layers.Flatten(),
        layers.Dense(196),
        layers.Reshape((14, 14, 1)),
        layers.Conv2DTranspose(10, 4, strides=2, padding="same", activation="relu"),
        layers.Conv2D(1, 4, padding="same"),
    ], name="conv_autoencoder")
    return model, "mse", 0.005, 300, 4


def lstm():
    """28 steps × 28 features → Bidirectional(LSTM 8, sequences, sum) (the code) ×2 → TimeDistributed(Dense 28);
    mse; Adam 0.001; batch 300."""
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Bidirectional(layers.LSTM(8, return_sequences=True), merge_mode="sum"),
        layers.Bidirectional(layers.LSTM(8, return_sequences=True), merge_mode="sum"),
        layers.TimeDistributed(layers.Dense(28)),
    ], name="lstm_autoencoder")
    return model, "mse", 0.001, 300, 0


def denoise():
    """Conv2D 10 3×3 same relu → MaxPool 2×2 /1 same → Conv2DTranspose 10 3×3 same relu → Conv2D 1 3×3 same
    sigmoid; binary cross-entropy; Adam 0.005; batch 300; trained on clip(x + 0.3·N(0,1), 0, 1)."""
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(10, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2, strides=1, padding="same"),
        layers.Conv2DTranspose(10, 3, padding="same", activation="relu"),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ], name="denoise_autoencoder")
    return model, "binary_crossentropy", 0.005, 300, None


def bad_dropout():
    model = keras.Sequential([
        keras.Input(shape=(16,)),
        layers.Dense(4, activation="relu"),
        layers.Dropout(0.1, name="dropout"),
        layers.Dense(16),
    ], name="bad_dropout")
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    return model


def functional_chain():
    inputs = keras.Input(shape=(16,))
    x = layers.Dense(8, activation="relu")(inputs)
    code = layers.Dense(4, name="bottleneck")(x)
    x = layers.Dense(8, activation="relu")(code)
    outputs = layers.Dense(16, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs, name="functional_chain")
    model.compile(optimizer=keras.optimizers.Adam(0.002), loss="binary_crossentropy")
    return model


def bad_branch():
    inputs = keras.Input(shape=(16,))
    added = layers.Add()([layers.Dense(8)(inputs), layers.Dense(8)(inputs)])
    model = keras.Model(inputs, layers.Dense(16)(added), name="bad_branch")
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    return model


def nested():
    encoder = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(8, activation="relu"),
                                layers.Dense(4, activation="relu")], name="encoder")
    decoder = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                                layers.Dense(16, activation="sigmoid")], name="decoder")
    model = keras.Sequential([keras.Input(shape=(16,)), encoder, decoder], name="nested")
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    return model, encoder


def sequence():
    model = keras.Sequential([
        keras.Input(shape=(4, 4)),
        layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode="concat"),
        layers.Dense(4, activation="tanh"),
        layers.Reshape((-1,)),
        layers.Dense(16),
        layers.Reshape((4, -1)),
    ], name="sequence")
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    return model


def write_small_outputs(name, model, x, encoder=None):
    result = {"inputs": [rounded(r) for r in x.reshape(len(x), -1)],
              "reconstructions": [rounded(r) for r in model.predict(x, verbose=0).reshape(len(x), -1)]}
    if encoder is not None:
        result["encoder"] = [rounded(r) for r in encoder.predict(x, verbose=0).reshape(len(x), -1)]
    with open(f"{OUT}/{name}.outputs.json", "w") as f:
        json.dump(result, f, separators=(",", ":"))
    model.save(f"{OUT}/{name}.keras")


def write_functional():
    keras.utils.set_random_seed(1)
    model = functional_chain()
    x = np.random.default_rng(1).random((3, 16)).astype(np.float32)
    codes = keras.Model(model.inputs, model.get_layer("bottleneck").output).predict(x, verbose=0)
    model.save(f"{OUT}/functional-chain.keras")
    with open(f"{OUT}/functional-chain.outputs.json", "w") as f:
        json.dump({"inputs": [rounded(r) for r in x], "reconstructions": [rounded(r) for r in model.predict(x, verbose=0)],
                   "encoder_layer": "bottleneck", "encoder": [rounded(r) for r in codes]}, f, separators=(",", ":"))
    bad_branch().save(f"{OUT}/bad-branch.keras")
    model, encoder = nested()
    write_small_outputs("nested", model, np.random.default_rng(2).random((3, 16)).astype(np.float32), encoder)
    write_small_outputs("sequence", sequence(), np.random.default_rng(3).random((3, 4, 4)).astype(np.float32))


def shaped(model, pixels):
    return pixels.reshape((len(pixels),) + tuple(model.input_shape[1:]))


def train(name, build, train_pixels, rng):
    model, loss, lr, batch, encoder = build()
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    x = shaped(model, train_pixels)
    inputs = x
    if name == "denoise":
        inputs = np.clip(x + 0.3 * rng.standard_normal(x.shape).astype(np.float32), 0, 1)
    model.fit(inputs, x, batch_size=batch, epochs=1, verbose=2)
    # A fresh optimizer: the same compile config, without Adam's moments in the saved weights.
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    return model, encoder


def rounded(values):
    return [float(f"{v:.8g}") for v in values]


def outputs(model, encoder, pixels):
    x = shaped(model, pixels)
    reconstructions = model.predict(x, verbose=0).reshape(len(pixels), -1)
    flat = pixels.reshape(len(pixels), -1)
    mse = ((flat.astype(np.float64) - reconstructions.astype(np.float64)) ** 2).mean(axis=1)
    result = {
        "images": FIXTURE_IMAGES,
        "indices": FIXTURE_INDICES,
        "keras_version": keras.__version__,
        "reconstructions": [rounded(row) for row in reconstructions],
        "pixel_mse": rounded(mse),
    }
    if encoder is not None:
        layer = model.layers[encoder]
        codes = keras.Model(model.inputs, layer.output).predict(x, verbose=0).reshape(len(pixels), -1)
        result["encoder_layer"] = layer.name
        result["encoder"] = [rounded(row) for row in codes]
    return result


def main():
    if sys.argv[1:] == ["small"]:
        return write_functional()
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    os.makedirs(OUT, exist_ok=True)
    train_pixels = scaled(read_idx_images(MNIST)[:TRAIN_SAMPLES])
    fixture_pixels = scaled(read_idx_images(FIXTURE_IMAGES)[FIXTURE_INDICES])
    for name, build in [("dense", dense), ("conv", conv), ("lstm", lstm), ("denoise", denoise)]:
        model, encoder = train(name, build, train_pixels, rng)
        model.save(f"{OUT}/{name}.keras")
        with open(f"{OUT}/{name}.outputs.json", "w") as f:
            json.dump(outputs(model, encoder, fixture_pixels), f, separators=(",", ":"))
        print(f"wrote {OUT}/{name}.keras ({os.path.getsize(f'{OUT}/{name}.keras')} bytes)")
    bad_dropout().save(f"{OUT}/bad-dropout.keras")


if __name__ == "__main__":
    main()
