"""业务口径 as code: the bands and product names every layer derives from.

The generator, the cleaning step and the snapshot SQL all compute tiers, asset
levels and age bands from these tables, so one definition gives one answer.
Each band table lists (inclusive lower bound, label) in ascending order.
"""
from __future__ import annotations

import numpy as np

WAN = 10_000  # 万元

#: 客户等级 from as-of total_assets: 普通 < 50万 ≤ 潜力 < 80万 ≤ 临界 < 100万 ≤ 高净值.
CUSTOMER_TIERS: tuple[tuple[float, str], ...] = (
    (float("-inf"), "普通"),
    (50 * WAN, "潜力"),
    (80 * WAN, "临界"),
    (100 * WAN, "高净值"),
)

#: 资产等级区间 (asset_level), lower bound inclusive.
ASSET_LEVELS: tuple[tuple[float, str], ...] = (
    (float("-inf"), "10万以下"),
    (10 * WAN, "10-30万"),
    (30 * WAN, "30-50万"),
    (50 * WAN, "50-80万"),
    (80 * WAN, "80-100万"),
    (100 * WAN, "100万+"),
)

#: 年龄段.
AGE_BANDS: tuple[tuple[float, str], ...] = (
    (float("-inf"), "30岁以下"),
    (30, "30-39岁"),
    (40, "40-49岁"),
    (50, "50-59岁"),
    (60, "60岁及以上"),
)

#: The four products: balance column prefix -> Chinese name.
PRODUCTS: dict[str, str] = {
    "deposit": "存款",
    "financial": "理财",
    "fund": "基金",
    "insurance": "保险",
}
BALANCE_COLUMNS = tuple(f"{p}_balance" for p in PRODUCTS)
FLAG_COLUMNS = tuple(f"{p}_flag" for p in PRODUCTS)

#: 高价值客户 target threshold and horizon.
HIGH_VALUE_ASSETS = 100 * WAN
HIGH_VALUE_HORIZON_MONTHS = 3

#: 流失预警 (churn) label: total assets fall by at least CHURN_DROP within CHURN_HORIZON_MONTHS, among customers
#: holding at least CHURN_MIN_ASSETS (below that a few hundred yuan moving is not a customer leaving).
CHURN_DROP = 0.30
CHURN_HORIZON_MONTHS = 3
CHURN_MIN_ASSETS = 1 * WAN

#: 近三个月无交易 look-back.
NO_TRANSACTION_MONTHS = 3


def labels(bands: tuple[tuple[float, str], ...]) -> list[str]:
    return [label for _, label in bands]


def band_of(values, bands: tuple[tuple[float, str], ...]) -> np.ndarray:
    """Vectorised band label for each value; NaN stays None."""
    values = np.asarray(values, dtype=float)
    bounds = np.array([b for b, _ in bands[1:]])
    names = np.array(labels(bands), dtype=object)
    out = names[np.searchsorted(bounds, values, side="right")]
    out[np.isnan(values)] = None
    return out


def band_case_sql(column: str, bands: tuple[tuple[float, str], ...]) -> str:
    """The same banding as an SQL CASE expression (NULL stays NULL)."""
    whens = " ".join(
        f"WHEN {column} >= {bound:.0f} THEN '{label}'"
        for bound, label in reversed(bands[1:])
    )
    return f"CASE WHEN {column} IS NULL THEN NULL {whens} ELSE '{bands[0][1]}' END"
