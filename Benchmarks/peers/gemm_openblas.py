#!/usr/bin/env python3
"""Side-by-side GEMM benchmark: GoldenGrain's packed int8 and float32 kernels against OpenBLAS sgemm
(through numpy), in one run on the same shapes.

Run (numpy and threadpoolctl from a throwaway venv, never the project's; OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are unset for this command only, see docs/performance.md):

    swift build -c release --product goldengrain
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /tmp/gg-venv/bin/python Benchmarks/peers/gemm_openblas.py --threads 1

Shapes are M×K·K×N: square 64…1024 and the digits MLP's (1797×64·64×128, 1797×128·128×10).
GOPS counts 2 operations per multiply-accumulate for every kernel.
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

SHAPES = [(64, 64, 64), (128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
          (1797, 64, 128), (1797, 128, 10)]


def best_seconds(body, budget):
    body()
    fastest, spent = float("inf"), 0.0
    while spent < budget:
        start = time.perf_counter()
        body()
        elapsed = time.perf_counter() - start
        fastest, spent = min(fastest, elapsed), spent + elapsed
    return fastest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/goldengrain")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=0.5)
    args = parser.parse_args()

    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            print(f"warning: {name}={os.environ[name]} is set; OpenBLAS may run a slower kernel")
    blas = [pool for pool in threadpool_info() if pool.get("internal_api") == "openblas"]
    for pool in blas:
        print(f"OpenBLAS {pool.get('version')} core {pool.get('architecture')} threading {pool.get('threading_layer')}")

    shapes = ",".join(f"{m}x{k}x{n}" for m, k, n in SHAPES)
    ours = subprocess.run([args.binary, "model", "gemm-bench", "--shapes", shapes, "--threads", str(args.threads),
                           "--seconds", str(args.seconds)], check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in ours.stdout.splitlines() if line.startswith("{")]

    rng = np.random.default_rng(7)
    print(f"threads: {args.threads} (ours and OpenBLAS)")
    print(f"{'shape (M×K·K×N)':<22}{'ours int8 GOPS':>16}{'ours f32 GFLOPS':>17}{'OpenBLAS sgemm GFLOPS':>23}{'int8/sgemm':>12}")
    with threadpool_limits(limits=args.threads, user_api="blas"):
        for (m, k, n), row in zip(SHAPES, rows):
            a = rng.standard_normal((m, k), dtype=np.float32)
            b = rng.standard_normal((k, n), dtype=np.float32)
            seconds = best_seconds(lambda: np.matmul(a, b), args.seconds)
            sgemm = 2 * m * k * n / seconds / 1e9
            print(f"{f'{m}×{k}·{k}×{n}':<22}{row['int8GOPS']:>16.2f}{row['float32GFLOPS']:>17.2f}{sgemm:>23.2f}"
                  f"{row['int8GOPS'] / sgemm:>12.2f}")


if __name__ == "__main__":
    main()
