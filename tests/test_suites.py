"""The question suites run offline in CI, and the runner itself catches a broken metric."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agents.assistant import Assistant
from agents.suite import load_suite, run_suite

SUITES = Path(__file__).resolve().parents[1] / "suites"


@pytest.fixture(scope="module")
def assistant(default_db, trained_artifacts):
    return Assistant(default_db, trained_artifacts)


@pytest.mark.parametrize("name", ["business", "variants", "multiturn", "hostile"])
def test_each_suite_meets_its_thresholds_offline(name, assistant, default_db):
    suite = load_suite(SUITES / f"{name}.yaml")
    result = run_suite(suite, assistant, default_db)
    failed = {c.id: c.failures for c in result.cases if not c.passed}
    assert result.passed, f"{name}: answer {result.answer_accuracy:.1%}, route {result.route_accuracy:.1%}: {failed}"


def test_the_suites_are_as_large_as_promised():
    sizes = {name: len(load_suite(SUITES / f"{name}.yaml")["cases"]) for name in ("variants", "hostile")}
    assert sizes["variants"] >= 150 and sizes["hostile"] >= 60


def test_a_broken_metric_definition_fails_the_cases_that_use_it(assistant, default_db, monkeypatch):
    """总资产 defined 10% too high: the cases stating AUM or average assets fail, shares of AUM and
    counts by tier (ratios and bands) do not."""
    import dataclasses

    import db.semantic as semantic
    broken = dataclasses.replace(semantic.NUMERIC["total_assets"], sql="s.total_assets * 1.1")
    monkeypatch.setitem(semantic.NUMERIC, "total_assets", broken)
    result = run_suite(load_suite(SUITES / "business.yaml"), assistant, default_db)
    failed = {c.id for c in result.cases if not c.passed}
    assert failed == {"customers_and_aum", "average_assets_and_hnw_share"}
    assert not result.passed


def test_the_cli_writes_a_markdown_and_json_report_and_exits_by_threshold(default_db, trained_artifacts, tmp_path):
    env = {**os.environ, "BANK_LLM": "offline"}
    suite = tmp_path / "mini.yaml"
    suite.write_text("name: mini\nthreshold: {answer_accuracy: 1.0}\ncases:\n"
                     "  - {id: ok, question: 我行目前有多少客户？, route: sql}\n"
                     "  - {id: wrong, question: 我行目前有多少客户？, route: forecast}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "agents.suite", str(suite), "--db", str(default_db),
                          "--artifacts", str(trained_artifacts), "--report", str(tmp_path / "r.md")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 1 and "1 passed, 1 failed" in run.stdout
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "未通过的用例" in report and "wrong" in report
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["answer_accuracy"] == 0.5 and data["passed"] is False
