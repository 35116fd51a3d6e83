#!/usr/bin/env python3
"""The two plots of `goldengrain demo --report DIR`, from the demo's JSON document.

    .venv/bin/python scripts/demo_plots.py DIR/demo.json DIR

writes DIR/gas_per_step.png (gas of each step in each execution mode, log scale) and
DIR/price_vs_accuracy.png (the price each model got against its accuracy, with the task's price
curve). `goldengrain demo --report DIR` runs it; matplotlib is pinned in Tests/e2e/requirements.txt.
"""
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

MODES = [("tee", "TEE + precompiles", "#2a9d8f"),
         ("onchain", "on chain (INFERENCE_EVAL)", "#e9c46a"),
         ("plain", "plain EVM (PlainEvaluator.vy)", "#e76f51")]
WEI_PER_ETHER = 10**18


def mean(values):
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


def step_gas(document, mode, name, model=None):
    """Gas of one mode's steps called `name` (for one model if given): the mean if there are several."""
    return mean([step["gasUsed"] for step in document["steps"]
                 if step["mode"] == mode and step["name"] == name and step["gasUsed"] is not None
                 and (model is None or step["model"] == model)])


def gas_per_step(document, path):
    models = [model["name"] for model in document["models"]]
    published = document["attestationWithoutPrecompile"]["figures"][0]
    zk = document["attestationWithoutPrecompile"]["figures"][1:]
    categories = [("quote check without\nATTESTATION_VERIFY\n(published, not measured)", lambda mode: None),
                  ("registerEnclave\n(once per enclave)", lambda mode: step_gas(document, mode, "registerEnclave")),
                  ("createTask", lambda mode: step_gas(document, mode, "createTask")),
                  ("submitModel\n(mean)", lambda mode: step_gas(document, mode, "submitModel"))]
    for model in document["models"]:
        name = model["name"]
        categories.append((f"score model {name}\n({model['local']['accuracyBps'] / 100:.2f} %)",
                           lambda mode, name=name: next((m["modes"].get(mode, {}).get("scoringGas") for m in document["models"]
                                                         if m["name"] == name), None)))
    categories += [("withdraw\n(mean)", lambda mode: step_gas(document, mode, "withdraw")),
                   ("refund", lambda mode: step_gas(document, mode, "refund"))]
    assert len(models) == len(document["models"])

    figure, axes = plt.subplots(figsize=(12, 5.5))
    width = 0.26
    for offset, (mode, title, colour) in enumerate(MODES):
        xs, heights = [], []
        for index, (_, value) in enumerate(categories):
            gas = value(mode)
            if gas is not None:
                xs.append(index + (offset - 1) * width)
                heights.append(gas)
        bars = axes.bar(xs, heights, width, label=title, color=colour, edgecolor="black", linewidth=0.4)
        for bar, gas in zip(bars, heights):
            axes.annotate(f"{gas / 1e6:.2f}M" if gas >= 1e6 else f"{gas / 1e3:.0f}k", (bar.get_x() + bar.get_width() / 2, gas),
                          ha="center", va="bottom", fontsize=6.5, rotation=90, xytext=(0, 2), textcoords="offset points")
    axes.bar([-width / 2 - 0.02], [published["gasHigh"]], width * 1.2, color="none", edgecolor="grey", hatch="//",
             label=f"DCAP quote verified fully in EVM code: {published['published']}\n(Automata's published figure, not measured here)")
    low, high = min(f["gasLow"] for f in zk), max(f["gasHigh"] for f in zk)
    axes.bar([width / 2 + 0.02], [high], width * 1.2, color="none", edgecolor="grey", hatch="..",
             label=f"zk proof of the DCAP verification: {low // 1000}–{high // 1000}k gas\n(Automata's published figures, not measured here)")
    axes.axhline(document["blockGasLimit"], color="grey", linestyle="--", linewidth=0.8)
    axes.text(len(categories) - 0.5, document["blockGasLimit"] * 1.08, f"block gas limit {document['blockGasLimit']:,}",
              ha="right", fontsize=8, color="grey")
    axes.set_yscale("log")
    axes.set_ylim(10_000, document["blockGasLimit"] * 40)
    axes.set_xticks(range(len(categories)))
    axes.set_xticklabels([label for label, _ in categories], fontsize=8)
    axes.set_ylabel("gas used (log scale)")
    axes.set_title("GoldenGrain demo: gas per step in each execution mode")
    axes.legend(fontsize=8, loc="upper left", ncol=2)
    axes.grid(axis="y", which="major", linewidth=0.3)
    figure.text(0.01, 0.01, f"{document['command']} — chain {document['chainId']}", fontsize=7, color="grey")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(path, dpi=120)
    plt.close(figure)


def price_vs_accuracy(document, path):
    task = document["task"]
    minimum, max_price = task["minAccuracyBps"], int(task["maxPricePerModel"])
    accuracies = [model["local"]["accuracyBps"] for model in document["models"]]
    low = max(0, min(accuracies + [minimum]) - 500)
    curve_x = list(range(low, 10_001, 10))
    curve_y = [(max_price * (acc - minimum) // (10_000 - minimum) if acc >= minimum else 0) / WEI_PER_ETHER
               for acc in curve_x]

    figure, axes = plt.subplots(figsize=(8, 5))
    axes.plot([x / 100 for x in curve_x], curve_y, color="black", linewidth=1,
              label=f"the task's price: ⌊{max_price / WEI_PER_ETHER:g} ETH × (acc − {minimum / 100:g} %) / (100 % − {minimum / 100:g} %)⌋")
    axes.axvline(minimum / 100, color="grey", linestyle=":", linewidth=0.8)
    markers = {"tee": "o", "onchain": "s", "plain": "^"}
    sizes = {"tee": 110, "onchain": 60, "plain": 25}
    for mode, title, colour in MODES:
        xs, ys = [], []
        for model in document["models"]:
            score = model["modes"].get(mode)
            if not score or score["accuracyBps"] is None:
                continue
            xs.append(score["accuracyBps"] / 100)
            ys.append(int(score["price"]) / WEI_PER_ETHER)
        axes.scatter(xs, ys, s=sizes[mode], marker=markers[mode], color=colour, edgecolor="black", linewidth=0.5,
                     label=f"{title}: price paid", zorder=3)
    for model in document["models"]:
        score = model["modes"]["tee"]
        sold = score["status"] == "sold"
        text = f"{model['name']}: {score['accuracyBps'] / 100:.2f} %, " + (
            f"sold {int(score['price']) / WEI_PER_ETHER:g} ETH" if sold else "not sold, key unreleased")
        axes.annotate(text, (score["accuracyBps"] / 100, int(score["price"]) / WEI_PER_ETHER), fontsize=8,
                      xytext=(-10, 10) if sold else (10, 10), textcoords="offset points", ha="right" if sold else "left")
    axes.set_xlabel("accuracy on the provider's test set (%)")
    axes.set_ylabel("price paid (ETH)")
    axes.set_title("Price against accuracy (one task per mode, same terms)")
    axes.set_ylim(-0.05 * max_price / WEI_PER_ETHER, 1.15 * max_price / WEI_PER_ETHER)
    axes.legend(fontsize=8, loc="upper left")
    axes.grid(linewidth=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    document = json.loads(pathlib.Path(sys.argv[1]).read_text())
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    gas_per_step(document, out / "gas_per_step.png")
    price_vs_accuracy(document, out / "price_vs_accuracy.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
