"""Answer -> chat messages: the text, charts, tables with CSV downloads, and the steps taken.

Everything an answer says is shown as text: HTML and Markdown in it are escaped,
so a model's output can never run script or restyle the page.
"""
from __future__ import annotations

import atexit
import html
import re
import shutil
import tempfile
import time
from pathlib import Path

import gradio as gr
import pandas as pd

from agents.answer import Answer
from toolkits.results import TableData
from ui.charts import figure, is_percent_column

MAX_CHARTS = 2
MAX_TABLES = 2
MAX_TABLE_ROWS = 30
ROUTE_TITLES = {"sql": "数据查询", "prediction": "高价值预测", "segmentation": "客户分群",
                "basket": "产品推荐", "forecast": "资产预测", "marketing": "精准营销", "help": "帮助"}
#: How an answer was produced, in words (the configured provider's code name means nothing to a branch manager).
PROVIDER_TITLES = {"offline": "离线理解（不调用大模型）", "dashscope": "通义千问", "openai": "兼容 OpenAI 的大模型",
                   "llm": "大模型", "fake": "脚本模型（测试）"}
_MARKDOWN = re.compile(r"([\\`*_\[\]#|~])")   # what could emphasise, link, head or tabulate
_DOWNLOADS = Path(tempfile.mkdtemp(prefix="bank-ui-downloads-"))
atexit.register(shutil.rmtree, _DOWNLOADS, True)
DOWNLOAD_KEEP_S = 3600


def as_text(text: str) -> str:
    """Show text literally in a Markdown chat: escape HTML, then Markdown's marks (张*明 stays 张*明)."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text or "", quote=False))


def steps_text(answer: Answer) -> str:
    lines = [f"路由：{ROUTE_TITLES.get(answer.route, answer.route)}"]
    why = answer.provenance.get("why_route")
    if why:
        lines.append(f"原因：{as_text(str(why))}")
    understood = answer.understood or {}
    if understood:
        lines.append("理解：" + as_text(understood_text(understood)))
    for call in answer.tool_calls:
        args = {k: v for k, v in (call.get("args") or {}).items() if v not in (None, "", [], {})}
        lines.append(f"工具：{as_text(str(call.get('tool')))}" + (f"（{as_text(str(args))}）" if args else ""))
    for sql in answer.sql:
        lines.append(f"SQL：\n{code_block(sql)}")
    for key, label in (("as_of_month", "数据基准月"), ("provider", "模式"), ("model", "模型"), ("method_detail", "方法细节"),
                       ("notice", "说明")):
        value = answer.provenance.get(key)
        if value:
            shown = PROVIDER_TITLES.get(value, value) if key == "provider" else value
            lines.append(f"{label}：{as_text(str(shown))}")
    for definition in answer.provenance.get("definitions", [])[:4]:
        lines.append(f"口径：{as_text(definition)}")
    lines.append(f"耗时：{answer.latency_ms:.0f} ms")
    return "\n\n".join(lines)


def understood_text(u: dict) -> str:
    """The `understood` block in one line: what was applied, what was not used, how sure."""
    confidence = {"high": "高", "medium": "中", "low": "低"}.get(u.get("confidence"), u.get("confidence"))
    parts = []
    if u.get("intent"):
        parts.append(f"意图 {u['intent']}" + (f"（客户 {u['customer_id']}）" if u.get("customer_id") else ""))
    if u.get("status") == "ok" and "filters" in u:
        parts += [f"条件 {u.get('filters')}", f"指标 {'、'.join(u.get('measures', []))}"]
        if u.get("group_by"):
            parts.append(f"分组 {'、'.join(u['group_by'])}")
        parts.append(f"时间 {u.get('time')}")
        if u.get("order") and u["order"].get("limit"):
            parts.append(f"取前 {u['order']['limit']}")
    if u.get("words_not_used"):
        parts.append(f"未使用的词 {'、'.join(u['words_not_used'])}")
    for note in u.get("assumptions", []):
        parts.append(note)
    parts.append(f"把握 {confidence}")
    return "；".join(parts)


def code_block(text: str) -> str:
    """A fenced block the text cannot close: the fence is longer than any run of backticks inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}sql\n{text}\n{fence}"


def spreadsheet_safe(value):
    """A text cell Excel would run as a formula (=, +, -, @, tab, CR first) is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def download_files(frame: pd.DataFrame, title: str, formats: tuple[str, ...] = ("csv",),
                   sheet: str = "Sheet1") -> list[str]:
    """The frame as downloads (csv: UTF-8 with a BOM, so Excel shows the Chinese headers; xlsx: Excel), formulas
    neutralised. Downloads older than DOWNLOAD_KEEP_S are removed as new ones are written."""
    _sweep_downloads()
    safe = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", title)[:40] or "table"
    directory = Path(tempfile.mkdtemp(dir=_DOWNLOADS))
    frame = frame.map(spreadsheet_safe)
    paths = []
    for kind in formats:
        path = directory / f"{safe}.{kind}"
        if kind == "csv":
            frame.to_csv(path, index=False, encoding="utf-8-sig")
        else:
            frame.to_excel(path, index=False, sheet_name=sheet, engine="openpyxl")
        paths.append(str(path))
    return paths


def csv_file(table: TableData) -> str:
    return download_files(table.to_frame(), table.title)[0]


def _sweep_downloads() -> None:
    cutoff = time.time() - DOWNLOAD_KEEP_S
    for directory in _DOWNLOADS.iterdir():
        if directory.stat().st_mtime < cutoff:
            shutil.rmtree(directory, ignore_errors=True)


def cell_text(column: str, value) -> str:
    """How a cell reads: shares as percentages, amounts with separators, None as a dash."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and is_percent_column(column) and -1 <= value <= 1:
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _money_units(table: TableData) -> list[tuple[str, float]]:
    """Per column, the header and divisor to read it by: amounts in 元 read in 万元 or 亿元 (the unit in the
    header); everything else as it is. The CSV download keeps 元 and full precision."""
    out = []
    for i, column in enumerate(table.columns):
        values = [abs(r[i]) for r in table.rows if isinstance(r[i], (int, float)) and not isinstance(r[i], bool)
                  and r[i] == r[i]]
        if str(column).endswith("（元）") and values:
            big = sorted(values)[len(values) // 2]
            unit, divisor = ("亿元", 1e8) if big >= 1e8 else ("万元", 1e4) if max(values) >= 1e4 else ("元", 1)
            out.append((str(column)[:-3] + f"（{unit}）", divisor))
        else:
            out.append((str(column), 1))
    return out


def _cell(column: str, value, divisor: float) -> str:
    if divisor != 1 and isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return f"{value / divisor:,.2f}"
    return cell_text(column, value)


def display_frame(table: TableData) -> pd.DataFrame:
    """The table as text for reading; the CSV download keeps full precision."""
    units = _money_units(table)
    return pd.DataFrame([[_cell(c, v, d) for (c, d), v in zip(units, row)] for row in table.rows],
                        columns=[c for c, _ in units])


def table_html(table: TableData, max_rows: int = MAX_TABLE_ROWS) -> str:
    """An HTML table with every cell escaped (Gradio's chat cannot show a DataFrame component)."""
    units = _money_units(table)
    head = "".join(f"<th>{html.escape(c)}</th>" for c, _ in units)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(c, v, d))}</td>" for (c, d), v in zip(units, row))
                   + "</tr>"
                   for row in table.rows[:max_rows])
    more = len(table.rows) - max_rows
    note = (f"共 {len(table.rows):,} 行，此处显示前 {max_rows} 行；完整数据请下载 CSV。" if more > 0 else "") + \
           ("结果超过行数上限，已截断。" if table.truncated else "")
    caption = html.escape(table.title) + (f"<span class='table-note'>{html.escape(note)}</span>" if note else "")
    return (f"<div class='answer-table'><div class='table-title'>{caption}</div>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def table_component(table: TableData) -> gr.HTML:
    return gr.HTML(table_html(table))


def answer_messages(answer: Answer) -> list[dict]:
    """The assistant's part of one turn."""
    messages = [{"role": "assistant", "content": steps_text(answer),
                 "metadata": {"title": f"处理步骤 · {ROUTE_TITLES.get(answer.route, answer.route)} · "
                                       f"{answer.latency_ms:.0f} ms", "status": "done"}}]
    text = {"role": "assistant", "content": as_text(answer.text)}
    if answer.suggestions:   # "您是不是想问": each reading is a button that asks it
        text["options"] = [{"label": s, "value": s} for s in answer.suggestions]
    messages.append(text)
    for chart in answer.charts[:MAX_CHARTS]:
        messages.append({"role": "assistant", "content": gr.Plot(figure(chart))})
    for table in answer.tables[:MAX_TABLES]:
        messages.append({"role": "assistant", "content": table_component(table)})
        messages.append({"role": "assistant", "content": gr.File(value=csv_file(table), label=f"下载 {table.title}.csv")})
    return messages


def pending_message() -> dict:
    return {"role": "assistant", "content": "正在理解问题、选择数据或模型…",
            "metadata": {"title": "处理中", "status": "pending"}}
