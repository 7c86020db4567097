"""Features and the 高价值客户 label as of a month.

`features_at(panel, t)` reads only months 0..t of the panel: current balances
and holdings, 3- and 6-month asset growth, activity and its recent change
(the signals that precede inflows), income, age, tenure, lifecycle, occupation
type and city level. No identifier and no value after t is a feature.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from db.definitions import FLAG_COLUMNS, HIGH_VALUE_ASSETS, HIGH_VALUE_HORIZON_MONTHS
from db.schema import CITY_LEVELS, LIFECYCLE_STAGES, OCCUPATION_TYPES
from models.panel import Panel

CURRENT = ("total_assets", "deposit_balance", "financial_balance", "fund_balance",
           "insurance_balance", "product_count", "financial_repurchase_count",
           "credit_card_monthly_expense", "investment_monthly_count", "app_login_count",
           "app_financial_view_time", "app_product_compare_count", "marketing_cool_period",
           "monthly_transaction_count", "branch_visit_count") + FLAG_COLUMNS
#: Behaviour whose rise over the last months announces new money.
SIGNALS = ("app_product_compare_count", "app_financial_view_time", "investment_monthly_count")
PANEL_COLUMNS = CURRENT
LOOKBACK = 6   # the furthest back a feature reads (growth_6m): features at t use months t-6..t
CATEGORIES = {"lifecycle_stage": LIFECYCLE_STAGES, "occupation_type": OCCUPATION_TYPES,
              "city_level": CITY_LEVELS}

#: Chinese names for charts and explanations.
FEATURE_LABELS = {
    "total_assets": "总资产", "log_total_assets": "总资产(对数)", "deposit_balance": "存款余额",
    "financial_balance": "理财余额", "fund_balance": "基金余额", "insurance_balance": "保险余额",
    "product_count": "持有产品数", "financial_repurchase_count": "理财复购次数",
    "credit_card_monthly_expense": "信用卡月消费", "investment_monthly_count": "月投资次数",
    "app_login_count": "手机银行登录次数", "app_financial_view_time": "理财浏览时长",
    "app_product_compare_count": "产品对比次数", "marketing_cool_period": "营销冷静期",
    "monthly_transaction_count": "月交易次数", "branch_visit_count": "网点到访次数",
    "deposit_flag": "持有存款", "financial_flag": "持有理财", "fund_flag": "持有基金",
    "insurance_flag": "持有保险", "growth_3m": "近3月资产增长", "growth_6m": "近6月资产增长",
    "age": "年龄", "monthly_income": "月收入", "income_missing": "收入缺失",
    "tenure_months": "开户月数",
    # one-hot columns said with their column: 职业类型：企业高管, not a bare 企业高管 = 1
    **{f"{col}={v}": f"{name}：{v}" for (col, values), name in zip(CATEGORIES.items(), ("生命周期", "职业类型", "城市等级"))
       for v in values},
}
FEATURE_LABELS.update({f"{s}_3m_mean": f"{FEATURE_LABELS[s]}(近3月均值)" for s in SIGNALS})
FEATURE_LABELS.update({f"{s}_change": f"{FEATURE_LABELS[s]}(较前3月变化)" for s in SIGNALS})


def _growth(assets: np.ndarray, t: int, k: int) -> np.ndarray:
    if t < k:
        return np.full(len(assets), np.nan)
    return np.log1p(np.maximum(assets[:, t], 0)) - np.log1p(np.maximum(assets[:, t - k], 0))


def _window_mean(values: np.ndarray, start: int, stop: int) -> np.ndarray:
    start = max(start, 0)
    if stop <= start:
        return np.full(len(values), np.nan)
    window = values[:, start:stop]
    counts = (~np.isnan(window)).sum(axis=1)
    return np.where(counts > 0, np.nansum(window, axis=1) / np.maximum(counts, 1), np.nan)


def features_at(panel: Panel, t: int) -> pd.DataFrame:
    """One row per customer with a row in month t, indexed by customer_id."""
    rows = panel.present()[:, t]
    # only the months the features look back over are copied (a million customers' full history would be GBs)
    lo = max(0, t - LOOKBACK)
    v = {name: grid[rows, lo:t + 1] for name, grid in panel.values.items()}
    k = t - lo   # month t in the window
    out = {name: v[name][:, k] for name in CURRENT}
    out["log_total_assets"] = np.log1p(np.maximum(out["total_assets"], 0))
    out["growth_3m"] = _growth(v["total_assets"], k, 3)
    out["growth_6m"] = _growth(v["total_assets"], k, 6)
    for name in SIGNALS:
        recent = _window_mean(v[name], k - 2, k + 1)
        out[f"{name}_3m_mean"] = recent
        out[f"{name}_change"] = v[name][:, k] - _window_mean(v[name], k - 5, k - 2)
    static = panel.static[rows].reset_index(drop=True)
    out["age"] = static["age"].to_numpy(dtype=float, na_value=np.nan)
    income = static["monthly_income"].to_numpy(dtype=float, na_value=np.nan)
    out["monthly_income"] = income
    out["income_missing"] = np.isnan(income).astype(float)
    month_end = pd.Period(panel.months[t], freq="M").end_time.normalize()
    opened = pd.to_datetime(static["open_account_date"], format="%Y-%m-%d", errors="coerce")
    out["tenure_months"] = ((month_end - opened).dt.days / 30.44).to_numpy(dtype=float, na_value=np.nan)
    for col, values in CATEGORIES.items():
        for value in values:
            out[f"{col}={value}"] = (static[col] == value).to_numpy(dtype=float)
    return pd.DataFrame(out, index=pd.Index(panel.customer_ids[rows], name="customer_id"))


def labels_at(panel: Panel, t: int, horizon: int = HIGH_VALUE_HORIZON_MONTHS) -> pd.Series:
    """高价值客户 label for customers eligible at t: below 100万 at t, observed at t+horizon.

    Returns a 0/1 Series indexed by customer_id; customers not eligible are absent.
    """
    if t + horizon >= len(panel.months):
        raise ValueError(f"no label for {panel.months[t]}: needs data {horizon} months later")
    assets = panel.values["total_assets"]
    eligible = (assets[:, t] < HIGH_VALUE_ASSETS) & ~np.isnan(assets[:, t + horizon])
    y = (assets[eligible, t + horizon] >= HIGH_VALUE_ASSETS).astype(int)
    return pd.Series(y, index=pd.Index(panel.customer_ids[eligible], name="customer_id"), name="label")
