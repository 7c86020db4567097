"""The web app at its edges: share and login, files over HTTP, limits, markup, and faults."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from gradio_client import Client

from agents.answer import Answer
from config import PROJECT_ROOT, settings
from scripts.app_server import AppServer, turn_text
from toolkits.results import TableData
from ui.chat_tab import ChatHandlers, Conversation
from ui.limits import RateLimiter
from ui.render import answer_messages, table_html

APP = [sys.executable, str(PROJECT_ROOT / "app_gradio.py")]


def get(url: str, data: dict | None = None):
    """(status, body) of one request; HTTP errors are answers, not exceptions."""
    body = urllib.parse.urlencode(data).encode() if data else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def ask(client: Client, question: str) -> str:
    """The text of the turn's answer (the messages after the question)."""
    history, _ = client.predict(question, api_name="/ask")
    return turn_text(history)


# -- share and login ---------------------------------------------------------------

def test_share_without_login_is_refused_before_anything_is_served(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "BANK_AUTH": "", "BANK_DB": str(tmp_path / "none.db")}
    done = subprocess.run(APP + ["--share"], capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert "拒绝创建公开链接" in done.stderr and "BANK_AUTH" in done.stderr


def test_a_malformed_login_is_an_error_not_an_open_door(tmp_path):
    done = subprocess.run(APP + ["--share"], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "BANK_AUTH": "analyst"})
    assert done.returncode == 2
    assert "用户名:密码" in done.stderr


def test_logins_are_never_taken_from_the_command_line():
    done = subprocess.run(APP + ["--auth", "analyst:secret"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr


@pytest.fixture(scope="module")
def shared_app(default_db, trained_artifacts, tmp_path_factory):
    log = tmp_path_factory.mktemp("shared") / "app.log"
    with AppServer(default_db, trained_artifacts, args=("--share",), log_path=log,
                   env={"BANK_AUTH": "analyst:correct-horse"}) as app:
        yield app, log


def test_with_login_wrong_credentials_are_rejected_and_nothing_is_shown(shared_app):
    app, _ = shared_app
    assert get(app.url + "/config")[0] == 401
    status, _ = get(app.url + "/login", {"username": "analyst", "password": "wrong"})
    assert status in (400, 401)
    with pytest.raises(Exception):
        Client(app.url, verbose=False)


def test_with_login_the_right_credentials_open_the_app(shared_app):
    app, _ = shared_app
    client = Client(app.url, auth=("analyst", "correct-horse"), verbose=False, download_files=False)
    assert "10,000" in ask(client, "我行目前有多少客户？")


def test_share_without_internet_says_so_and_keeps_serving_locally(shared_app):
    app, log = shared_app
    deadline = time.monotonic() + 60
    while "公开" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    text = log.read_text()
    assert "无法创建公开分享链接" in text or "公开链接：https://" in text
    assert get(app.url + "/config")[0] == 401   # still serving, still behind the login


# -- files over HTTP ---------------------------------------------------------------

def test_no_database_model_or_system_file_can_be_read_over_http(web_app, default_db, trained_artifacts):
    secrets = [default_db, trained_artifacts / "high_value.joblib", trained_artifacts / "insight_report.md"]
    paths = []
    for secret in secrets:
        relative = "../" * 8 + str(secret).lstrip("/")
        paths += [str(secret), relative, urllib.parse.quote(relative, safe=""), str(secret).replace("/", "%2F")]
    paths += ["/etc/passwd", "../../../../etc/passwd", str(PROJECT_ROOT / "config.py"), "config.py",
              "data/bank.db", "artifacts/high_value.joblib"]
    for path in paths:
        for prefix in ("/gradio_api/file=", "/file=", "/gradio_api/file/"):
            status, body = get(web_app.url + prefix + path)
            assert status != 200 or not (body.startswith(b"SQLite format 3") or b"root:" in body
                                         or b"PROJECT_ROOT" in body or body[:2] == b"\x80\x04"), (prefix, path)


# -- limits ------------------------------------------------------------------------

def test_the_queue_is_bounded_and_answers_run_a_few_at_a_time(default_db, trained_artifacts, monkeypatch):
    monkeypatch.setenv("BANK_DB", str(default_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(trained_artifacts))
    monkeypatch.setenv("BANK_QUEUE_MAX", "7")
    from ui.app import build_app
    from ui.services import Services
    demo = build_app(Services.from_settings(settings()))
    assert demo._queue.max_size == 7
    assert demo._queue.default_concurrency_limit == settings().ui_concurrency


def test_the_rate_limit_counts_per_user_over_a_sliding_minute():
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.allow("a") == 0 and limiter.allow("a") == 0
    assert limiter.allow("a") == pytest.approx(60)
    assert limiter.allow("b") == 0          # another user has their own allowance
    now[0] = 61
    assert limiter.allow("a") == 0


class _Services:
    def __init__(self, assistant, per_minute):
        self.assistant, self.limiter = assistant, RateLimiter(per_minute)


def test_a_user_over_the_rate_is_told_to_wait_and_keeps_the_question(default_db, trained_artifacts):
    from agents.assistant import Assistant
    handlers = ChatHandlers(_Services(Assistant(default_db, trained_artifacts), 1))
    conversation = Conversation()
    *_, (history, _, box) = handlers.respond("我行目前有多少客户？", conversation)
    assert box == ""
    assert any("10,000" in m["content"] for m in history if isinstance(m["content"], str))
    *_, (history, _, box) = handlers.respond("客户的平均资产是多少？", conversation)
    assert box == "客户的平均资产是多少？"
    assert "提问太频繁" in history[-1]["content"]


def test_a_question_longer_than_the_cap_gets_a_chinese_answer_over_the_api(web_app):
    client = Client(web_app.url, verbose=False, download_files=False)
    assert "问题太长" in ask(client, "客户" * 5000)


# -- markup ------------------------------------------------------------------------

def test_markup_in_an_answer_or_a_table_is_escaped():
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    answer = Answer("q", "sql", hostile, tables=[TableData("t", ["姓名"], [[hostile]])])
    rendered = json.dumps([m["content"] if isinstance(m["content"], str) else getattr(m["content"], "value", "")
                           for m in answer_messages(answer)], ensure_ascii=False)
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;" in rendered and "&lt;script&gt;" in table_html(answer.tables[0])


# -- faults in a running app ---------------------------------------------------------

@pytest.fixture()
def fragile_app(default_db, trained_artifacts, tmp_path):
    """The app on copies it may break: a corrupt forecast model and no segmentation model."""
    db, artifacts = tmp_path / "bank.db", tmp_path / "artifacts"
    shutil.copy(default_db, db)
    shutil.copytree(trained_artifacts, artifacts)
    (artifacts / "forecast.joblib").write_bytes(b"not a model")
    (artifacts / "segmentation.joblib").unlink()
    with AppServer(db, artifacts, log_path=tmp_path / "app.log", env={"BANK_RATE_PER_MIN": "1000"}) as app:
        yield app, db


def test_broken_models_are_named_while_other_agents_keep_working(fragile_app):
    app, _ = fragile_app
    client = Client(app.url, verbose=False, download_files=False)
    assert "已损坏" in ask(client, "全行未来4个季度的AUM走势如何？")
    assert "尚未训练" in ask(client, "客户可以分成哪几类？")
    assert "概率" in ask(client, "客户CUST000172成为高价值客户的概率是多少？")
    assert "10,000" in ask(client, "我行目前有多少客户？")


def test_a_killed_request_leaves_the_app_serving(fragile_app):
    app, _ = fragile_app
    script = (f"from gradio_client import Client; c = Client({app.url!r}, verbose=False); "
              "c.submit('客户CUST000172成为高价值客户的概率是多少？', api_name='/ask'); import time; time.sleep(30)")
    victim = subprocess.Popen([sys.executable, "-c", script])
    time.sleep(4)
    victim.kill()
    victim.wait()
    client = Client(app.url, verbose=False, download_files=False)
    assert "10,000" in ask(client, "我行目前有多少客户？")


def test_a_missing_database_gets_the_instruction_to_build_it(fragile_app):
    app, db = fragile_app
    client = Client(app.url, verbose=False, download_files=False)
    db.unlink()
    answer = ask(client, "我行目前有多少客户？")
    assert "找不到数据库" in answer and "db.build" in answer


def test_an_app_started_without_data_says_how_to_build_it(tmp_path, trained_artifacts):
    with AppServer(tmp_path / "missing.db", trained_artifacts, log_path=tmp_path / "app.log") as app:
        client = Client(app.url, verbose=False, download_files=False)
        assert "python -m db.build" in ask(client, "我行目前有多少客户？").replace("\\", "")
        cards = client.predict("全部", "全部", False, api_name="/dashboard")[0]
        assert "找不到数据库" in cards and "db.build" in cards


def test_a_long_conversation_keeps_recent_charts_and_every_text(default_db, trained_artifacts):
    """Each turn re-sends the chat, so old turns fold to text: the cost of a turn stays flat."""
    from agents.assistant import Assistant
    from ui.chat_tab import FOLDED, RICH_TURNS
    handlers = ChatHandlers(_Services(Assistant(default_db, trained_artifacts), 1000))
    conversation = Conversation()
    questions = ["不同客户等级的资产占比及客户数量是多少？", "客户年龄分布情况如何？"] * (RICH_TURNS + 3)
    for question in questions:
        *_, (history, _, _) = handlers.respond(question, conversation)
    users = [i for i, m in enumerate(history) if m["role"] == "user"]
    assert len(users) == len(questions)                       # no turn is dropped
    old, recent = history[:users[-RICH_TURNS]], history[users[-RICH_TURNS]:]
    assert all(isinstance(m["content"], str) for m in old)
    assert sum(m["content"] == FOLDED for m in old) == len(questions) - RICH_TURNS
    assert sum(not isinstance(m["content"], str) for m in recent) >= RICH_TURNS * 2   # charts and tables


def test_customer_360_names_an_unknown_or_empty_id_clears_the_screen_and_masks_names_by_role(
        default_db, trained_artifacts, monkeypatch):
    from types import SimpleNamespace
    from ui.customer_tab import CustomerHandlers
    from ui.services import Services
    monkeypatch.setenv("BANK_DB", str(default_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(trained_artifacts))
    monkeypatch.setenv("BANK_PII_USERS", "manager")
    handlers = CustomerHandlers(Services.from_settings(settings()))
    handlers.show("CUST000172")
    unknown = handlers.show("CUST999999")   # after a real customer: nothing of theirs stays on screen
    assert unknown[0].startswith("⚠️") and "找不到客户 CUST999999" in unknown[0]
    assert all(not o for o in unknown[1:])
    assert "请输入客户号" in handlers.show("  ")[0]
    name_of = lambda outputs: outputs[1].set_index("项目").loc["客户姓名", "内容"]  # noqa: E731
    masked = name_of(handlers.show("cust000172"))   # lower case and spaces are forgiven
    full = name_of(handlers.show("CUST000172", SimpleNamespace(username="manager", session_hash="s")))
    assert "*" in masked and "*" not in full and masked[0] == full[0]
