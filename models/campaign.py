"""精准营销 campaign lists: whom to contact for a goal, through which channel, and why they may be contacted.

`build_campaign(conn, goal, size=…)` ranks the candidates of a goal by the scores training saved
(db.model_outputs: every candidate scored once, indexed best first) and applies the eligibility rules:

- 升级到100万+ (upgrade): customers below 100万, by the high-value probability;
- 交叉销售 a product (cross_sell): customers without it, by the association rules' confidence;
- 挽留 (retain): customers holding at least 1万, by the 流失预警 (churn) probability.

Eligibility rules are data (`eligibility_rules`): each customer who fails one is counted under the
first rule that excludes them, so candidates = listed pool + the sum of the excluded counts. Days
are counted to the end of the 基准月 (the data's date), not to today. Channels are rules on
behaviour and contact history (CHANNEL_RULES), and each row says which rule chose its channel: the
data records whether a 客户经理 contact succeeded, not through which channel.

Rules, channels and goals are sqlglot conditions over customer_snapshot `s`, so one aggregate counts
the exclusions and one indexed walk draws the list, on whatever dialect the database speaks.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta

import pandas as pd
import sqlglot
from sqlglot import exp

from db.definitions import CHURN_MIN_ASSETS, HIGH_VALUE_ASSETS, PRODUCTS
from db.model_outputs import REASON_TABLE, SCORE_TABLE, SEGMENT_TABLE
from db.query_sql import col, lit
from models.suitability import MAX_AGE

PRODUCT_FLAG = {name: f"{key}_flag" for key, name in PRODUCTS.items()}
#: What a list shows of each customer (customer_snapshot columns).
LIST_COLUMNS = ("customer_id", "branch_name", "city_level", "age", "total_assets", "customer_tier", "app_login_count",
                "branch_visit_count", "last_contact_time", "contact_result", "marketing_cool_period")


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

#: The trained model whose saved scores rank each goal's list (db.model_outputs.scores_file).
SCORING_MODEL = {"upgrade": "high_value", "retain": "churn", "cross_sell": "basket"}


@dataclass(frozen=True)
class Policy:
    """The contact rules a bank sets; the defaults are the issue's, documented in docs/campaigns.md."""
    contact_days: int = 30       # not contacted within N days
    refusal_days: int = 90       # not after a 拒绝 within M days
    #: 适当性: the oldest age at which a product may be offered
    max_age: dict = field(default_factory=lambda: dict(MAX_AGE))


@dataclass(frozen=True)
class Rule:
    key: str
    label: str                # the reason shown beside an excluded count
    description: str          # the rule as a sentence (shown with every list)
    excludes: exp.Expression  # true for the customers the rule leaves out


def _contacted_since(days: int, as_of_date: pd.Timestamp) -> exp.Expression:
    """Last contacted at most `days` before the end of the 基准月 (DATE() is NULL for what is not a date)."""
    return exp.GTE(this=exp.func("DATE", col("last_contact_time")),
                   expression=lit(str((as_of_date - timedelta(days=days)).date())))


def eligibility_rules(policy: Policy, as_of_date: pd.Timestamp, product: str | None = None) -> list[Rule]:
    rules = [Rule("cool_period", "营销冷静期内", "营销冷静期剩余天数 > 0 的客户不联系",
                  exp.GT(this=col("marketing_cool_period"), expression=lit(0))),
             Rule("refused", f"近{policy.refusal_days}天拒绝过",
                  f"最近一次联系结果为“拒绝”且在 {policy.refusal_days} 天内的客户不联系",
                  exp.and_(col("contact_result").eq(lit("拒绝")), _contacted_since(policy.refusal_days, as_of_date))),
             Rule("recent_contact", f"近{policy.contact_days}天已联系",
                  f"最近 {policy.contact_days} 天内已被客户经理联系过的客户不再联系",
                  _contacted_since(policy.contact_days, as_of_date))]
    if product in policy.max_age:
        rules.append(Rule("suitability", f"适当性：{policy.max_age[product]}岁以上不推荐{product}",
                          f"年龄 ≥ {policy.max_age[product]} 岁的客户不推荐{product}（产品适当性）",
                          exp.GTE(this=col("age"), expression=lit(policy.max_age[product]))))
    return rules


#: (channel, the rule as said to the user, condition). The first that holds chooses.
CHANNEL_RULES = (
    ("电话外呼", "上次客户经理联系成功", col("contact_result").eq(lit("成功"))),
    ("APP弹窗", "基准月手机银行登录 ≥ 4 次", exp.GTE(this=col("app_login_count"), expression=lit(4))),
    ("网点", "基准月到访网点 ≥ 2 次", exp.GTE(this=col("branch_visit_count"), expression=lit(2))),
    ("电话外呼", "其他客户默认由客户经理外呼", exp.true()),
)


def _channel_case(part: int) -> exp.Expression:
    """CASE over CHANNEL_RULES giving the channel (part 0) or the rule that chose it (part 1)."""
    *rules, last = CHANNEL_RULES
    return exp.Case(ifs=[exp.If(this=rule[2], true=lit(rule[part])) for rule in rules], default=lit(last[part]))


def _holds(condition: exp.Expression) -> exp.Expression:
    """NULL-safe: a rule whose inputs are missing does not hold (and NOT of it does)."""
    return exp.Coalesce(this=exp.Paren(this=condition), expressions=[exp.false()])


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


def score_key(goal: str, product: str | None = None) -> str:
    """The goal's key in the saved scores (cross-selling is scored per product)."""
    if goal not in GOALS:
        raise CampaignError(f"不支持的营销目标“{goal}”。可选：" + "、".join(g.title for g in GOALS.values()))
    if goal == "cross_sell":
        if product not in PRODUCT_FLAG:
            raise CampaignError("交叉销售需要指定产品：" + "、".join(PRODUCT_FLAG))
        return f"cross_sell:{product}"
    return goal


def candidate_condition(goal: str, product: str | None = None) -> exp.Expression:
    """Who a goal is for, as of the 基准月 (the customers training scored for it)."""
    if goal == "upgrade":
        return exp.LT(this=col("total_assets"), expression=lit(HIGH_VALUE_ASSETS))
    if goal == "retain":
        return exp.GTE(this=col("total_assets"), expression=lit(CHURN_MIN_ASSETS))
    return exp.NEQ(this=exp.Coalesce(this=col(PRODUCT_FLAG[product]), expressions=[lit(0)]), expression=lit(1))


def build_campaign(conn: sqlite3.Connection, goal: str, *, as_of_month: str, size: int = 100,
                   product: str | None = None, policy: Policy = Policy(), where: str = "1 = 1",
                   population: str = "全部客户", channel: str | None = None, segments: bool = False,
                   dialect: str = "sqlite") -> CampaignList:
    """conn reads customer_snapshot and the saved scores (customer_score, score_reason; customer_segment when
    `segments`); `where` is the population, a condition over customer_snapshot `s` as the typed query renders
    it. Training scored every as-of customer a goal is for, so the candidates are counted on the snapshot
    alone and the list walks the scores' index, best first. `channel`: keep only customers whose suggested
    channel it is."""
    key = score_key(goal, product)
    as_of_date = pd.Period(as_of_month, "M").end_time.normalize()
    rules = eligibility_rules(policy, as_of_date, product if goal == "cross_sell" else None)
    candidates = exp.and_(exp.EQ(this=col("in_asof"), expression=lit(1)), candidate_condition(goal, product),
                          exp.Paren(this=sqlglot.condition(where, dialect=dialect)))
    eligible = exp.not_(exp.or_(*[_holds(r.excludes) for r in rules]))
    wanted = eligible if not channel else exp.and_(eligible, _channel_case(0).eq(lit(channel)))
    count_if = lambda c: exp.func("SUM", exp.Case(ifs=[exp.If(this=c, true=lit(1))], default=lit(0)))
    excluded_by = [count_if(exp.and_(_holds(r.excludes), *[exp.not_(_holds(e.excludes)) for e in rules[:k]]))
                   for k, r in enumerate(rules)]
    counts = exp.select(exp.Count(this=exp.Star()), *excluded_by, count_if(wanted)) \
        .from_(exp.table_("customer_snapshot", alias="s")).where(candidates)
    total, *by_rule, on_channel = conn.execute(counts.sql(dialect=dialect)).fetchone()
    excluded = {r.label: int(n or 0) for r, n in zip(rules, by_rule)}

    walk = exp.select(*[col(c) for c in LIST_COLUMNS], exp.column("score", "c"), exp.column("reason", "r"),
                      exp.alias_(_channel_case(0), "channel"), exp.alias_(_channel_case(1), "channel_reason")) \
        .from_(exp.table_(SCORE_TABLE, alias="c")) \
        .join(exp.table_("customer_snapshot", alias="s"), on="s.customer_id = c.customer_id") \
        .join(exp.table_(REASON_TABLE, alias="r"), on="r.reason_id = c.reason_id", join_type="left") \
        .where(exp.and_(exp.column("goal", "c").eq(lit(key)), candidates, wanted)) \
        .order_by("c.score DESC", "c.total_assets DESC", "c.customer_id").limit(size)
    if segments:
        walk = walk.select(exp.column("segment", "g")).join(exp.table_(SEGMENT_TABLE, alias="g"),
                                                             on="g.customer_id = s.customer_id", join_type="left")
    top = pd.read_sql_query(walk.sql(dialect=dialect), conn)
    top["reason"] = top["reason"].fillna("")
    top["product"] = product if goal == "cross_sell" else ("" if goal == "retain" else "升级配置")
    top.insert(0, "rank", range(1, len(top) + 1))
    eligible_n = int(total or 0) - sum(excluded.values())
    return CampaignList(GOALS[goal], product, as_of_month, int(total or 0), excluded, eligible_n, top, rules,
                        population, channel, int(on_channel or 0) if channel else None)


def cross_sell_scores(snapshot: pd.DataFrame, rules, product: str) -> pd.DataFrame:
    """Confidence of `product` for every customer without it (snapshot: the as-of rows with the rules' items and
    total_assets), from the association rules, computed once per distinct combination of the items."""
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
        out.append(pd.DataFrame({"customer_id": group["customer_id"].to_numpy(), "score": score,
                                 "total_assets": group["total_assets"].to_numpy(), "reason": reason}))
    return pd.concat(out, ignore_index=True) if out else \
        pd.DataFrame(columns=["customer_id", "score", "total_assets", "reason"])


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
