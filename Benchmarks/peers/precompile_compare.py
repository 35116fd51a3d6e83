#!/usr/bin/env python3
"""Side-by-side timing of the standard precompiles on revm (through pyrevm) and on GoldenGrain.

Same set-up and engines as revm_compare.py (pyrevm 0.3.7 in the venv, `goldengrain run --bench N`):

    swift build -c release --product goldengrain
    .venv/bin/python Benchmarks/peers/precompile_compare.py [--runs N] [--filter TEXT]

Inputs: go-ethereum's precompile vectors in ../shared/fixtures/precompiles (ecRecover, bn256Add,
bn256ScalarMul, bn256Pairing, blake2F, modexp_eip2565; the entries geth marks NoBenchmark and those
priced at 0 gas are left out). geth has no vector files for SHA-256, RIPEMD-160 and identity, so
those run on fixed inputs of 32, 128 and 1,024 bytes (bytes i mod 251).

What both engines run: a loop of K STATICCALLs to the precompile, the vector's input copied once
from the call data into memory, the output written after it (its expected length), inside one
message call of 1,000,000,000 gas under Cancun rules. K is chosen so that one run does about
4,000,000 gas of precompile work. Every call's success flag is summed and checked at the end (the
program reverts if any call failed), so a failing precompile cannot pass for a fast one.

Per call: time of one run / K. gas/s = the vector's precompile gas / time per call, so the figure
includes the STATICCALL around the precompile on both sides (a few hundred ns: it dominates the
cheap calls, identity and SHA-256 on 32 bytes, and is noise for ecrecover, pairing and modexp).
ratio = our gas/s ÷ revm's (above 1: GoldenGrain is faster). The two engines alternate per vector.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

from evm_programs import ROOT
from revm_compare import load_average, run_goldengrain, run_revm

PRECOMPILES = os.path.join(ROOT, "..", "shared", "fixtures", "precompiles")
WORK_PER_RUN = 4_000_000  # precompile gas per timed run


def word_gas(base, per_word, size):
    return base + per_word * ((size + 31) // 32)


def vectors():
    """Yields (precompile name, address, vector name, input bytes, gas, output length)."""
    files = [("ecrecover", 1, "ecRecover.json"), ("modexp", 5, "modexp_eip2565.json"),
             ("bn256Add", 6, "bn256Add.json"), ("bn256ScalarMul", 7, "bn256ScalarMul.json"),
             ("bn256Pairing", 8, "bn256Pairing.json"), ("blake2f", 9, "blake2F.json")]
    for name, address, file in files:
        with open(os.path.join(PRECOMPILES, file)) as handle:
            for vector in json.load(handle):
                if vector.get("NoBenchmark") or not vector.get("Gas"):
                    continue
                yield (name, address, vector["Name"], bytes.fromhex(vector["Input"]), vector["Gas"],
                       len(vector["Expected"]) // 2)
    for size in (32, 128, 1024):
        data = bytes(i % 251 for i in range(size))
        yield "sha256", 2, f"{size} bytes", data, word_gas(60, 12, size), 32
        yield "ripemd160", 3, f"{size} bytes", data, word_gas(600, 120, size), 32
        yield "identity", 4, f"{size} bytes", data, word_gas(15, 3, size), size


def loop_program(address, output_length, calls):
    """EVM code: copy the call data to memory, STATICCALL `address` `calls` times, revert unless all succeed."""
    code = bytes([0x36, 0x5F, 0x5F, 0x37])            # CALLDATACOPY(0, 0, CALLDATASIZE)
    code += bytes([0x5F])                              # successes = 0
    code += bytes([0x62]) + calls.to_bytes(3, "big")   # counter = calls
    loop = len(code)
    code += bytes([0x5B])                              # JUMPDEST
    code += bytes([0x61]) + output_length.to_bytes(2, "big")  # retSize
    code += bytes([0x36, 0x36, 0x5F])                  # retOffset = argsSize = CALLDATASIZE, argsOffset 0
    code += bytes([0x60, address, 0x5A, 0xFA])         # STATICCALL(GAS, address, ...)
    code += bytes([0x82, 0x01, 0x91, 0x50])            # successes += flag (stack: counter, successes)
    code += bytes([0x60, 0x01, 0x90, 0x03])            # counter -= 1
    code += bytes([0x80, 0x60, loop, 0x57])            # JUMPI(loop, counter)
    code += bytes([0x50])                              # POP counter
    code += bytes([0x62]) + calls.to_bytes(3, "big")   # successes == calls ?
    code += bytes([0x14, 0x60, len(code) + 7, 0x57])   # JUMPI(ok, equal)
    code += bytes([0x5F, 0x5F, 0xFD])                  # REVERT(0, 0)
    code += bytes([0x5B, 0x00])                        # ok: STOP
    return code


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per side and vector (median)")
    parser.add_argument("--filter", default="", help="only precompiles or vectors whose name contains this")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "goldengrain"))
    arguments = parser.parse_args()
    if not os.path.exists(arguments.binary):
        sys.exit(f"{arguments.binary} is missing: swift build -c release --product goldengrain")

    print(f"load average at start: {load_average()}")
    print(f"{'precompile':<15} {'vector':<34} {'gas':>7} {'calls':>6} {'revm µs':>9} {'ours µs':>9} "
          f"{'revm Mgas/s':>11} {'ours Mgas/s':>11} {'ratio':>6}")
    ratios, failures = {}, []
    for name, address, label, data, gas, output_length in vectors():
        if arguments.filter and arguments.filter not in name and arguments.filter not in label:
            continue
        calls = max(1, min(20_000, WORK_PER_RUN // gas))
        code = loop_program(address, output_length, calls)
        with tempfile.NamedTemporaryFile("w", suffix=".hex", delete=False) as handle:
            handle.write(code.hex())
            code_file = handle.name
        try:
            revm_time, (_, revm_status) = run_revm(code, data, arguments.runs)
            ours_time, (_, ours_status) = run_goldengrain(arguments.binary, code_file, data, arguments.runs)
        finally:
            os.unlink(code_file)
        if revm_status != "success" or ours_status != "success":
            failures.append(f"{name}/{label}: revm {revm_status}, ours {ours_status}")
            continue
        revm_call, ours_call = revm_time / calls, ours_time / calls
        ratio = revm_call / ours_call
        ratios.setdefault(name, []).append(ratio)
        print(f"{name:<15} {label[:34]:<34} {gas:>7} {calls:>6} {revm_call * 1e6:>9.2f} {ours_call * 1e6:>9.2f} "
              f"{gas / revm_call / 1e6:>11.1f} {gas / ours_call / 1e6:>11.1f} {ratio:>6.2f}", flush=True)
    print(f"load average at end: {load_average()}")
    print("median ratio per precompile (our gas/s ÷ revm's), min–max over its vectors:")
    for name, values in ratios.items():
        print(f"  {name:<15} {statistics.median(values):5.2f}   ({min(values):.2f}–{max(values):.2f}, "
              f"{len(values)} vectors)")
    if failures:
        print("calls that failed: " + "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
