#!/usr/bin/env python3
"""The four presets in Keras 3 on TensorFlow (CPU), as the chapter writes them.

usage: keras_presets.py PRESET [--epochs 12] [--limit 3000] [--threads 2] [--seed 0]
Prints one JSON line (see common.py). Denoising draws fresh noise for every batch, as
aedetect and the PyTorch reference do.
"""
import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import common


def build(preset, keras):
    L = keras.layers
    if preset == "dense":
        layers = [L.Input((28, 28)), L.Flatten(), L.Dense(256, activation="relu"), L.Dense(100, activation="relu"),
                  L.Dense(256, activation="relu"), L.Dense(784), L.Reshape((28, 28))]
    elif preset == "conv":
        layers = [L.Input((28, 28)), L.Reshape((28, 28, 1)),
                  L.Conv2D(10, 5, strides=2, padding="same", activation="relu"),
                  L.MaxPooling2D(5, strides=1, padding="valid"), L.Flatten(), L.Dense(196),
                  L.Reshape((14, 14, 1)),
                  L.Conv2DTranspose(10, 4, strides=2, padding="same", activation="relu"),
                  L.Conv2D(1, 4, strides=1, padding="same"), L.Reshape((28, 28))]
    elif preset == "lstm":
        layers = [L.Input((28, 28)),
                  L.Bidirectional(L.LSTM(8, return_sequences=True), merge_mode="sum"),
                  L.Bidirectional(L.LSTM(8, return_sequences=True), merge_mode="sum"),
                  L.TimeDistributed(L.Dense(28))]
    elif preset == "denoise":
        layers = [L.Input((28, 28)), L.Reshape((28, 28, 1)),
                  L.Conv2D(10, 3, padding="same", activation="relu"),
                  L.MaxPooling2D(2, strides=1, padding="same"),
                  L.Conv2DTranspose(10, 3, strides=1, padding="same", activation="relu"),
                  L.Conv2D(1, 3, padding="same", activation="sigmoid"), L.Reshape((28, 28))]
    else:
        raise SystemExit(f"unknown preset {preset}")
    return keras.Sequential(layers)


class EpochTimer:
    def __init__(self, keras):
        class Callback(keras.callbacks.Callback):
            def on_epoch_begin(cb, epoch, logs=None):
                cb.start = time.perf_counter()

            def on_epoch_end(cb, epoch, logs=None):
                self.seconds.append(time.perf_counter() - cb.start)
                self.losses.append(logs["loss"])
        self.seconds, self.losses = [], []
        self.callback = Callback()


def dataset(tf, x, s, seed):
    data = tf.data.Dataset.from_tensor_slices(x).shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(s["batch"])
    noise = s["noise"]
    if noise:
        gen = tf.random.Generator.from_seed(seed)
        return data.map(lambda t: (tf.clip_by_value(t + noise * gen.normal(tf.shape(t)), 0, 1), t)).prefetch(2)
    return data.map(lambda t: (t, t)).prefetch(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("preset")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--limit", type=int, default=3000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    import keras
    keras.utils.set_random_seed(args.seed)

    s = common.SETTINGS[args.preset]
    x = common.load_idx(f"{common.DATA}/train-images-idx3-ubyte.gz", args.limit)
    model = build(args.preset, keras)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=s["lr"]), loss=s["loss"])
    timer = EpochTimer(keras)
    model.fit(dataset(tf, x, s, args.seed), epochs=args.epochs, verbose=0, shuffle=False, callbacks=[timer.callback])

    test = common.load_idx(f"{common.DATA}/t10k-images-idx3-ubyte.gz")

    def reconstruct_all():
        model.predict(test, batch_size=1000, verbose=0)
        return len(test)

    images_per_second = common.time_inference(reconstruct_all)
    common.emit(framework="keras", version=f"keras {keras.__version__} / tensorflow {tf.__version__}",
                preset=args.preset, threads=args.threads, images_per_second=images_per_second,
                **common.epoch_summary(timer.seconds, timer.losses))


if __name__ == "__main__":
    main()
