#!/usr/bin/env python3
"""Compiles every Contracts/*.vy with the venv's pinned Vyper into Contracts/build/<Name>.json.

    .venv/bin/python scripts/build_contracts.py           # regenerate the committed artifacts
    .venv/bin/python scripts/build_contracts.py --check   # exit 1 if an artifact differs from a fresh compile

An artifact holds what deployment tools need (abi, bytecode, deployedBytecode) and what proves where it came
from: the compiler version, the source's SHA-256 and the versions of imported libraries (snekmate).
Tests/e2e/test_contract_artifacts.py runs the --check mode, so a committed artifact never drifts from its source.
"""
import argparse
import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

import vyper
from vyper.compiler import compile_from_file_input
from vyper.compiler.input_bundle import FilesystemInputBundle, FileInput

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "Contracts"
BUILD = CONTRACTS / "build"
PINNED_VYPER = "0.4.3"


def compile_contract(path: Path) -> dict:
    """One artifact: the compiler's abi and bytecodes plus provenance."""
    source = path.read_bytes()
    search_paths = [CONTRACTS] + [Path(p) for p in sys.path if p]
    bundle = FilesystemInputBundle(search_paths)
    file_input = bundle.load_file(path)
    out = compile_from_file_input(file_input, input_bundle=bundle,
                                  output_formats=["abi", "bytecode", "bytecode_runtime"])
    return {
        "contractName": path.stem,
        "source": str(path.relative_to(ROOT)),
        "sourceSha256": hashlib.sha256(source).hexdigest(),
        "compiler": f"vyper {vyper.__version__.split('+')[0]}",
        "libraries": {"snekmate": metadata.version("snekmate")},
        "abi": out["abi"],
        "bytecode": out["bytecode"],
        "deployedBytecode": out["bytecode_runtime"],
    }


def render(artifact: dict) -> str:
    return json.dumps(artifact, indent=2, sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed artifacts; write nothing")
    parser.add_argument("contracts", nargs="*", help="contract names (default: every Contracts/*.vy)")
    args = parser.parse_args()

    version = vyper.__version__.split("+")[0]
    if version != PINNED_VYPER:
        print(f"vyper {version} found, {PINNED_VYPER} expected (Tests/e2e/requirements.txt pins it)", file=sys.stderr)
        return 2
    paths = sorted(CONTRACTS.glob("*.vy"))
    if args.contracts:
        paths = [p for p in paths if p.stem in args.contracts]
    BUILD.mkdir(exist_ok=True)
    stale = []
    for path in paths:
        text = render(compile_contract(path))
        target = BUILD / f"{path.stem}.json"
        if args.check:
            if not target.exists() or target.read_text() != text:
                stale.append(target.relative_to(ROOT))
        else:
            target.write_text(text)
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("stale artifacts (run .venv/bin/python scripts/build_contracts.py): "
              + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(paths)} artifacts match a fresh compile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
