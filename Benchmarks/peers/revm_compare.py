#!/usr/bin/env python3
"""Side-by-side timing of the evm-benchmarks programs on revm (through pyrevm) and on GoldenGrain.

Installs nothing. Set up once:

    python3 -m venv .venv-bench && .venv-bench/bin/pip install pyrevm==0.3.7
    swift build -c release --product goldengrain

then, from the package root:

    .venv-bench/bin/python Benchmarks/peers/revm_compare.py [--runs N] [--filter TEXT] [PATH...]

PATH defaults to ../shared/fixtures/evm-benchmarks/benchmarks (both `main` and `micro`). Each file
is a London state test (ipsilon/evm-benchmarks): the program is the code of the transaction's `to`
account in `pre`, and every `transaction.data` entry is one input. Both sides run the same thing:
a message call with no value from a fixed sender to the code's address, with 1,000,000,000 gas,
against otherwise empty state, under Cancun rules.

What is timed:
- revm: `EVM.message_call` only (Python wall clock around the call; the state is reverted to a
  snapshot after each run, outside the timing). pyrevm adds a fixed per-call overhead (building the
  transaction, crossing into Rust, converting the result), 10-20 µs here. The script measures it
  with calls to an account without code and prints a second ratio, `ratio*`, that subtracts it from
  revm's time: that is the stricter comparison, and it matters only for programs that run for less
  than about a millisecond (the `empty` inputs, swap_math, the micro benchmarks).
- GoldenGrain: `goldengrain run --bench N`, which times only `host.call(message)` inside the
  process (no process start, no hex parsing, no state setup) and prints a machine-readable
  `bench: …` line.
Each side reports the median of N runs (after one warm-up run). The sides alternate per program
so both see the same machine load; with `--rounds R` they alternate R times per input and each
keeps its lowest median. The load average is printed at the start and the end.

Gas: revm reports the transaction's gas (intrinsic 21,000 + calldata, minus the applied refund);
the script converts it to execution gas (used + refunded − intrinsic), which is what GoldenGrain's
`run` reports, and flags any program whose gas differs. Mgas/s uses execution gas for both.
ratio = GoldenGrain Mgas/s ÷ revm Mgas/s (above 1: GoldenGrain is faster).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

try:
    from pyrevm import EVM, AccountInfo
except ImportError:
    sys.exit("pyrevm is missing: python3 -m venv .venv-bench && .venv-bench/bin/pip install pyrevm==0.3.7")

from evm_programs import DEFAULT_PATH, GAS, ROOT, load_programs  # the shared loader

CALLER = "0x000000000000000000000000000073656e646572"  # "sender", as `goldengrain run` uses


def intrinsic_gas(data):
    """Intrinsic gas of a call transaction without access list (Yellow Paper g0, EIP-2028)."""
    return 21_000 + sum(16 if byte else 4 for byte in data)


def run_revm(code, data, runs):
    evm = EVM(spec_id="CANCUN")
    target = "0xbe7c43a580000000000000000000000000000001"
    evm.insert_account_info(target, AccountInfo(code=code))
    times, gas = [], None
    for i in range(runs + 1):
        checkpoint = evm.snapshot()
        start = time.perf_counter()
        evm.message_call(CALLER, target, calldata=data, gas=GAS)
        elapsed = time.perf_counter() - start
        result = evm.result
        evm.revert(checkpoint)
        used = result.gas_used + result.gas_refunded - intrinsic_gas(data)
        status = "success" if result.is_success else result.reason
        if i > 0:  # the first run warms caches
            times.append(elapsed)
        gas = (used, status)
    return statistics.median(times), gas


def run_goldengrain(binary, code_file, data, runs):
    with tempfile.NamedTemporaryFile("w", suffix=".hex", delete=False) as handle:
        handle.write(data.hex())
        input_file = handle.name
    try:
        output = subprocess.run(
            [binary, "run", "--code", "@" + code_file, "--input", "@" + input_file, "--gas", str(GAS),
             "--bench", str(runs)], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(input_file)
    fields = {}
    for line in output.splitlines():
        if line.startswith("bench:"):
            fields = dict(item.split("=", 1) for item in line[len("bench:"):].split())
    if not fields:
        sys.exit("goldengrain run printed no bench line:\n" + output)
    return float(fields["median_s"]), (int(fields["gas"]), fields["status"])


def load_average():
    """The 1/5/15-minute load averages, as `uptime` prints them (the machine is shared)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def call_overhead():
    """pyrevm's fixed cost of one message_call to an account without code, in seconds (median)."""
    evm = EVM(spec_id="CANCUN")
    times = []
    for _ in range(2000):
        checkpoint = evm.snapshot()
        start = time.perf_counter()
        evm.message_call(CALLER, CALLER, calldata=b"", gas=100_000)
        times.append(time.perf_counter() - start)
        evm.revert(checkpoint)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[DEFAULT_PATH])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per side and input (median)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternate the two engines this many times per input and keep each one's "
                             "lowest median (a neighbour's burst of load then rarely decides a row)")
    parser.add_argument("--filter", default="", help="only programs whose name contains this")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "goldengrain"))
    arguments = parser.parse_args()
    if not os.path.exists(arguments.binary):
        sys.exit(f"{arguments.binary} is missing: swift build -c release --product goldengrain")

    print(f"load average at start: {load_average()}")
    overhead = call_overhead()
    rows, mismatches = [], []
    print(f"pyrevm per-call overhead (median of empty calls): {overhead * 1e6:.1f} µs; 'ratio' uses revm's "
          f"measured time, 'ratio*' revm's time minus that overhead (the stricter figure)")
    print(f"{'benchmark':<38} {'gas':>12} {'revm s':>10} {'ours s':>10} {'revm Mgas/s':>12} "
          f"{'ours Mgas/s':>12} {'ratio':>7} {'ratio*':>7}")
    for name, code, inputs in load_programs(arguments.paths, arguments.filter):
        with tempfile.NamedTemporaryFile("w", suffix=".hex", delete=False) as handle:
            handle.write(code.hex())
            code_file = handle.name
        try:
            for label, data in inputs:
                revm_times, ours_times = [], []
                for _ in range(arguments.rounds):  # alternate the engines; keep each one's best median
                    revm_time, (revm_gas, revm_status) = run_revm(code, data, arguments.runs)
                    ours_time, (ours_gas, ours_status) = run_goldengrain(arguments.binary, code_file, data,
                                                                         arguments.runs)
                    revm_times.append(revm_time)
                    ours_times.append(ours_time)
                revm_time, ours_time = min(revm_times), min(ours_times)
                revm_rate = revm_gas / revm_time / 1e6
                ours_rate = ours_gas / ours_time / 1e6
                ratio = ours_rate / revm_rate
                strict_ratio = ours_rate / (revm_gas / max(revm_time - overhead, 1e-9) / 1e6)
                flag = ""
                if revm_gas != ours_gas or (revm_status == "success") != (ours_status == "success"):
                    flag = f"  GAS/STATUS MISMATCH revm {revm_gas} {revm_status}, ours {ours_gas} {ours_status}"
                    mismatches.append(f"{name}/{label}")
                benchmark = f"{name}/{label}"
                rows.append((benchmark, ratio, strict_ratio))
                print(f"{benchmark:<38} {ours_gas:>12} {revm_time:>10.6f} {ours_time:>10.6f} {revm_rate:>12.1f} "
                      f"{ours_rate:>12.1f} {ratio:>7.2f} {strict_ratio:>7.2f}{flag}", flush=True)
        finally:
            os.unlink(code_file)
    print(f"load average at end: {load_average()}")
    if not rows:
        sys.exit("no benchmarks found")
    def medians(selected):
        return (f"ratio {statistics.median(r for _, r, _ in selected):.2f}, "
                f"ratio* {statistics.median(r for _, _, r in selected):.2f}")
    print(f"median over all {len(rows)} benchmarks (GoldenGrain Mgas/s / revm Mgas/s): {medians(rows)}")
    main_rows = [row for row in rows if not row[0].startswith(MICRO_PREFIXES)]
    if main_rows and len(main_rows) != len(rows):
        print(f"median over the {len(main_rows)} main benchmarks: {medians(main_rows)}")
    if mismatches:
        print("gas or status mismatches: " + ", ".join(mismatches))
        sys.exit(1)


MICRO_PREFIXES = ("JUMPDEST_n0", "jump_around", "loop_with_many_jumpdests", "memory_grow_mload",
                  "memory_grow_mstore", "signextend")

if __name__ == "__main__":
    main()
