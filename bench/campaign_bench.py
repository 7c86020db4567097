"""Benchmark campaign lists and their backtest at scale; writes the '## Campaign lists' section of RESULTS.md.

    python -m bench.campaign_bench [--db bench/out/models_1000000x15.db]

The database: 1,000,000 customers × 15 months (built when missing) — six monthly lists without
leakage need 15: features need 3 months, the fit needs 3 more whose labels precede the first list,
then six list months, each scored 3 months on. The models are trained into
bench/out/artifacts_<name> when missing or stale. Timed: building a 10,000-customer list for each
goal from every as-of customer (median of 3, after a warm-up that loads the artifacts), and the
backtest of the monthly lists on the full customer panel (reading the panel, fitting on the
earlier months, drawing and scoring each list). The number of lists is what the history allows.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.results import machine_line, peak_mib, write_section

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SECTION = "## Campaign lists"
LIST_SIZE = 10_000


def ensure_models(db: Path) -> Path:
    from models.train import models_current, train_all
    artifacts = OUT / f"artifacts_{db.stem}"
    if not models_current(db, artifacts):
        artifacts.mkdir(parents=True, exist_ok=True)
        train_all(db, artifacts, progress=True)
    return artifacts


def time_lists(db: Path, artifacts: Path) -> list[dict]:
    from models.service import ModelService
    service = ModelService(db, artifacts)
    rows = []
    for goal, product in (("upgrade", None), ("retain", None), ("cross_sell", "理财")):
        service.campaign(goal, 10, product)   # warm-up: loads the artifacts
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            result = service.campaign(goal, LIST_SIZE, product)
            seconds.append(time.perf_counter() - start)
        rows.append({"goal": goal + (f"（{product}）" if product else ""), "candidates": result.candidates,
                     "listed": len(result.rows), "seconds": statistics.median(seconds)})
    return rows


def time_backtest(db: Path) -> list[dict]:
    from models.campaign_backtest import backtest_lists
    from models.churn import ChurnModel
    from models.features import PANEL_COLUMNS
    from models.high_value import HighValueModel
    from models.panel import load_panel
    start = time.perf_counter()
    panel = load_panel(db, PANEL_COLUMNS)
    read_s = time.perf_counter() - start
    rows = []
    for goal, model in (("upgrade", HighValueModel(estimators=("lightgbm",))),
                        ("retain", ChurnModel(estimators=("lightgbm",)))):
        start = time.perf_counter()
        frame = backtest_lists(panel, model, goal)
        rows.append({"goal": goal, "lists": len(frame), "customers": len(panel.customer_ids), "read_s": read_s,
                     "seconds": time.perf_counter() - start, "model": frame["model"].mean(),
                     "random": frame["random"].mean(), "rule": frame["rule"].mean(), "peak": peak_mib()})
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="default: 1,000,000 × 15 (six lists' history)")
    args = parser.parse_args(argv)
    if args.db is None:
        from bench.model_bench import bench_database
        args.db = bench_database(1_000_000, 15)
    args.db = args.db.resolve()
    artifacts = ensure_models(args.db)
    lists = time_lists(args.db, artifacts)
    backtests = time_backtest(args.db)
    lines = [machine_line(f"python -m bench.campaign_bench --db {args.db.relative_to(ROOT)}"), "",
             f"Building a list of {LIST_SIZE:,} customers from every as-of customer (median of 3 after a warm-up):", "",
             "| goal | candidates | listed | seconds |", "|---|---:|---:|---:|"]
    lines += [f"| {r['goal']} | {r['candidates']:,} | {r['listed']:,} | {r['seconds']:.2f} |" for r in lists]
    lines += ["", "Backtest on the full panel (fit on earlier months, draw the top 5% each list month, score 3 months on):",
              "", "| goal | customers | lists | panel read s | backtest s | model | random | rule | peak MiB |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['goal']} | {r['customers']:,} | {r['lists']} | {r['read_s']:.1f} | {r['seconds']:.1f} | "
              f"{r['model']:.1%} | {r['random']:.1%} | {r['rule']:.1%} | {r['peak']:,.0f} |" for r in backtests]
    worst_list = max(r["seconds"] for r in lists)
    worst_backtest = max(r["seconds"] for r in backtests) + backtests[0]["read_s"]
    n_lists = backtests[0]["lists"]
    lines += ["", f"Targets (issue 16): a {LIST_SIZE:,}-customer list from {lists[0]['candidates']:,}+ customers under 5 s — "
              f"{'met' if worst_list < 5 else 'MISSED'} (slowest {worst_list:.2f} s); the backtest under 2 minutes — "
              f"{'met' if worst_backtest < 120 else 'MISSED'} (slowest goal {worst_backtest:.0f} s with the panel read), "
              f"for {n_lists} lists: {'six' if n_lists >= 6 else f'the history allows {n_lists}, not six'}."]
    write_section(SECTION, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
