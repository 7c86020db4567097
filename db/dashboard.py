"""The operations dashboard's numbers: one small cube over the snapshot, read once.

Every dashboard number is a ratio of additive parts (counts and sums), so one
GROUP BY over the filter and chart dimensions gives a cube of a few thousand
rows; filtering by branch or city and drawing any chart is then a sum over it,
instant at a million customers. The parts are the glossary's definitions — the
same expressions as the semantic layer's metrics (tests hold them equal).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CUBE_DIMENSIONS = ("branch_name", "city_level", "customer_tier", "age_band", "lifecycle_stage")
#: measure -> SQL over customer_snapshot (alias s); NULLs of customers without an as-of row sum as 0.
CUBE_MEASURES = {
    "customers": "COUNT(*)",
    "asof_customers": "SUM(s.in_asof)",
    "aum": "SUM(s.total_assets)",
    "active": "SUM(CASE WHEN s.app_login_count >= 1 THEN 1 ELSE 0 END)",
    "deposit_holders": "SUM(CASE WHEN s.deposit_flag = 1 THEN 1 ELSE 0 END)",
    "financial_holders": "SUM(CASE WHEN s.financial_flag = 1 THEN 1 ELSE 0 END)",
    "fund_holders": "SUM(CASE WHEN s.fund_flag = 1 THEN 1 ELSE 0 END)",
    "insurance_holders": "SUM(CASE WHEN s.insurance_flag = 1 THEN 1 ELSE 0 END)",
    "financial_repurchasers": "SUM(CASE WHEN s.financial_flag = 1 AND s.financial_repurchase_count >= 1 THEN 1 ELSE 0 END)",
}
ALL = "全部"


@dataclass(frozen=True)
class DashboardFilter:
    branch: str = ALL
    city_level: str = ALL

    def label(self) -> str:
        parts = [p for p in (self.city_level, self.branch) if p != ALL]
        return "、".join(parts) if parts else "全行"


def cube_sql() -> str:
    dims = ", ".join(f"s.{d} AS {d}" for d in CUBE_DIMENSIONS)
    measures = ", ".join(f"COALESCE({sql}, 0) AS {key}" for key, sql in CUBE_MEASURES.items())
    return f"SELECT {dims}, {measures} FROM customer_snapshot s GROUP BY {', '.join(f's.{d}' for d in CUBE_DIMENSIONS)}"


def load_cube(database, timeout_s: float = 60.0) -> pd.DataFrame:
    """The cube, through the database's guarded read-only path (db.database: the SQLite build or a server;
    a full scan: allow more than a chat query)."""
    result = database.select(cube_sql(), max_rows=1_000_000, timeout_s=timeout_s)
    cube = result.frame
    for d in CUBE_DIMENSIONS:
        cube[d] = cube[d].astype("object")
    return cube


def filter_cube(cube: pd.DataFrame, selection: DashboardFilter) -> pd.DataFrame:
    mask = pd.Series(True, index=cube.index)
    if selection.branch != ALL:
        mask &= cube["branch_name"] == selection.branch
    if selection.city_level != ALL:
        mask &= cube["city_level"] == selection.city_level
    return cube[mask]


def ratio(numerator: float, denominator: float) -> float | None:
    return None if not denominator else numerator / denominator


def kpis(part: pd.DataFrame) -> dict[str, float | None]:
    """客户总数, 总资产, 平均资产, 活跃客户数, 理财复购率 — per the glossary."""
    total = part[list(CUBE_MEASURES)].sum()
    return {
        "customers": int(total["customers"]),
        "aum": float(total["aum"]),
        "avg_assets": ratio(total["aum"], total["asof_customers"]),
        "active_count": int(total["active"]),
        "repurchase_rate": ratio(total["financial_repurchasers"], total["financial_holders"]),
    }
