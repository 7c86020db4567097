"""A typed query's result, said in Chinese: text, table, chart and facts tied to their labels.

`facts` are the numbers an answer states, each with the group it belongs to
and the measure it is: the evaluation checks 一线城市's value against the
number next to 一线城市, never against any cell of a table.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from db.query import Agg, Query, Share, Time, describe, leaves
from db.monthly_cube import cube_plan
from db.query_sql import (STATISTICS, combination_label, compile_query, measure_format, measure_label, median_query,
                          summary_plan)
from db.semantic import NUMERIC, PRODUCT_FLAGS, dimension, holding_label
from toolkits.formatting import FORMATS
from toolkits.results import ChartSpec, TableData, ToolResult

MAX_TEXT_GROUPS = 8
SEGMENT_DEFINITION = "客群：分群模型按基准月的资产结构与行为给每位客户划分的类别（其他月份也按基准月的客群归属统计）"


def _definition(m, scope: str = "") -> str:
    """`scope`: the answer's population (its WHERE), which is a share's denominator when none is named."""
    if isinstance(m, Share) and m.counted:
        return f"{m.label}：{describe(m.numerator)}的客户数（当月有记录的客户）"
    if isinstance(m, Share):
        base = (f"{scope}的客户（当月有记录）" if scope else "当月有记录的客户") if m.denominator is None \
            else f"{describe(m.denominator)}的客户"
        what = f"{NUMERIC[m.column].label}" if m.column else "客户数"
        if m.numerator is None and m.base_column not in (None, m.column):
            return f"{m.label}：{what} ÷ {NUMERIC[m.base_column].label}（{base}，各组各自计算）"
        if m.numerator is None:
            return f"{m.label}：各组{what} ÷ 各组合计（{base}）"
        return f"{m.label}：{describe(m.numerator)}的{what} ÷ {base}的{what}"
    if m.where is not None:
        return f"{measure_label(m)}：只计{describe(m.where)}的客户；" + \
            _definition(Agg(m.kind, m.column, per=m.per), scope).split("：", 1)[1]
    if m.per:
        return (f"{measure_label(m)}：所选月份 {NUMERIC[m.column].label}合计 ÷ {NUMERIC[m.per].label}合计"
                "（两者都按整个人群加总后相除，不是每位客户比值的平均）")
    if m.kind == "count":
        return "客户数：客户表中符合条件的客户（资产、产品、行为条件按所选月份判断）"
    if m.kind == "distinct":
        return f"{measure_label(m)}：符合条件的客户所在的不同{dimension(m.column).label}个数"
    c = NUMERIC[m.column]
    when = "所选月份" if c.monthly else "客户表"
    how = STATISTICS.get(m.kind) or ("平均" if m.kind == "avg" else "合计")
    if m.kind == "std":
        how = "样本标准差"
    return f"{measure_label(m)}：{when} {c.label}的{how}（不含缺失值）"


def by_measure(frame: pd.DataFrame, measure: str, groups: list[str], descending: bool) -> pd.DataFrame:
    """Groups ordered by the measure, ties in the order of their labels: one order on every backend (a
    server's collation sorts Chinese labels its own way)."""
    return frame.sort_values([measure, *groups], ascending=[not descending] + [True] * len(groups),
                             kind="stable", na_position="last").reset_index(drop=True)


def _cut(frame: pd.DataFrame, measure: str, groups: list[str], descending: bool, limit: int) -> pd.DataFrame:
    """The first `limit` groups by the measure, ties in the order of their labels; groups tied with the
    last one kept are named in attrs["tied_at_cut"] (1 keeps every group tied for the top, said as 并列)."""
    ordered = by_measure(frame, measure, groups, descending)
    if limit == 1:
        return ordered
    kept = ordered.head(limit)
    if kept.empty:
        return kept
    last = kept[measure].iloc[-1]
    tied = ordered.iloc[limit:]
    tied = tied[tied[measure] == last]
    kept = kept.copy()
    kept.attrs["tied_at_cut"] = ["·".join(str(row[g]) for g in groups) for _, row in tied.iterrows()]
    return kept


def _has_median(query: Query) -> bool:
    return any(isinstance(m, Agg) and m.kind == "median" for m in query.measures)


def _group_label(key: str, value) -> str:
    if key == "combination":
        return combination_label(value)
    if key == "product_count" and value is not None:
        return str(int(value))
    if key in PRODUCT_FLAGS.values():
        return holding_label(key, value)
    return str(value)


class QueryAnswerer:
    """Runs a typed query through the guarded executor and words the result."""

    def __init__(self, run, build_info: dict, city_of: dict[str, str], dialect: str = "sqlite",
                 summary_matches: bool = False, indexes: list[tuple[str, ...]] | None = None, names=None):
        self.run, self.info, self.city_of, self.dialect = run, build_info, city_of, dialect
        self.names = names   # customer ids -> masked names for display (db.personal.display_names)
        self.indexes = indexes
        #: monthly_summary answers unfiltered months only when it counts what the panel counts
        #: (no monthly rows of customers missing from customer_base).
        self.summary_matches = summary_matches
        self.has_cube = build_info.get("monthly_cube") == "1"   # built by this version of db.loader

    def frame(self, query: Query) -> tuple[pd.DataFrame, str, bool]:
        cut = None
        # 2025年哪个月最高: the months of a series ranked by their figure, here as groups are
        months_ranked = query.order is not None and query.time.kind == "series" and not query.group_by \
            and not query.customers
        medians = _has_median(query) and query.order is not None and not query.customers
        if months_ranked or medians or query.order is not None and query.order.limit and query.group_by \
                and not query.customers:
            # 哪家最多 / 客户最少的三个网点: every group (groups are few), ordered and cut here, so a tie at the
            # cut is seen and said, and every database cuts it the same way (SQL leaves ties in any order)
            cut = query.order
            query = dataclasses.replace(query, order=dataclasses.replace(query.order, limit=None))
        frame, sql, truncated = self._compiled_frame(query)
        for key in (query.group_by if query.time.kind != "series" else ["month", *query.group_by]):
            if key in frame:
                frame[key] = [_group_label(key, v) for v in frame[key]]
        frame = _with_empty_groups(frame, query)
        if query.having and query.group_by:
            frame = self._kept(frame, query)
        if cut is not None:
            ranked = (["month"] if query.time.kind == "series" else []) + list(query.group_by)
            frame = _cut(frame, f"m{cut.measure}", ranked, cut.descending, cut.limit) if cut.limit else \
                by_measure(frame, f"m{cut.measure}", ranked, cut.descending)
        return frame, sql, truncated

    def _compiled_frame(self, query: Query) -> tuple[pd.DataFrame, str, bool]:
        """The query run as one SELECT; a median (no aggregate in SQL) runs as its own query, the other
        measures as theirs, joined on the groups."""
        if not _has_median(query) or query.customers:
            return self._run((self.summary_matches and summary_plan(query, self.dialect)) or
                             (self.has_cube and cube_plan(query, self.dialect, self.city_of)) or
                             compile_query(query, self.dialect, self.city_of, self.indexes))
        keys = (["month"] if query.time.kind == "series" else []) + list(query.group_by)
        merged, sqls, truncated = None, [], False
        for i, m in enumerate(query.measures):
            one = dataclasses.replace(query, measures=[m], order=None, having=())
            part, sql, cut_short = self._run(median_query(one, self.dialect, self.city_of)) \
                if isinstance(m, Agg) and m.kind == "median" else self._compiled_frame(one)
            part = part.rename(columns={"m0": f"m{i}"})
            merged = part if merged is None else merged.merge(part, on=keys, how="outer") if keys else \
                pd.concat([merged, part], axis=1)
            sqls.append(sql)
            truncated = truncated or cut_short
        return merged, ";\n".join(sqls), truncated

    def _run(self, compiled) -> tuple[pd.DataFrame, str, bool]:
        result = self.run(compiled.sql)
        frame = result.frame
        frame.columns = compiled.columns
        return frame, compiled.sql, result.truncated

    def _kept(self, frame: pd.DataFrame, query: Query) -> pd.DataFrame:
        """The groups whose own figure meets the question's condition (高于全行平均: the measure over the whole
        population); the condition, with the figure it was compared with, is said beside the answer."""
        at, op, value = query.having
        m = query.measures[at]
        if value == "overall":
            whole, _, _ = self.frame(Query([m], query.where, [], time=query.time))
            value, against = _num(whole["m0"].iloc[0]), "全行（{}）"
        else:
            against = "{}"
        compare = {">": frame[f"m{at}"].gt, ">=": frame[f"m{at}"].ge, "<": frame[f"m{at}"].lt, "<=": frame[f"m{at}"].le}[op]
        kept = frame[compare(value)].reset_index(drop=True)
        words = {">": "高于", ">=": "不低于", "<": "低于", "<=": "不高于"}
        kept.attrs["kept"] = (f"只列{measure_label(m)}{words[op]}{against.format(FORMATS[measure_format(m)](value))}的"
                              f"{dimension(query.group_by[-1]).label}：{len(kept)} 个（共 {len(frame)} 个）。")
        return kept

    def answer(self, query: Query, understood: dict) -> ToolResult:
        if query.time.kind == "change":
            return self._change(query, understood)
        frame, sql, truncated = self.frame(query)
        month = query.time.label if query.time.kind != "asof" else f"基准月 {self.info.get('as_of_month')}"
        scope = describe(query.where)
        labels = [measure_label(m) for m in query.measures]
        definitions = list(dict.fromkeys(_definition(m, scope) for m in query.measures))
        if query.uses("segment"):
            definitions.append(SEGMENT_DEFINITION)
        prov = {"definitions": definitions, "filters": scope or "全部客户", "understood": understood}
        if query.customers:
            return self._customers(query, frame, sql, month, scope, labels, prov)
        groups = ["month", *query.group_by] if query.time.kind == "series" else list(query.group_by)
        if not groups:
            return self._scalar(query, frame, sql, month, scope, labels, prov)
        return self._grouped(query, frame, sql, month, scope, labels, groups, prov, truncated)

    # -- shapes ----------------------------------------------------------------------------------
    def _scalar(self, query, frame, sql, month, scope, labels, prov) -> ToolResult:
        row = frame.iloc[0]
        values = [row[f"m{i}"] for i in range(len(query.measures))]
        counts = [v for m, v in zip(query.measures, values) if isinstance(m, Agg) and m.kind == "count"]
        if (counts and counts[0] == 0) or all(pd.isna(v) for v in values):
            return ToolResult(True, f"{month}没有符合条件（{scope or '全部客户'}）的客户，客户数为 0。"
                                    "请检查条件是否合理（例如年龄在 18–85 岁之间）。",
                              [], [], [sql], {**prov, "facts": [{"group": {}, "measure": "customers", "label": "客户数",
                                                                  "value": 0.0}]})
        parts = [f"{label} {FORMATS[measure_format(m)](v)}" for m, label, v in zip(query.measures, labels, values)]
        scope_said = f"{month}，{scope or '全部客户'}：" + "；".join(parts) + "。"
        table = TableData("结果", ["指标", "数值", "口径"],
                          [[label, FORMATS[measure_format(m)](v), _definition(m, scope)]
                           for m, label, v in zip(query.measures, labels, values)])
        facts = [{"group": {}, "measure": m.key, "label": label, "value": _num(v)}
                 for m, label, v in zip(query.measures, labels, values)]
        if query.contrast and len(values) == 2:   # 比全行平均少多少: the first side minus the second
            scope_said += _gap_said(query, "", query.measures[0], values[0], values[1], facts)
        text = scope_said + self._members_named(query) + _said(prov["definitions"])
        return ToolResult(True, text, [table], [], [sql], {**prov, "facts": facts})

    def _members_named(self, query: Query) -> str:
        """北京有多少个网点: the number, and which they are (up to 20)."""
        said = []
        for m in query.measures:
            if isinstance(m, Agg) and m.kind == "distinct":
                listed, _, _ = self.frame(Query([Agg("count")], query.where, [m.column], time=query.time))
                names = sorted(listed[m.column].astype(str))
                said.append(f"{dimension(m.column).label}：{'、'.join(names[:20])}{'等' if len(names) > 20 else ''}。")
        return "".join(said)

    def _grouped(self, query, frame, sql, month, scope, labels, groups, prov, truncated) -> ToolResult:
        names = {g: ("月份" if g == "month" else dimension(g).label) for g in groups}
        if frame.empty:   # no customer met the conditions, or no group its own condition (没有…高于全行的网点)
            none = frame.attrs.get("kept", "").replace("只列", "没有", 1).split("：")[0] or \
                f"没有符合条件（{scope or '全部客户'}）的客户"
            return ToolResult(True, f"{month}{none}。", sql=[sql], provenance={**prov, "facts": []})
        if query.order is None and len(groups) == 1 and groups[0] != "month":
            order = dimension(groups[0]).order if groups[0] in ("age_band", "customer_tier", "city_level",
                                                                 "lifecycle_stage", "asset_level") else ()
            if order:
                rank = {v: i for i, v in enumerate(order)}
                frame = frame.sort_values(groups[0], key=lambda s: s.map(lambda v: rank.get(v, len(rank))))
            elif groups[0] not in ("product_count", "open_year"):
                frame = by_measure(frame, "m0", groups[:1], descending=True)
        elif query.order is None and len(groups) == 2 and "month" not in groups:
            frame = _in_dimension_order(frame, groups)   # a cross table: 一线、二线、三线 / 持有、未持有
        frame = frame.reset_index(drop=True)
        fmt = [FORMATS[measure_format(m)] for m in query.measures]
        facts = []
        for _, row in frame.iterrows():
            group = {g: row[g] for g in groups}
            for i, (m, label) in enumerate(zip(query.measures, labels)):
                facts.append({"group": group, "measure": m.key, "label": label, "value": _num(row[f"m{i}"])})
        by = "、".join(names[g] for g in groups)
        head = f"{month}{('，' + scope) if scope else ''}，按{by}："
        if query.order is not None and query.order.limit == 1:
            top = frame.iloc[0]
            word = "最高" if query.order.descending else "最低"
            tied = [str(v) for v in frame.loc[frame["m0"] == top["m0"], groups[-1]]]
            who = "”“".join(tied) + ("”（并列）" if len(tied) > 1 else "”")
            text = (f"{head}{labels[0]}{word}的{names[groups[-1]]}是“{who}，{fmt[0](top['m0'])}"
                    + "".join(f"（{labels[i]} {fmt[i](top[f'm{i}'])}）" for i in range(1, len(labels))) + "。")
        else:
            lines = []
            for _, row in frame.head(MAX_TEXT_GROUPS).iterrows():
                key = "·".join(str(row[g]) for g in groups)
                lines.append(f"{key} " + "，".join(f"{labels[i]} {fmt[i](row[f'm{i}'])}" for i in range(len(labels))))
            more = f"……共 {len(frame)} 组，见表" if len(frame) > MAX_TEXT_GROUPS else ""
            lead = ""
            if query.order is None and len(frame) > 1 and groups[-1] != "month":
                top = frame.loc[frame["m0"].idxmax()]
                lead = f"{labels[0]}最高的是“{'·'.join(str(top[g]) for g in groups)}”（{fmt[0](top['m0'])}）。各组："
            if query.order is not None:
                lead = f"{labels[0]}{'从高到低' if query.order.descending else '从低到高'}"
                lead += f"前 {query.order.limit} 名" if query.order.limit else "排名"
                lead += "："
            text = head + lead + "；".join(lines) + more + "。"
            tied = frame.attrs.get("tied_at_cut")
            if tied:
                text += f"另有“{'”“'.join(tied)}”与第 {len(frame)} 名并列（{fmt[0](frame['m0'].iloc[-1])}），未列入。"
        text += frame.attrs.get("kept", "")
        text += self._contrast(query, frame, groups, labels, facts)
        text += self._place_of(query, frame, groups, labels, facts)
        text += _said(prov["definitions"])
        # amounts stay in 元 in the table (and its CSV); the header says so
        headers = [f"{label}（元）" if measure_format(m) == "money" else label
                   for m, label in zip(query.measures, labels)]
        column_labels = {**names, **{f"m{i}": header for i, header in enumerate(headers)}}
        table = TableData.from_frame(f"按{by}", frame, column_labels, truncated)
        chart = self._chart(query, groups, names, headers, table)
        return ToolResult(True, text, [table], [chart] if chart else [], [sql], {**prov, "facts": facts})

    @staticmethod
    def _place_of(query, frame, groups, labels, facts) -> str:
        """杭州西湖支行排第几: its place in the order just given."""
        if not query.rank_of or len(groups) != 1 or query.order is None:
            return ""
        at = [i for i, v in enumerate(frame[groups[0]].astype(str)) if v == query.rank_of]
        word = "从高到低" if query.order.descending else "从低到高"
        if not at:
            return f"“{query.rank_of}”不在以上 {len(frame)} 名之内。"
        facts.append({"group": {groups[0]: query.rank_of}, "measure": "rank", "label": f"{labels[0]}名次",
                      "value": float(at[0] + 1)})
        return f"“{query.rank_of}”按{labels[0]}{word}排第 {at[0] + 1} 名（共 {len(frame)} 个）。"

    @staticmethod
    def _contrast(query, frame, groups, labels, facts) -> str:
        """已婚减未婚差多少: the difference asked for, the first group named minus the second, stated and recorded."""
        if not query.contrast or len(groups) != 1:
            return ""
        first, second = (frame[frame[groups[0]].astype(str) == str(v)] for v in query.contrast)
        if first.empty or second.empty:
            return ""
        return "".join(_gap_said(query, label, m, first.iloc[0][f"m{i}"], second.iloc[0][f"m{i}"], facts)
                       for i, (m, label) in enumerate(zip(query.measures, labels))
                       if not (isinstance(m, Share) and m.numerator is None))   # not the 客户占比 beside a count

    def _chart(self, query, groups, names, labels, table) -> ChartSpec | None:
        if len(groups) > 1 and groups[0] != "month":
            return None
        x = names[groups[0]]
        money = measure_format(query.measures[0]) == "money"
        y_label = "元" if money else labels[0]   # amounts are drawn in 万元 / 亿元 (ui.charts)
        title = labels[0].removesuffix("（元）")
        if groups[0] == "month":
            y = [labels[i] for i, m in enumerate(query.measures) if measure_format(m) == measure_format(query.measures[0])]
            return ChartSpec("line", f"{title}（{query.time.label}）", x, y[:1] if len(groups) > 1 else y, table,
                             x_label="月份", y_label=y_label, series=names[groups[1]] if len(groups) > 1 else None)
        first = query.measures[0]
        if isinstance(first, Share) and first.numerator is None and len(table.rows) <= 6:
            return ChartSpec("pie", f"按{x}：{title}", x, [labels[0]], table)
        same = [labels[i] for i, m in enumerate(query.measures) if measure_format(m) == measure_format(first)]
        return ChartSpec("bar", f"按{x}：{title}", x, same, table, x_label=x, y_label=y_label)

    def _customers(self, query, frame, sql, month, scope, labels, prov) -> ToolResult:
        m = query.measures[0]
        if frame.empty:
            return ToolResult(True, f"{month}没有符合条件（{scope or '全部客户'}）的客户。", sql=[sql],
                              provenance={**prov, "facts": []})
        label = measure_label(m) if m.per else NUMERIC[m.column].label
        fmt = FORMATS[measure_format(m)]
        word = "最高" if query.order.descending else "最低"
        if self.names is not None:
            shown = self.names(frame["customer_id"].tolist())
            frame.insert(1, "name", [shown.get(c) for c in frame["customer_id"]])
        first = frame.iloc[0]
        text = (f"{month}{('，' + scope) if scope else ''}：{label}{word}的 {len(frame)} 位客户如下表，"
                f"第一位 {first['customer_id']}（{fmt(first['m0'])}）。（姓名已脱敏；口径：{month}的{label}）")
        header = f"{label}（元）" if measure_format(m) == "money" else label
        table = TableData.from_frame(f"{label}{word}的客户", frame, {"customer_id": "客户号", "name": "姓名", "m0": header})
        facts = [{"group": {"customer_id": r["customer_id"]}, "measure": m.key, "label": label, "value": _num(r["m0"])}
                 for _, r in frame.iterrows()]
        prov = {**prov, "definitions": [f"{label}：{month}的值，按{'降序' if query.order.descending else '升序'}取前"
                                          f" {query.order.limit} 位"]}
        return ToolResult(True, text, [table], [ChartSpec("barh", f"{label}{word}的客户", "客户号", [label], table,
                                                          x_label="客户号", y_label=label)], [sql],
                          {**prov, "facts": facts})

    def _change(self, query: Query, understood: dict) -> ToolResult:
        # every group in both months; a ranking (环比跌幅最大的网点) is by the change, after the two are put together
        now_q = Query(query.measures, query.where, query.group_by, None, False, Time("month", query.time.month))
        then_q = Query(query.measures, query.where, query.group_by, None, False, Time("month", query.time.start))
        if query.time.month == self.info.get("as_of_month"):
            now_q.time = Time()
        now, sql1, _ = self.frame(now_q)
        then, sql2, _ = self.frame(then_q)
        labels = [measure_label(m) for m in query.measures]
        fmt = [FORMATS[measure_format(m)] for m in query.measures]
        scope = describe(query.where)
        facts, parts, rows = [], [], []
        keys = list(query.group_by)
        merged = now.merge(then, on=keys, suffixes=("", "_then")) if keys else pd.concat(
            [now, then.add_suffix("_then")], axis=1)
        merged = _changes_in_order(merged, keys, query.order)
        for _, row in merged.iterrows():
            group = {k: row[k] for k in keys}
            for i, label in enumerate(labels):
                new, old = _num(row[f"m{i}"]), _num(row[f"m{i}_then"])
                change = (new - old) / old if old else float("nan")
                facts.append({"group": group, "measure": "change", "label": f"{label}变化率", "value": change})
                facts.append({"group": group, "measure": "difference", "label": f"{label}变化量", "value": new - old})
                facts.append({"group": group, "measure": query.measures[i].key, "label": label, "value": new})
                facts.append({"group": {**group, "month": query.time.start}, "measure": query.measures[i].key,
                              "label": f"{label}（{query.time.start}）", "value": old})
                who = "·".join(str(v) for v in group.values())
                moved = "增加" if new >= old else "减少"
                times = ""
                if query.ratio and old:   # 现在的AUM是2024年11月的几倍
                    facts.append({"group": group, "measure": "ratio", "label": f"{label}倍数", "value": new / old})
                    times = f"，是 {query.time.start} 的 {new / old:.2f} 倍"
                parts.append(f"{who + ' ' if who else ''}{label} {fmt[i](new)}，{query.time.start} 为 {fmt[i](old)}，"
                             f"{moved} {_size(query.measures[i], abs(new - old))}（{'+' if change >= 0 else ''}{change:.2%}）{times}")
                rows.append([who or "全部", label, fmt[i](new), fmt[i](old), f"{change:+.2%}"])
        text = (f"{query.time.label}{('，' + scope) if scope else ''}：" + "；".join(parts[:MAX_TEXT_GROUPS]) + "。"
                "（口径：按月度明细计算，非预测值）")
        table = TableData("变化", ["分组", "指标", query.time.month, query.time.start, "变化率"], rows)
        return ToolResult(True, text, [table], [], [sql1, sql2],
                          {"definitions": [_definition(m, scope) for m in query.measures], "filters": scope or "全部客户",
                           "understood": understood, "facts": facts})


def _with_empty_groups(frame: pd.DataFrame, query: Query) -> pd.DataFrame:
    """每个阶段各有多少人: a stage no customer is in is said with 0, not left out — for a count by one
    dimension with a known list of values that the question does not narrow."""
    if query.time.kind != "asof" or len(query.group_by) != 1 or query.customers:
        return frame
    key = query.group_by[0]
    domain = [_group_label(key, v) for v in dimension(key).order]
    counted = all((isinstance(m, Agg) and m.kind == "count" and m.where is None)
                  or (isinstance(m, Share) and m.numerator is None and m.denominator is None) for m in query.measures)
    if not domain or not counted or any(leaf.column == dimension(key).column.removeprefix("s.")
                                        for leaf in leaves(query.where)):
        return frame
    missing = [v for v in domain if v not in set(frame[key])]
    if not missing:
        return frame
    empty = pd.DataFrame({key: missing, **{c: 0 for c in frame.columns if c != key}})
    return pd.concat([frame, empty], ignore_index=True)


def _changes_in_order(merged: pd.DataFrame, keys: list[str], order) -> pd.DataFrame:
    """Groups ranked by their change when asked (by amount or rate, the first measure's), else in the
    dimension's own order (普通、潜力、临界、高净值) or by name."""
    if not keys:
        return merged
    if order is not None:
        change = merged["m0"] - merged["m0_then"]
        if order.by == "change":
            change = change / merged["m0_then"].where(merged["m0_then"] != 0)
        ranked = merged.assign(_change=change).sort_values(["_change", *keys], ascending=[not order.descending] +
                                                           [True] * len(keys), na_position="last")
        return ranked.drop(columns="_change").head(order.limit or len(ranked))
    return _in_dimension_order(merged, keys[:1])


def _in_dimension_order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows in each dimension's own order of its (labelled) values, others by name."""
    ranks = {k: {} if k == "month" else {_group_label(k, v): i for i, v in enumerate(dimension(k).order)} for k in keys}
    return frame.sort_values(keys, key=lambda col: col.map(lambda v, r=ranks[col.name]: (r.get(v, len(r)), str(v))))


def _gap_said(query, label: str, measure, first, second, facts: list) -> str:
    """甲比乙高 7.3 个百分点 / 甲是乙的 1.83 倍: the first side of the contrast against the second, said and recorded
    (a share's gap in percentage points; a multiple only where one was asked)."""
    a, b = query.contrast
    first, second = _num(first), _num(second)
    gap = first - second
    more, less = ("多", "少") if measure_format(measure) == "count" else ("高", "低")
    facts.append({"group": {}, "measure": "difference", "label": f"{a}减{b}" + (f"的{label}" if label else ""), "value": gap})
    said = f"{a}比{b}{label}{more if gap >= 0 else less} {_size(measure, abs(gap))}"
    if query.ratio and second:
        facts.append({"group": {}, "measure": "ratio", "label": f"{a}÷{b}" + (f"的{label}" if label else ""),
                      "value": first / second})
        said += f"，{a}是{b}的 {first / second:.2f} 倍"
    return said + "。"


def _size(measure, amount: float) -> str:
    """How large a gap or a change is: a share's in percentage points (8.2% → 8.5% is 0.3 个百分点, not 0.3%)."""
    fmt = measure_format(measure)
    return f"{amount * 100:.1f} 个百分点" if fmt == "pct" else FORMATS[fmt](amount)


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _said(definitions) -> str:
    return f"（口径：{'；'.join(definitions)}）" if definitions else ""

