"""Model outputs as a table questions can filter on: each customer's segment (客群).

Training writes `segments.db` beside the artifacts: one row per as-of customer with the segment
the clustering assigned, and the data fingerprint it was computed from. The read-only query path
attaches it, so "保守存款型客户的平均资产" or "各客群的理财持有率" compile to one SQL statement over
the bank's tables plus this one. The bank's own database is never written to.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from db.atomic import atomic_path

SEGMENTS_FILE = "segments.db"
SEGMENT_TABLE = "customer_segment"


def write_segments(artifacts_dir: Path, assignments: pd.DataFrame, fingerprint: str) -> Path:
    """assignments: customer_id, segment. Written under a temporary name, then renamed."""
    path = Path(artifacts_dir) / SEGMENTS_FILE
    with atomic_path(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute(f"CREATE TABLE {SEGMENT_TABLE} (customer_id TEXT PRIMARY KEY, segment TEXT NOT NULL) "
                         "WITHOUT ROWID")
            conn.executemany(f"INSERT INTO {SEGMENT_TABLE} VALUES (?, ?)",
                             assignments[["customer_id", "segment"]].itertuples(index=False, name=None))
            conn.execute(f"CREATE INDEX idx_segment ON {SEGMENT_TABLE} (segment, customer_id)")
            conn.execute("CREATE TABLE segment_info (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("INSERT INTO segment_info VALUES ('data_fingerprint', ?)", (fingerprint,))
            conn.commit()
        finally:
            conn.close()
    return path


def segments_path(artifacts_dir: Path | None, fingerprint: str | None = None) -> Path | None:
    """The segments table to attach, or None when it is missing or was computed from other data."""
    if artifacts_dir is None:
        return None
    path = Path(artifacts_dir) / SEGMENTS_FILE
    if not path.exists():
        return None
    if fingerprint is not None and segment_info(path).get("data_fingerprint") != fingerprint:
        return None
    return path


def segment_info(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, value FROM segment_info").fetchall())
    finally:
        conn.close()


def segment_names(path: Path | None) -> list[str]:
    """The segments' names, largest first."""
    if path is None:
        return []
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        rows = conn.execute(f"SELECT segment FROM {SEGMENT_TABLE} GROUP BY segment ORDER BY COUNT(*) DESC").fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]
