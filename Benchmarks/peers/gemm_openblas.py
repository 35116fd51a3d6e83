#!/usr/bin/env python3
"""Side-by-side GEMM benchmark: GoldenGrain's packed int8 and float32 kernels against OpenBLAS sgemm
(through numpy), in one run on the same shapes.

Run (numpy and threadpoolctl from a throwaway venv, never the project's; OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are unset for this command only, see docs/performance.md):

    swift build -c release --product goldengrain
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /tmp/gg-venv/bin/python Benchmarks/peers/gemm_openblas.py --threads 1

Shapes are M×K·K×N: square 64…1024 and the digits MLP's (1797×64·64×128, 1797×128·128×10).
GOPS counts 2 operations per multiply-accumulate for every kernel.

The machine is shared, so the kernels are measured interleaved: each of `--rounds` rounds times
every shape with ours (default kernel selection), ours pinned to the baseline kernels
(GOLDENGRAIN_GEMM_PORTABLE=1) and OpenBLAS, one after the other; the table keeps each one's best.
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
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            print(f"warning: {name}={os.environ[name]} is set; OpenBLAS may run a slower kernel")
    blas = [pool for pool in threadpool_info() if pool.get("internal_api") == "openblas"]
    for pool in blas:
        print(f"OpenBLAS {pool.get('version')} core {pool.get('architecture')} threading {pool.get('threading_layer')}")

    try:
        with open("/proc/cpuinfo") as cpuinfo:
            flags = next((line.split(":", 1)[1].split() for line in cpuinfo if line.startswith("flags")), [])
    except OSError:
        flags = []
    avx512 = all(f in flags for f in ("avx512f", "avx512bw", "avx512vl", "avx512_vnni"))
    kernel = ("the AVX-512 VNNI vpdpbusd kernel" if avx512 else
              "the AVX-VNNI kernel" if "avx_vnni" in flags else
              "the AVX2 kernel" if "avx2" in flags else "the portable kernel")
    print(f"CPU flags say ours int8 runs {kernel} (chosen by CPUID at run time; GOLDENGRAIN_GEMM_KERNEL pins one); "
          f"'int8 portable' column: GOLDENGRAIN_GEMM_PORTABLE=1")

    def ours(shape, portable):
        env = dict(os.environ, GOLDENGRAIN_GEMM_PORTABLE="1" if portable else "0")
        run = subprocess.run([args.binary, "model", "gemm-bench", "--shapes", "x".join(map(str, shape)),
                              "--threads", str(args.threads), "--seconds", str(args.seconds)],
                             check=True, capture_output=True, text=True, env=env)
        return next(json.loads(line) for line in run.stdout.splitlines() if line.startswith("{"))

    rng = np.random.default_rng(7)
    operands = {shape: (rng.standard_normal((shape[0], shape[1]), dtype=np.float32),
                        rng.standard_normal((shape[1], shape[2]), dtype=np.float32)) for shape in SHAPES}
    best = {shape: {"int8": 0.0, "int8portable": 0.0, "f32": 0.0, "sgemm": 0.0} for shape in SHAPES}
    with threadpool_limits(limits=args.threads, user_api="blas"):
        for _ in range(args.rounds):
            for shape in SHAPES:
                m, k, n = shape
                row, portable = ours(shape, False), ours(shape, True)
                a, b = operands[shape]
                sgemm = 2 * m * k * n / best_seconds(lambda: np.matmul(a, b), args.seconds) / 1e9
                for key, value in (("int8", row["int8GOPS"]), ("int8portable", portable["int8GOPS"]),
                                   ("f32", max(row["float32GFLOPS"], portable["float32GFLOPS"])), ("sgemm", sgemm)):
                    best[shape][key] = max(best[shape][key], value)

    print(f"threads: {args.threads} (ours and OpenBLAS); best of {args.rounds} interleaved rounds of {args.seconds} s each")
    print(f"{'shape (M×K·K×N)':<22}{'ours int8 GOPS':>16}{'int8 portable':>15}{'ours f32 GFLOPS':>17}"
          f"{'OpenBLAS sgemm GFLOPS':>23}{'int8/sgemm':>12}")
    for (m, k, n), figures in best.items():
        print(f"{f'{m}×{k}·{k}×{n}':<22}{figures['int8']:>16.2f}{figures['int8portable']:>15.2f}{figures['f32']:>17.2f}"
              f"{figures['sgemm']:>23.2f}{figures['int8'] / figures['sgemm']:>12.2f}")

if __name__ == "__main__":
    main()
