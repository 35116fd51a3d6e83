"""The evm-benchmarks programs as both peer scripts (revm_compare.py, ab_compare.py) read them.

Each file under PATH is a London state test (ipsilon/evm-benchmarks): the program is the code of the
transaction's `to` account in `pre`, and every `transaction.data` entry is one input.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_PATH = os.path.join(ROOT, "..", "shared", "fixtures", "evm-benchmarks", "benchmarks")
GAS = 1_000_000_000


def load_programs(paths, name_filter):
    """Yields (name, code bytes, [(label, input bytes)]) for every state test under paths."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in sorted(os.walk(path)):
                files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".json")]
        else:
            files.append(path)
    for file in files:
        with open(file) as handle:
            tests = json.load(handle)
        for name, test in sorted(tests.items()):
            if name_filter and name_filter not in name:
                continue
            to = test["transaction"]["to"].lower()
            pre = {address.lower(): account for address, account in test["pre"].items()}
            labels = test.get("_info", {}).get("labels", {})
            inputs = [(labels.get(str(index), str(index)), bytes.fromhex(data[2:] if data.startswith("0x") else data))
                      for index, data in enumerate(test["transaction"]["data"])]
            yield name, bytes.fromhex(pre[to]["code"][2:]), inputs
