"""A model score's reasons in business words: the features that push one customer's score up most.

Read from LightGBM's exact TreeSHAP contributions (TemporalClassifier.explain) and said with the
customer's own values: "近3月资产增长 -18%；手机银行登录次数 1", not "log-odds +0.42".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models.features import FEATURE_LABELS


def say(feature: str, value: float) -> str:
    """One feature's value as staff would say it."""
    label = FEATURE_LABELS.get(feature, feature)
    if not np.isfinite(value):
        return f"{label}未知"
    if feature.startswith("growth_"):
        return f"{label} {np.expm1(value):+.0%}"
    if feature.endswith("_change"):
        return f"{label} {value:+.0f}"
    if "=" in feature:
        return label if value else f"{label.split('：')[0]}不是{label.split('：')[-1]}"
    if feature.endswith("_flag"):
        return label if value else f"未{label}"
    if feature.endswith(("_balance", "total_assets", "income", "expense")):
        return f"{label} {value / 1e4:,.1f}万"
    return f"{label} {value:,.0f}"


def reasons(model, x: pd.DataFrame, top: int = 2) -> list[str]:
    """Per row of x: the `top` features with the largest positive contributions, in words."""
    if x.empty:
        return []
    contributions = model.explain(x)["contributions"].to_numpy()
    names = np.array(model.feature_names_)
    values = x[model.feature_names_].to_numpy(float)
    # 总资产 and 总资产(对数) are one idea: the log is said as the amount
    said = np.array(["total_assets" if f == "log_total_assets" else f for f in names])
    column = {f: i for i, f in enumerate(names)}
    out = []
    for row, contrib in enumerate(contributions):
        picked: list[str] = []
        for j in np.argsort(-contrib):
            if contrib[j] <= 0 or len(picked) == top:
                break
            if said[j] not in picked:
                picked.append(said[j])
        out.append("；".join(say(f, values[row, column[f]]) for f in picked) or "无突出因素")
    return out
