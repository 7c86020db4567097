"""Expected answers computed independently: pandas over the two raw tables, never the project's SQL.

Model questions are checked against the models' own saved outputs (the segment each customer
was assigned, the probability each customer was scored), read from the artifacts on disk:
the check is that the answer reports the model's figure for the right customer or segment, and
that the aggregation over segments (done here in pandas) agrees.
"""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

import joblib
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


@lru_cache(maxsize=4)
def model_outputs(artifacts_dir: str) -> dict:
    """`seg`: customer_id -> segment name; `p_high`: customer_id -> probability of reaching 100万
    within 3 months (customers below 100万 at the as-of month). Missing artifacts give empty Series."""
    out = {"seg": pd.Series(dtype=object), "p_high": pd.Series(dtype=float)}
    root = Path(artifacts_dir)
    if (root / "segmentation.joblib").exists():
        a = joblib.load(root / "segmentation.joblib")["model"]["assignments"]
        out["seg"] = a.set_index("customer_id")["segment"]
    if (root / "high_value.joblib").exists():
        s = joblib.load(root / "high_value.joblib")["model"]["scores"]
        out["p_high"] = s.set_index("customer_id")["probability"]
    return out


def evaluate(expression: str, db_path, artifacts_dir=None) -> object:
    """One pandas expression of a suite case, evaluated over the raw tables (and model outputs)."""
    names = dict(frames(str(db_path)))
    if artifacts_dir is not None and ("seg" in expression or "p_high" in expression):
        names.update(model_outputs(str(artifacts_dir)))
    return eval(expression, names)  # noqa: S307 — suite files are the project's own
