#!/usr/bin/env python3
"""Draws docs/img/state_growth.png from the CSV that Benchmarks/StateGrowth writes (issue 18 §2).

Four panels: committed transfers per second and the state-root computation per block (ms) against
the number of accounts created, each with the baseline node measured in the same rounds; their
ratio against the 70 % goal; the datadir's size and the process's RSS (MB) against the
transactions mined. Prints the first and last rows, the ratio per step and the datadir's growth.

    .venv/bin/python Benchmarks/state/plot_state_growth.py Benchmarks/state/state_growth.csv
"""
import argparse
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", help="the CSV StateGrowth wrote")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs/img/state_growth.png"))
    args = parser.parse_args()
    with open(args.csv) as handle:
        rows = [{key: float(value) for key, value in row.items()} for row in csv.DictReader(handle)]
    if len(rows) < 2:
        raise SystemExit(f"{args.csv}: {len(rows)} rows, need at least two steps to plot")
    accounts = [row["accounts"] / 1e6 for row in rows]
    transactions = [row["transactions"] / 1e6 for row in rows]

    has_baseline = "baseline_transfers_per_s" in rows[0]
    figure, ((rate, root), (ratio, disk)) = plt.subplots(2, 2, figsize=(12, 8.5))
    rate.plot(accounts, [row["transfers_per_s"] for row in rows], "o-", color="tab:blue", label="grown node")
    if has_baseline:
        rate.plot(accounts, [row["baseline_transfers_per_s"] for row in rows], "o:", color="tab:gray",
                  label="baseline node (1,000 accounts), same rounds")
    rate.set_xlabel("accounts created (millions)")
    rate.set_ylabel("committed transfers/s (median)")
    rate.set_ylim(bottom=0)
    rate.set_title("Throughput, 1,000-transfer blocks")
    rate.legend(loc="lower left", fontsize=8)
    rate.grid(alpha=0.3)

    root.plot(accounts, [row["state_root_ms"] for row in rows], "s-", color="tab:red", label="grown node")
    if has_baseline:
        root.plot(accounts, [row["baseline_state_root_ms"] for row in rows], "s:", color="tab:gray", label="baseline node")
    root.set_xlabel("accounts created (millions)")
    root.set_ylabel("ms per block (median)")
    root.set_ylim(bottom=0)
    root.set_title("State root (WorldState.commit) per 1,000-transfer block")
    root.legend(loc="upper left", fontsize=8)
    root.grid(alpha=0.3)

    if has_baseline:
        ratio.plot(accounts, [row["ratio"] * 100 for row in rows], "o-", color="tab:blue")
        ratio.axhline(70, color="tab:red", linestyle="--", label="goal ≥ 70 %")
        ratio.set_ylim(0, 130)
        ratio.legend(loc="lower left", fontsize=8)
    ratio.set_xlabel("accounts created (millions)")
    ratio.set_ylabel("grown / baseline transfers/s (%)")
    ratio.set_title("Throughput relative to the near-empty state, same rounds")
    ratio.grid(alpha=0.3)

    disk.plot(transactions, [row["datadir_mb"] for row in rows], "o-", color="tab:green", label="datadir (MB)")
    disk.plot(transactions, [row["rss_mb"] for row in rows], "s--", color="tab:purple", label="process RSS (MB)")
    disk.set_xlabel("transactions mined (millions)")
    disk.set_ylabel("MB")
    disk.set_ylim(bottom=0)
    disk.set_title("Datadir size and RSS")
    disk.legend(loc="upper left", fontsize=8)
    disk.grid(alpha=0.3)

    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    first, last = rows[0], rows[-1]
    print(f"wrote {args.out}")
    for name, row in (("first", first), ("last", last)):
        print(f"{name}: {int(row['accounts']):,} accounts, {int(row['slots']):,} slots, {int(row['transactions']):,} tx: "
              f"{row['transfers_per_s']:.0f} transfers/s, state root {row['state_root_ms']:.2f} ms/block, "
              f"datadir {row['datadir_mb']:.1f} MB, RSS {row['rss_mb']:.1f} MB (load {row['load1']})")
    print(f"throughput at the last step: {last['transfers_per_s'] / first['transfers_per_s'] * 100:.0f} % of the first row's")
    if has_baseline:
        print("grown / baseline node, same rounds: " + ", ".join(f"{int(row['accounts']):,}: {row['ratio'] * 100:.0f} %" for row in rows))
    growth = (last["datadir_mb"] - first["datadir_mb"]) / max(last["transactions"] - first["transactions"], 1) * 1e6
    print(f"datadir growth: {growth:.0f} MB per million transactions")


if __name__ == "__main__":
    main()
