"""The one answer object every path returns (offline planner or LLM, any route)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from toolkits.results import ChartSpec, TableData


@dataclass
class Answer:
    question: str
    route: str
    text: str
    tables: list[TableData] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)
    tool_calls: list[dict] = field(default_factory=list)
    latency_ms: float = 0.0
    error: str | None = None
    #: Where the answer comes from: why this route, provider, models (name, version,
    #: trained_at), the data's as-of month, the 口径 of each number.
    provenance: dict = field(default_factory=dict)
    reading: str | None = None          # the reading chosen for an ambiguous question
    alternative: str | None = None      # the other reading, offered to the user
    #: What the question was understood as: filters, measures, grouping, time, limit, words not
    #: used, confidence (agents.understand.Understanding.block).
    understood: dict | None = None
    #: Readings to offer as buttons when a question was not (fully) understood.
    suggestions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str)
