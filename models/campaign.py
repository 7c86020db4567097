"""精准营销 campaign lists: whom to contact for a goal, through which channel, and why they may be contacted.

`build_campaign(frame, goal, size=…)` ranks the candidates of a goal by the trained models' saved
scores and applies the eligibility rules:

- 升级到100万+ (upgrade): customers below 100万, by the high-value probability;
- 交叉销售 a product (cross_sell): customers without it, by the association rules' confidence;
- 挽留 (retain): customers holding at least 1万, by the 流失预警 (churn) probability.

Eligibility rules are data (`eligibility_rules`): each customer who fails one is counted under the
first rule that excludes them, so candidates = listed pool + the sum of the excluded counts. Days
are counted to the end of the 基准月 (the data's date), not to today. Channels are rules on
behaviour and contact history (CHANNEL_RULES), and each row says which rule chose its channel: the
data records whether a 客户经理 contact succeeded, not through which channel.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from db.definitions import CHURN_MIN_ASSETS, HIGH_VALUE_ASSETS, PRODUCTS

#: Columns of customer_snapshot a list reads.
FRAME_COLUMNS = ("customer_id", "branch_name", "city_level", "age", "total_assets", "customer_tier",
                 "deposit_flag", "financial_flag", "fund_flag", "insurance_flag", "app_login_count",
                 "branch_visit_count", "last_contact_time", "contact_result", "marketing_cool_period")
PRODUCT_FLAG = {name: f"{key}_flag" for key, name in PRODUCTS.items()}


@dataclass(frozen=True)
class Goal:
    key: str
    title: str
    score: str           # what the score column means
    conversion: str      # what "converted" means in the backtest


GOALS = {
    "upgrade": Goal("upgrade", "升级到100万+", "3个月内升至100万+的概率", "名单月后3个月内总资产达到100万+"),
    "cross_sell": Goal("cross_sell", "交叉销售", "关联规则置信度（同类客户的持有比例）", "名单月后3个月内开始持有该产品"),
    "retain": Goal("retain", "挽留（流失预警）", "3个月内总资产下降30%以上的概率", "名单月后3个月内总资产下降30%以上（命中流失）"),
}


@dataclass(frozen=True)
class Policy:
    """The contact rules a bank sets; the defaults are the issue's, documented in docs/campaigns.md."""
    contact_days: int = 30       # not contacted within N days
    refusal_days: int = 90       # not after a 拒绝 within M days
    #: 适当性: the oldest age at which a product may be offered
    max_age: dict = field(default_factory=lambda: {"基金": 65, "理财": 75, "保险": 60})


@dataclass(frozen=True)
class Rule:
    key: str
    label: str          # the reason shown beside an excluded count
    description: str    # the rule as a sentence (shown with every list)


def eligibility_rules(policy: Policy, product: str | None = None) -> list[Rule]:
    rules = [Rule("cool_period", "营销冷静期内", "营销冷静期剩余天数 > 0 的客户不联系"),
             Rule("refused", f"近{policy.refusal_days}天拒绝过",
                  f"最近一次联系结果为“拒绝”且在 {policy.refusal_days} 天内的客户不联系"),
             Rule("recent_contact", f"近{policy.contact_days}天已联系",
                  f"最近 {policy.contact_days} 天内已被客户经理联系过的客户不再联系")]
    if product in policy.max_age:
        rules.append(Rule("suitability", f"适当性：{policy.max_age[product]}岁以上不推荐{product}",
                          f"年龄 ≥ {policy.max_age[product]} 岁的客户不推荐{product}（产品适当性）"))
    return rules


def _excluded(rule: Rule, f: pd.DataFrame, as_of_date: pd.Timestamp, policy: Policy,
              product: str | None) -> np.ndarray:
    days = (as_of_date - pd.to_datetime(f["last_contact_time"], errors="coerce")).dt.days
    if rule.key == "cool_period":
        return (f["marketing_cool_period"].fillna(0) > 0).to_numpy()
    if rule.key == "refused":
        return ((f["contact_result"] == "拒绝") & (days <= policy.refusal_days)).to_numpy()
    if rule.key == "recent_contact":
        return (days <= policy.contact_days).to_numpy()
    if rule.key == "suitability":
        return (f["age"] >= policy.max_age[product]).to_numpy()
    raise ValueError(rule.key)


#: (channel, the rule as said to the user, condition). The first that holds chooses.
CHANNEL_RULES = (
    ("电话外呼", "上次客户经理联系成功", lambda f: f["contact_result"] == "成功"),
    ("APP弹窗", "基准月手机银行登录 ≥ 4 次", lambda f: f["app_login_count"] >= 4),
    ("网点", "基准月到访网点 ≥ 2 次", lambda f: f["branch_visit_count"] >= 2),
    ("电话外呼", "其他客户默认由客户经理外呼", lambda f: pd.Series(True, index=f.index)),
)


def channels(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    channel = np.full(len(f), "", dtype=object)
    why = np.full(len(f), "", dtype=object)
    for name, rule, test in CHANNEL_RULES:
        pick = (channel == "") & test(f).fillna(False).to_numpy(bool)
        channel[pick], why[pick] = name, rule
    return channel, why


@dataclass
class CampaignList:
    goal: Goal
    product: str | None
    as_of_month: str
    candidates: int
    excluded: dict[str, int]          # rule label -> customers excluded by it (first rule that applies)
    eligible: int                     # candidates - excluded
    rows: pd.DataFrame                # ranked: customer_id, branch_name, score, reason, product, channel …
    rules: list[Rule]
    population: str = "全部客户"
    channel: str | None = None        # the list keeps only customers whose suggested channel this is
    on_channel: int | None = None     # eligible customers on that channel

    @property
    def channel_mix(self) -> dict[str, int]:
        return self.rows["channel"].value_counts().to_dict() if len(self.rows) else {}


class CampaignError(ValueError):
    """A list that cannot be built as asked (unknown goal or product); the message says what to ask."""


def build_campaign(frame: pd.DataFrame, scores: pd.DataFrame, goal: str, *, as_of_month: str, size: int = 100,
                   product: str | None = None, policy: Policy = Policy(), population: str = "全部客户",
                   channel: str | None = None) -> CampaignList:
    """frame: as-of snapshot rows (FRAME_COLUMNS, and segment where the 客群 are known) of the population asked
    for; scores: customer_id, score, reason from the trained models. `channel`: keep only customers whose
    suggested channel it is."""
    if goal not in GOALS:
        raise CampaignError(f"不支持的营销目标“{goal}”。可选：" + "、".join(g.title for g in GOALS.values()))
    if goal == "cross_sell" and product not in PRODUCT_FLAG:
        raise CampaignError("交叉销售需要指定产品：" + "、".join(PRODUCT_FLAG))
    f = frame
    if goal == "upgrade":
        f = f[f["total_assets"] < HIGH_VALUE_ASSETS]
    elif goal == "retain":
        f = f[f["total_assets"] >= CHURN_MIN_ASSETS]
    else:
        f = f[f[PRODUCT_FLAG[product]] != 1]
    f = f.merge(scores, on="customer_id", how="inner")
    candidates = len(f)
    as_of_date = pd.Period(as_of_month, "M").end_time.normalize()
    rules = eligibility_rules(policy, product if goal == "cross_sell" else None)
    out = np.zeros(len(f), dtype=bool)
    excluded = {}
    for rule in rules:
        hit = _excluded(rule, f, as_of_date, policy, product) & ~out
        excluded[rule.label] = int(hit.sum())
        out |= hit
    pool = f[~out].copy()
    pool["channel"], pool["channel_reason"] = channels(pool)
    eligible = len(pool)
    if channel:
        pool = pool[pool["channel"] == channel]
    top = pool.sort_values(["score", "total_assets"], ascending=[False, False]).head(size).copy()
    top["product"] = product if goal == "cross_sell" else ("" if goal == "retain" else "升级配置")
    top.insert(0, "rank", np.arange(1, len(top) + 1))
    return CampaignList(GOALS[goal], product, as_of_month, candidates, excluded, eligible,
                        top.reset_index(drop=True), rules, population, channel, len(pool) if channel else None)


def cross_sell_scores(snapshot: pd.DataFrame, rules, product: str) -> pd.DataFrame:
    """Confidence of `product` for every customer without it, from the association rules (computed once per
    distinct combination of the rules' items, not per customer)."""
    from models.basket import ATTRIBUTES, PRODUCT_NAMES
    keys = [c for c in ("deposit_flag", "financial_flag", "fund_flag", "insurance_flag") if c in snapshot] + \
        [c for c in ATTRIBUTES if c in snapshot]
    without = snapshot[snapshot[PRODUCT_FLAG[product]] != 1]
    out = []
    for values, group in without.groupby(keys, dropna=False, sort=False):
        row = pd.Series(dict(zip(keys, values if isinstance(values, tuple) else (values,))))
        held = {name for name in PRODUCT_NAMES if row.get(PRODUCT_FLAG[name]) == 1}
        items = held | {f"{label}={row[col]}" for col, label in ATTRIBUTES.items() if col in row}
        rec = rules.recommend(items, top_n=len(PRODUCT_NAMES))
        mine = rec[rec["product"] == product]
        score, reason = (float(mine["score"].iloc[0]), str(mine["reason"].iloc[0])) if len(mine) else (0.0, "")
        out.append(pd.DataFrame({"customer_id": group["customer_id"].to_numpy(), "score": score, "reason": reason}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["customer_id", "score", "reason"])


def contact_success_by_segment(frame: pd.DataFrame, segments: pd.Series, as_of_month: str,
                               months: int = 12) -> pd.DataFrame:
    """Observed outcome of the last 客户经理 contact within `months`, by segment: the evidence beside the
    channel rules (the data does not record the channel)."""
    since = pd.Period(as_of_month, "M").end_time.normalize() - pd.DateOffset(months=months)
    f = frame[pd.to_datetime(frame["last_contact_time"], errors="coerce") > since]
    f = f.assign(segment=f["customer_id"].map(segments).fillna("未分群"))
    table = pd.crosstab(f["segment"], f["contact_result"])
    table["contacted"] = table.sum(axis=1)
    table["success_rate"] = table.get("成功", 0) / table["contacted"].clip(lower=1)
    return table.sort_values("success_rate", ascending=False).reset_index()
