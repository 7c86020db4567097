"""Each benchmark owns one '## ' section of bench/RESULTS.md and rewrites only that."""
from __future__ import annotations

import os
import platform
import resource
import sqlite3
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine_line(command: str) -> str:
    return (f"Measured {time.strftime('%Y-%m-%d')} with `{command}` on {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}.")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_section(heading: str, body: str) -> None:
    section = f"{heading}\n\n{body.strip()}\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if heading not in text:
        text = text.rstrip() + "\n\n" + section
    else:
        head, rest = text.split(heading, 1)
        tail = rest.split("\n## ", 1)
        text = head + section + ("\n## " + tail[1] if len(tail) > 1 else "")
    RESULTS.write_text(text, encoding="utf-8")
