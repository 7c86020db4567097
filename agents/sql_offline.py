"""The SQL agent's offline path: a Plan's query specs compiled by the semantic layer.

Every statement goes through the Database (db.database): SQLite or a server, guarded either way.
Each intent turns its result into a ToolResult: a short Chinese summary with
the key numbers and their 口径, the table, a chart spec and the SQL.
"""
from __future__ import annotations

import json
import re
import threading
from functools import cached_property

import pandas as pd

from agents.planner import Plan
from agents.query_answer import QueryAnswerer, by_measure
from db.database import Database, sample_customer_id
from db.semantic import (DIMENSIONS, METRICS, PRODUCT_RATES, QuerySpec, compile_spec,
                         filter_clauses, filter_labels)
from toolkits.formatting import FORMATS, count, number, pct
from toolkits.results import ChartSpec, TableData, ToolResult

_BUCKETS = {
    "app_login_count": ("手机银行登录次数", [(0, 0, "0次"), (1, 5, "1-5次"), (6, 10, "6-10次"),
                                             (11, 20, "11-20次"), (21, 30, "21-30次"), (31, None, "30次以上")]),
    "branch_visit_count": ("网点到访次数", [(0, 0, "0次"), (1, 1, "1次"), (2, 2, "2次"), (3, 3, "3次"),
                                          (4, None, "4次及以上")]),
}


def _filter_sql(spec: QuerySpec) -> tuple[str, list]:
    """The spec's filters as " AND …" to append to a WHERE, and their parameters."""
    clauses, params = filter_clauses(spec.filters)
    return "".join(f" AND {c}" for c in clauses), params


def _definitions(metrics: list[str]) -> str:
    """The 口径 of the numbers, said once each (several metrics can share a definition)."""
    said = list(dict.fromkeys(METRICS[m].definition for m in metrics if not m.endswith("_share")))
    return f"（口径：{'；'.join(said)}）" if said else ""


def with_values(sql: str, params) -> str:
    """A parameterised statement as it ran, for reading: each ? replaced by its value, quoted as SQL."""
    values = iter(params)
    quote = lambda v: "NULL" if v is None else (str(v) if isinstance(v, (int, float)) else
                                                "'" + str(v).replace("'", "''") + "'")  # noqa: E731
    return re.sub(r"\?", lambda m: quote(next(values, None)), sql)


class OfflineSqlAgent:
    def __init__(self, database: Database, max_rows: int = 1000, timeout_s: float = 5.0):
        self.db = database
        self.max_rows = max_rows
        self.timeout_s = timeout_s
        self._bound = threading.local()   # this request's statements with their values, for display

    @cached_property
    def build_info(self) -> dict:
        return self.db.build_info()

    def _run(self, sql: str, params=(), read: str = "sqlite"):
        if params:   # 处理步骤 shows the statement with its values (city_level = '二线城市', not ?)
            vars(self._bound).setdefault("shown", {})[sql] = with_values(sql, params)
        return self.db.select(sql, params, read=read, max_rows=self.max_rows, timeout_s=self.timeout_s)

    def query_answerer(self, city_of: dict[str, str]) -> QueryAnswerer:
        """Typed queries compile for the database's own dialect."""
        return QueryAnswerer(lambda sql: self._run(sql, read=self.db.dialect), self.build_info, city_of,
                             dialect=self.db.dialect, summary_matches=self.summary_matches,
                             indexes=self.snapshot_indexes, names=self.db.names)

    @cached_property
    def snapshot_indexes(self) -> list[tuple[str, ...]] | None:
        """The snapshot's indexes as the build recorded them (None for a database built before that)."""
        recorded = self.build_info.get("snapshot_indexes")
        return [tuple(columns) for columns in json.loads(recorded)] if recorded else None

    @cached_property
    def summary_matches(self) -> bool:
        """Does monthly_summary count exactly the panel's rows? Builds that leave monthly rows of customers
        missing from customer_base out of the summary (as the panel's join does) record it."""
        return self.build_info.get("monthly_summary_scope") == "customer_base"

    # -- typed queries ---------------------------------------------------------------------
    def _query(self, plan: Plan) -> ToolResult:
        understanding = plan.slots["understanding"]
        query = understanding.query
        if understanding.customer_id and not self._customer_exists(understanding.customer_id):
            return ToolResult.failure(f"没有找到客户“{understanding.customer_id}”。请核对客户号（例如数据中的 "
                                      f"{sample_customer_id(self.db)}）。")
        if query.uses("segment") and not self.db.has_segments:
            return ToolResult.failure("“客群”来自客户分群模型的结果，" + (
                "目前只在本地构建上可用（数据库服务器上还没有分群结果）。" if self.db.dialect != "sqlite" else
                "当前数据还没有训练好的分群模型。请先运行 python -m models.train（或 make run）。"))
        return self.query_answerer(plan.slots["city_of"]).answer(query, understanding.block())

    def _not_understood(self, plan: Plan) -> ToolResult:
        u = plan.slots["understanding"]
        said = {"unavailable": f"{u.message}数据中有：客户基本信息、月度资产与产品余额、手机银行与网点行为、交易笔数与金额。",
                "out_of_range": u.message}.get(u.status)
        if said is None:
            got = "、".join(w for w in u.used if len(w) > 1) or "（无）"
            said = f"抱歉，没有完全理解这个问题：{u.message}。我理解到的部分：{got}。为避免给出另一个问题的数字，这里不作回答。"
            if u.suggestions:
                said += "您是不是想问：" + "；".join(f"“{s}”" for s in u.suggestions) + "？"
        return ToolResult(False, said, error=said, provenance={"understood": u.block()})

    def _data_range(self, plan: Plan) -> ToolResult:
        info = self.build_info
        text = (f"数据截至基准月 {info.get('as_of_month')}（基准日 {info.get('as_of_date')}），"
                f"从 {info.get('first_month')} 开始，共 {info.get('months')} 个月；构建于 {info.get('built_at', '')[:10]}。")
        return ToolResult(True, text, provenance={"facts": [{"group": {}, "measure": "as_of_month", "label": "基准月",
                                                              "value": info.get("as_of_month")}]})

    def _customer_exists(self, customer_id: str) -> bool:
        frame = self._run("SELECT COUNT(*) AS n FROM customer_base WHERE customer_id = ?", (customer_id,)).frame
        return bool(frame["n"].iloc[0])

    def answer(self, plan: Plan) -> ToolResult:
        handler = getattr(self, f"_{plan.intent}")
        self._bound.shown = {}
        result: ToolResult = handler(plan)
        result.sql = [self._bound.shown.get(s, s) for s in result.sql]
        result.provenance.setdefault("as_of_month", self.build_info.get("as_of_month"))
        return result

    # -- metrics and groupings ------------------------------------------------
    def _grouped(self, plan: Plan) -> ToolResult:
        spec = plan.specs[0]
        sql, params = compile_spec(spec)
        result = self._run(sql, params)
        frame = result.frame
        d = DIMENSIONS[spec.dimension]
        first = METRICS[spec.metrics[0]]
        if frame.empty:
            return ToolResult(True, f"没有符合条件（{filter_labels(spec.filters) or '全部客户'}）的客户。", sql=[sql])
        if not d.order:
            frame = by_measure(frame, first.key, [d.key], descending=not spec.ascending)
        top = frame.loc[frame[first.key].idxmin() if spec.ascending else frame[first.key].idxmax()]
        scope = filter_labels(spec.filters)
        lines = [f"按{d.label}统计（基准月 {self.build_info['as_of_month']}{('，' + scope) if scope else ''}，"
                 f"共 {len(frame)} 组）：{first.label}{'最少' if spec.ascending else '最多'}的是“{top[d.key]}”，"
                 f"{FORMATS[first.fmt](top[first.key])}"]
        for m in spec.metrics[1:]:
            lines[-1] += f"，{METRICS[m].label} {FORMATS[METRICS[m].fmt](top[m])}"
        lines[-1] += "。" + _definitions(spec.metrics)
        labels = {d.key: d.label, **{m: METRICS[m].label for m in spec.metrics}}
        table = TableData.from_frame(f"按{d.label}", frame, labels, result.truncated)
        share = next((m for m in spec.metrics if m.endswith("_share")), None)
        kind = "pie" if share and len(frame) <= 6 and spec.metrics[0] in ("customers", "customer_share") else "bar"
        y = [share] if kind == "pie" else [m for m in spec.metrics if METRICS[m].fmt == METRICS[spec.metrics[0]].fmt]
        chart = ChartSpec(kind, f"按{d.label}：{METRICS[y[0]].label}", d.label, [labels[m] for m in y], table,
                          x_label=d.label, y_label=METRICS[y[0]].label)
        return ToolResult(True, "".join(lines), [table], [chart], [sql],
                          {"definitions": [METRICS[m].definition for m in spec.metrics], "filters": scope})

    def _product_preference(self, plan: Plan) -> ToolResult:
        result = self._grouped(plan)
        spec = plan.specs[0]
        frame = result.tables[0].to_frame()
        d = DIMENSIONS[spec.dimension]
        rates = [METRICS[m].label for m in PRODUCT_RATES]
        notes = []
        for label in rates[1:]:   # deposits are near-universal; the others tell groups apart
            hi, lo = frame.loc[frame[label].idxmax()], frame.loc[frame[label].idxmin()]
            notes.append(f"{label.replace('持有率', '')}最高的是{hi[d.label]}（{pct(hi[label])}），最低{lo[d.label]}（{pct(lo[label])}）")
        result.text = f"不同{d.label}的产品持有率（基准月 {self.build_info['as_of_month']}）：" + "；".join(notes) + "。"
        result.charts = [ChartSpec("bar", f"不同{d.label}的产品持有率", d.label, rates, result.tables[0],
                                   x_label=d.label, y_label="持有率")]
        return result

    # -- special analyses -----------------------------------------------------
    def _age_app(self, plan: Plan) -> ToolResult:
        result = self._grouped(plan)
        where, params = _filter_sql(plan.specs[0])
        sums_sql = ("SELECT COUNT(*) AS n, SUM(s.age) AS sx, SUM(s.app_login_count) AS sy, "
                    "SUM(s.age * s.age) AS sxx, SUM(s.app_login_count * s.app_login_count) AS syy, "
                    "SUM(s.age * s.app_login_count) AS sxy FROM customer_snapshot s WHERE s.in_asof = 1 "
                    "AND s.age IS NOT NULL AND s.app_login_count IS NOT NULL" + where)
        r = self._run(sums_sql, params).frame.iloc[0].astype(float)
        denom = ((r.n * r.sxx - r.sx ** 2) * (r.n * r.syy - r.sy ** 2)) ** 0.5
        corr = (r.n * r.sxy - r.sx * r.sy) / denom if denom else float("nan")
        frame = result.tables[0].to_frame()
        young, old = frame.iloc[0], frame.iloc[-1]
        strength = "较强" if abs(corr) >= 0.5 else "中等" if abs(corr) >= 0.3 else "较弱"
        result.text = (f"年龄与手机银行登录次数的皮尔逊相关系数为 {corr:.2f}（{'负' if corr < 0 else '正'}相关，{strength}）："
                       f"{young['年龄段']}客户月均登录 {number(young['平均手机银行登录次数'])} 次、活跃率 {pct(young['活跃率'])}；"
                       f"{old['年龄段']}客户月均 {number(old['平均手机银行登录次数'])} 次、活跃率 {pct(old['活跃率'])}。"
                       "（口径：基准月 app_login_count；活跃 = 登录 ≥ 1 次）")
        result.charts = [ChartSpec("bar", "各年龄段月均手机银行登录次数", "年龄段", ["平均手机银行登录次数"],
                                   result.tables[0], x_label="年龄段", y_label="次/月")]
        result.sql.append(sums_sql)
        result.provenance["correlation"] = corr
        return result

    def _activity_distribution(self, plan: Plan) -> ToolResult:
        spec = plan.specs[0]
        where, params = _filter_sql(spec)
        tables, charts, sqls, texts = [], [], [], []
        for measure in plan.slots.get("measures") or list(_BUCKETS):
            label, buckets = _BUCKETS[measure]
            cases = " ".join(f"WHEN s.{measure} <= {hi} THEN {k}" for k, (_, hi, _) in enumerate(buckets) if hi is not None)
            names = " ".join(f"WHEN {k} THEN '{name}'" for k, (_, _, name) in enumerate(buckets))
            sql = (f"SELECT CASE k {names} END AS bucket, COUNT(*) AS customers, "
                   f"COUNT(*) * 1.0 / SUM(COUNT(*)) OVER () AS share, AVG(v) AS mean_value FROM ("
                   f"SELECT CASE {cases} ELSE {len(buckets) - 1} END AS k, s.{measure} AS v "
                   f"FROM customer_snapshot s WHERE s.in_asof = 1 AND s.{measure} IS NOT NULL{where}) AS b "
                   "GROUP BY k ORDER BY k")
            frame = self._run(sql, params).frame
            if frame.empty:
                texts.append(f"数据中没有{label}。")
                continue
            mean = (frame["mean_value"] * frame["customers"]).sum() / frame["customers"].sum()
            top = frame.loc[frame["customers"].idxmax()]
            texts.append(f"{label}：月均 {number(mean)} 次，最多的区间是“{top['bucket']}”（{pct(top['share'])}），"
                         f"0 次的客户占 {pct(frame.loc[frame['bucket'] == '0次', 'share'].sum())}。")
            table = TableData.from_frame(f"{label}分布", frame[["bucket", "customers", "share"]],
                                         {"bucket": label, "customers": "客户数", "share": "占比"})
            tables.append(table)
            charts.append(ChartSpec("bar", f"{label}分布", label, ["客户数"], table, x_label=label, y_label="客户数"))
            sqls.append(sql)
        return ToolResult(True, "".join(texts) + f"（口径：基准月 {self.build_info['as_of_month']}，基准月有记录的客户）",
                          tables, charts, sqls)

    def _no_transaction(self, plan: Plan) -> ToolResult:
        months = plan.slots.get("months", 3)
        as_of_date = pd.Timestamp(self.build_info["as_of_date"])
        cutoff = str((as_of_date - pd.DateOffset(months=months)).date())
        where, params = _filter_sql(plan.specs[0])
        sql = ("SELECT SUM(s.in_asof) AS asof_customers, "
               "SUM(CASE WHEN s.in_asof = 1 AND (s.last_transaction_date IS NULL OR s.last_transaction_date < ?) THEN 1 ELSE 0 END) AS no_txn, "
               "SUM(CASE WHEN s.in_asof = 1 AND s.last_transaction_date IS NULL THEN 1 ELSE 0 END) AS no_valid_date, "
               "COUNT(s.last_transaction_date) AS with_date FROM customer_snapshot s WHERE 1 = 1" + where)
        row = self._run(sql, [cutoff] + params).frame.iloc[0]
        if not row["with_date"]:
            return ToolResult.failure("数据中没有“最近交易日期”（last_transaction_date），无法统计无交易客户。"
                                      "请在导出中加入该列后重新构建数据库。")
        share = row["no_txn"] / row["asof_customers"] if row["asof_customers"] else float("nan")
        scope = filter_labels(plan.specs[0].filters)
        text = (f"{scope + '的' if scope else ''}基准月客户中，有 {count(row['no_txn'])} 位（{pct(share)}）在过去 {months} 个月内"
                f"没有任何交易（最近交易日期早于 {cutoff}，基准日 {self.build_info['as_of_date']} 往前 {months} 个月），"
                f"其中 {count(row['no_valid_date'])} 位没有有效的交易日期（缺失或无效，按无交易计）。")
        table = TableData("无交易客户", ["基准月客户数", f"近{months}个月无交易", "其中无有效日期", "占比"],
                          [[int(row["asof_customers"]), int(row["no_txn"]), int(row["no_valid_date"]), share]])
        return ToolResult(True, text, [table], [], [sql],
                          {"definitions": [f"近{months}个月无交易：最近交易日期早于基准日前{months}个月，或缺失/无效"],
                           "facts": [{"group": {}, "measure": "customers", "label": f"近{months}个月无交易客户数",
                                      "value": float(row["no_txn"])},
                                     {"group": {}, "measure": "share", "label": "占比", "value": float(share)}]})
