#!/usr/bin/env python3
"""Differential fuzzing of GoldenGrain's EVM against revm (issue 14 §1).

    .venv/bin/python Tests/difftest/difftest.py run --seed 1 --cases 3000       # one chunk
    .venv/bin/python Tests/difftest/difftest.py soak --start 100 --chunk 20000 --hours 2 --log out/difftest/soak.jsonl
    .venv/bin/python Tests/difftest/difftest.py replay random-1000000042 [--trace]
    .venv/bin/python Tests/difftest/difftest.py minimize out/difftest/random-1000000042.json

Case i of chunk S has seed S·10⁹ + i: every fifth case is a mutation of an official state test
(mutations.py), the rest are generated (generator.py). Each case runs on GoldenGrain (one
`goldengrain statetest --jsonl --coverage` process for the whole chunk, ours.py) and on revm
(pyrevm, revm_side.py); compare.py lists every difference in status, halt reason, output, gas
used, refund, logs, created address and the post-state of every account either side touched. A
disagreement is written to out/difftest/<case>.json with py-evm's result as a third opinion.

The summary line is "difftest: N passed, M failed, K skipped" (skipped: a case the harness could
not build, e.g. an official test without a usable Cancun transaction).
"""

import argparse
import json
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import compare  # noqa: E402
import generator  # noqa: E402
import mutations  # noqa: E402
import ours as ours_module  # noqa: E402
import revm_side  # noqa: E402
from assembler import DEFINED, NAME  # noqa: E402

OUT = ours_module.ROOT / "out" / "difftest"
SEEDS_PER_CHUNK = 10**9


def harness_version():
    """A short hash of the harness's sources: a seed names the same case only under the same one."""
    import hashlib
    digest = hashlib.sha256()
    for path in sorted(pathlib.Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def case_for(seed, constrained=True):
    if seed % 5 == 4 and constrained:
        return mutations.mutated_case(seed)
    return generator.random_case(seed, constrained)


def case_by_name(name):
    kind, _, seed = name.partition("-")
    return mutations.mutated_case(int(seed)) if kind == "mutated" else generator.random_case(int(seed))


class Coverage:
    """Cases in which each opcode ran, and each precompile's successful and failed calls (counted by
    our side's CoverageTracer in one case of every ours.COVERAGE_SAMPLE: both engines run the same
    programs)."""

    def __init__(self):
        self.opcodes = {}
        self.precompiles = {}

    def add(self, raw):
        bitmap = int(raw.get("opcodes", "0x0"), 16)
        while bitmap:
            low = bitmap & -bitmap
            opcode = low.bit_length() - 1
            self.opcodes[opcode] = self.opcodes.get(opcode, 0) + 1
            bitmap ^= low
        for number, outcome in raw.get("precompiles", {}).items():
            entry = self.precompiles.setdefault(int(number), [0, 0])
            if outcome in ("ok", "both"):
                entry[0] += 1
            if outcome in ("fail", "both"):
                entry[1] += 1

    def merge(self, other):
        for opcode, count in other.get("opcodes", {}).items():
            self.opcodes[int(opcode)] = self.opcodes.get(int(opcode), 0) + count
        for number, (ok, failed) in other.get("precompiles", {}).items():
            entry = self.precompiles.setdefault(int(number), [0, 0])
            entry[0] += ok
            entry[1] += failed

    def as_json(self):
        return {"opcodes": {str(k): v for k, v in sorted(self.opcodes.items())},
                "precompiles": {str(k): v for k, v in sorted(self.precompiles.items())}}

    def summary(self):
        defined_seen = sorted(op for op in self.opcodes if op in DEFINED)
        missing = sorted(DEFINED - set(self.opcodes))
        undefined_seen = len([op for op in self.opcodes if op not in DEFINED])
        lines = [f"coverage (one case in {ours_module.COVERAGE_SAMPLE}): opcodes executed: {len(defined_seen)} of "
                 f"{len(DEFINED)} Cancun opcodes"
                 + (f" (missing: {', '.join(NAME[op] for op in missing)})" if missing else "")
                 + f", plus {undefined_seen} undefined bytes"]
        parts = []
        for number in range(1, 11):
            ok, failed = self.precompiles.get(number, [0, 0])
            parts.append(f"0x{number:02x} {ok} ok/{failed} failed")
        lines.append("precompile calls: " + ", ".join(parts))
        return lines


def third_opinion(case, *results):
    watch = {}
    for result in results:
        for address, account in (result.get("post") or {}).items():
            watch.setdefault(address, set()).update(account[3] if account else ())
    try:
        import pyevm_side
        return pyevm_side.run(case, watch)
    except Exception as error:  # the third opinion must never stop a run
        return {"status": "error", "reason": f"py-evm: {type(error).__name__}: {error}"}


def record_disagreement(case, ours, theirs, found, reference="revm"):
    OUT.mkdir(parents=True, exist_ok=True)
    pyevm = third_opinion(case, ours, theirs) if reference == "revm" else theirs
    report = {"case": case, "differences": found, "ours": ours["raw"] if "raw" in ours else ours,
              "revm": jsonable(theirs) if reference == "revm" else None, "pyevm": jsonable(pyevm)}
    if reference == "revm" and pyevm.get("status") not in ("error", None):
        report["pyevm_vs_ours"] = compare.differences(case, ours, pyevm, "py-evm")
        report["pyevm_vs_revm"] = compare.differences(case, theirs, pyevm, "py-evm")
    path = OUT / f"{case['name']}.json"
    path.write_text(json.dumps(report, indent=1, default=str))
    return path


def jsonable(result):
    result = dict(result)
    if "post" in result:
        result["post"] = {address: None if account is None else
                          {"nonce": account[0], "balance": hex(account[1]), "codeHash": account[2],
                           "storage": {hex(k): hex(v) for k, v in sorted(account[3].items())}}
                          for address, account in sorted(result["post"].items())}
    result.pop("raw", None)
    return result


def run_chunk(seed, cases, quiet=False, mutated=True, reference="revm"):
    """Runs one chunk; returns its statistics. With reference "pyevm" the cases are unconstrained
    (several storage slots per account, accounts with storage cold, nonzero base fees; see
    generator.random_case) and py-evm is the other engine: a tenth of the speed, no mutations."""
    ours = ours_module.Ours()
    coverage = Coverage()
    passed = failed = skipped = 0
    statuses = {}
    halt_notes = {}
    known = {}
    failures = []
    started = time.time()
    for index in range(cases):
        case_seed = seed * SEEDS_PER_CHUNK + index
        if not mutated and case_seed % 5 == 4:
            case_seed += 1
        case = case_for(case_seed, constrained=reference == "revm")
        if case is None:
            skipped += 1
            continue
        try:
            mine = ours.run(case)
        except RuntimeError as error:  # our process died (a trap is a finding): note it, start another
            failed += 1
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"{case['name']}.crash.json").write_text(json.dumps(case))
            failures.append({"case": case["name"], "differences": [f"our process died: {error}"]})
            print(f"FAIL {case['name']}: our process died: {error}", flush=True)
            ours = ours_module.Ours()
            continue
        if mine["status"] == "error":
            failed += 1
            failures.append({"case": case["name"], "differences": [f"our runner: {mine['reason']}"]})
            print(f"FAIL {case['name']}: our runner: {mine['reason']}", flush=True)
            continue
        coverage.add(mine["raw"])
        try:
            theirs = revm_side.run(case) if reference == "revm" else third_opinion(case, mine)
        except BaseException as error:  # a pyrevm panic is a BaseException; it must not end a soak
            if isinstance(error, KeyboardInterrupt):
                raise
            failed += 1
            failures.append({"case": case["name"], "differences": [f"revm side: {type(error).__name__}: {error}"]})
            print(f"FAIL {case['name']}: revm side: {type(error).__name__}: {str(error)[:200]}", flush=True)
            continue
        statuses[mine["status"]] = statuses.get(mine["status"], 0) + 1
        found = compare.differences(case, mine, theirs, "revm" if reference == "revm" else "py-evm")
        note = compare.halt_note(mine, theirs) if reference == "revm" else None
        if note:
            halt_notes[note] = halt_notes.get(note, 0) + 1
        deviation = compare.known_deviation(case, mine, theirs) if found else None
        if deviation:
            known[deviation] = known.get(deviation, 0) + 1
            passed += 1
        elif found:
            failed += 1
            path = record_disagreement(case, mine, theirs, found, reference)
            failures.append({"case": case["name"], "differences": found[:5], "file": str(path)})
            print(f"FAIL {case['name']}: {'; '.join(found[:3])} ({path})", flush=True)
        else:
            passed += 1
    ours.close()
    seconds = time.time() - started
    stats = {"seed": seed, "harness": harness_version(), "cases": cases, "passed": passed, "failed": failed, "skipped": skipped,
             "seconds": round(seconds, 1), "casesPerSecond": round(cases / seconds, 1), "statuses": statuses,
             "haltReasonNotes": halt_notes, "knownRevmDeviations": known, "failures": failures, "coverage": coverage.as_json()}
    if not quiet:
        print(f"chunk {seed}: {cases} cases in {seconds:.1f} s ({cases / seconds:.0f} cases/s), top-level "
              + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
        for line in coverage.summary():
            print(line)
        for reason, count in sorted(known.items()):
            print(f"differences explained by a known revm deviation (passed): {reason} ×{count}")
        if halt_notes:
            print("top-level halt reasons that differ (not consensus-visible; ours / revm): "
                  + ", ".join(f"{k} ×{v}" for k, v in sorted(halt_notes.items())))
    return stats, coverage


def command_run(arguments):
    stats, _ = run_chunk(arguments.seed, arguments.cases, reference=arguments.reference)
    if arguments.json:
        pathlib.Path(arguments.json).write_text(json.dumps(stats))
    print(f"difftest: {stats['passed']} passed, {stats['failed']} failed, {stats['skipped']} skipped")
    return 1 if stats["failed"] else 0


def command_soak(arguments):
    """Chunks from --start on until --hours have passed; one JSON line per chunk in --log."""
    log = pathlib.Path(arguments.log)
    log.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.time() + arguments.hours * 3600
    seed = arguments.start
    while time.time() < deadline:
        stats, _ = run_chunk(seed, arguments.chunk, quiet=True)
        with log.open("a") as handle:
            handle.write(json.dumps(stats) + "\n")
        print(f"chunk {seed}: {stats['passed']} passed, {stats['failed']} failed, {stats['skipped']} skipped, "
              f"{stats['casesPerSecond']} cases/s", flush=True)
        seed += 1
    return 0


def command_totals(arguments):
    """Adds up a soak log: cases, seeds, rate, failures and coverage."""
    coverage = Coverage()
    cases = passed = failed = skipped = 0
    seconds = 0.0
    seeds = []
    tallies = {"statuses": {}, "knownRevmDeviations": {}, "haltReasonNotes": {}}
    harnesses = set()
    for line in pathlib.Path(arguments.log).read_text().splitlines():
        stats = json.loads(line)
        seeds.append(stats["seed"])
        harnesses.add(stats.get("harness", "?"))
        for name, tally in tallies.items():
            for key, count in stats.get(name, {}).items():
                tally[key] = tally.get(key, 0) + count
        cases += stats["cases"]; passed += stats["passed"]; failed += stats["failed"]; skipped += stats["skipped"]
        seconds += stats["seconds"]
        coverage.merge(stats["coverage"])
    print(f"chunks {len(seeds)} (seeds {min(seeds)}..{max(seeds)}), cases {cases}: {passed} passed, {failed} failed, "
          f"{skipped} skipped; {seconds / 3600:.2f} h, {cases / max(seconds, 1e-9):.0f} cases/s")
    for line in coverage.summary():
        print(line)
    print("harness versions: " + ", ".join(sorted(harnesses)))
    for name, tally in tallies.items():
        print(f"{name}: " + (", ".join(f"{k} ×{v}" for k, v in sorted(tally.items())) or "none"))
    return 0


def command_replay(arguments):
    case = load_case(arguments.case)
    ours = ours_module.Ours()
    mine = ours.run(case)
    ours.close()
    theirs = revm_side.run(case)
    found = compare.differences(case, mine, theirs)
    print(json.dumps(case) if arguments.print_case else f"case {case['name']}")
    print(f"ours: {mine['status']} {mine['reason']} gas {mine.get('gasUsed')}; revm: {theirs['status']} "
          f"{theirs['reason']} gas {theirs.get('gasUsed')}")
    for line in found:
        print("  " + line)
    if arguments.trace:
        import subprocess
        traced = subprocess.run([str(ours_module.binary()), "statetest", "--jsonl", "--trace"],
                                input=json.dumps(case) + "\n", capture_output=True, text=True)
        pathlib.Path(arguments.trace).write_text(traced.stderr)
        print(f"our EIP-3155 trace: {arguments.trace}")
    return 1 if found else 0


def load_case(text):
    path = pathlib.Path(text)
    if path.exists():
        content = json.loads(path.read_text())
        if "case" in content:
            return content["case"]
        if "env" in content:
            return content
        name, test = next(iter(content.items()))  # a regression file in state-test format
        return dict(test, name=name)
    return case_by_name(text)


def command_minimize(arguments):
    import minimize
    case = load_case(arguments.case)
    smaller = minimize.minimize(case)
    output = pathlib.Path(arguments.output or OUT / f"{case['name']}.min.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(smaller, indent=1))
    print(f"minimized case: {output}")
    ours = ours_module.Ours()
    for line in compare.differences(smaller, ours.run(smaller), revm_side.run(smaller)):
        print("  " + line)
    ours.close()
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run one chunk of cases")
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--cases", type=int, default=3000)
    run.add_argument("--json", help="write the chunk's statistics here")
    run.add_argument("--reference", choices=["revm", "pyevm"], default="revm",
                     help="the other engine (pyevm: unconstrained cases, slower)")
    soak = commands.add_parser("soak", help="run chunks until a deadline")
    soak.add_argument("--start", type=int, required=True)
    soak.add_argument("--chunk", type=int, default=20000)
    soak.add_argument("--hours", type=float, default=1.0)
    soak.add_argument("--log", default=str(OUT / "soak.jsonl"))
    totals = commands.add_parser("totals", help="add up a soak log")
    totals.add_argument("--log", default=str(OUT / "soak.jsonl"))
    replay = commands.add_parser("replay", help="rerun one case (a name such as random-1000000042, or a file)")
    replay.add_argument("case")
    replay.add_argument("--trace", help="write our EIP-3155 trace to this file")
    replay.add_argument("--print-case", action="store_true")
    shrink = commands.add_parser("minimize", help="delta-debug a disagreeing case")
    shrink.add_argument("case")
    shrink.add_argument("--output")
    arguments = parser.parse_args()
    handler = {"run": command_run, "soak": command_soak, "totals": command_totals, "replay": command_replay,
               "minimize": command_minimize}[arguments.command]
    sys.exit(handler(arguments))


if __name__ == "__main__":
    main()
