"""Model outputs as tables questions and lists can read: each customer's segment (客群) and scores.

Training writes small SQLite files beside the artifacts, each with the data fingerprint it was
computed from (table `output_info`); a reader attaches them read-only, so "保守存款型客户的平均资产"
or a campaign list compile to one SQL statement over the bank's tables plus these. The bank's own
database is never written to.

- `segments.db`: customer_segment (customer_id, segment), from the clustering.
- `scores_<model>.db`: customer_score (goal, customer_id, score, total_assets, reason_id) and
  score_reason (reason_id, reason): every candidate of a campaign goal scored once at training,
  indexed best first, so a list of 10,000 from a million customers walks the index instead of
  reading and sorting the whole table.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

import pandas as pd

from db.atomic import atomic_path

SEGMENTS_FILE = "segments.db"
SEGMENT_TABLE = "customer_segment"
SCORE_TABLE = "customer_score"
REASON_TABLE = "score_reason"


def scores_file(model: str) -> str:
    return f"scores_{model}.db"


def _write(path: Path, fingerprint: str, fill: Callable[[sqlite3.Connection], None]) -> Path:
    """Create the file under a temporary name with fill(conn), stamp the fingerprint, then rename."""
    with atomic_path(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            fill(conn)
            conn.execute("CREATE TABLE output_info (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("INSERT INTO output_info VALUES ('data_fingerprint', ?)", (fingerprint,))
            conn.commit()
        finally:
            conn.close()
    return path


def write_segments(artifacts_dir: Path, assignments: pd.DataFrame, fingerprint: str) -> Path:
    """assignments: customer_id, segment."""
    def fill(conn):
        conn.execute(f"CREATE TABLE {SEGMENT_TABLE} (customer_id TEXT PRIMARY KEY, segment TEXT NOT NULL) WITHOUT ROWID")
        conn.executemany(f"INSERT INTO {SEGMENT_TABLE} VALUES (?, ?)",
                         assignments[["customer_id", "segment"]].itertuples(index=False, name=None))
        conn.execute(f"CREATE INDEX idx_segment ON {SEGMENT_TABLE} (segment, customer_id)")
    return _write(Path(artifacts_dir) / SEGMENTS_FILE, fingerprint, fill)


def write_scores(artifacts_dir: Path, model: str, scores: pd.DataFrame, fingerprint: str) -> Path:
    """scores: goal, customer_id, score, total_assets, reason ("" when none) — one row per candidate."""
    reasons = pd.Index(scores["reason"].fillna("").unique())
    reasons = reasons[reasons != ""]
    reason_id = pd.Series(reasons.get_indexer(scores["reason"].fillna("")), index=scores.index)
    rows = scores.assign(reason_id=reason_id.where(reason_id >= 0)).sort_values(["goal", "customer_id"])

    def fill(conn):
        conn.execute(f"CREATE TABLE {SCORE_TABLE} (goal TEXT NOT NULL, customer_id TEXT NOT NULL, score REAL NOT NULL, "
                     "total_assets REAL, reason_id INTEGER, PRIMARY KEY (goal, customer_id)) WITHOUT ROWID")
        conn.executemany(f"INSERT INTO {SCORE_TABLE} VALUES (?, ?, ?, ?, ?)",
                         ((g, c, float(s), None if pd.isna(a) else float(a), None if pd.isna(r) else int(r))
                          for g, c, s, a, r in rows[["goal", "customer_id", "score", "total_assets", "reason_id"]]
                          .itertuples(index=False, name=None)))
        # best first, ties by assets: the order a list is drawn in (models.campaign)
        conn.execute(f"CREATE INDEX idx_score_rank ON {SCORE_TABLE} (goal, score DESC, total_assets DESC, customer_id)")
        conn.execute(f"CREATE TABLE {REASON_TABLE} (reason_id INTEGER PRIMARY KEY, reason TEXT NOT NULL)")
        conn.executemany(f"INSERT INTO {REASON_TABLE} VALUES (?, ?)", enumerate(reasons))
    return _write(Path(artifacts_dir) / scores_file(model), fingerprint, fill)


def output_path(artifacts_dir: Path | None, name: str, fingerprint: str | None = None) -> Path | None:
    """The output file to attach, or None when it is missing or was computed from other data."""
    if artifacts_dir is None:
        return None
    path = Path(artifacts_dir) / name
    if not path.exists():
        return None
    if fingerprint is not None and output_info(path).get("data_fingerprint") != fingerprint:
        return None
    return path


def segments_path(artifacts_dir: Path | None, fingerprint: str | None = None) -> Path | None:
    return output_path(artifacts_dir, SEGMENTS_FILE, fingerprint)


def scores_path(artifacts_dir: Path | None, model: str, fingerprint: str | None = None) -> Path | None:
    return output_path(artifacts_dir, scores_file(model), fingerprint)


def _read(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def output_info(path: Path) -> dict[str, str]:
    try:
        return dict(_read(path, "SELECT key, value FROM output_info"))
    except sqlite3.OperationalError:   # a file written before output_info existed: treat as other data
        return {}


def segment_names(path: Path | None) -> list[str]:
    """The segments' names, largest first."""
    if path is None:
        return []
    return [r[0] for r in _read(path, f"SELECT segment FROM {SEGMENT_TABLE} GROUP BY segment ORDER BY COUNT(*) DESC")]
