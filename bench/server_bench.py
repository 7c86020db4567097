"""The same typed queries on SQLite, PostgreSQL and MariaDB: load time and rate, answer latency, agreement.

    python -m bench.server_bench [--sizes 10000 100000] [--months 24] [--suites business variants ...]

For each size: builds the demo database (SQLite), starts a private PostgreSQL and MariaDB with
scripts/dbserver.sh under bench/out/dbserver, loads the build into each (`db.server_load`), plans
the suites' questions once, answers every typed query on each backend (after one warm-up pass)
and compares each backend's facts with SQLite's. Writes the "Database servers" section of
bench/RESULTS.md from what this run measured, and stops the servers it started.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from bench.results import machine_line, write_section

SECTION = "## Database servers"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SUITES = ("business", "variants", "multiturn", "handwritten_a", "handwritten_d", "handwritten_g", "handwritten_n")


def _server(kind: str, command: str) -> dict[str, str]:
    env = {**os.environ, "BANK_SERVER_DIR": str(OUT / "dbserver")}
    out = subprocess.run([str(ROOT / "scripts" / "dbserver.sh"), command, kind], env=env, capture_output=True,
                         text=True, check=True).stdout
    return {k: v.strip("'") for k, v in (line.split("=", 1) for line in out.split())}


def _queries(db: Path, suites) -> list[tuple[str, object, dict]]:
    """(question, typed query, city_of) for every suite question the planner reads as a typed query."""
    from agents.assistant import Assistant
    from agents.planner import Context
    assistant = Assistant(db, Path(tempfile.mkdtemp(prefix="bench-noart-")))
    found = []
    for name in suites:
        data = yaml.safe_load((ROOT / "suites" / f"{name}.yaml").read_text(encoding="utf-8"))
        for case in data["cases"] if isinstance(data, dict) else data:
            turns = [t["question"] if isinstance(t, dict) else t for t in (case.get("turns") or [case["question"]])]
            context = Context()
            for turn in turns[:-1]:
                assistant.ask(turn, context)
            plan = assistant.planner.plan(turns[-1], context)
            query = plan.slots["understanding"].query if plan.intent == "query" else None
            if query is not None and "segment" not in repr(query):
                found.append((turns[-1], query, plan.slots["city_of"]))
    return found, assistant.sql_agent


def _facts(result) -> dict:
    return {(repr(sorted(f["group"].items())), f["measure"]): f["value"] for f in result.provenance.get("facts", [])}


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        math.isclose(v, b[k], rel_tol=1e-9, abs_tol=1e-9) if isinstance(v, (int, float)) and isinstance(b[k], (int, float))
        else v == b[k] for k, v in a.items())


def run(sizes, months: int, suites) -> str:
    from agents.query_answer import QueryAnswerer
    from db.generator import GeneratorConfig
    from db.loader import build_database
    from db.server_load import dialect_of, load_server
    from db.server_read import run_select_server

    OUT.mkdir(parents=True, exist_ok=True)
    os.chmod(OUT, 0o755)
    servers = {kind: _server(kind, "start") for kind in ("postgres", "mysql")}
    load_rows = ["| customers × months | backend | rows | load s | rows/s |", "|---|---|---:|---:|---:|"]
    slow_notes = []
    answer_rows = ["| customers × months | backend | typed queries | same facts as SQLite | p50 ms | p95 ms | max ms |",
                   "|---|---|---:|---:|---:|---:|---:|"]
    try:
        for customers in sizes:
            label = f"{customers:,} × {months}"
            db = OUT / f"servers_{customers}x{months}.db"
            start = time.perf_counter()
            build = build_database_quiet(build_database, GeneratorConfig(customers=customers, months=months), db)
            load_rows.append(f"| {label} | SQLite (build) | {build.behavior_rows:,} behaviour rows | "
                             f"{time.perf_counter() - start:.1f} | — |")
            for kind, urls in servers.items():
                loaded = load_server(db, urls["BANK_SERVER_OWNER_URL"])
                rows = sum(loaded.tables.values())
                load_rows.append(f"| {label} | {_name(kind)} | {rows:,} (all tables) | {loaded.seconds:.1f} | "
                                 f"{rows / loaded.seconds:,.0f} |")
            queries, agent = _queries(db, suites)
            reference = {}
            backends = {"sqlite": None, **{k: u["BANK_SERVER_READER_URL"] for k, u in servers.items()}}
            for backend, url in backends.items():
                def answerer(city_of):
                    if url is None:
                        return agent.query_answerer(city_of)
                    return QueryAnswerer(lambda sql: run_select_server(url, sql), agent.build_info, city_of,
                                         dialect=dialect_of(url), summary_matches=agent.summary_matches)
                for _, query, city_of in queries:   # warm-up: caches, connection pools
                    answerer(city_of).answer(query, {})
                times, same = [], 0
                slowest = ("", 0.0)
                for question, query, city_of in queries:
                    t0 = time.perf_counter()
                    result = answerer(city_of).answer(query, {})
                    times.append((time.perf_counter() - t0) * 1000)
                    slowest = max(slowest, (question, times[-1]), key=lambda x: x[1])
                    facts = _facts(result)
                    if url is None:
                        reference[question] = facts
                    same += _same(reference[question], facts)
                p50, p95 = np.percentile(times, [50, 95])
                answer_rows.append(f"| {label} | {_name(backend)} | {len(queries)} | {same} | {p50:.0f} | {p95:.0f} | "
                                   f"{max(times):.0f} |")
                slow_notes.append(f"{label}, {_name(backend)}: “{slowest[0][:40]}” {slowest[1]:.0f} ms")
    finally:
        for kind in servers:
            _server(kind, "stop")
    return "\n".join([
        machine_line("python -m bench.server_bench --sizes " + " ".join(str(s) for s in sizes)),
        "PostgreSQL 15 and MariaDB 10.11 from Debian, started privately on Unix sockets (fsync off on "
        "PostgreSQL, innodb_flush_log_at_trx_commit=0 on MariaDB: bench servers, not tuned production ones). "
        "Load = every table of the SQLite build into a staging schema and the swap, from one Python process "
        "(COPY on PostgreSQL, 5,000-row INSERTs on MariaDB).",
        "", *load_rows, "",
        f"Answers: every question of {', '.join(suites)} that the planner reads as a typed query, planned once, "
        "answered on each backend after a warm-up pass (compile, run, word the answer). \"Same facts\" = every "
        "number the answer states, with its group and measure, equal to the SQLite answer's (SQLite's own "
        "answers are checked against pandas by the evaluation).",
        "", *answer_rows, "", "Slowest question on each: " + "; ".join(slow_notes) + "."])


def build_database_quiet(build_database, config, db: Path):
    from db.sources import GeneratedSource
    return build_database(GeneratedSource(config), db, progress=False)


def _name(backend: str) -> str:
    return {"sqlite": "SQLite", "postgres": "PostgreSQL 15", "mysql": "MariaDB 10.11"}[backend]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server_bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--suites", nargs="+", default=list(SUITES))
    args = parser.parse_args(argv)
    body = run(args.sizes, args.months, args.suites)
    write_section(SECTION, body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
