"""The app's entry point (`make run` ends here).

The Gradio web UI (chat, operations dashboard, model insights, customer 360) is
issue 5 and not built yet. Until then this checks that the data and models are
ready and shows how to ask questions from the command line.
"""
from __future__ import annotations

import sys

from config import settings


def main() -> int:
    s = settings()
    missing = [str(p) for p in (s.db_path, s.artifacts_dir / "insight_report.md") if not p.exists()]
    if missing:
        print("缺少：" + "、".join(missing) + "。请运行 make run（或 python -m db.build 与 python -m models.train）。",
              file=sys.stderr)
        return 2
    print(f"数据：{s.db_path}；模型与洞察报告：{s.artifacts_dir}。\n"
          "网页版（智能问答、经营大屏、模型洞察、客户360）尚未完成（issue 5）。现在可以在命令行提问：\n"
          '  .venv/bin/python -m agents.ask "我行目前有多少客户？总资产管理规模是多少？"\n'
          '  .venv/bin/python -m agents.ask --conversation "客户CUST000172成为高价值客户的概率是多少？" "那他的资产趋势呢？"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
