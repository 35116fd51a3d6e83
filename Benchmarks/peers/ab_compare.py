#!/usr/bin/env python3
"""Same-run A/B timing of two `goldengrain` binaries on the evm-benchmarks programs.

    python3 Benchmarks/peers/ab_compare.py BEFORE_BINARY AFTER_BINARY [--runs N] [--rounds R] [--filter TEXT] [PATH...]

For a change that must not slow the interpreter: build the previous commit's binary, copy it aside,
build the change, and run this. Programs are found as Benchmarks/peers/revm_compare.py finds them
(the code of each state test's `to` account, one run per `transaction.data` entry, 1,000,000,000
gas). Each binary runs `goldengrain run --bench N` (the in-process median of N calls, no process
start or parsing timed); the two binaries alternate per input, for R rounds, so both see the same
machine load. Reported per input: the gas (both must agree), each binary's best median over the
rounds in Mgas/s, and after/before. Needs nothing beyond Python 3.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from evm_programs import DEFAULT_PATH, GAS, load_programs  # the shared loader


def bench(binary, code_file, input_file, runs):
    """Runs `goldengrain run --bench` once; returns (median seconds, gas, status)."""
    output = subprocess.run([binary, "run", "--code", "@" + code_file, "--input", "@" + input_file,
                             "--gas", str(GAS), "--bench", str(runs)],
                            check=True, capture_output=True, text=True).stdout
    for line in output.splitlines():
        if line.startswith("bench:"):
            fields = dict(item.split("=", 1) for item in line[len("bench:"):].split())
            return float(fields["median_s"]), int(fields["gas"]), fields["status"]
    sys.exit(f"{binary} printed no bench line:\n{output}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("paths", nargs="*", default=[DEFAULT_PATH])
    parser.add_argument("--runs", type=int, default=5, help="calls per `run --bench` (median)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per input (best kept)")
    parser.add_argument("--filter", default="", help="only programs whose name contains this")
    arguments = parser.parse_args()
    print(f"{'benchmark':<38} {'gas':>12} {'before Mgas/s':>14} {'after Mgas/s':>13} {'after/before':>13}")
    ratios = []
    with tempfile.TemporaryDirectory() as folder:
        for name, code, inputs in load_programs(arguments.paths, arguments.filter):
            code_file = os.path.join(folder, "code.hex")
            with open(code_file, "w") as handle:
                handle.write(code.hex())
            for label, data in inputs:
                input_file = os.path.join(folder, "input.hex")
                with open(input_file, "w") as handle:
                    handle.write(data.hex())
                times = {"before": [], "after": []}
                outcomes = set()
                for _ in range(arguments.rounds):
                    for side in ("before", "after"):
                        seconds, gas, status = bench(getattr(arguments, side), code_file, input_file, arguments.runs)
                        times[side].append(seconds)
                        outcomes.add((gas, status))
                if len(outcomes) != 1:
                    sys.exit(f"{name}/{label}: the binaries disagree on gas or status: {sorted(outcomes)}")
                gas = outcomes.pop()[0]
                before = gas / min(times["before"]) / 1e6
                after = gas / min(times["after"]) / 1e6
                ratios.append(after / before)
                print(f"{name + '/' + label:<38} {gas:>12} {before:>14.1f} {after:>13.1f} {after / before:>13.3f}",
                      flush=True)
    if not ratios:
        sys.exit("no benchmarks found")
    print(f"median after/before over {len(ratios)} inputs: {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()
