"""Command line: ask the assistant one or more questions.

    python -m agents.ask [--json] [--conversation] "问题" ["问题" ...]

Each question is answered independently unless --conversation makes them
turns of one chat (so "那他的资产趋势呢？" refers to the customer before).
With --json every answer is one JSON object per line.
"""
from __future__ import annotations

import argparse
import sys

from config import settings


def _render(answer) -> str:
    lines = [f"【{answer.route}】{answer.text}"]
    for table in answer.tables[:3]:
        frame = table.to_frame()
        lines.append(f"— {table.title}（{len(frame)} 行{'，已截断' if table.truncated else ''}）")
        lines.append(frame.head(12).to_string(index=False))
    for sql in answer.sql:
        lines.append(f"SQL: {sql}")
    lines.append(f"（{answer.latency_ms:.0f} ms，{answer.provenance.get('provider', 'offline')}）")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agents.ask", description="向经营助手提问")
    parser.add_argument("questions", nargs="+", help="一个或多个问题")
    parser.add_argument("--json", action="store_true", help="每个回答输出一行 JSON")
    parser.add_argument("--conversation", action="store_true", help="把多个问题当作同一段对话的多轮")
    args = parser.parse_args(argv)

    from agents.assistant import Assistant
    from agents.planner import Context
    assistant = Assistant.from_settings(settings())
    if assistant.notice and not args.json:
        print(f"注意：{assistant.notice}", file=sys.stderr)
    context = Context()
    for question in args.questions:
        answer = assistant.ask(question, context if args.conversation else Context())
        print(answer.to_json() if args.json else _render(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
