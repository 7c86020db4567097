"""The audit log: one JSON line per question — who asked what, how it was answered.

It records time, user, question, route, the SQL that ran, row counts, latency
and error, never answer contents, so it holds no customer names. Appends are
line-buffered and locked, so concurrent users cannot interleave lines.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, answer, user: str) -> None:
        entry = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "user": user,
            "question": answer.question[:500],
            "route": answer.route,
            "sql": answer.sql,
            "rows": sum(len(t.rows) for t in answer.tables),
            "tools": [c.get("tool") for c in answer.tool_calls],
            "latency_ms": round(answer.latency_ms, 1),
            "error": answer.error,
            "provider": answer.provenance.get("provider"),
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(line)
