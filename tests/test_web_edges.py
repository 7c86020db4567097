"""The web app's edges: what leaves as CSV, what the steps panel renders, what the audit keeps,
and where the app agrees to listen (issue 13)."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from agents.assistant import Assistant
from agents.audit import AuditLog
from agents.planner import Context
from config import PROJECT_ROOT
from toolkits.results import TableData
from ui.render import code_block, csv_file


def test_a_formula_in_a_cell_is_plain_text_in_the_csv():
    table = TableData("t", ["客户号", "备注", "余额"], [["CUST1", "=HYPERLINK(\"http://x\")", -5.0],
                                                   ["CUST2", "@SUM(A1)", 3.0], ["CUST3", "+1", 1.0]])
    frame = pd.read_csv(csv_file(table), encoding="utf-8-sig")
    assert frame["备注"].tolist() == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+1"]
    assert frame["余额"].tolist() == [-5.0, 3.0, 1.0]   # numbers stay numbers


def test_sql_with_backticks_cannot_close_its_code_block():
    sql = "SELECT 1 AS x -- ```\n# 标题 <script>alert(1)</script> ````"
    block = code_block(sql)
    fence = block.split("sql\n", 1)[0]
    assert len(fence) > 4 and block.endswith(fence) and block.count(fence) == 2


def test_the_audit_log_keeps_no_typed_name_or_customer_id(default_db, tmp_path):
    log = tmp_path / "audit.jsonl"
    assistant = Assistant(default_db, tmp_path, audit=AuditLog(log))
    assistant.ask("王小明和CUST000172的总资产是多少", Context())
    line = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert "王小明" not in line["question"] and "CUST000172" not in line["question"]
    assert "CUST000172" not in json.dumps(line["sql"], ensure_ascii=False)


def test_the_app_refuses_to_serve_the_network_without_a_login():
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "app_gradio.py"), "--host", "0.0.0.0"],
                          capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "BANK_AUTH": ""})
    assert done.returncode == 2 and "拒绝" in done.stderr and "BANK_AUTH" in done.stderr


def test_customer_profiles_cannot_be_scraped_in_a_loop_and_each_view_is_audited(
        default_db, trained_artifacts, tmp_path, monkeypatch):
    import gradio as gr
    import pytest
    from types import SimpleNamespace

    from config import settings
    from ui.customer_tab import CustomerHandlers
    from ui.services import Services
    monkeypatch.setenv("BANK_DB", str(default_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(trained_artifacts))
    monkeypatch.setenv("BANK_RATE_PER_MIN", "3")
    monkeypatch.setenv("BANK_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    handlers = CustomerHandlers(Services.from_settings(settings()))
    for session in ("a", "b", "c"):   # a new session from the same address does not reset the allowance
        handlers.show(f"CUST00017{session == 'a' and 2 or 3}", SimpleNamespace(
            username=None, session_hash=session, client=SimpleNamespace(host="10.0.0.9")))
    with pytest.raises(gr.Error, match="查询太频繁"):
        handlers.show("CUST000174", SimpleNamespace(username=None, session_hash="d",
                                                    client=SimpleNamespace(host="10.0.0.9")))
    views = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [v["view"] for v in views] == ["客户360"] * 3 and all("CUST00017" not in v["customer"] for v in views)


def test_logins_from_a_hash_file_and_failed_attempts_are_slowed_then_locked(tmp_path):
    from ui.logins import MAX_FAILURES, Logins, hash_password, read_auth_file
    file = tmp_path / "logins.txt"
    file.write_text(f"# 登录\nanalyst:{hash_password('correct-horse')}\n", encoding="utf-8")
    now, slept = [0.0], []
    logins = Logins(read_auth_file(file), clock=lambda: now[0], sleep=slept.append)
    assert "correct-horse" not in file.read_text(encoding="utf-8")
    assert logins("analyst", "correct-horse") and not logins("analyst", "wrong") and slept == [1.0]
    for _ in range(MAX_FAILURES - 1):
        assert not logins("analyst", "wrong")
    assert not logins("analyst", "correct-horse")   # locked: even the right password waits
    now[0] += 901
    assert logins("analyst", "correct-horse")
    bad = tmp_path / "bad.txt"
    bad.write_text("analyst:plaintext\n", encoding="utf-8")
    import pytest
    with pytest.raises(ValueError, match="第 1 行"):
        read_auth_file(bad)
