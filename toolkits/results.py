"""Structured results: what tools return and answers carry. Rendering is the UI's job.

A ToolResult never raises into an agent: `ok` is False and `error` says, in
Chinese, what went wrong and what to do. `text` is what an LLM reads; tables
and chart specs are for the UI; `sql` and `provenance` say where numbers came from.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from toolkits.formatting import PERSONAL_COLUMNS, mask_personal


def _plain(value):
    """JSON-friendly Python value (NaN -> None, numpy scalars -> Python)."""
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(float(value)) else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


@dataclass
class TableData:
    title: str
    columns: list[str]
    rows: list[list]
    truncated: bool = False

    @classmethod
    def from_frame(cls, title: str, frame: pd.DataFrame, labels: dict | None = None,
                   truncated: bool = False) -> "TableData":
        labels = labels or {}
        return cls(title, [labels.get(c, c) for c in frame.columns],
                   [[_plain(v) for v in row] for row in frame.itertuples(index=False)], truncated)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)


@dataclass
class ChartSpec:
    """A chart described by data: kind is bar, barh, pie, line, scatter or histogram."""
    kind: str
    title: str
    x: str
    y: list[str]
    table: TableData
    x_label: str = ""
    y_label: str = ""
    band: tuple[str, str] | None = None   # (lower, upper) columns of an interval, for forecasts
    series: str | None = None   # a column whose values split the rows into lines (e.g. one ROC per model)
    warn: tuple[str, ...] = ()  # x values drawn in a warning colour (the churn stages of the risk chart)


@dataclass
class ToolResult:
    ok: bool
    text: str
    tables: list[TableData] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    error: str | None = None

    @classmethod
    def failure(cls, error: str) -> "ToolResult":
        return cls(ok=False, text=error, error=error)

    def for_llm(self, level: str = "aggregates") -> str:
        """What the model reads: the text, plus the first table as far as the data level allows."""
        if not self.ok:
            return f"错误：{self.error}"
        parts = [self.text]
        if self.tables:
            rows = rows_for_model(self.tables[0].to_frame(), level, 15)
            if rows:
                parts.append(rows)
        return "\n".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


#: What result values may go to a remote model (BANK_LLM_DATA): schema = none; aggregates = tables
#: without a customer-level column (the default); rows = masked customer rows too. Always capped.
DATA_LEVELS = ("schema", "aggregates", "rows")
CUSTOMER_LEVEL_COLUMNS = {"customer_id", "客户号", "客户id", "客户编号", "id"} | PERSONAL_COLUMNS
MAX_MODEL_BYTES = 8_000


def rows_for_model(frame: pd.DataFrame, level: str, max_rows: int) -> str | None:
    """The CSV of at most `max_rows` rows and MAX_MODEL_BYTES bytes a model may read, or None."""
    if level not in DATA_LEVELS or level == "schema" or frame.empty:
        return None
    customer_level = any(str(c).strip().lower() in CUSTOMER_LEVEL_COLUMNS for c in frame.columns)
    if customer_level and level != "rows":
        return None
    return mask_personal(frame.head(max_rows)).to_csv(index=False)[:MAX_MODEL_BYTES]
