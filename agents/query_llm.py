"""The LLM path fills the same typed query as the offline parser, by structured output.

The model returns a `TypedQuerySpec` (columns, operators, values, measures);
`to_query` checks every column and value against the semantic layer and the
loaded data and builds a db.query.Query, so 口径, masking and the guarded
executor stay the project's. A spec naming something the data does not have
is an honest "not available"; one that cannot be checked falls back to the
guarded free-SQL agent, and the answer's provenance says which path ran.
"""
from __future__ import annotations

import re
from typing import Literal

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field

from agents.lexicon import Lexicon
from agents.llm import structured
from db.query import Agg, Cmp, Contains, Eq, InMonth, Not, Or, Order, Query, Share, Time, conjoin
from db.definitions import FLAG_COLUMNS
from db.semantic import (COUNTABLE_MEMBERS, DIMENSIONS, EXTRA_DIMENSIONS, MOVABLE, NUMERIC, OPENING_DATE as OPENING,
                         PER_UNIT, PRODUCT_FLAGS, movement)

CATEGORY_COLUMNS = ("city_level", "branch_name", "occupation", "occupation_type", "lifecycle_stage", "marriage_status",
                    "customer_tier", "gender", "age_band", "asset_level", "customer_id")


class ConditionSpec(BaseModel):
    """一个筛选条件。"""
    column: str = Field(description="列名：类别列、数值列、产品持有标志列、open_account_date（开户日期，取值 YYYY-MM-DD），"
                                    "或 city（网点所在城市）")
    op: Literal["=", "!=", "in", "not_in", ">", ">=", "<", "<=", "between"] = "="
    values: list[str | float] = Field(description="取值；between 给两个数；金额单位为元")
    month: str | None = Field(None, description="按哪个月的记录判断（2026年3月时为临界的客户）；空 = 所问的月份")


class MeasureSpec(BaseModel):
    """一个指标。share 为占比：numerator 条件的客户（或 column 之和）÷ denominator 条件的客户（空 = 全部）。"""
    kind: Literal["count", "sum", "avg", "share", "distinct", "per", "median", "std", "max", "min"]
    column: str | None = Field(None, description="sum/avg 的数值列；share 按金额算时的数值列；distinct 为要数个数的维度"
                                                 "（branch_name、city、occupation、occupation_type：有几个网点/城市/职业）；"
                                                 "per 为被除的数值列")
    per: str | None = Field(None, description="per：column 之和 ÷ per 之和（笔均交易金额：column=monthly_transaction_amount，"
                                              "per=monthly_transaction_count）")
    numerator: list[ConditionSpec] = Field(default_factory=list)
    denominator: list[ConditionSpec] = Field(default_factory=list)


class MovedSpec(BaseModel):
    """客户本人数值与另一个月相比的变化条件（总资产比三个月前下降的客户）。"""
    column: str = Field(description="月度数值列，如 total_assets、deposit_balance")
    month: str = Field(description="对比的月份 YYYY-MM")
    direction: Literal["down", "up"]


class HavingSpec(BaseModel):
    """分组后按各组自身数值保留（高净值占比高于全行平均的网点 / AUM超过2.3亿的网点）。"""
    measure: int = Field(0, description="measures 中的下标")
    op: Literal[">", ">=", "<", "<="]
    value: float | None = Field(None, description="阈值；与全行比较时留空并设 vs_overall")
    vs_overall: bool = False


class TypedQuerySpec(BaseModel):
    """把数据问题表达为类型化查询。"""
    measures: list[MeasureSpec]
    filters: list[ConditionSpec] = Field(default_factory=list, description="总体的筛选条件（全部同时满足）")
    group_by: list[str] = Field(default_factory=list, description="分组维度，至多两个")
    order: Literal["desc", "asc"] | None = None
    limit: int | None = None
    customers: bool = Field(False, description="是否列出客户名单（按第一个指标排序取前 limit 位）")
    month: str | None = Field(None, description="统计月份 YYYY-MM；空 = 基准月")
    series_from: str | None = Field(None, description="按月序列的起始月份 YYYY-MM（到 month 或基准月）")
    compare_to: str | None = Field(None, description="环比/同比等变化的对比月份 YYYY-MM")
    moved: list[MovedSpec] = Field(default_factory=list, description="客户本人跨月变化的条件（与 filters 同时满足）")
    having: HavingSpec | None = Field(None, description="按各组自身数值筛选分组")
    not_expressible: str | None = Field(None, description="问题需要数据中没有的字段/取值时，写明缺少什么")


class SpecError(ValueError):
    """The model's spec names a column, value or month the data does not have."""


def query_system_prompt(lex: Lexicon) -> str:
    values = "\n".join(f"- {c}：{'、'.join(v[:40])}" for c, v in lex.values.items())
    numeric = "、".join(f"{c.column}（{c.label}）" for c in NUMERIC.values())
    flags = "、".join(f"{flag}（持有{name}，1/0）" for name, flag in PRODUCT_FLAGS.items())
    dims = "、".join(f"{k}（{d.label}）" for k, d in {**DIMENSIONS, **EXTRA_DIMENSIONS}.items())
    return (
        "你把银行客群数据问题转成类型化查询（TypedQuerySpec）。只用下列列名与取值：\n"
        f"类别列与数据中的取值：\n{values}\n- city（网点所在城市）：{'、'.join(lex.cities)}\n"
        f"- gender：男、女；age_band：30岁以下、30-39岁、40-49岁、50-59岁、60岁及以上\n"
        f"数值列：{numeric}\n产品持有标志：{flags}\n分组维度：{dims}\n"
        "开户日期列：open_account_date（YYYY-MM-DD 文本；开户满N年按基准月最后一天往前推N年）\n"
        f"数据月份：{lex.first_month} 至 {lex.as_of_month}（基准月）。\n"
        "口径：客户等级按基准月总资产（普通<50万≤潜力<80万≤临界<100万≤高净值）；活跃 = app_login_count ≥ 1；"
        "占比的分母默认是全部客户；笔均交易金额 = 交易金额合计 ÷ 交易笔数合计（kind=per）；"
        "“比三个月前下降的客户”用 moved；“3月时还是临界客户”在条件上写 month；“高于全行平均的网点”“AUM超过X的网点”用 having。"
        "问题涉及数据中没有的字段或取值时，填 not_expressible，不要猜。")


def build_query_parser(llm, lex: Lexicon) -> Runnable:
    system = query_system_prompt(lex)
    return RunnableLambda(lambda q: [SystemMessage(system), HumanMessage(q)]) | structured(llm, TypedQuerySpec)


def _condition(c: ConditionSpec, lex: Lexicon):
    if c.column == "city":
        unknown = [v for v in c.values if v not in lex.cities]
        if unknown:
            raise SpecError(f"数据中没有城市“{'、'.join(map(str, unknown))}”")
        node = Or(tuple(Contains("branch_name", v, v) for v in c.values)) if len(c.values) > 1 else \
            Contains("branch_name", c.values[0], c.values[0])
        return Not(node) if c.op in ("!=", "not_in") else node
    if c.column in CATEGORY_COLUMNS:
        known = lex.values.get(c.column)
        if c.column == "gender":
            known = ["男", "女"]
        unknown = [v for v in c.values if known is not None and str(v) not in known]
        if unknown:
            raise SpecError(f"{c.column} 中没有“{'、'.join(map(str, unknown))}”")
        node = Eq(c.column, tuple(str(v) for v in c.values), "或".join(map(str, c.values)))
        return Not(node) if c.op in ("!=", "not_in") else node
    if c.column == OPENING:   # ISO dates compare as text in every dialect
        days = [str(v) for v in c.values]
        if not days or not all(re.fullmatch(r"(19|20)\d{2}-\d{2}-\d{2}", d) for d in days):
            raise SpecError(f"开户日期要写成 YYYY-MM-DD：{'、'.join(days)}")
        if c.op == "between":
            return conjoin(Cmp(OPENING, ">=", days[0], f"开户日期≥{days[0]}"), Cmp(OPENING, "<=", days[-1], f"开户日期≤{days[-1]}"))
        op = {"in": "=", "not_in": "!="}.get(c.op, c.op)
        return Cmp(OPENING, op, days[0], f"开户日期{op}{days[0]}")
    if c.column in NUMERIC or c.column in FLAG_COLUMNS:
        label = NUMERIC[c.column].label if c.column in NUMERIC else c.column
        nums = [float(v) for v in c.values]
        if c.op == "between":
            return conjoin(Cmp(c.column, ">=", nums[0], f"{label}≥{nums[0]:g}"),
                           Cmp(c.column, "<=", nums[1], f"{label}≤{nums[1]:g}"))
        op = {"in": "=", "not_in": "!="}.get(c.op, c.op)
        return Cmp(c.column, op, nums[0], f"{label}{op}{nums[0]:g}")
    raise SpecError(f"数据中没有列“{c.column}”")


def _conditions(items, lex):
    return conjoin(*[InMonth(_month(c.month, lex), _condition(c, lex)) if c.month else _condition(c, lex)
                     for c in items])


def _month(value: str | None, lex: Lexicon) -> str | None:
    if value and not (lex.first_month <= value <= lex.as_of_month):
        raise SpecError(f"数据只有 {lex.first_month} 至 {lex.as_of_month}，没有 {value}")
    return value


def to_query(spec: TypedQuerySpec, lex: Lexicon) -> Query:
    """A checked Query, or SpecError naming what the data does not have."""
    if spec.not_expressible:
        raise SpecError(spec.not_expressible)
    measures = []
    for m in spec.measures:
        if m.kind == "distinct":
            if m.column not in COUNTABLE_MEMBERS:
                raise SpecError(f"不能数“{m.column}”的个数")
            measures.append(Agg("distinct", m.column))
            continue
        if m.column is not None and m.column not in NUMERIC:
            raise SpecError(f"数据中没有数值列“{m.column}”")
        if m.kind == "per":
            if (m.column, m.per) not in PER_UNIT:
                raise SpecError(f"没有“{m.column} ÷ {m.per}”这个指标的口径")
            measures.append(Agg("sum", m.column, per=m.per))
            continue
        if m.kind == "share":
            measures.append(Share(_conditions(m.numerator, lex), _conditions(m.denominator, lex), m.column,
                                  "占比"))
        elif m.kind == "count":
            measures.append(Agg("count"))
        else:
            if m.column is None:
                raise SpecError(f"{m.kind} 需要数值列")
            measures.append(Agg(m.kind, m.column))
    if spec.customers and not (measures and isinstance(measures[0], Agg) and measures[0].column):
        measures = [Agg("sum", "total_assets")]
    groups = [g for g in spec.group_by if g in DIMENSIONS or g in EXTRA_DIMENSIONS]
    if len(groups) != len(spec.group_by):
        raise SpecError(f"不能按“{'、'.join(set(spec.group_by) - set(groups))}”分组")
    month, start, compare = _month(spec.month, lex), _month(spec.series_from, lex), _month(spec.compare_to, lex)
    if compare:
        time = Time("change", month or lex.as_of_month, compare, f"{month or lex.as_of_month} 对比 {compare}")
    elif start:
        time = Time("series", month or lex.as_of_month, start, f"{start} 至 {month or lex.as_of_month} 每月")
    elif month and month != lex.as_of_month:
        time = Time("month", month, None, month)
    else:
        time = Time()
    order = Order(0, spec.order != "asc", spec.limit) if (spec.order or spec.limit or spec.customers) else None
    if spec.customers and (order is None or not order.limit):
        order = Order(0, spec.order != "asc", 10)
    moved = []
    for m in spec.moved:
        if m.column not in MOVABLE:
            raise SpecError(f"“{m.column}”不是按月记录的数值列")
        moved.append(movement(m.column, _month(m.month, lex), fell=m.direction == "down"))
    having = ()
    if spec.having is not None:
        if not groups or not 0 <= spec.having.measure < len(measures or [None]) or (
                spec.having.value is None and not spec.having.vs_overall):
            raise SpecError("按各组数值筛选需要分组、指标和阈值（或与全行比较）")
        having = (spec.having.measure, spec.having.op, "overall" if spec.having.vs_overall else spec.having.value)
    return Query(measures or [Agg("count")], conjoin(_conditions(spec.filters, lex), *moved), groups[:2], order,
                 spec.customers, time, having=having)
