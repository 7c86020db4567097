"""The SQL agent's LLM path: write SQL from the schema, check it, run it, repair it.

The model sees the schema and 口径 (agents.prompts), answers with one SQL
statement; the guarded executor checks and runs it. On an error the model is
shown the error and asked for a corrected statement, at most MAX_REPAIRS times.
Nothing the model writes is executed except through the guard.
"""
from __future__ import annotations

import re

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from agents.prompts import SUMMARY_SYSTEM, sql_system_prompt
from db.readonly import QueryError, QueryTimeoutError
from db.sql_guard import MAX_SQL_CHARS, UnsafeSQLError
from toolkits.formatting import mask_personal
from toolkits.results import ChartSpec, TableData, ToolResult, rows_for_model

MAX_REPAIRS = 2
_SQL_BLOCK = re.compile(r"```(?:sql|sqlite)?\s*(.*?)```", re.S | re.I)


def extract_sql(text: str) -> str:
    m = _SQL_BLOCK.search(text or "")
    return (m.group(1) if m else text or "").strip()


def _chart_for(table: TableData) -> list[ChartSpec]:
    frame = table.to_frame()
    if len(frame) < 2 or len(frame) > 50 or frame.shape[1] < 2:
        return []
    numeric = [c for c in frame.columns[1:] if frame[c].map(lambda v: isinstance(v, (int, float))).all()]
    if not numeric:
        return []
    first = frame.columns[0]
    kind = "line" if "month" in str(first).lower() or "月" in str(first) else "bar"
    return [ChartSpec(kind, f"{numeric[0]}（按{first}）", first, [numeric[0]], table, x_label=str(first))]


class LlmSqlAgent:
    def __init__(self, llm, database, max_rows: int = 1000, timeout_s: float = 5.0, data_level: str = "aggregates"):
        self.llm = llm
        self.data_level = data_level
        self.db = database   # db.database: the model writes SQL in its dialect
        self.max_rows = max_rows
        self.timeout_s = timeout_s
        self._system = None

    def answer(self, question: str) -> ToolResult:
        self._system = self._system or sql_system_prompt(self.db)
        messages = [SystemMessage(self._system), HumanMessage(question)]
        tried: list[str] = []
        for attempt in range(MAX_REPAIRS + 1):
            reply = self.llm.invoke(messages)
            sql = extract_sql(reply.content if isinstance(reply.content, str) else str(reply.content))
            tried.append(sql)
            try:
                result = self.db.select(sql, read=self.db.dialect, max_rows=self.max_rows, timeout_s=self.timeout_s)
                break
            except (UnsafeSQLError, QueryError, QueryTimeoutError) as exc:
                if attempt == MAX_REPAIRS:
                    return ToolResult(False, "", sql=tried, error=f"生成的 SQL 经 {MAX_REPAIRS} 次修正仍无法执行：{exc}",
                                      provenance={"attempts": len(tried)})
                # only the SQL goes back (capped), never the whole reply: a reply of megabytes is not re-sent
                messages += [AIMessage(f"```sql\n{sql[:MAX_SQL_CHARS]}\n```"),
                             HumanMessage(f"这条 SQL 不能执行：{str(exc)[:500]}\n请改正，只输出一条 SELECT 语句（```sql 代码块）。")]
        frame = mask_personal(result.frame)
        table = TableData.from_frame("查询结果", frame, truncated=result.truncated)
        rows = rows_for_model(frame, self.data_level, 20)
        plain = f"查询返回 {len(frame):,} 行（{'、'.join(map(str, frame.columns[:8]))}），见下表。"
        checked = True
        if rows is None:   # customer-level rows stay here: the text says what came back, the table shows it
            text = plain
        else:
            summary = self.llm.invoke([SystemMessage(SUMMARY_SYSTEM), HumanMessage(
                f"问题：{question}\nSQL：{result.sql}\n结果（前20行）：\n{rows}")])
            text = (summary.content if isinstance(summary.content, str) else str(summary.content)).strip()
            unsupported = unsupported_numbers(text, frame, question + result.sql)
            if unsupported or not text:   # a figure the result does not hold is not shown
                text, checked = plain + ("（大模型的总结含有结果中没有的数字，已改为直接展示结果）" if unsupported else ""), False
        if result.truncated:
            text += f"（结果超过 {self.max_rows} 行，只显示前 {self.max_rows} 行）"
        return ToolResult(True, text, [table], _chart_for(table), tried[-1:],
                          {"attempts": len(tried), "repaired": len(tried) > 1, "summary_checked": checked})


_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(%|万|亿)?")


def unsupported_numbers(text: str, frame, context: str) -> list[str]:
    """Numbers in a summary that no result cell (nor the question or SQL) supports, after reading
    the units people write (12.5% = 0.125, 3.2万 = 32000, 1.5亿) and allowing rounding."""
    cells = [float(v) for v in frame.select_dtypes("number").to_numpy().ravel() if v == v]
    cells += [float(len(frame))]
    said = {m.group(1).replace(",", "") for m in _NUMBER.finditer(context)}
    out = []
    for m in _NUMBER.finditer(text):
        raw, unit = m.group(1).replace(",", ""), m.group(2)
        if raw in said:
            continue
        value = float(raw) * {"%": 0.01, "万": 1e4, "亿": 1e8}.get(unit, 1)
        digits = len(raw.split(".")[1]) if "." in raw else 0
        step = 10 ** -digits * {"%": 0.01, "万": 1e4, "亿": 1e8}.get(unit, 1)   # what rounding could hide
        if not any(abs(c - value) <= max(step, 1e-9) or abs(abs(c) - value) <= max(step, 1e-9) for c in cells):
            out.append(m.group(0).strip())
    return out
