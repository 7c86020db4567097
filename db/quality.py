"""The data-quality report: every fix the build made, with counts and examples."""
from __future__ import annotations

from dataclasses import dataclass, field

MAX_EXAMPLES = 3


@dataclass
class Finding:
    table: str
    column: str
    check: str
    action: str
    rows: int = 0
    examples: list[str] = field(default_factory=list)


class QualityReport:
    """Accumulates findings across chunks, keyed by (table, column, check)."""

    def __init__(self):
        self._findings: dict[tuple[str, str, str], Finding] = {}
        self.notes: list[str] = []

    def add(self, table: str, column: str, check: str, action: str, rows: int,
            examples=()) -> None:
        if rows <= 0:
            return
        key = (table, column, check)
        finding = self._findings.setdefault(key, Finding(table, column, check, action))
        finding.rows += int(rows)
        room = MAX_EXAMPLES - len(finding.examples)
        finding.examples.extend(list(examples)[:max(room, 0)])

    def note(self, text: str) -> None:
        """A table-level remark (missing optional columns, unknown categories …)."""
        self.notes.append(text)

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings.values())

    def rows(self, table: str, check: str, column: str | None = None) -> int:
        return sum(f.rows for f in self._findings.values()
                   if f.table == table and f.check == check and column in (None, f.column))

    def to_markdown(self, title: str) -> str:
        lines = [f"# 数据质量报告 — {title}", ""]
        if not self._findings and not self.notes:
            return "\n".join(lines + ["未发现需要处理的问题。", ""])
        if self._findings:
            lines += ["| 表 | 字段 | 检查项 | 影响行数 | 处理方式 | 示例（行号: 原值） |",
                      "|---|---|---|---:|---|---|"]
            for f in self._findings.values():
                examples = "；".join(f.examples).replace("|", "\\|")
                lines.append(f"| {f.table} | {f.column} | {f.check} | {f.rows:,} | {f.action} | {examples} |")
            lines.append("")
        if self.notes:
            lines += ["## 说明", ""] + [f"- {n}" for n in self.notes] + [""]
        return "\n".join(lines)
