"""Question suites: the business questions as regression tests, through the app's pipeline.

    python -m agents.suite suites/business.yaml [--provider offline|dashscope|openai]
                           [--report out.md] [--db PATH] [--artifacts DIR]

A suite is YAML: a name, thresholds, and cases. A case is one question or a
list of turns of one conversation; each turn may state the expected route and
checks (see agents.suite_checks). The runner prints per-case results, route
accuracy, answer accuracy and latency p50/p95, writes a markdown and a JSON
report, and exits 1 when the suite is below its thresholds (or the database
changed while it ran).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import yaml

from agents.suite_checks import check_answer

CHECK_KEYS = ("route", "ok", "values", "columns", "contains", "not_contains", "tool", "customer", "chart", "safe")


@dataclass
class CaseResult:
    id: str
    question: str
    expected_route: str | None
    route: str
    passed: bool
    failures: list[str]
    latency_ms: float
    turns: int = 1


@dataclass
class SuiteResult:
    name: str
    provider: str
    cases: list[CaseResult] = field(default_factory=list)
    thresholds: dict = field(default_factory=dict)
    db_unchanged: bool = True

    @property
    def answer_accuracy(self) -> float:
        return sum(c.passed for c in self.cases) / max(len(self.cases), 1)

    @property
    def route_accuracy(self) -> float:
        routed = [c for c in self.cases if c.expected_route]
        if not routed:   # a suite that states no routes cannot miss one
            return 1.0
        return sum(c.route == c.expected_route for c in routed) / len(routed)

    def latency(self, q: float) -> float:
        return float(np.percentile([c.latency_ms for c in self.cases], q)) if self.cases else 0.0

    @property
    def passed(self) -> bool:
        t = self.thresholds
        return (self.db_unchanged and self.answer_accuracy >= t.get("answer_accuracy", 1.0)
                and self.route_accuracy >= t.get("route_accuracy", 1.0))


def load_suite(path: Path) -> dict:
    suite = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(suite, dict) or "cases" not in suite:
        raise ValueError(f"{path}: 套件需要 name 和 cases")
    return suite


def _file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_suite(suite: dict, assistant, db_path: Path, provider: str = "offline", progress=None) -> SuiteResult:
    from agents.planner import Context
    result = SuiteResult(suite.get("name", "suite"), provider, thresholds=suite.get("threshold", {}))
    before = _file_hash(db_path)
    for n, case in enumerate(suite["cases"]):
        turns = case.get("turns") or [{k: v for k, v in case.items() if k not in ("id", "tags")}]
        # A suite-wide default (e.g. every hostile case must be safe and leave the database alone).
        case = {**suite.get("defaults", {}), **case}
        context, failures, total_ms, answer = Context(), [], 0.0, None
        for k, turn in enumerate(turns):
            answer = assistant.ask(turn["question"] * turn.get("repeat", 1), context)
            total_ms += answer.latency_ms
            expect = {key: turn[key] for key in CHECK_KEYS if key in turn}
            if k == len(turns) - 1:   # the case's own checks apply to its last turn
                expect.update({key: case[key] for key in CHECK_KEYS if key in case and "turns" in case})
            failures += [f"第{k + 1}轮：{f}" if len(turns) > 1 else f for f in check_answer(answer, expect, db_path)]
        if case.get("db_unchanged") and _file_hash(db_path) != before:
            failures.append("数据库被修改")
        last = turns[-1]
        result.cases.append(CaseResult(case.get("id", f"case-{n + 1}"), last["question"],
                                       last.get("route", case.get("route")), answer.route, not failures, failures,
                                       total_ms, len(turns)))
        if progress:
            progress(result.cases[-1])
    result.db_unchanged = _file_hash(db_path) == before
    return result


def to_markdown(r: SuiteResult) -> str:
    lines = [f"# 问题套件报告：{r.name}", "",
             f"- 模式：{r.provider}；用例 {len(r.cases)} 个，通过 {sum(c.passed for c in r.cases)} 个",
             f"- 路由准确率 {r.route_accuracy:.1%}；回答准确率 {r.answer_accuracy:.1%}"
             f"（阈值：路由 {r.thresholds.get('route_accuracy', 1.0):.0%}，回答 {r.thresholds.get('answer_accuracy', 1.0):.0%}）",
             f"- 延迟 p50 {r.latency(50):.0f} ms，p95 {r.latency(95):.0f} ms",
             f"- 数据库{'未被修改' if r.db_unchanged else '被修改了！'}；结论：{'通过' if r.passed else '未通过'}", ""]
    failed = [c for c in r.cases if not c.passed]
    if failed:
        lines += ["## 未通过的用例", "", "| 用例 | 问题 | 原因 |", "|---|---|---|"]
        lines += [f"| {c.id} | {c.question[:40]} | {'；'.join(c.failures)} |" for c in failed] + [""]
    lines += ["## 全部用例", "", "| 用例 | 期望路由 | 实际路由 | 结果 | 毫秒 |", "|---|---|---|---|---:|"]
    lines += [f"| {c.id} | {c.expected_route or '—'} | {c.route} | {'✅' if c.passed else '❌'} | {c.latency_ms:.0f} |"
              for c in r.cases]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agents.suite", description="运行问题套件")
    parser.add_argument("suite", type=Path)
    parser.add_argument("--provider", choices=("offline", "dashscope", "openai"), default=None,
                        help="默认取 BANK_LLM（未设置则离线）")
    parser.add_argument("--report", type=Path, default=None, help="markdown 报告路径（同名 .json 一并写出）")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--artifacts", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.provider:
        os.environ["BANK_LLM"] = args.provider
    if args.db:
        os.environ["BANK_DB"] = str(args.db)
    if args.artifacts:
        os.environ["BANK_ARTIFACTS"] = str(args.artifacts)
    from agents.assistant import Assistant
    from config import settings
    s = settings()
    try:
        suite = load_suite(args.suite)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"无法读取套件：{exc}", file=sys.stderr)
        return 2
    if not s.db_path.exists():
        print(f"找不到数据库 {s.db_path}。请先运行 make run 或 python -m db.build。", file=sys.stderr)
        return 2
    assistant = Assistant.from_settings(s)
    if assistant.notice:
        print(f"注意：{assistant.notice}", file=sys.stderr)

    def show(c: CaseResult):
        print(f"{'PASS' if c.passed else 'FAIL'} {c.id:<28} {c.route:<12} {c.latency_ms:7.0f} ms"
              + ("" if c.passed else f"  {'；'.join(c.failures)}"), flush=True)
    result = run_suite(suite, assistant, s.db_path, assistant.provider, show)
    print(f"\n{result.name}: {sum(c.passed for c in result.cases)} passed, "
          f"{sum(not c.passed for c in result.cases)} failed — route accuracy {result.route_accuracy:.1%}, "
          f"answer accuracy {result.answer_accuracy:.1%}, p50 {result.latency(50):.0f} ms, p95 {result.latency(95):.0f} ms")
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(to_markdown(result), encoding="utf-8")
        args.report.with_suffix(".json").write_text(json.dumps(
            {**asdict(result), "route_accuracy": result.route_accuracy, "answer_accuracy": result.answer_accuracy,
             "p50_ms": result.latency(50), "p95_ms": result.latency(95), "passed": result.passed},
            ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"报告：{args.report}（及 {args.report.with_suffix('.json').name}）")
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
