"""Expected answers computed independently: pandas over the two raw tables, never the project's SQL."""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd


@lru_cache(maxsize=4)
def frames(db_path: str) -> dict:
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        base = pd.read_sql_query("SELECT * FROM customer_base", conn)
        m = pd.read_sql_query("SELECT * FROM customer_behavior_assets", conn)
    finally:
        conn.close()
    as_of = m["stat_month"].max()
    by_month = {}

    def month(ym: str) -> pd.DataFrame:
        if ym not in by_month:
            by_month[ym] = m[m["stat_month"] == ym].merge(base, on="customer_id")
        return by_month[ym]

    return {"pd": pd, "np": np, "base": base, "m": m, "AS_OF": as_of, "asof": month(as_of), "month": month}


def evaluate(expression: str, db_path) -> object:
    """One pandas expression of a suite case, evaluated over the raw tables."""
    names = frames(str(db_path))
    return eval(expression, dict(names))  # noqa: S307 — suite files are the project's own
