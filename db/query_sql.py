"""Compile a typed query (db.query) into one SELECT, as sqlglot expressions, for a dialect.

Sources: the 基准月 reads customer_snapshot (one row per customer, covering
indexes); any other month, or a series of months, reads the monthly table
joined to customer_base, with tier and age band computed the way the snapshot
computes them (db.definitions). Head-count shares count only customers with a
row in the month (in_asof), as the glossary's 占比 do; counts without a
monthly condition count every customer in customer_base at the 基准月.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from db.definitions import AGE_BANDS, CUSTOMER_TIERS, band_case_sql
from db.model_outputs import SEGMENT_TABLE
from db.query import Agg, And, Cmp, Contains, Eq, InMonth, Known, Moved, Not, Or, Query, Share, Time, describe, leaves
from db.semantic import NUMERIC, PER_UNIT, PRODUCT_FLAGS, dimension

S = "s"
SEGMENT = "segment"   # a customer's 客群: not a column of the bank's tables but of the model outputs
_BEHAVIOR_COLUMNS = ("total_assets", "deposit_balance", "financial_balance", "fund_balance", "insurance_balance",
                     "asset_level", "deposit_flag", "financial_flag", "fund_flag", "insurance_flag", "product_count",
                     "financial_repurchase_count", "credit_card_monthly_expense", "investment_monthly_count",
                     "app_login_count", "app_financial_view_time", "app_product_compare_count",
                     "last_app_login_time", "last_contact_time", "contact_result", "marketing_cool_period",
                     "stat_month", "monthly_transaction_count", "monthly_transaction_amount",
                     "last_transaction_date", "branch_visit_count")
MONTHLY_TABLE = "customer_behavior_assets"
_BASE_COLUMNS = ("customer_id", "age", "gender", "occupation", "occupation_type", "monthly_income",
                 "open_account_date", "lifecycle_stage", "marriage_status", "city_level", "branch_name")


def _panel_sql(base_first: bool) -> str:
    """customer_snapshot's shape for every month: base attributes + that month's behaviour.

    base_first: the population is narrowed by customer_base columns (a city, an occupation), so
    read those customers first and probe their months by (customer_id, stat_month); SQLite would
    otherwise walk every row of the months and look each customer up (6.4 s vs 2.0 s for six
    months of one city at a million customers). CROSS JOIN is how SQLite is told the order."""
    cols = [f"b.{c}" for c in _BASE_COLUMNS] + [f"a.{c}" for c in _BEHAVIOR_COLUMNS]
    join = (f"FROM customer_base AS b CROSS JOIN {MONTHLY_TABLE} AS a" if base_first else
            f"FROM {MONTHLY_TABLE} AS a JOIN customer_base AS b")
    return (f"SELECT {', '.join(cols)}, {band_case_sql('b.age', AGE_BANDS)} AS age_band, "
            f"{band_case_sql('a.total_assets', CUSTOMER_TIERS)} AS customer_tier, 1 AS in_asof "
            f"{join} ON b.customer_id = a.customer_id")


def col(name: str) -> exp.Column:
    return exp.column(name, table=S)


def value_of(column: str) -> exp.Expression:
    """A column as the semantic layer defines it (NUMERIC[...].expression), else the column itself."""
    if column in NUMERIC:
        return sqlglot.parse_one(NUMERIC[column].expression)
    return col(column)


def known(e: exp.Expression) -> exp.Expression:
    """e IS NOT NULL."""
    return exp.Not(this=exp.Is(this=e, expression=exp.Null()))


def lit(value) -> exp.Expression:
    if isinstance(value, str):
        return exp.Literal.string(value)
    return exp.Literal.number(value)


def condition(node, city_of: dict[str, str] | None = None) -> exp.Expression:
    """A filter tree as a boolean expression over the source. With `city_of` (branch -> city) a
    city is the list of its branches (an index can answer), else a LIKE on the branch name."""
    if isinstance(node, Eq) and node.column == SEGMENT:   # the clustering's table (db.model_outputs)
        members = exp.select("customer_id").from_(SEGMENT_TABLE).where(
            exp.column(SEGMENT).isin(*[lit(v) for v in node.values]))
        return col("customer_id").isin(query=members)
    if isinstance(node, Eq):
        c = col(node.column)
        return c.eq(lit(node.values[0])) if len(node.values) == 1 else c.isin(*[lit(v) for v in node.values])
    if isinstance(node, Cmp):
        ops = {">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE, "=": exp.EQ, "!=": exp.NEQ}
        return ops[node.op](this=value_of(node.column), expression=lit(node.value))
    if isinstance(node, Known):
        return known(value_of(node.column))
    if isinstance(node, Contains):
        branches = sorted(b for b, c in (city_of or {}).items() if c == node.text) if node.column == "branch_name" \
            else []
        if branches:
            return col(node.column).isin(*[lit(b) for b in branches])
        return exp.Like(this=col(node.column), expression=lit(f"%{node.text}%"))
    if isinstance(node, And):
        return exp.and_(*[condition(i, city_of) for i in node.items])
    if isinstance(node, Or):
        return exp.Paren(this=exp.or_(*[condition(i, city_of) for i in node.items]))
    if isinstance(node, Not):
        # NOT over a NULL comparison is NULL: 非高净值 keeps only customers whose tier is known.
        return exp.Not(this=exp.Paren(this=condition(node.item, city_of)))
    if isinstance(node, Moved):   # 总资产比三个月前下降: the row's value against the same customer's row then
        then = exp.select(exp.column(node.column, table="o")).from_(exp.table_(MONTHLY_TABLE, alias="o")).where(
            exp.and_(exp.column("customer_id", table="o").eq(col("customer_id")),
                     exp.column("stat_month", table="o").eq(lit(node.month))))
        ops = {"<": exp.LT, ">": exp.GT}
        return ops[node.op](this=value_of(node.column), expression=exp.Subquery(this=then))
    if isinstance(node, InMonth):   # 2026年3月时为临界: the customers whose row of that month met it
        cohort = exp.select(col("customer_id")).from_(source(Query(time=Time("month", node.month)))) \
            .where(condition(node.item, city_of))
        return col("customer_id").isin(query=cohort)
    raise TypeError(f"unknown filter node {node!r}")


def population_sql(where, city_of: dict[str, str] | None = None, dialect: str = "sqlite") -> str:
    """A population (a filter tree, None = everyone) as a condition on customer_snapshot `s` at the 基准月."""
    return "1 = 1" if where is None else condition(where, city_of).sql(dialect=dialect)


def _case_sum(cond: exp.Expression | None, value: exp.Expression) -> exp.Expression:
    if cond is None:
        return exp.Sum(this=value)
    return exp.Sum(this=exp.Case().when(cond, value).else_(lit(0)))


def _and(*conds):
    conds = [c for c in conds if c is not None]
    return exp.and_(*conds) if conds else None


#: A column's distribution, beside its sum and average (总资产的中位数, 月收入标准差, 年龄最大值).
STATISTICS = {"median": "中位数", "std": "标准差", "max": "最大值", "min": "最小值"}


def _statistic(kind: str, value: exp.Expression) -> exp.Expression:
    """max / min as aggregates; the sample standard deviation from sums every dialect has (SQRT is in
    SQLite's math functions, MySQL and PostgreSQL). A median is no aggregate: see median_query."""
    if kind == "max":
        return exp.Max(this=value)
    if kind == "min":
        return exp.Min(this=value)
    v = as_float(value)
    n = exp.Count(this=value.copy())
    # (built with explicit brackets: a dialect without the casts would otherwise read A - B / C / D)
    spread = exp.Paren(this=exp.Sub(
        this=exp.Sum(this=exp.Mul(this=v, expression=v.copy())),
        expression=exp.Div(this=exp.Paren(this=exp.Mul(this=exp.Sum(this=v.copy()), expression=exp.Sum(this=v.copy()))),
                           expression=n)))
    return exp.Sqrt(this=exp.Div(this=spread, expression=exp.Nullif(
        this=exp.Paren(this=exp.Sub(this=n.copy(), expression=lit(1))), expression=lit(0))))


def measure_expression(m, grouped: bool, per_customer: bool = False,
                       city_of: dict[str, str] | None = None) -> exp.Expression:
    if per_customer:   # a customer list: the row's own value
        if isinstance(m, Agg) and m.per:
            return ratio(value_of(m.column), value_of(m.per))
        return value_of(m.column) if isinstance(m, Agg) and m.column else lit(1)
    if isinstance(m, Agg) and m.per:   # 笔均交易金额: the population's amount over its count
        own = condition(m.where, city_of) if m.where is not None else None
        return ratio(_case_sum(own, value_of(m.column)), _case_sum(own, value_of(m.per)))
    if isinstance(m, Agg) and m.where is not None:   # only the measure's own customers count
        own = condition(m.where, city_of)
        if m.kind == "count":
            return _case_sum(own, lit(1))
        value = exp.Case().when(own, value_of(m.column))   # NULL elsewhere: left out of SUM and AVG
        if m.kind in STATISTICS:
            return _statistic(m.kind, value)
        return exp.Sum(this=value) if m.kind == "sum" else exp.Avg(this=as_float(value))
    if isinstance(m, Agg):
        if m.kind == "distinct":   # 北京有多少个网点: the members the population's customers are in
            return exp.Count(this=exp.Distinct(expressions=[group_expression(m.column, city_of or {})]))
        if m.kind == "count":
            return exp.Count(this=exp.Star())
        if m.kind == "sum":
            return exp.Sum(this=value_of(m.column))
        if m.kind in STATISTICS:
            return _statistic(m.kind, value_of(m.column))
        return exp.Avg(this=as_float(value_of(m.column)))
    # Share: numerator / denominator, counted among customers with a row in the month.
    value = value_of(m.column) if m.column else lit(1)
    base = value_of(m.base_column) if m.base_column else value
    in_month = col("in_asof").eq(lit(1))
    den = _and(in_month, condition(m.denominator, city_of) if m.denominator is not None else None)
    if m.numerator is None and m.denominator is None and grouped:
        part = _case_sum(in_month, value)
        # 各年龄段存款余额占总资产的比重: one measure over another, within each group; 各城市的资产占比: each
        # group's part of the total
        within = m.base_column is not None and m.base_column != m.column
        whole = _case_sum(in_month, base) if within else exp.Window(this=exp.Sum(this=_case_sum(in_month, base)))
    else:
        num_cond = condition(m.numerator, city_of) if m.numerator is not None else None
        part = _case_sum(_and(den, num_cond), value)
        if m.counted:
            return part
        whole = _case_sum(den, base)
    return ratio(part, whole)


@dataclass(frozen=True)
class Compiled:
    sql: str
    columns: list[str]      # result columns: group keys first, then m0, m1, …


def group_expression(key: str, city_of: dict[str, str]) -> exp.Expression:
    if key == "city":   # CASE on the exact branch names: cheaper per row than a LIKE per city
        case = exp.Case(this=col("branch_name"))
        for branch, city in sorted(city_of.items()):
            case = case.when(lit(branch), lit(city))
        return case
    if key == "combination":   # one digit per product (存款 first), labelled by combination_label
        terms = [exp.Mul(this=exp.Coalesce(this=col(flag), expressions=[lit(0)]), expression=lit(10 ** (3 - i)))
                 for i, flag in enumerate(PRODUCT_FLAGS.values())]
        return exp.Paren(this=terms[0] + terms[1] + terms[2] + terms[3])
    if key == "month":
        return col("stat_month")
    if key == SEGMENT:
        return exp.Subquery(this=exp.select(SEGMENT).from_(exp.table_(SEGMENT_TABLE, alias="g")).where(
            exp.column("customer_id", table="g").eq(col("customer_id"))))
    return sqlglot.parse_one(dimension(key).column)


def source(query: Query, dialect: str = "sqlite") -> exp.Expression:
    t = query.time
    if t.kind == "asof":
        return exp.table_("customer_snapshot", alias=S)
    base_first = dialect == "sqlite" and any(leaf.column in _BASE_COLUMNS for leaf in leaves(query.where))
    panel = sqlglot.parse_one(_panel_sql(base_first))
    if t.kind == "series":
        panel = panel.where(months_of(t, exp.column("stat_month", table="a")))
    else:
        panel = panel.where(exp.column("stat_month", table="a").eq(lit(t.month)))
    return exp.Subquery(this=panel, alias=exp.TableAlias(this=exp.to_identifier(S)))


def months_of(t, month: exp.Column) -> exp.Expression:
    """A series' months: the span, or only the months picked from it."""
    if t.picked:
        return month.isin(*[lit(m) for m in t.picked])
    return exp.Between(this=month, low=lit(t.start), high=lit(t.month))


def _snapshot_columns(q: exp.Select) -> set[str]:
    return {c.name for c in q.find_all(exp.Column) if c.table == S}


def _groups_known(groups: list[str], city_of: dict[str, str] | None) -> list[exp.Expression]:
    """Every group key has a value (a product combination's empty set is a group of its own)."""
    return [known(group_expression(key, city_of or {})) for key in groups if key != "combination"]


def median_query(query: Query, dialect: str = "sqlite", city_of: dict[str, str] | None = None) -> Compiled:
    """The median of the one measure's column in each group: the middle row (or the two middle rows'
    average) by a window over the group, which SQLite, MySQL 8 and PostgreSQL all have."""
    m = query.measures[0]
    groups = (["month"] if query.time.kind == "series" else []) + list(query.group_by)
    keys = [group_expression(key, city_of or {}) for key in groups]
    value = value_of(m.column)
    where = [known(value.copy())]
    where += [condition(query.where, city_of)] if query.where is not None else []
    where += [condition(m.where, city_of)] if m.where is not None else []
    where += _groups_known(groups, city_of)
    partition = [k.copy() for k in keys]
    rows = exp.select(*[k.as_(f"g{i}") for i, k in enumerate(keys)], as_float(value).as_("v"),
                      exp.Window(this=exp.RowNumber(), partition_by=partition,
                                 order=exp.Order(expressions=[exp.Ordered(this=value.copy())])).as_("rn"),
                      exp.Window(this=exp.Count(this=exp.Star()), partition_by=[k.copy() for k in keys]).as_("n")) \
        .from_(source(query, dialect)).where(exp.and_(*where))
    two_rn = exp.Mul(this=exp.column("rn", table="r"), expression=lit(2))
    middle = exp.Between(this=two_rn, low=exp.column("n", table="r"),
                         high=exp.Add(this=exp.column("n", table="r"), expression=lit(2)))
    outer = exp.select(*[exp.column(f"g{i}", table="r").as_(f"g{i}") for i in range(len(groups))],
                       exp.Avg(this=exp.column("v", table="r")).as_("m0")) \
        .from_(exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier("r")))).where(middle)
    if groups:
        outer = outer.group_by(*[exp.column(f"g{i}", table="r") for i in range(len(groups))]) \
            .order_by(*[exp.column(f"g{i}") for i in range(len(groups))])
    return Compiled(outer.sql(dialect=dialect), [*groups, "m0"])


def compile_query(query: Query, dialect: str = "sqlite", city_of: dict[str, str] | None = None,
                  indexes: list[tuple[str, ...]] | None = None) -> Compiled:
    """`indexes`: the snapshot's indexes (column tuples). On SQLite a 基准月 query no index covers
    scans the table (NOT INDEXED): at a million customers an index that answers the WHERE but not
    the measures costs a row lookup per customer, 3 s where the scan takes 0.2–0.7 s."""
    groups = list(query.group_by)
    if query.time.kind == "series":
        groups = ["month"] + groups
    selects, columns = [], []
    if query.customers:   # names are added for display by db.personal, never read by a query
        selects.append(col("customer_id").as_("customer_id"))
        columns.append("customer_id")
    for i, key in enumerate(groups):
        selects.append(group_expression(key, city_of or {}).as_(f"g{i}"))
        columns.append(key)
    for i, m in enumerate(query.measures):
        selects.append(measure_expression(m, bool(groups), query.customers, city_of).as_(f"m{i}"))
        columns.append(f"m{i}")
    q = exp.select(*selects).from_(source(query, dialect))
    where = [condition(query.where, city_of)] if query.where is not None else []
    if query.customers and query.measures and isinstance(query.measures[0], Agg) and query.measures[0].column:
        where.append(known(col(query.measures[0].column)))
        if query.measures[0].per:   # 笔均 of a customer with no transaction has no value: not listed
            where.append(exp.GT(this=col(query.measures[0].per), expression=lit(0)))
    where += _groups_known(groups, city_of)
    if where:
        q = q.where(exp.and_(*where))
    if groups:
        q = q.group_by(*[exp.column(f"g{i}") for i in range(len(groups))])
    if query.order is not None:
        key = exp.column(f"m{query.order.measure}")
        q = q.order_by(key.desc() if query.order.descending else key.asc())
        if query.customers:
            q = q.order_by(col("customer_id"), append=True)
        if query.order.limit:
            q = q.limit(query.order.limit)
    elif groups:
        q = q.order_by(*[exp.column(f"g{i}") for i in range(len(groups))])
    if "city" in groups and city_of and not query.customers:
        q = _cities_from_branches(q, groups.index("city"), city_of) or q
    sql = q.sql(dialect=dialect)
    if dialect == "sqlite" and indexes is not None and query.time.kind == "asof":
        needed = _snapshot_columns(q)
        if not any(needed <= set(index) for index in indexes):
            sql = sql.replace("FROM customer_snapshot AS s", "FROM customer_snapshot AS s NOT INDEXED", 1)
    return Compiled(sql, columns)


_AGGREGATES = (exp.Sum, exp.Count, exp.Avg)


def _cities_from_branches(q: exp.Select, at: int, city_of: dict[str, str]) -> exp.Select | None:
    """By city in two steps: the source grouped by branch (an index on the branch answers it), then the
    branches' partial sums added up per city — a CASE per row over a million rows took 1 s, the branch
    grouping 0.2 s. Every aggregate is re-added (a count or sum of the branches' counts or sums; an
    average as their sum over their count); COUNT(DISTINCT …) cannot be, and keeps the one-step query."""
    if any(isinstance(c, exp.Count) and isinstance(c.this, exp.Distinct) for c in q.find_all(exp.Count)) \
            or any(isinstance(s, exp.Subquery) for s in q.find_all(exp.Subquery)) \
            or any(True for _ in q.find_all(exp.Max, exp.Min, exp.Sqrt)):   # a branch's max is no part of a sum
        return None
    partials: list[exp.Expression] = []

    def partial(e: exp.Expression) -> exp.Expression:
        name = f"p{len(partials)}"
        partials.append(e.as_(name))
        return exp.Sum(this=exp.column(name, table="t"))

    def lift(node: exp.Expression) -> exp.Expression:
        innermost = isinstance(node, _AGGREGATES) and not any(
            isinstance(n, _AGGREGATES) for n in node.this.find_all(*_AGGREGATES))
        if not innermost:
            return node
        if isinstance(node, exp.Avg):
            return ratio(partial(exp.Sum(this=node.this.copy())), partial(exp.Count(this=node.this.copy())))
        return partial(node.copy())

    city_case = group_expression("city", city_of)
    outer_groups, inner_groups, outer_selects = [], [], []
    for e in q.expressions:
        name, value = e.alias, e.this
        if name.startswith("g"):
            if int(name[1:]) == at:   # the city, from the branch the inner query kept
                inner_groups.append(col("branch_name").as_("branch_name"))
                value = city_case.transform(
                    lambda n: exp.column("branch_name", table="t") if isinstance(n, exp.Column) else n)
            else:
                inner_groups.append(value.copy().as_(name))
                value = exp.column(name, table="t")
            outer_groups.append(name)
        else:
            value = value.transform(lift)
        outer_selects.append(value.as_(name))
    inner = exp.select(*inner_groups, *partials).from_(q.args["from_"].this.copy())
    if q.args.get("where"):
        where = q.args["where"].this.copy()
        for case in list(where.find_all(exp.Case)):
            if case == city_case:   # the city's own NULL check is the outer query's; per row it cost the gain
                case.replace(col("branch_name"))
        inner = inner.where(where)
    inner = inner.group_by(*[exp.column(g.alias) for g in inner_groups])
    outer = exp.select(*outer_selects).from_(exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("t"))))
    city = next(s.this for s in outer_selects if s.alias == f"g{at}")
    outer = outer.where(known(city.copy()))
    outer = outer.group_by(*[exp.column(g) for g in outer_groups])
    for key in ("order", "limit"):
        if q.args.get(key):
            outer.set(key, q.args[key].copy())
    return outer


def measure_label(m) -> str:
    if isinstance(m, Share):
        return m.label
    if m.where is not None:   # 一线城市客户数 / 活跃客户平均手机银行登录次数
        return f"{describe(m.where)}客户" + ("数" if m.kind == "count" else measure_label(Agg(m.kind, m.column, per=m.per)))
    if m.per:
        return PER_UNIT[m.column, m.per][0]
    if m.kind == "count":
        return "客户数"
    if m.kind == "distinct":
        return f"{dimension(m.column).label}数"
    c = NUMERIC[m.column]
    if m.kind in STATISTICS:
        return f"{c.label}{STATISTICS[m.kind]}"
    if m.kind == "avg":
        return "平均资产" if c.column == "total_assets" else f"平均{c.label}"
    return f"{c.label}合计" if c.column not in ("total_assets",) else "总资产(AUM)"


def measure_format(m) -> str:
    if isinstance(m, Share):
        return "count" if m.counted else "pct"
    if m.kind in ("count", "distinct"):
        return "count"
    if m.per:
        return PER_UNIT[m.column, m.per][1]
    fmt = NUMERIC[m.column].fmt
    # a total of counts (登录次数合计, 交易笔数合计) is a whole number; their averages keep a decimal
    return "count" if fmt == "number" and m.kind in ("sum", "max", "min") else fmt


def combination_label(code) -> str:
    """存款+理财 for the code group_expression("combination") computes."""
    digits = f"{int(code):04d}"[-4:]
    names = [name for name, d in zip(PRODUCT_FLAGS, digits) if d == "1"]
    return "+".join(names) or "无产品"


# -- aggregate awareness: unfiltered months from monthly_summary ------------------------------------
#: Measures monthly_summary holds pre-aggregated, as expressions over its columns (alias m).
_SUMMARY_SUMS = ("total_assets", "deposit_balance", "financial_balance", "fund_balance", "insurance_balance")
_SUMMARY_SHARES = {  # (numerator condition, denominator condition) -> (numerator column, denominator column)
    (("app_login_count", ">=", 1), None): ("active_customers", "customers"),
    (("financial_flag", "=", 1), None): ("financial_holders", "customers"),
    (("financial_repurchase_count", ">=", 1), ("financial_flag", "=", 1)): ("financial_repurchasers",
                                                                             "financial_holders"),
}


def _cmp_key(node):
    return (node.column, node.op, node.value) if isinstance(node, Cmp) else None


def as_float(e: exp.Expression) -> exp.Expression:
    """A floating-point value in every dialect (MySQL divides and averages integers as 4-decimal DECIMALs)."""
    return exp.Cast(this=e, to=exp.DataType.build("double"))


def ratio(num: exp.Expression, den: exp.Expression) -> exp.Expression:
    """num / den as a float, NULL when den is 0."""
    return exp.Div(this=as_float(num), expression=exp.Nullif(this=den, expression=lit(0)))


def _summary_measure(m) -> exp.Expression | None:
    ms = lambda c: exp.column(c, table="m")
    over = lambda a, b: ratio(ms(a), ms(b))   # noqa: E731
    if isinstance(m, Agg):
        if m.where is not None or m.per or m.kind == "distinct" or (m.column is not None and NUMERIC[m.column].sql):
            return None   # a measure with its own definition is computed, not read from the summary
        if m.kind == "count":
            return ms("customers")
        if m.kind == "sum" and m.column in _SUMMARY_SUMS:
            return ms(m.column)
        if m.kind == "avg" and m.column == "total_assets":
            return over("total_assets", "customers")
        return None
    if m.column is None and m.base_column is None and m.numerator is not None:
        pair = _SUMMARY_SHARES.get((_cmp_key(m.numerator), _cmp_key(m.denominator) if m.denominator else None))
        return over(*pair) if pair else None
    return None


def summary_plan(query: Query, dialect: str = "sqlite") -> Compiled | None:
    """The same answer read from monthly_summary (one row a month) when the query is an unfiltered
    month, series or change of measures it holds: at a million customers a series over the
    monthly table reads 12 million rows, the summary twelve. None when it cannot."""
    if query.time.kind == "asof" or query.where is not None or query.group_by or query.customers:
        return None
    selects = [exp.column("stat_month", table="m").as_("g0")] if query.time.kind == "series" else []
    for i, m in enumerate(query.measures):
        e = _summary_measure(m)
        if e is None:
            return None
        selects.append(e.as_(f"m{i}"))
    month = exp.column("stat_month", table="m")
    q = exp.select(*selects).from_(exp.table_("monthly_summary", alias="m"))
    if query.time.kind == "series":
        q = q.where(months_of(query.time, month)).order_by(month)
    else:
        q = q.where(month.eq(lit(query.time.month)))
    columns = (["month"] if query.time.kind == "series" else []) + [f"m{i}" for i in range(len(query.measures))]
    return Compiled(q.sql(dialect=dialect), columns)
