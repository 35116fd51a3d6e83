#!/usr/bin/env python3
"""Exports scikit-learn's bundled copy of the UCI handwritten digits set (8x8, 1797 samples,
values 0-16) ONCE into Examples/digits as two GGD files (docs/formats.md, "## GGD dataset format").

Run in a throwaway venv, never the project's:
    python3 -m venv /tmp/gg-venv && /tmp/gg-venv/bin/pip install scikit-learn
    /tmp/gg-venv/bin/python scripts/export_digits.py Examples/digits

The split is fixed by scikit-learn's seeded stratified shuffle:
train_test_split(test_size=360, stratify=labels, random_state=0, shuffle=True) gives 1437 training
and 360 test samples whose class proportions match the whole set. The written files, not this
script, are the source of truth: Examples/digits/README.md records their sha256.
"""
import hashlib
import struct
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def ggd_bytes(features: np.ndarray, labels: np.ndarray) -> bytes:
    """GGD1: magic, u32 LE sample count, u32 LE feature count, int8 features row-major, u8 labels."""
    assert features.dtype == np.int8 and labels.dtype == np.uint8
    count, feature_count = features.shape
    return (b"GGD1" + struct.pack("<II", count, feature_count)
            + features.tobytes(order="C") + labels.tobytes())


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "Examples/digits")
    out.mkdir(parents=True, exist_ok=True)
    digits = load_digits()
    data = digits.data.astype(np.int64)
    assert data.shape == (1797, 64) and data.min() == 0 and data.max() == 16
    features = data.astype(np.int8)
    labels = digits.target.astype(np.uint8)
    train_x, test_x, train_y, test_y = train_test_split(
        features, labels, test_size=360, stratify=labels, random_state=0, shuffle=True)
    for name, x, y in (("train.ggd", train_x, train_y), ("test.ggd", test_x, test_y)):
        blob = ggd_bytes(np.ascontiguousarray(x), np.ascontiguousarray(y))
        (out / name).write_bytes(blob)
        print(f"{name}: {len(y)} samples, sha256 {hashlib.sha256(blob).hexdigest()}")
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
