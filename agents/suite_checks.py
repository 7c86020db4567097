"""Checks a question-suite case can make on an Answer, and the named pandas references.

Expected values never come from the pipeline under test: a reference SQL runs
on a plain read-only sqlite3 connection, or a named pandas check computes the
value from the raw tables. An answer "contains" a value when any number in its
text (read with its unit: 亿, 万, %) or in its tables is within tolerance.
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

_NUMBER = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(亿元|亿|万元|万|%)?")
_UNITS = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "%": 0.01}
REL_TOL, ABS_TOL = 0.006, 0.0006


def numbers_in(answer) -> list[float]:
    found = []
    for m in _NUMBER.finditer(answer.text or ""):
        found.append(float(m.group(1).replace(",", "")) * _UNITS.get(m.group(2), 1.0))
    for table in answer.tables:
        for row in table.rows:
            for cell in row:
                if isinstance(cell, (int, float)) and not isinstance(cell, bool) and np.isfinite(cell):
                    found.append(float(cell))
                elif isinstance(cell, str):
                    found += [float(m.group(1).replace(",", "")) * _UNITS.get(m.group(2), 1.0)
                              for m in _NUMBER.finditer(cell)]
    return found


def contains_value(answer, expected: float, rel: float = REL_TOL) -> bool:
    return any(abs(x - expected) <= max(rel * abs(expected), ABS_TOL) for x in numbers_in(answer))


def reference_sql(db_path: Path, sql: str):
    """The first column of the first row, from a plain read-only connection."""
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        row = conn.execute(sql).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


@lru_cache(maxsize=4)
def _as_of(db_path: Path) -> pd.DataFrame:
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        rows = pd.read_sql_query("SELECT a.*, b.age, b.occupation, b.city_level, b.marriage_status, b.gender "
                                 "FROM customer_behavior_assets a JOIN customer_base b USING (customer_id) "
                                 "WHERE a.stat_month = (SELECT MAX(stat_month) FROM customer_behavior_assets)", conn)
    finally:
        conn.close()
    return rows


def _age_band(age: pd.Series) -> pd.Series:
    return pd.cut(age, [-np.inf, 30, 40, 50, 60, np.inf], right=False,
                  labels=["30岁以下", "30-39岁", "40-49岁", "50-59岁", "60岁及以上"]).astype(str)


def _combination(frame: pd.DataFrame) -> pd.Series:
    names = (("deposit_flag", "存款"), ("financial_flag", "理财"), ("fund_flag", "基金"), ("insurance_flag", "保险"))
    return frame.apply(lambda r: "+".join(n for f, n in names if r[f] == 1) or "无产品", axis=1)


#: Named pandas checks: db_path -> the value (number or text) the answer must contain.
PANDAS_CHECKS = {
    "largest_age_band": lambda db: _age_band(_as_of(db)["age"]).value_counts().idxmax(),
    "largest_city_level": lambda db: _as_of(db)["city_level"].value_counts().idxmax(),
    "hnw_share": lambda db: float((_as_of(db)["total_assets"] >= 1e6).mean()),
    "average_assets": lambda db: float(_as_of(db)["total_assets"].mean()),
    "active_rate": lambda db: float((_as_of(db)["app_login_count"] >= 1).mean()),
    "repurchase_rate": lambda db: float(_as_of(db).query("financial_flag == 1")
                                         .eval("financial_repurchase_count >= 1").mean()),
    "age_login_correlation": lambda db: float(np.corrcoef(_as_of(db)["age"], _as_of(db)["app_login_count"])[0, 1]),
    "hnw_top_combination": lambda db: _combination(_as_of(db).query("total_assets >= 1e6")).value_counts().idxmax(),
    "top_combination": lambda db: _combination(_as_of(db)).value_counts().idxmax(),
}


def expected_value(db_path: Path, spec: dict):
    if "sql" in spec:
        return reference_sql(db_path, spec["sql"])
    return PANDAS_CHECKS[spec["pandas"]](db_path)


def check_answer(answer, expect: dict, db_path: Path) -> list[str]:
    """The reasons a case fails (empty when it passes)."""
    failures = []
    if "route" in expect and answer.route != expect["route"]:
        failures.append(f"路由 {answer.route} ≠ 期望 {expect['route']}")
    if expect.get("ok") is True and not answer.ok:
        failures.append(f"回答出错：{answer.error}")
    for spec in expect.get("values", []):
        value = expected_value(db_path, spec)
        if isinstance(value, str):
            if value not in answer.text and not any(value in str(c) for t in answer.tables for r in t.rows for c in r):
                failures.append(f"缺少期望值 {value!r}")
        elif value is None or not contains_value(answer, float(value), spec.get("tolerance", REL_TOL)):
            failures.append(f"缺少期望值 {value}（{spec.get('sql') or spec.get('pandas')}）")
    columns = {c for t in answer.tables for c in t.columns}
    for column in expect.get("columns", []):
        if column not in columns:
            failures.append(f"表格缺少列 {column}")
    for text in expect.get("contains", []):
        if text not in answer.text:
            failures.append(f"回答中没有“{text}”")
    for text in expect.get("not_contains", []):
        if text in answer.text or any(text in str(c) for t in answer.tables for r in t.rows for c in r):
            failures.append(f"回答中不应出现“{text}”")
    if "tool" in expect and expect["tool"] not in [c["tool"] for c in answer.tool_calls]:
        failures.append(f"没有调用工具 {expect['tool']}")
    if "customer" in expect:
        seen = answer.text + " " + " ".join(str(c.get("args", {}).get("customer_id")) for c in answer.tool_calls)
        if expect["customer"] not in seen:
            failures.append(f"没有针对客户 {expect['customer']}")
    if expect.get("chart") and not answer.charts:
        failures.append("没有图表")
    if expect.get("safe"):
        if not answer.text or "Traceback" in answer.text or not re.search(r"[\u4e00-\u9fff]", answer.text):
            failures.append("没有给出清楚的中文回答")
    return failures
