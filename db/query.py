"""The typed query: the meaning of a data question as a small tree of dataclasses.

The offline parser and an LLM's structured output both fill one `Query`; the
compiler (db.query_sql) turns it into SQL for the connection's dialect. Nothing
here knows SQL or Chinese parsing: it is the contract between understanding
and answering, and what an answer's `understood` block is made from.

Population filters form a tree: And / Or / Not over leaves (Eq, Cmp, Contains,
Customer). Product holding is a Cmp on a flag column; a city is a Contains on
the branch name; "35至45岁" is two Cmps under an And.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Union


# -- population ------------------------------------------------------------------
@dataclass(frozen=True)
class Eq:
    """column equals one of values (one value: =, several: IN)."""
    column: str
    values: tuple
    label: str


@dataclass(frozen=True)
class Cmp:
    """column op number; op in >, >=, <, <=, =, !=."""
    column: str
    op: str
    value: float
    label: str


@dataclass(frozen=True)
class Contains:
    """column contains text (a city inside a branch name)."""
    column: str
    text: str
    label: str


@dataclass(frozen=True)
class Known:
    """column has a value (月收入缺失的不计入: the customers whose income is missing are left out)."""
    column: str
    label: str


@dataclass(frozen=True)
class InMonth:
    """The customer met `item` in another month (2026年3月时为临界): a cohort, read from that month's rows."""
    month: str
    item: object
    column: str = "cohort"


@dataclass(frozen=True)
class Moved:
    """The customer's value in the month asked about against their own value in `month` (总资产比三个月前下降):
    `op` compares now with then; a customer without a row in either month is not counted."""
    column: str
    month: str
    op: str                   # < (fell) | > (rose)
    label: str


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


Node = Union[Eq, Cmp, Contains, Known, And, Or, Not]


def conjuncts(node) -> tuple:
    """The conditions ANDed at the top of a filter (none for no filter)."""
    if node is None:
        return ()
    return node.items if isinstance(node, And) else (node,)


def conjoin(*nodes) -> Node | None:
    """AND of the nodes given (None ignored); flattens nested Ands."""
    items = [item for n in nodes for item in conjuncts(n)]
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def leaves(node) -> list:
    if node is None:
        return []
    if isinstance(node, (And, Or)):
        return [leaf for item in node.items for leaf in leaves(item)]
    if isinstance(node, Not):
        return leaves(node.item)
    return [node]


def describe(node) -> str:
    """How an answer names a population: 一线城市、40岁及以上、非高净值."""
    if node is None:
        return ""
    if isinstance(node, And):   # a range is two comparisons under one label: say it once
        return "、".join(dict.fromkeys(describe(i) for i in node.items))
    if isinstance(node, Or):
        return "或".join(describe(i) for i in node.items)
    if isinstance(node, InMonth):
        return f"{node.month}时为{describe(node.item)}"
    if isinstance(node, Not):
        if isinstance(node.item, Known) and node.item.label.endswith("非空"):
            return node.item.label.removesuffix("非空") + "为空"   # not 非月收入非空
        inner = describe(node.item)
        return inner if inner.startswith(("非", "未", "不")) else f"非{inner}"
    return node.label


# -- measures -------------------------------------------------------------------------
@dataclass(frozen=True)
class Agg:
    """count of customers, or sum / avg of a numeric column.

    `where`: the measure's own population inside the query's (活跃率，再报一下活跃客户的人均登录次数:
    the rate over everyone, the logins over the active ones), as a filtered metric of a semantic layer."""
    kind: str                 # count | sum | avg | distinct (how many members of a dimension: 网点数)
    #                           | median | std (sample standard deviation) | max | min: a column's distribution
    column: str | None = None   # a numeric column; for distinct, a dimension key
    where: object = None
    #: a sum over another column's sum (笔均交易金额: transaction amount ÷ transaction count)
    per: str | None = None

    @property
    def key(self) -> str:
        if self.per:
            return "ratio"
        return "customers" if self.kind == "count" else f"{self.kind}:{self.column}"


@dataclass(frozen=True)
class Share:
    """numerator ÷ denominator, of a head count (column None) or of a column's sum.

    denominator None = the whole population of the query (and, with a grouping
    and no numerator, the share of each group in the total)."""
    numerator: object = None
    denominator: object = None
    column: str | None = None
    label: str = "占比"
    #: the denominator sums this column instead (基金余额占AUM: column fund_balance, base total_assets)
    base_column: str | None = None
    #: the numerator's head count itself (理财客户里买了基金的有多少人), beside or instead of the ratio
    counted: bool = False

    @property
    def key(self) -> str:
        return "customers" if self.counted else "share"


Measure = Union[Agg, Share]


# -- ordering and time ------------------------------------------------------------------
@dataclass(frozen=True)
class Order:
    measure: int = 0          # index into Query.measures
    descending: bool = True
    limit: int | None = None
    #: in a change between two months, what ranks the groups: the amount (增加最多) or the rate (跌幅最大)
    by: str = "difference"


@dataclass(frozen=True)
class Time:
    """asof (the 基准月), month (one month), series (months a..b), change (month vs base)."""
    kind: str = "asof"
    month: str | None = None      # month / change: the month asked about; series: last month
    start: str | None = None      # series: first month; change: the month compared with
    label: str = ""
    picked: tuple = ()            # series: only these months of the span (每个季度末: 2025-03, -06, -09, -12)


@dataclass
class Query:
    measures: list = field(default_factory=lambda: [Agg("count")])
    where: object = None
    group_by: list = field(default_factory=list)   # dimension keys
    order: Order | None = None
    customers: bool = False        # rows are customers (a top-N list), not groups
    time: Time = field(default_factory=Time)
    #: 已婚减未婚差多少: two values of the one grouping, first minus second; without a grouping, the names of
    #: the two measures' populations (绍兴越城支行 vs 全行), the first measure minus the second
    contrast: tuple = ()
    rank_of: str | None = None     # 杭州西湖支行排第几: the group whose place in the ordered groups is asked
    ratio: bool = False            # 是…的几倍: the contrast's first value over its second is asked too
    #: 高净值占比高于全行平均的网点 / AUM超过2.3亿的网点: groups kept by their own figure — (measure index, op,
    #: a number or "overall": the same measure over the whole population)
    having: tuple = ()

    def uses(self, column: str) -> bool:
        """Grouped by or filtered on `column` (客群: the segmentation's output must be at hand)."""
        return column in self.group_by or any(leaf.column == column for leaf in leaves(self.where))

    def to_dict(self) -> dict:
        return {"measures": [{"type": type(m).__name__, **(
                    {"kind": m.kind, "column": m.column, "where": node_to_dict(m.where), "per": m.per} if isinstance(m, Agg) else
                    {"numerator": node_to_dict(m.numerator), "denominator": node_to_dict(m.denominator),
                     "column": m.column, "label": m.label, "base_column": m.base_column, "counted": m.counted})}
                    for m in self.measures],
                "where": node_to_dict(self.where), "group_by": list(self.group_by),
                "order": asdict(self.order) if self.order else None, "customers": self.customers,
                "time": asdict(self.time), "contrast": list(self.contrast), "rank_of": self.rank_of,
                "ratio": self.ratio, "having": list(self.having)}


def node_to_dict(node):
    if node is None:
        return None
    if isinstance(node, (And, Or)):
        return {"type": type(node).__name__, "items": [node_to_dict(i) for i in node.items]}
    if isinstance(node, Not):
        return {"type": "Not", "item": node_to_dict(node.item)}
    if isinstance(node, InMonth):
        return {"type": "InMonth", "month": node.month, "item": node_to_dict(node.item)}
    return {"type": type(node).__name__, **asdict(node)}


_NODE_TYPES = {t.__name__: t for t in (Eq, Cmp, Contains, Known, And, Or, Not, Moved)}


def node_from_dict(data):
    """The inverse of Query.to_dict for a filter tree (used by the LLM path)."""
    if data is None:
        return None
    kind = data["type"]
    if kind in ("And", "Or"):
        return _NODE_TYPES[kind](tuple(node_from_dict(i) for i in data["items"]))
    if kind == "Not":
        return Not(node_from_dict(data["item"]))
    if kind == "InMonth":
        return InMonth(data["month"], node_from_dict(data["item"]))
    args = {k: v for k, v in data.items() if k != "type"}
    if kind == "Eq":
        args["values"] = tuple(args["values"])
    return _NODE_TYPES[kind](**args)
