"""The customer × month panel the models read: one array per column.

Reading the long monthly table once and pivoting it into (customers, months)
arrays makes "features as of month t" a slice `[:, :t + 1]`, which is what
guarantees that nothing after t can leak into them.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

STATIC_COLUMNS = ("age", "monthly_income", "open_account_date", "lifecycle_stage",
                  "occupation_type", "city_level")


@dataclass
class Panel:
    customer_ids: np.ndarray          # (n,)
    months: list[str]                 # ascending 'YYYY-MM'
    values: dict[str, np.ndarray]     # column -> (n, m) float, NaN where no row
    static: pd.DataFrame              # customer_base attributes, aligned with customer_ids

    def month_index(self, month: str) -> int:
        return self.months.index(month)

    def present(self) -> np.ndarray:
        """(n, m) bool: the customer has a row that month."""
        return ~np.isnan(self.values["total_assets"])


def connect_readonly(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)


def load_panel(db_path: Path, columns: tuple[str, ...], customer_id: str | None = None) -> Panel:
    """The whole panel, or one customer's (for serving a single question).

    The month axis is always every month in the data, so month indexes mean the
    same for one customer as for all.
    """
    conn = connect_readonly(db_path)
    try:
        wanted = ", ".join(dict.fromkeys(("total_assets",) + tuple(columns)))
        where, params = ("customer_id = ?", [customer_id]) if customer_id else \
            ("customer_id IN (SELECT customer_id FROM customer_base)", [])
        long = pd.read_sql_query(
            f"SELECT customer_id, stat_month, {wanted} FROM customer_behavior_assets WHERE {where}",
            conn, params=params)
        static = pd.read_sql_query(
            f"SELECT customer_id, {', '.join(STATIC_COLUMNS)} FROM customer_base "
            f"WHERE {'customer_id = ?' if customer_id else '1'} ORDER BY customer_id", conn, params=params)
        months = [r[0] for r in conn.execute("SELECT stat_month FROM monthly_summary ORDER BY stat_month")]
    finally:
        conn.close()
    ids = static["customer_id"].to_numpy()
    row = pd.Index(ids).get_indexer(long["customer_id"])
    col = pd.Index(months).get_indexer(long["stat_month"])
    values = {}
    for name in dict.fromkeys(("total_assets",) + tuple(columns)):
        grid = np.full((len(ids), len(months)), np.nan)
        grid[row, col] = long[name].to_numpy(dtype=float, na_value=np.nan)
        values[name] = grid
    return Panel(ids, months, values, static.reset_index(drop=True))
