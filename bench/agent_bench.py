"""Offline answer latency over the business questions; writes '## Answers' in RESULTS.md.

    python -m bench.agent_bench [--sizes 10000x24,1000000x12] [--repeat 3]

Uses the databases and artifacts bench.model_bench leaves in bench/out/ (run
it first). In a child process per size: one warm-up pass (loads artifacts and
the planner's vocabulary), then every question `repeat` times through
Assistant.ask. The floor: the SQL each answer ran, timed in plain sqlite3
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


def business_questions() -> list[str]:
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    section = text.split("## 业务常问问题", 1)[1]
    return [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]


def run(db: Path, artifacts: Path, repeat: int) -> dict:
    import agents.sql_offline as sql_offline
    from agents.assistant import Assistant

    executed: list[tuple[str, list]] = []
    guarded = sql_offline.run_select

    def recording(db_path, sql, params=(), **kw):   # what each answer ran, for the floor
        executed.append((sql, list(params)))
        return guarded(db_path, sql, params, **kw)
    sql_offline.run_select = recording

    assistant = Assistant(db, artifacts)
    questions = business_questions()
    for q in questions:
        assistant.ask(q)
    rows = []
    for q in questions:
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
        rows.append({"question": q, "route": answer.route, "ok": answer.ok, "ms": times, "sql_ms": floor})
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
    summary = ["| customers × months | questions | answered ok | p50 ms | p95 ms | max ms | plain-sqlite3 time of the same SQL, p50 / max ms |",
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
        summary.append(f"| {size.replace('x', ' × ')} | {len(rows)} | {sum(r['ok'] for r in rows)} "
                       f"| {np.percentile(times, 50):.0f} | {p95:.0f} | {times.max():.0f} "
                       f"| {np.median(floors):.0f} / {max(floors):.0f} |")
        slow = sorted(rows, key=lambda r: -np.median(r["ms"]))[:5]
        details += [f"Slowest at {size.replace('x', ' × ')}: " + "; ".join(
            f"{r['question'][:18]}… {np.median(r['ms']):.0f} ms ({r['route']}"
            + (f", SQL alone {r['sql_ms']:.0f} ms" if r["sql_ms"] is not None else "") + ")" for r in slow) + "."]
        target = 300 if size.startswith("10000x") else 1000
        verdicts.append(f"Target p95 under {target} ms at {size.replace('x', ' × ')}: "
                        f"{'met' if p95 < target else 'MISSED'} ({p95:.0f} ms).")
    body = "\n".join([machine_line(f"python -m bench.agent_bench --repeat {args.repeat}"),
                      "Offline path, each of the glossary's 19 business questions answered "
                      f"{args.repeat} times after a warm-up pass.", ""] + summary + [""] + details + [""] + verdicts)
    write_section(SECTION, body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
