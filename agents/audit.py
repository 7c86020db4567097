"""The audit log: one JSON line per question — who asked what, how it was answered.

It records time, user, question, route, the SQL that ran, row counts, latency
and error, never answer contents. Customer ids, words the parser did not know
(a name typed into a question) and string literals in SQL are masked. Appends are
line-buffered and locked, so concurrent users cannot interleave lines.
"""
from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timezone
from pathlib import Path

from db.personal import mask_name


_ID = re.compile(r"(?i)(?<![a-z0-9])([a-z]{0,6}\d{4,}|[0-9a-f]{16,64})(?![a-z0-9])")
_LITERAL = re.compile(r"'((?:[^']|'')*)'")


def _mask_id(m: re.Match) -> str:
    value = m.group(1)
    return value[:4] + "*" * max(1, len(value) - 6) + value[-2:] if len(value) > 6 else "*" * len(value)


def masked_question(question: str, unknown_words) -> str:
    """Who was asked about is not kept: ids masked, and words the parser did not know (a typed name)
    masked too."""
    text = _ID.sub(_mask_id, question)
    for word in sorted(set(unknown_words), key=len, reverse=True):
        if word:
            text = text.replace(word, mask_name(word))
    return text


def masked_sql(sql: str) -> str:
    """String literals in SQL masked (WHERE name = '张三' must not land in the log); ids too."""
    return _ID.sub(_mask_id, _LITERAL.sub(lambda m: "'" + (mask_name(m.group(1)) or "") + "'", sql))


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, answer, user: str) -> None:
        entry = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "user": user,
            "question": masked_question(answer.question[:500], (answer.understood or {}).get("words_not_used", [])),
            "route": answer.route,
            "sql": [masked_sql(q) for q in answer.sql],
            "rows": sum(len(t.rows) for t in answer.tables),
            "tools": [c.get("tool") for c in answer.tool_calls],
            "latency_ms": round(answer.latency_ms, 1),
            "error": answer.error,
            "provider": answer.provenance.get("provider"),
        }
        self._write(entry)

    def record_view(self, user: str, view: str, customer_id: str) -> None:
        """A screen that shows one customer (客户360): who looked, at whom (masked), when."""
        self._write({"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "user": user,
                     "view": view, "customer": masked_question(customer_id, [])})

    def record_export(self, user: str, what: str, rows: int, unmasked: bool) -> None:
        """A customer list made downloadable (营销名单): who, which list, how many rows, names shown or masked."""
        self._write({"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "user": user,
                     "export": what, "rows": rows, "names": "unmasked" if unmasked else "masked"})

    def _write(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(line)
