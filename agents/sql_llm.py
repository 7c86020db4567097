"""The SQL agent's LLM path: write SQL from the schema, check it, run it, repair it.

The model sees the schema and 口径 (agents.prompts), answers with one SQL
statement; the guarded executor checks and runs it. On an error the model is
shown the error and asked for a corrected statement, at most MAX_REPAIRS times.
Nothing the model writes is executed except through the guard.
"""
from __future__ import annotations

import re
from pathlib import Path

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from agents.prompts import SUMMARY_SYSTEM, sql_system_prompt
from db.readonly import QueryError, QueryTimeoutError, run_select
from db.sql_guard import UnsafeSQLError
from toolkits.formatting import mask_personal
from toolkits.results import ChartSpec, TableData, ToolResult

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
    def __init__(self, llm, db_path: Path, max_rows: int = 1000, timeout_s: float = 5.0):
        self.llm = llm
        self.db_path = Path(db_path)
        self.max_rows = max_rows
        self.timeout_s = timeout_s
        self._system = None

    def answer(self, question: str) -> ToolResult:
        self._system = self._system or sql_system_prompt(self.db_path)
        messages = [SystemMessage(self._system), HumanMessage(question)]
        tried: list[str] = []
        for attempt in range(MAX_REPAIRS + 1):
            reply = self.llm.invoke(messages)
            sql = extract_sql(reply.content if isinstance(reply.content, str) else str(reply.content))
            tried.append(sql)
            try:
                result = run_select(self.db_path, sql, max_rows=self.max_rows, timeout_s=self.timeout_s)
                break
            except (UnsafeSQLError, QueryError, QueryTimeoutError) as exc:
                if attempt == MAX_REPAIRS:
                    return ToolResult(False, "", sql=tried, error=f"生成的 SQL 经 {MAX_REPAIRS} 次修正仍无法执行：{exc}",
                                      provenance={"attempts": len(tried)})
                messages += [AIMessage(reply.content),
                             HumanMessage(f"这条 SQL 不能执行：{exc}\n请改正，只输出一条 SELECT 语句（```sql 代码块）。")]
        frame = mask_personal(result.frame)
        table = TableData.from_frame("查询结果", frame, truncated=result.truncated)
        summary = self.llm.invoke([SystemMessage(SUMMARY_SYSTEM), HumanMessage(
            f"问题：{question}\nSQL：{result.sql}\n结果（前20行）：\n{frame.head(20).to_csv(index=False)}")])
        text = summary.content if isinstance(summary.content, str) else str(summary.content)
        if result.truncated:
            text += f"（结果超过 {self.max_rows} 行，只显示前 {self.max_rows} 行）"
        return ToolResult(True, text, [table], _chart_for(table), tried[-1:],
                          {"attempts": len(tried), "repaired": len(tried) > 1})
