"""A pre-aggregation of the monthly table: months × the dimensions questions filter and group by.

At a million customers a series over past months reads twelve million monthly rows and looks up
each customer's attributes (女客户近一年每月的理财持有率: 5 s). The build sums them once into
`monthly_cube` — one row per month and combination of branch, city level, gender, marriage,
occupation type, lifecycle stage, age band and the month's tier (about 47,000 rows a month at a
million customers) — holding additive parts only: counts, sums and non-null counts of every
monthly measure, and head counts of the named conditions (活跃, holding each product, 复购).

`cube_plan` answers a month, series or change query from it when every filter and grouping is
one of those dimensions and every measure is built from those parts; otherwise it returns None
and the query reads the monthly table (tests hold both answers equal).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlglot import exp

from db.definitions import AGE_BANDS, CUSTOMER_TIERS, band_case_sql, band_of
from db.query import Agg, And, Cmp, Contains, Eq, Not, Or, Query, Share, conjuncts
from db.query_sql import Compiled, condition, known, lit, months_of, ratio   # the monthly table's expressions, reused
from db.schema import CUSTOMER_SNAPSHOT, INT, MONEY, MONTH, NUMBER, Column, Table
from db.semantic import NUMERIC, PRODUCT_FLAGS

CUBE_TABLE = "monthly_cube"
CUBE_DIMENSIONS = ("branch_name", "city_level", "gender", "marriage_status", "occupation_type", "lifecycle_stage",
                   "age_band", "customer_tier")
_BASE_DIMENSIONS = ("branch_name", "city_level", "gender", "marriage_status", "occupation_type", "lifecycle_stage")
_BASE_MEASURES = tuple(c for c, n in NUMERIC.items() if not n.monthly)   # age, monthly_income
#: Head counts of named conditions: the set of conditions a row must meet -> its cube column.
_CONDITION_COUNTS = {
    frozenset(): "customers",
    frozenset({("app_login_count", ">=", 1)}): "active",
    frozenset({("financial_repurchase_count", ">=", 1)}): "repurchasers",
    frozenset({("financial_flag", "=", 1), ("financial_repurchase_count", ">=", 1)}): "financial_repurchasers",
    **{frozenset({(flag, "=", 1)}): f"holders_{flag}" for flag in PRODUCT_FLAGS.values()},
}
_COUNT_SQL = {
    "customers": "COUNT(*)",
    "active": "SUM(CASE WHEN a.app_login_count >= 1 THEN 1 ELSE 0 END)",
    "repurchasers": "SUM(CASE WHEN a.financial_repurchase_count >= 1 THEN 1 ELSE 0 END)",
    "financial_repurchasers": "SUM(CASE WHEN a.financial_flag = 1 AND a.financial_repurchase_count >= 1 "
                              "THEN 1 ELSE 0 END)",
    **{f"holders_{flag}": f"SUM(CASE WHEN a.{flag} = 1 THEN 1 ELSE 0 END)" for flag in PRODUCT_FLAGS.values()},
}


def _value_sql(column: str) -> str:
    """The measure's own definition (NUMERIC[...].expression, alias s) over the build's row (a or b)."""
    c = NUMERIC[column]
    return c.expression.replace("s.", "a." if c.monthly else "b.")


_COUNT_LABELS = {"customers": "客户数（当月有记录）", "active": "活跃客户数（手机银行登录≥1）",
                 "repurchasers": "理财复购次数≥1的客户数", "financial_repurchasers": "持有理财且复购的客户数",
                 **{f"holders_{flag}": f"持有{name}的客户数" for name, flag in PRODUCT_FLAGS.items()}}


def _schema() -> Table:
    snapshot = {c.name: c for c in CUSTOMER_SNAPSHOT.columns}
    columns = [Column("stat_month", MONTH, "统计月份")] + [snapshot[d] for d in CUBE_DIMENSIONS]
    columns += [Column(name, INT, label) for name, label in _COUNT_LABELS.items()]
    for column, c in NUMERIC.items():
        columns += [Column(f"sum_{column}", MONEY if c.fmt == "money" else NUMBER, f"{c.label}合计"),
                    Column(f"n_{column}", INT, f"{c.label}非空个数", "平均值 = 合计 ÷ 非空个数")]
    return Table(CUBE_TABLE, "月度预汇总",
                 "每个统计月份 × 网点、城市级别、性别、婚姻、职业类型、生命周期、年龄段、当月客户等级一行：客户数、各指标的合计与"
                 "非空个数、活跃/持有/复购人数。历史月份与趋势问题从这里读取，结果与逐条汇总月度明细相同。", tuple(columns))


CUBE_SCHEMA = _schema()


def cube_insert_sql() -> str:
    dims = [f"b.{d}" for d in _BASE_DIMENSIONS] + [band_case_sql("b.age", AGE_BANDS),
                                                   band_case_sql("a.total_assets", CUSTOMER_TIERS)]
    parts = list(_COUNT_SQL.values())
    for column in NUMERIC:
        parts += [f"SUM({_value_sql(column)})", f"COUNT({_value_sql(column)})"]
    return (f"INSERT INTO {CUBE_TABLE} ({', '.join(CUBE_SCHEMA.names)}) SELECT a.stat_month, {', '.join(dims)}, "
            f"{', '.join(parts)} FROM customer_behavior_assets a JOIN customer_base b ON b.customer_id = a.customer_id "
            f"GROUP BY a.stat_month, {', '.join(f'b.{d}' for d in _BASE_DIMENSIONS)}, "
            f"{band_case_sql('b.age', AGE_BANDS)}, {band_case_sql('a.total_assets', CUSTOMER_TIERS)}")


class CubeAccumulator:
    """The cube summed from the cleaned frames while the build loads them: one pass over the rows
    already in memory instead of a GROUP BY that re-reads and sorts every monthly row (92 s of a
    million-customer build). The same parts as cube_insert_sql (a test holds the two equal);
    `frame()` is None when the loaded rows need the SQL build instead (duplicates removed after
    loading, a measure with its own SQL definition)."""

    def __init__(self):
        self._base: list[pd.DataFrame] = []
        self._profiles: pd.DataFrame | None = None
        self._parts: list[pd.DataFrame] = []
        self.usable = not any(c.sql for c in NUMERIC.values())

    def add_base(self, frame: pd.DataFrame) -> None:
        self._base.append(frame[["customer_id", *_BASE_DIMENSIONS, *_BASE_MEASURES]])

    def _profile(self) -> pd.DataFrame:
        if self._profiles is None:
            base = pd.concat(self._base, ignore_index=True)
            self.usable = self.usable and not base["customer_id"].duplicated().any()
            base["age_band"] = band_of(base["age"], AGE_BANDS)
            self._profiles = base.drop_duplicates("customer_id").set_index("customer_id")
            self._base = []
        return self._profiles

    def add_behavior(self, frame: pd.DataFrame) -> None:
        rows = frame.join(self._profile(), on="customer_id", how="inner")   # orphans are not summed
        rows["customer_tier"] = band_of(rows["total_assets"], CUSTOMER_TIERS)
        parts = {"customers": np.ones(len(rows)),
                 "active": (rows["app_login_count"] >= 1).to_numpy(float),
                 "repurchasers": (rows["financial_repurchase_count"] >= 1).to_numpy(float),
                 "financial_repurchasers": ((rows["financial_flag"] == 1)
                                            & (rows["financial_repurchase_count"] >= 1)).to_numpy(float),
                 **{f"holders_{flag}": (rows[flag] == 1).to_numpy(float) for flag in PRODUCT_FLAGS.values()}}
        for column in NUMERIC:
            values = pd.to_numeric(rows[column], errors="coerce")
            parts[f"sum_{column}"] = values.to_numpy(float)
            parts[f"n_{column}"] = values.notna().to_numpy(float)
        keys = rows[["stat_month", *CUBE_DIMENSIONS]].astype(object)
        summed = pd.concat([keys, pd.DataFrame(parts, index=rows.index)], axis=1) \
            .groupby(["stat_month", *CUBE_DIMENSIONS], dropna=False, sort=False).sum(min_count=0)
        self._parts.append(summed)

    def frame(self) -> pd.DataFrame | None:
        if not self.usable or not self._parts:
            return None
        cube = pd.concat(self._parts).groupby(level=list(range(1 + len(CUBE_DIMENSIONS))), dropna=False,
                                               sort=False).sum().reset_index()
        # a SUM over only NULLs is NULL in SQL: keep that where no value was counted
        for column in NUMERIC:
            cube.loc[cube[f"n_{column}"] == 0, f"sum_{column}"] = np.nan
        return cube[CUBE_SCHEMA.names]


# -- answering from the cube ------------------------------------------------------------------
def _split(node) -> tuple[list, frozenset] | None:
    """A filter as (conditions on cube dimensions, named conditions counted by a cube column);
    None when some part cannot be read from the cube (a threshold, a product filter inside an OR …)."""
    if node is None:
        return [], frozenset()
    dims, named = [], set()
    for item in conjuncts(node):
        if isinstance(item, Cmp):
            named.add((item.column, item.op, item.value))
        elif _on_dimensions(item):
            dims.append(item)
        else:
            return None
    return dims, frozenset(named)


def _on_dimensions(node) -> bool:
    if isinstance(node, Eq):
        return node.column in CUBE_DIMENSIONS
    if isinstance(node, Contains):
        return node.column == "branch_name"
    if isinstance(node, (And, Or)):
        return all(_on_dimensions(i) for i in node.items)
    if isinstance(node, Not):
        return _on_dimensions(node.item)
    return False


def _part(column: str, dims: list, city_of) -> exp.Expression:
    """SUM of a cube column over the rows meeting `dims` (all rows when there are none)."""
    value = exp.column(column, table="c")
    if not dims:
        return exp.Sum(this=value)
    cond = exp.and_(*[_on_cube(condition(d, city_of)) for d in dims])
    return exp.Sum(this=exp.Case().when(cond, value).else_(lit(0)))


def _on_cube(e: exp.Expression) -> exp.Expression:
    """Re-point a condition compiled for the source (alias s) at the cube (alias c)."""
    e = e.copy()
    for column in e.find_all(exp.Column):
        if column.table == "s":
            column.set("table", exp.to_identifier("c"))
    return e


def _measure(m, grouped: bool, city_of) -> exp.Expression | None:
    if isinstance(m, Agg):
        if m.where is not None:
            return None   # a measure with its own population: the cube has no such column
        if m.kind == "count":
            return _part("customers", [], city_of)
        if m.column not in NUMERIC or m.kind not in ("sum", "avg"):
            return None   # a median, deviation or extreme is not in sums and counts
        if m.per:   # 笔均交易金额: one sum over the other
            return ratio(_part(f"sum_{m.column}", [], city_of), _part(f"sum_{m.per}", [], city_of))
        total = _part(f"sum_{m.column}", [], city_of)
        return total if m.kind == "sum" else ratio(total, _part(f"n_{m.column}", [], city_of))
    if not isinstance(m, Share) or m.base_column not in (None, m.column) or m.counted:
        return None
    den = _split(m.denominator)
    num = _split(m.numerator)
    if den is None or num is None:
        return None
    if m.column:   # an amount's share: the numerator's sum over the denominator's
        if num[1] or den[1]:
            return None
        whole = _part(f"sum_{m.column}", den[0], city_of)
        part = _part(f"sum_{m.column}", den[0] + num[0], city_of)
    else:
        whole_col, part_col = _CONDITION_COUNTS.get(den[1]), _CONDITION_COUNTS.get(den[1] | num[1])
        if whole_col is None or part_col is None:
            return None
        whole = _part(whole_col, den[0], city_of)
        part = _part(part_col, den[0] + num[0], city_of)
    if m.numerator is None and m.denominator is None and grouped:
        whole = exp.Window(this=exp.Sum(this=whole))
    return ratio(part, whole)


def cube_plan(query: Query, dialect: str = "sqlite", city_of: dict[str, str] | None = None):
    """The query answered from monthly_cube (a db.query_sql.Compiled), or None when it cannot be."""
    if query.time.kind not in ("month", "series") or query.customers:
        return None
    if any(g not in CUBE_DIMENSIONS for g in query.group_by):
        return None
    split = _split(query.where)
    if split is None or split[1]:
        return None   # a named condition in the population (活跃客户的…) is not a cube dimension
    groups = (["stat_month"] if query.time.kind == "series" else []) + list(query.group_by)
    selects = [exp.column(g, table="c").as_(f"g{i}") for i, g in enumerate(groups)]
    for i, m in enumerate(query.measures):
        e = _measure(m, bool(groups), city_of)
        if e is None:
            return None
        selects.append(e.as_(f"m{i}"))
    month = exp.column("stat_month", table="c")
    where = [months_of(query.time, month) if query.time.kind == "series" else month.eq(lit(query.time.month))]
    where += [_on_cube(condition(d, city_of)) for d in split[0]]
    where += [known(exp.column(g, table="c")) for g in query.group_by]
    q = exp.select(*selects).from_(exp.table_(CUBE_TABLE, alias="c")).where(exp.and_(*where))
    if groups:
        q = q.group_by(*[exp.column(f"g{i}") for i in range(len(groups))])
    if query.order is not None:
        key = exp.column(f"m{query.order.measure}")
        q = q.order_by(key.desc() if query.order.descending else key.asc())
        if query.order.limit:
            q = q.limit(query.order.limit)
    elif groups:
        q = q.order_by(*[exp.column(f"g{i}") for i in range(len(groups))])
    columns = (["month"] if query.time.kind == "series" else []) + list(query.group_by) + \
        [f"m{i}" for i in range(len(query.measures))]
    return Compiled(q.sql(dialect=dialect), columns)

