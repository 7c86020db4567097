"""Understanding accuracy and answer latency on questions the parser was not written from.

    python -m bench.understanding_bench [--db data/bank.db] [--large bench/out/models_1000000x12.db]

Scores the hand-written sets (two authors), the unanswerable set and the
generated corpus (development and held-out template families reported apart)
by category on the demo database, timing every answer; on the large database
it times a sample of the corpus (every family, every category) without
checking answers (the pandas references would read 12 million rows per
question). Writes the "Understanding" section of bench/RESULTS.md from what
this run measured.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.results import machine_line, write_section
from evaluation.corpus import generate
from evaluation.run import HANDWRITTEN, load_cases, run_case, score

SECTION = "## Understanding"


def accuracy(db: str, artifacts: str) -> tuple[list[str], list[float]]:
    from agents.assistant import Assistant
    assistant = Assistant(Path(db), Path(artifacts))
    corpus = generate(db)
    sets = {name: load_cases(name) for name in HANDWRITTEN}
    names = {"dev": "development families", "heldout": "held-out families (first wave)",
             "heldout2": "held-out families (second wave)"}
    for split in dict.fromkeys(c["split"] for c in corpus):
        sets[f"corpus, {names.get(split, split)}"] = [c for c in corpus if c["split"] == split]
    lines = ["| set | cases | right | rate | worst category |", "|---|---:|---:|---:|---|"]
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    times: list[float] = []
    for name, cases in sets.items():
        results = [run_case(assistant, c, db, artifacts) for c in cases]
        times += [r["ms"] for r in results]
        by = score(results)
        for cat, s in by.items():
            cats[cat][0] += s["passed"]
            cats[cat][1] += s["total"]
        worst = min(by.items(), key=lambda kv: kv[1]["rate"])
        right = sum(r["passed"] for r in results)
        lines.append(f"| {name} | {len(results)} | {right} | {right / len(results):.1%} | "
                     f"{worst[0]} {worst[1]['rate']:.0%} |")
        print(lines[-1], flush=True)
    lines += ["", "By category, all sets: " + "; ".join(
        f"{c} {p}/{n} = {p / n:.1%}" for c, (p, n) in sorted(cats.items())) + "."]
    return lines, times


def latency(db: str, artifacts: str, per_family: int) -> list[str]:
    from agents.assistant import Assistant
    from agents.planner import Context
    assistant = Assistant(Path(db), Path(artifacts))
    cases = generate(db)
    by_family: dict[str, list] = defaultdict(list)
    for c in cases:
        by_family[c["family"]].append(c)
    sample = [c for fam in by_family.values() for c in fam[:per_family]]
    assistant.ask(sample[0]["question"], Context())   # warm-up: lexicon, first connection
    by_cat: dict[str, list[float]] = defaultdict(list)
    slowest = []
    for c in sample:
        start = time.perf_counter()
        assistant.ask(c["question"], Context())
        ms = (time.perf_counter() - start) * 1000
        by_cat[c["category"]].append(ms)
        slowest.append((ms, c["question"]))
    all_ms = [m for v in by_cat.values() for m in v]
    lines = ["| category | questions | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for cat, ms in sorted(by_cat.items()):
        lines.append(f"| {cat} | {len(ms)} | {np.percentile(ms, 50):.0f} | {np.percentile(ms, 95):.0f} | {max(ms):.0f} |")
    lines.append(f"| all | {len(all_ms)} | {np.percentile(all_ms, 50):.0f} | {np.percentile(all_ms, 95):.0f} | "
                 f"{max(all_ms):.0f} |")
    lines += ["", "Slowest: " + "; ".join(f"{q} {ms:.0f} ms" for ms, q in sorted(slowest, reverse=True)[:4]) + "."]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="data/bank.db")
    parser.add_argument("--artifacts", default="artifacts")
    parser.add_argument("--large", help="a large database (e.g. 1,000,000 × 12) to time a corpus sample on")
    parser.add_argument("--per-family", type=int, default=10)
    args = parser.parse_args(argv)
    acc, times = accuracy(args.db, args.artifacts)
    body = [machine_line("python -m bench.understanding_bench" + (f" --large {args.large}" if args.large else "")),
            "", f"Accuracy on `{args.db}`: every expected value is a pandas expression over the raw tables, "
            "checked against the number the answer states next to its label; unanswerable = no figure given.",
            "", *acc, "",
            f"Answer latency on `{args.db}`, all {len(times)} questions above: p50 {np.percentile(times, 50):.0f} ms, "
            f"p95 {np.percentile(times, 95):.0f} ms, max {max(times):.0f} ms."]
    if args.large:
        body += ["", f"Latency on `{args.large}` ({args.per_family} questions from each corpus family, "
                     "answers not checked):", "", *latency(args.large, args.artifacts, args.per_family)]
    text = "\n".join(body)
    write_section(SECTION, text)
    print(text)


if __name__ == "__main__":
    main()
