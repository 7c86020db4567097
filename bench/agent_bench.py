"""Offline answer latency over the business questions; writes '## Answers' in RESULTS.md.

    python -m bench.agent_bench [--sizes 10000x24,1000000x12] [--repeat 3]

Uses the databases and artifacts bench.model_bench leaves in bench/out/ (run
it first). In a child process per size: one warm-up pass (loads artifacts and
the planner's vocabulary), then every question `repeat` times through
Assistant.ask. "Correct" is the business suite's own check of the last answer
(reference SQL or pandas on the raw tables, routes, columns: agents.suite_checks),
not merely "no error". The floor: the SQL each answer ran, timed in plain sqlite3
(no guard, no pandas, no planning).
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.results import machine_line, write_section

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SECTION = "## Answers"


def business_cases() -> list[dict]:
    """The glossary's 业务常问问题 with their checks (suites/business.yaml)."""
    from agents.suite import load_suite
    return load_suite(ROOT / "suites" / "business.yaml")["cases"]


def business_questions() -> list[str]:
    return [c["question"] for c in business_cases()]


def run(db: Path, artifacts: Path, repeat: int) -> dict:
    import agents.sql_offline as sql_offline
    from agents.assistant import Assistant

    executed: list[tuple[str, list]] = []
    guarded = sql_offline.run_select

    def recording(db_path, sql, params=(), **kw):   # what each answer ran, for the floor
        executed.append((sql, list(params)))
        return guarded(db_path, sql, params, **kw)
    sql_offline.run_select = recording

    from agents.suite import CHECK_KEYS
    from agents.suite_checks import check_answer

    assistant = Assistant(db, artifacts)
    cases = business_cases()
    for case in cases:
        assistant.ask(case["question"])
    rows = []
    for case in cases:
        q = case["question"]
        times, answer = [], None
        for _ in range(repeat):
            executed.clear()
            start = time.perf_counter()
            answer = assistant.ask(q)
            times.append((time.perf_counter() - start) * 1000)
        floor = None
        statements = [(sql, params) for sql, params in executed if not sql.startswith("SELECT key, value")]
        if statements:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            start = time.perf_counter()
            for sql, params in statements:
                conn.execute(sql, params).fetchall()
            floor = (time.perf_counter() - start) * 1000
            conn.close()
        wrong = check_answer(answer, {k: case[k] for k in CHECK_KEYS if k in case}, db)
        rows.append({"question": q, "route": answer.route, "correct": not wrong, "why": wrong, "ms": times,
                     "sql_ms": floor})
    return {"rows": rows}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.agent_bench")
    parser.add_argument("--sizes", default="10000x24,1000000x12")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))))
        return 0
    summary = ["| customers × months | questions | checked correct | p50 ms | p95 ms | max ms | plain-sqlite3 time of the same SQL, p50 / max ms |",
               "|---|---:|---:|---:|---:|---:|---|"]
    details, verdicts = [], []
    for size in args.sizes.split(","):
        db, artifacts = OUT / f"models_{size}.db", OUT / f"artifacts_{size}"
        if not (db.exists() and artifacts.exists()):
            raise SystemExit(f"{db} or {artifacts} missing: run python -m bench.model_bench --sizes {size} first")
        print(f"answering {size} …", file=sys.stderr, flush=True)
        proc = subprocess.run([sys.executable, "-m", "bench.agent_bench", "--child", str(db), str(artifacts),
                               str(args.repeat)], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(proc.stderr)
        rows = json.loads(proc.stdout.strip().splitlines()[-1])["rows"]
        times = np.array([t for r in rows for t in r["ms"]])
        floors = [r["sql_ms"] for r in rows if r["sql_ms"] is not None]
        p95 = np.percentile(times, 95)
        summary.append(f"| {size.replace('x', ' × ')} | {len(rows)} | {sum(r['correct'] for r in rows)} "
                       f"| {np.percentile(times, 50):.0f} | {p95:.0f} | {times.max():.0f} "
                       f"| {np.median(floors):.0f} / {max(floors):.0f} |")
        slow = sorted(rows, key=lambda r: -np.median(r["ms"]))[:5]
        details += [f"Slowest at {size.replace('x', ' × ')}: " + "; ".join(
            f"{r['question'][:18]}… {np.median(r['ms']):.0f} ms ({r['route']}"
            + (f", SQL alone {r['sql_ms']:.0f} ms" if r["sql_ms"] is not None else "") + ")" for r in slow) + "."]
        details += [f"Not correct at {size.replace('x', ' × ')}: {r['question']} — {'；'.join(r['why'])}"
                    for r in rows if not r["correct"]]
        target = 300 if size.startswith("10000x") else 1000
        verdicts.append(f"Target p95 under {target} ms at {size.replace('x', ' × ')}: "
                        f"{'met' if p95 < target else 'MISSED'} ({p95:.0f} ms).")
    body = "\n".join([machine_line(f"python -m bench.agent_bench --repeat {args.repeat}"),
                      f"Offline path, each of the {len(rows)} business questions (suites/business.yaml) answered "
                      f"{args.repeat} times after a warm-up pass; correct = the suite's own check (reference SQL "
                      "or pandas on the raw tables) passed on the answer.", ""] + summary + [""] + details + [""] + verdicts)
    write_section(SECTION, body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
