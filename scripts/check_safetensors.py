#!/usr/bin/env python3
"""Checks that a model file written by aedetect opens in Python's `safetensors`.

Usage: check_safetensors.py MODEL.safetensors AEDETECT_BINARY

Loads MODEL with safetensors (numpy), asks `aedetect inspect --model MODEL --tensors`
for each tensor's shape, sum and first values, and fails unless they agree. Also checks
the metadata keys the design promises.
"""
import json
import subprocess
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def main() -> int:
    model, binary = sys.argv[1], sys.argv[2]
    tensors = load_file(model)
    with safe_open(model, framework="np") as f:
        metadata = f.metadata()
    for key in ("format", "format_version", "architecture", "history", "checksum"):
        assert key in metadata, f"metadata lacks {key!r}"
    assert metadata["format"] == "aedetect-model", metadata["format"]
    json.loads(metadata["architecture"])

    out = subprocess.run([binary, "inspect", "--model", model, "--tensors"],
                         check=True, capture_output=True, text=True).stdout
    expected = [json.loads(line) for line in out.splitlines() if line.startswith('{')]
    assert expected, "aedetect listed no tensors"
    for e in expected:
        t = tensors[e["name"]]
        assert t.dtype == np.float32, (e["name"], t.dtype)
        assert list(t.shape) == e["shape"], (e["name"], t.shape, e["shape"])
        assert np.allclose(float(t.astype(np.float64).sum()), e["sum"], rtol=1e-9, atol=1e-9), (e["name"], t.sum(), e["sum"])
        assert [float(v) for v in t.reshape(-1)[:3]] == e["first"], (e["name"], t.reshape(-1)[:3], e["first"])
    print(f"safetensors check: {model}: {len(expected)} tensors agree with aedetect "
          f"({sum(t.size for t in tensors.values())} values in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
