"""The customer × month panel the models read: one array per column.

Reading the long monthly table once and pivoting it into (customers, months)
arrays makes "features as of month t" a slice `[:, :t + 1]`, which is what
guarantees that nothing after t can leak into them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from db.readonly import connect_readonly

PANEL_CHUNK_ROWS = 250_000
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

    def every(self, n: int) -> "Panel":
        """Every n-th customer (a fixed sample, as load_panel's sample_every reads it)."""
        if n <= 1:
            return self
        rows = np.arange(0, len(self.customer_ids), n)
        return Panel(self.customer_ids[rows], self.months, {k: v[rows] for k, v in self.values.items()},
                     self.static.iloc[rows].reset_index(drop=True))

    def present(self) -> np.ndarray:
        """(n, m) bool: the customer has a row that month."""
        return ~np.isnan(self.values["total_assets"])


def load_panel(db_path: Path, columns: tuple[str, ...], customer_id: str | None = None,
               last_months: int | None = None, sample_every: int = 1) -> Panel:
    """The panel of every customer, one customer's, or every `sample_every`-th customer's.

    `last_months` keeps only the latest months (reading a month of a million
    customers' model columns takes seconds, so callers read what they use).
    The month axis holds every month in range even where this selection has no
    row, so a month index means the same whatever the selection.
    """
    conn = connect_readonly(db_path)
    try:
        months = [r[0] for r in conn.execute("SELECT stat_month FROM monthly_summary ORDER BY stat_month")]
        months = months[-last_months:] if last_months else months
        if customer_id:
            who, params = "customer_id = ?", [customer_id]
        else:
            who, params = "customer_id IN (SELECT customer_id FROM customer_base WHERE rowid % ? = 0)", \
                [sample_every]
        static = pd.read_sql_query(
            f"SELECT customer_id, {', '.join(STATIC_COLUMNS)} FROM customer_base WHERE "
            f"{'customer_id = ?' if customer_id else 'rowid % ? = 0'} ORDER BY customer_id", conn, params=params)
        ids = static["customer_id"].to_numpy()
        names = list(dict.fromkeys(("total_assets",) + tuple(columns)))
        values = {name: np.full((len(ids), len(months)), np.nan) for name in names}
        id_index, month_index = pd.Index(ids), pd.Index(months)
        # Chunks into preallocated grids: a million customers' rows as Python
        # tuples all at once would cost several GiB.
        for long in pd.read_sql_query(
                f"SELECT customer_id, stat_month, {', '.join(names)} FROM customer_behavior_assets "
                f"WHERE {who} AND stat_month >= ?", conn, params=params + [months[0] if months else ""],
                chunksize=PANEL_CHUNK_ROWS):
            row = id_index.get_indexer(long["customer_id"])
            col = month_index.get_indexer(long["stat_month"])
            for name in names:
                values[name][row, col] = long[name].to_numpy(dtype=float, na_value=np.nan)
    finally:
        conn.close()
    return Panel(ids, months, values, static.reset_index(drop=True))
