"""Run evaluation sets through the offline assistant and score them by set and category.

    python -m evaluation.run --db data/bank.db [--sets handwritten_a handwritten_b unanswerable corpus]
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import yaml

from agents.planner import Context
from evaluation.check import check

SUITES = Path(__file__).resolve().parent.parent / "suites"
#: one set per author, a…z then aa, ab, … (each written without reading the parser)
HANDWRITTEN = tuple(f"handwritten_{author}" for author in [*"abcdefghijklmnopqrstuvwxyz", "aa", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai", "aj", "ak", "al", "am", "an", "ao", "ap", "aq", "ar", "as", "at", "au", "av", "aw", "ax", "ay", "az", "ba", "bb", "bc", "bd", "be", "bf", "bg", "bh", "bi", "bj", "bk", "bl", "bm", "bn"]) + ("unanswerable",)


def load_cases(name: str) -> list[dict]:
    return yaml.safe_load((SUITES / f"{name}.yaml").read_text(encoding="utf-8"))


def run_case(assistant, case: dict, db_path, artifacts_dir=None) -> dict:
    context = Context()
    turns = case.get("turns") or [case["question"]]
    start = time.perf_counter()
    for turn in turns:
        answer = assistant.ask(turn, context)
    ms = (time.perf_counter() - start) * 1000
    try:
        passed, why = check(answer, case["expect"], db_path, artifacts_dir)
    except Exception as exc:  # a broken reference is a failed case, reported
        passed, why = False, f"check failed: {type(exc).__name__}: {exc}"
    stated = bool(answer.ok and answer.provenance.get("facts"))
    return {"id": case["id"], "category": case.get("category", "?"), "split": case.get("split", ""),
            "question": " / ".join(turns), "passed": passed, "why": why, "ms": ms,
            # a miss that still stated a figure: the failure that matters most
            "wrong_figure": stated and not passed, "answer": answer.text[:200]}


def score(results: list[dict], key: str = "category") -> dict:
    by = defaultdict(lambda: [0, 0])
    for r in results:
        by[r[key]][0] += r["passed"]
        by[r[key]][1] += 1
    return {k: {"passed": p, "total": n, "rate": p / n} for k, (p, n) in sorted(by.items())}


def main(argv=None):
    from agents.assistant import Assistant
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="data/bank.db")
    parser.add_argument("--artifacts", default="artifacts")
    parser.add_argument("--sets", nargs="*", default=list(HANDWRITTEN))
    parser.add_argument("--failures", action="store_true", help="print every failed case")
    parser.add_argument("--json", help="write all results here")
    args = parser.parse_args(argv)
    assistant = Assistant(Path(args.db), Path(args.artifacts))
    everything = {}
    for name in args.sets:
        if name == "corpus":
            from evaluation.corpus import generate
            cases = generate(args.db)
        else:
            cases = load_cases(name)
        results = [run_case(assistant, c, args.db, args.artifacts) for c in cases]
        everything[name] = results
        total = sum(r["passed"] for r in results)
        wrong = sum(r["wrong_figure"] for r in results)
        print(f"{name}: {total}/{len(results)} = {total / len(results):.1%}; wrong figure stated: {wrong}")
        for cat, s in score(results).items():
            print(f"  {cat}: {s['passed']}/{s['total']} = {s['rate']:.0%}")
        if any(r["split"] for r in results):
            for split, s in score(results, "split").items():
                wrong = sum(r["wrong_figure"] for r in results if r["split"] == split)
                print(f"  split {split}: {s['passed']}/{s['total']} = {s['rate']:.1%}; wrong figure stated: {wrong}")
        if args.failures:
            for r in results:
                if not r["passed"]:
                    print(f"  FAIL {r['id']} [{r['category']}] {r['question']} :: {r['why']} :: {r['answer'][:120]}")
    if args.json:
        Path(args.json).write_text(json.dumps(everything, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
