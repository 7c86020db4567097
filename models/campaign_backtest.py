"""Would last months' lists have converted? A backtest of campaign lists, and the alerts it drives.

For each of the last `lists` months whose 3-month outcome is known, a list is drawn as of that
month: the model is fitted once on months whose labels were observed before the first list month
(so nothing after a list's month was seen when drawing it), the candidates are scored with features
as of the list month, customers inside 营销冷静期 that month are left out, and the top `share` of the
candidates form the list. Its conversion is then read in the following 1–3 months and set beside two
baselines: a random list (the candidates' own rate, exactly) and the rule of thumb staff would use
(the model's baseline: top by current assets for upgrades, steepest recent decline for retention).

Without treatment records this measures whom the list finds, not what a call changed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from db.definitions import CHURN_DROP, CHURN_MIN_ASSETS, HIGH_VALUE_ASSETS, PRODUCTS
from models.features import features_at
from models.panel import Panel
from models.temporal_classifier import FIT_CUSTOMERS, MIN_HISTORY, NotEnoughMonthsError, TemporalClassifier

LISTS = 6
LIST_SHARE = 0.05          # a list holds the top 5% of the month's candidates


def _outcome(assets: np.ndarray, goal: str, t: int, horizon: int) -> np.ndarray:
    later = assets[:, t + 1:t + horizon + 1]
    if goal == "upgrade":   # reached 100万+ in any of the following months
        return np.nanmax(np.where(np.isnan(later), -np.inf, later), axis=1) >= HIGH_VALUE_ASSETS
    return assets[:, t + horizon] <= (1 - CHURN_DROP) * assets[:, t]   # retain: the fall came


def backtest_lists(panel: Panel, model: TemporalClassifier, goal: str, lists: int = LISTS,
                   share: float = LIST_SHARE) -> pd.DataFrame:
    """One row per list month: candidates, listed, and the conversion of the model's list, a random
    list and the rule-of-thumb list. `model` is an unfitted TemporalClassifier for the goal."""
    horizon = model.horizon
    last = len(panel.months) - 1
    # a shorter history backtests fewer lists: training needs months whose labels precede the first list
    lists = min(lists, last - 2 * horizon - MIN_HISTORY + 1)
    first = last - horizon - lists + 1
    train = panel.months[MIN_HISTORY:first - horizon + 1]
    if lists < 1 or not train:
        raise NotEnoughMonthsError(f"回测 {lists} 个月的名单需要更长的历史数据（当前 {len(panel.months)} 个月）。")
    # fitted on a fixed sample of customers, as training fits; every customer is scored for the lists
    model.fit(panel.every(-(-len(panel.customer_ids) // FIT_CUSTOMERS)), train_months=train)
    assets = panel.values["total_assets"]
    index = pd.Index(panel.customer_ids)
    rows = []
    for t in range(first, last - horizon + 1):
        x = features_at(panel, t)
        r = index.get_indexer(x.index)
        observed = ~np.isnan(assets[r, t + horizon])
        wanted = x["total_assets"] < HIGH_VALUE_ASSETS if goal == "upgrade" else x["total_assets"] >= CHURN_MIN_ASSETS
        keep = (wanted.to_numpy() & observed & ~(x["marketing_cool_period"].fillna(0).to_numpy() > 0))
        x, r = x[keep], r[keep]
        outcome = _outcome(assets[r], goal, t, horizon)
        size = max(1, int(round(share * len(x))))
        top = lambda score: np.argsort(-score, kind="stable")[:size]
        rows.append({"month": panel.months[t], "candidates": int(len(x)), "listed": size,
                     "model": float(outcome[top(model.predict_proba(x))].mean()),
                     "random": float(outcome.mean()),
                     "rule": float(outcome[top(model.baseline(x))].mean())})
    frame = pd.DataFrame(rows)
    frame.attrs["train_months"] = train
    return frame


def product_take_up(panel: Panel, months: int = LISTS, horizon: int = 3) -> dict[str, float]:
    """Share of customers without a product who hold it within the next `horizon` months, over the
    backtest months: whether the data can test a cross-selling list at all."""
    last = len(panel.months) - 1
    out = {}
    for key, name in PRODUCTS.items():
        flags = panel.values.get(f"{key}_flag")
        if flags is None:
            continue
        took, base = 0, 0
        for t in range(max(0, last - horizon - months + 1), last - horizon + 1):
            without = flags[:, t] == 0
            later = np.nanmax(np.where(np.isnan(flags[:, t + 1:t + horizon + 1]), 0, flags[:, t + 1:t + horizon + 1]),
                              axis=1)
            took += int((without & (later == 1)).sum())
            base += int(without.sum())
        out[name] = took / max(base, 1)
    return out


def alerts(backtests: dict[str, pd.DataFrame], watch: dict, min_lift: float, churn_rise: float) -> list[dict]:
    """Alerts a manager should see: a list whose latest backtested conversion is below `min_lift` times a
    random list's, and a rise of at least `churn_rise` in 高净值 customers the churn model flags."""
    out = []
    titles = {"upgrade": "升级名单", "retain": "挽留名单"}
    for goal, frame in backtests.items():
        if frame is None or frame.empty:
            continue
        latest = frame.iloc[-1]
        lift = latest["model"] / max(latest["random"], 1e-12)
        if lift < min_lift:
            out.append({"level": "warning", "kind": "conversion", "goal": goal,
                        "text": f"{titles.get(goal, goal)}在 {latest['month']} 的转化率 {latest['model']:.1%}，"
                                f"只有随机名单的 {lift:.1f} 倍（预警线 {min_lift:.1f} 倍）：请复核名单规则或模型。"})
    now, before = watch.get("high_net_worth_at_risk"), watch.get("high_net_worth_at_risk_before")
    if now is not None and before:
        rise = now / before - 1
        if rise >= churn_rise:
            out.append({"level": "warning", "kind": "churn", "goal": "retain",
                        "text": f"被流失模型标记的高净值客户从 {watch['month_before']} 的 {before:,} 位增至 "
                                f"{watch['month']} 的 {now:,} 位（+{rise:.0%}，预警线 +{churn_rise:.0%}）：建议优先安排挽留。"})
    return out
