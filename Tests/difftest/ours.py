"""GoldenGrain's side: one `goldengrain statetest --jsonl --coverage` process serves every case of
a run (one JSON line in, one outcome line out), and its outcome is normalized for compare.py."""

import json
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Coverage is recorded for one case in four: the coverage tracer makes a long-running case (an
# official test's 500-million-gas loop) ten times slower, and a quarter of the cases is plenty.
COVERAGE_SAMPLE = 4


def binary():
    return pathlib.Path(os.environ.get("GOLDENGRAIN_BIN", ROOT / ".build" / "release" / "goldengrain"))


class Ours:
    """The batch process; `run(case)` sends one case and waits for its outcome."""

    def __init__(self, coverage=True, sample=COVERAGE_SAMPLE):
        arguments = [str(binary()), "statetest", "--jsonl"]
        if coverage:
            arguments += ["--coverage", "--coverage-sample", str(sample)]
        self.process = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        bufsize=1)

    def run_raw(self, case):
        self.process.stdin.write(json.dumps(case, separators=(",", ":")) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"goldengrain statetest --jsonl exited with {self.process.wait()} on {case['name']}")
        return json.loads(line)

    def run(self, case):
        return normalize(self.run_raw(case))

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def normalize(raw):
    """The outcome line in compare.py's shape."""
    if raw["status"] in ("rejected", "error"):
        return {"status": "rejected" if raw["status"] == "rejected" else "error", "reason": raw["reason"],
                "raw": raw}
    post = {}
    for address, account in raw["accounts"].items():
        if account is None:
            post[address] = None
        else:
            post[address] = (account["nonce"], int(account["balance"], 16), account["codeHash"],
                             {int(k, 16): int(v, 16) for k, v in account["storage"].items()})
    logs = [(log["address"], tuple(log["topics"]), log["data"]) for log in raw["logs"]]
    return {"status": raw["status"], "reason": raw["reason"], "output": raw["output"], "gasUsed": raw["gasUsed"],
            "refund": raw["refund"], "logs": logs, "created": raw["createdAddress"], "post": post,
            "stateRoot": raw["stateRoot"], "logsHash": raw["logsHash"], "raw": raw}
