"""Benchmark importing the bank's exports (CSV, UTF-8 and GBK) and write bench/RESULTS.md.

    python -m bench.import_bench [--size 1000000x12]

Outside any timer, the demo data is exported to CSV in the bank's format and a GBK copy is made.
Each import then runs in its own child process (build_database over FileSource: detect, read,
map headers, read values, clean, load, index, snapshot), so its peak memory is its own. Beside
them, the floor of bench.build_bench: the same rows as ready-made tuples inserted by a plain
executemany in one transaction.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.build_bench import _child as build_child
from bench.results import machine_line, peak_mib, write_section

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "import"
SECTION = "## Import of bank exports"


def _paths(encoding: str) -> tuple[Path, Path]:
    return OUT / encoding / "customer_base.csv", OUT / encoding / "customer_behavior_assets.csv"


def prepare(customers: int, months: int) -> None:
    from db.export import export_generated_csv
    from db.generator import GeneratorConfig
    export_generated_csv(GeneratorConfig(customers, months), OUT / "utf-8")
    for source, target in zip(_paths("utf-8"), _paths("gbk")):
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, encoding="utf-8") as f, open(target, "w", encoding="gbk") as g:
            while block := f.read(1 << 24):
                g.write(block)


def run_import(encoding: str) -> dict:
    from db.loader import build_database
    from db.sources import FileSource
    db_path = OUT / f"imported_{encoding}.db"
    start = time.perf_counter()
    result = build_database(FileSource(*_paths(encoding)), db_path)
    wall = time.perf_counter() - start
    db_path.unlink()
    return {"wall_s": wall, "peak_mib": peak_mib(), "rows": result.behavior_rows, "timings": result.timings}


def _child(encoding: str) -> dict:
    run = subprocess.run([sys.executable, "-m", "bench.import_bench", "--child", encoding],
                         cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"import {encoding} failed:\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench")
    parser.add_argument("--size", default="1000000x12")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_import(args.child), ensure_ascii=False))
        return 0
    customers, months = map(int, args.size.split("x"))
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"exporting {args.size} to CSV (UTF-8 and GBK) …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    prepare(customers, months)
    export_s = time.perf_counter() - start
    sizes = {e: sum(p.stat().st_size for p in _paths(e)) / 2**20 for e in ("utf-8", "gbk")}
    runs = {}
    for encoding in ("utf-8", "gbk"):
        print(f"import {encoding} …", file=sys.stderr, flush=True)
        runs[encoding] = _child(encoding)
    print("floor …", file=sys.stderr, flush=True)
    floor = build_child("floor", customers, months)
    floor_rate = floor["rows"] / floor["seconds"]
    lines = [machine_line("python -m bench.import_bench") + f" {customers:,} customers × {months} months "
             f"exported by `db.export` (not timed: {export_s:.0f} s incl. the GBK copy). Import = "
             "`build_database(FileSource(...))`: detect encoding and separator, read, map headers, read "
             "values in their bank forms, clean, load, index, snapshot and summary. Load rate = rows / time "
             "spent inserting; floor = plain executemany of the same cleaned rows as ready-made tuples.",
             "", "| file encoding | files MiB | rows | import s | peak MiB | read s | clean s | load s | index s "
             "| snapshot s | load rows/s | load / floor |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for encoding, r in runs.items():
        t = r["timings"]
        rate = r["rows"] / t["load"]
        lines.append(f"| {encoding.upper()} | {sizes[encoding]:,.0f} | {r['rows']:,} | {r['wall_s']:.1f} "
                     f"| {r['peak_mib']:,.0f} | {t.get('generate_or_read', 0):.1f} | {t.get('clean', 0):.1f} "
                     f"| {t['load']:.1f} | {t.get('index', 0):.1f} | {t.get('snapshot', 0):.1f} | {rate:,.0f} "
                     f"| {rate / floor_rate:.2f} |")
    utf8, gbk = runs["utf-8"], runs["gbk"]
    ratio = utf8["rows"] / utf8["timings"]["load"] / floor_rate
    slower = gbk["wall_s"] / utf8["wall_s"] - 1
    verdict = lambda ok: "met" if ok else "MISSED"
    lines += ["", f"Floor: {floor_rate:,.0f} rows/s. Targets (issue 12): import of {customers:,} × {months} from "
              f"CSV under 3 minutes — {verdict(utf8['wall_s'] < 180)} ({utf8['wall_s']:.0f} s); loading at "
              f"least half the floor's rate — {verdict(ratio >= 0.5)} ({ratio:.2f}); from GBK within 20% — "
              f"{verdict(slower <= 0.2)} ({slower:+.0%}).", ""]
    write_section(SECTION, "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
