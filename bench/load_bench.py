"""Concurrent users against the running web app; writes '## Web app under load' in RESULTS.md.

    python -m bench.load_bench [--sizes 10000x24,1000000x12] [--users 20] [--questions 50]

Per size: starts app_gradio.py (scripts/app_server.py) on the database and
artifacts bench.model_bench leaves in bench/out/ (built here when missing),
times the dashboard's first load (cold cube) and a reload, then `users`
gradio_client sessions each ask `questions` business questions, in turn, as
fast as answers come back. Errors are failed calls plus answers that report an
internal error. Memory is the app process's RSS before the users, at peak
(sampled every 0.2 s) and after. The per-user rate limit is raised for the run
(it would otherwise turn most of this load away by design; tests cover it).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil

from bench.agent_bench import business_questions
from config import settings
from bench.model_bench import OUT, ROOT, bench_database
from bench.results import machine_line, write_section
from scripts.app_server import AppServer, turn_text

SECTION = "## Web app under load"


def ensure_inputs(customers: int, months: int) -> tuple[Path, Path]:
    db, artifacts = bench_database(customers, months), OUT / f"artifacts_{customers}x{months}"
    if not (artifacts / "insight_report.md").exists():
        subprocess.run([sys.executable, "-m", "models.train", "--db", str(db), "--artifacts", str(artifacts)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return db, artifacts


def rss_mib(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


def user_session(url: str, questions: list[str], offset: int, count: int, results: list, start_gate):
    from gradio_client import Client
    client = Client(url, verbose=False, download_files=False)
    start_gate.wait()
    for i in range(count):
        question = questions[(offset + i) % len(questions)]
        t0 = time.perf_counter()
        try:
            history, _ = client.predict(question, api_name="/ask")
            ok = "内部错误" not in turn_text(history)
        except Exception:  # a failed call is a counted error, not a crash of the benchmark
            ok = False
        results.append((time.perf_counter() - t0, ok))


def dashboard_in_browser(url: str) -> float:
    """Seconds from opening the page in chromium to the dashboard's five charts drawn."""
    from scripts.browser import browser_page
    with browser_page() as page:
        page.set_default_timeout(120_000)
        start = time.perf_counter()
        page.goto(url)
        page.get_by_role("tab", name="经营大屏").click()
        page.wait_for_function("() => document.querySelectorAll('[id^=dash-chart-] .js-plotly-plot').length == 5")
        return time.perf_counter() - start


def run_size(customers: int, months: int, users: int, per_user: int) -> dict:
    from gradio_client import Client
    db, artifacts = ensure_inputs(customers, months)
    env = {"BANK_RATE_PER_MIN": "1000000", "BANK_QUEUE_MAX": str(max(64, users * 2))}
    with AppServer(db, artifacts, env=env, startup_s=180, log_path=OUT / f"load_{customers}x{months}.log") as app:
        page_load = dashboard_in_browser(app.url)
        client = Client(app.url, verbose=False, download_files=False)
        t0 = time.perf_counter()
        client.predict("全部", "全部", False, api_name="/dashboard")
        dash_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        client.predict("全部", "一线城市", True, api_name="/dashboard")
        dash_warm = time.perf_counter() - t0
        questions = business_questions()
        for q in questions:   # warm-up: artifacts and the planner's vocabulary load once
            client.predict(q, api_name="/ask")
        alone = []
        for q in questions:   # one user with the app to themselves
            t0 = time.perf_counter()
            client.predict(q, api_name="/ask")
            alone.append((time.perf_counter() - t0) * 1000)
        before = rss_mib(app.pid)
        peak, stop = [before], threading.Event()

        def sample():
            while not stop.wait(0.2):
                peak.append(rss_mib(app.pid))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        results: list[tuple[float, bool]] = []
        gate = threading.Barrier(users + 1)
        threads = [threading.Thread(target=user_session, args=(app.url, questions, u * 3, per_user, results, gate))
                   for u in range(users)]
        for t in threads:
            t.start()
        gate.wait()
        wall = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - wall
        stop.set()
        sampler.join()
        after = rss_mib(app.pid)
    seconds = np.array([s for s, _ in results]) * 1000
    return {"customers": customers, "months": months, "users": users, "questions": len(results),
            "errors": sum(not ok for _, ok in results), "p50": float(np.percentile(seconds, 50)),
            "p95": float(np.percentile(seconds, 95)), "max": float(seconds.max()), "wall": wall,
            "throughput": len(results) / wall, "rss_before": before, "rss_peak": max(peak), "rss_after": after,
            "dash_cold": dash_cold, "dash_warm": dash_warm, "page_load": page_load, "startup": app.startup_seconds,
            "alone_p50": float(np.percentile(alone, 50)), "alone_p95": float(np.percentile(alone, 95))}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load_bench")
    p.add_argument("--sizes", default="10000x24,1000000x12")
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--questions", type=int, default=50, help="questions per user")
    args = p.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes.split(","):
        customers, months = map(int, size.split("x"))
        print(f"load test {size}: {args.users} users × {args.questions} questions …", file=sys.stderr, flush=True)
        r = run_size(customers, months, args.users, args.questions)
        print(r, file=sys.stderr, flush=True)
        rows.append(r)
    lines = ["| customers × months | one user alone p50 / p95 ms | users × questions | errors | p50 ms | p95 ms "
             "| max ms | answers/s | app RSS before / peak / after MiB |", "|---|---|---|---:|---:|---:|---:|---:|---|"]
    dash = ["| customers × months | app start to serving s | dashboard in chromium: open page → 5 charts s "
            "| dashboard API: first / filter change s |", "|---|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['customers']:,} × {r['months']} | {r['alone_p50']:.0f} / {r['alone_p95']:.0f} "
                     f"| {r['users']} × {r['questions'] // r['users']} "
                     f"| {r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} | {r['throughput']:.1f} "
                     f"| {r['rss_before']:,.0f} / {r['rss_peak']:,.0f} / {r['rss_after']:,.0f} |")
        dash.append(f"| {r['customers']:,} × {r['months']} | {r['startup']:.1f} | {r['page_load']:.2f} "
                    f"| {r['dash_cold']:.2f} / {r['dash_warm']:.2f} |")
    cores, concurrency = os.cpu_count(), settings().ui_concurrency
    body = "\n".join([machine_line(f"python -m bench.load_bench --users {args.users} --questions {args.questions}"), "",
                      "Real app process (app_gradio.py), real HTTP: each user is a gradio_client session asking the "
                      "business questions in turn with no think time, so latency includes queueing behind the "
                      f"other users (the app answers up to BANK_UI_CONCURRENCY={concurrency} at once on {cores} "
                      f"cores). The load generator's {args.users} client sessions run on the same {cores} cores. "
                      "Memory is the app process's RSS; it grows with the sessions' conversations.", "", *lines, "",
                      "The app reads the dashboard cube (one GROUP BY over the snapshot) while starting; every "
                      "dashboard view after that, filters included, is a sum over the cube in memory.", "", *dash])
    write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
