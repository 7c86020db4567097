"""The bank's own database server (issue 15), PostgreSQL and MariaDB (the MySQL dialect): a private server
started by scripts/dbserver.sh, the build loaded into it, the same typed queries answered with the same
figures as on SQLite, and a reader role that cannot write or read names whatever SQL reaches it."""
from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from agents.assistant import Assistant
from agents.planner import Context
from db.readonly import QueryError, QueryTimeoutError
from db.server_load import ServerLoadError, connect, dialect_of, load_server
from db.server_read import run_select_server, write_privileges
from db.sql_guard import UnsafeSQLError
from tests.test_safety import ATTACKS

ROOT = Path(__file__).resolve().parent.parent
# S–Z hold account-opening dates, member counts, measures with their own customers, ranks and gaps
SUITES = ("business", "variants", "multiturn", "handwritten_a", "handwritten_d", "handwritten_g", "handwritten_n",
          *(f"handwritten_{letter}" for letter in "stuvwxyz"), "handwritten_au")


@pytest.fixture(scope="module", params=["postgres", "mysql"])
def server(request):
    """A server of its own, in a directory the server's user can reach, stopped afterwards."""
    where = tempfile.mkdtemp(prefix=f"bank-{request.param}-")
    os.chmod(where, 0o755)
    env = {**os.environ, "BANK_SERVER_DIR": where}
    script = str(ROOT / "scripts" / "dbserver.sh")
    out = subprocess.run([script, "start", request.param], env=env, capture_output=True, text=True, check=True).stdout
    urls = {k: v.strip("'") for k, v in (line.split("=", 1) for line in out.split())}
    yield urls["BANK_SERVER_OWNER_URL"], urls["BANK_SERVER_READER_URL"]
    subprocess.run([script, "stop", request.param], env=env, check=False)
    shutil.rmtree(where, ignore_errors=True)


@pytest.fixture(scope="module")
def loaded(server, small_db):
    owner, reader = server
    result = load_server(small_db, owner)
    return owner, reader, result


def _digest(url: str) -> dict[str, tuple]:
    """Rows and a sum over every value of the tables a question could change."""
    with connect(url) as conn:
        cur = conn.cursor()
        found = {}
        for table in ("customer_base", "customer_behavior_assets", "customer_snapshot", "monthly_summary"):
            cur.execute(f"SELECT COUNT(*), SUM(total_assets) FROM bank.{table}" if table != "customer_base" else
                        "SELECT COUNT(*), SUM(LENGTH(customer_id) + LENGTH(name) + age) FROM bank.customer_base")
            found[table] = tuple(cur.fetchone())
        return found


def _conversations():
    for name in SUITES:
        data = yaml.safe_load((ROOT / "suites" / f"{name}.yaml").read_text(encoding="utf-8"))
        for case in data["cases"] if isinstance(data, dict) else data:
            turns = case.get("turns") or [case["question"]]
            yield [t["question"] if isinstance(t, dict) else t for t in turns]


def _words(text: str) -> str:
    return re.sub(r"\d[\d,.]*", "#", text)


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_every_table_of_the_build_is_loaded_with_its_rows(loaded, small_db):
    from tests.conftest import read
    _, _, result = loaded
    for table in ("customer_base", "customer_behavior_assets", "customer_snapshot", "monthly_summary", "monthly_cube"):
        assert result.tables[table] == read(small_db, f"SELECT COUNT(*) AS n FROM {table}").n[0], table


def _facts(answer) -> dict:
    return {(repr(sorted(f["group"].items())), f["measure"]): f["value"] for f in answer.provenance.get("facts", [])}


def test_the_suites_get_the_same_answers_from_the_assistant_on_the_server_as_on_sqlite(loaded, small_db, tmp_path):
    """The whole pipeline with BANK_DB pointing at the server: vocabulary, plans, typed queries, the older
    analyses, follow-ups. No models here: 客群 and model questions are left to the model tests."""
    _, reader, _ = loaded
    on_sqlite, on_server = Assistant(small_db, tmp_path), Assistant(small_db, tmp_path, database=reader)
    assert on_server.database.dialect == dialect_of(reader)
    compared, with_figures, differences = 0, 0, []
    for turns in _conversations():
        contexts = Context(), Context()
        for turn in turns:
            a, b = (assistant.ask(turn, context) for assistant, context in zip((on_sqlite, on_server), contexts))
            if a.text.startswith("“客群”来自") and b.text.startswith("“客群”来自"):
                continue   # both say why 客群 is not at hand (no model here; no model outputs on a server)
            compared += 1
            facts = _facts(a), _facts(b)
            with_figures += bool(facts[0])
            # the figures are compared as facts, to 1e-9: a sum in another order may round a half cent the
            # other way in the text (8,228.835 → .83 or .84)
            same = _words(a.text) == _words(b.text) and facts[0].keys() == facts[1].keys() and \
                all(_same(v, facts[1][k]) for k, v in facts[0].items())
            if not same:
                at = next((i for i, (x, y) in enumerate(zip(a.text, b.text)) if x != y), 0)
                differences.append(f"{turn}: …{a.text[max(0, at - 40):at + 80]} | …{b.text[max(0, at - 40):at + 80]}")
    assert compared >= 500 and with_figures >= 300
    assert not differences, "\n".join(differences)


def test_the_dashboard_shows_the_same_cards_and_charts_from_the_server(loaded, small_db):
    from db.database import ServerDatabase
    from toolkits.dashboard import Dashboard
    _, reader, _ = loaded
    local, remote = Dashboard(small_db), Dashboard(ServerDatabase(reader))
    branch = local.options()["branch"][1]
    assert remote.options() == local.options()
    for selection in ((), (branch,), ("全部", "二线城市")):
        a, b = local.view(*selection), remote.view(*selection)
        assert [(c.key, c.text) for c in a.cards] == [(c.key, c.text) for c in b.cards]
        assert all(math.isclose(x.value, y.value, rel_tol=1e-9) for x, y in zip(a.cards, b.cards) if x.value is not None)
        assert [(c.title, c.table.rows) for c in a.charts] == [(c.title, c.table.rows) for c in b.charts]
    assert remote.as_of_month == local.as_of_month


def test_the_llm_path_reads_the_server_too(loaded, small_db, tmp_path):
    """A scripted model: its free SQL runs on the server (guarded there), its typed query compiles for it."""
    from langchain_core.messages import AIMessage
    from tests.conftest import read
    from tests.test_llm_path import NO_TYPED_QUERY, ScriptedModel, route, sql, typed
    _, reader, _ = loaded

    def ask(question, *responses):
        model = ScriptedModel(responses=list(responses))
        assistant = Assistant(small_db, tmp_path, model, provider="fake", database=reader)
        answer = assistant.ask(question)
        if answer.provenance["sql_path"] == "free_sql":   # the model was asked for the server's dialect
            assert {"postgres": "PostgreSQL", "mysql": "MySQL"}[dialect_of(reader)] in assistant.llm_sql_agent._system
        return answer

    free = ask("一线城市有多少客户", route("sql"), NO_TYPED_QUERY,
               sql("SELECT COUNT(*) AS n FROM customer_snapshot WHERE city_level = '一线城市'"), AIMessage("见下表。"))
    want = read(small_db, "SELECT COUNT(*) AS n FROM customer_snapshot WHERE city_level = '一线城市'")["n"][0]
    assert free.provenance["sql_path"] == "free_sql" and free.tables[0].to_frame()["n"][0] == want
    spec = typed(measures=[{"kind": "avg", "column": "total_assets"}],
                 filters=[{"column": "city_level", "op": "=", "values": ["二线城市"]},
                          {"column": "marriage_status", "op": "=", "values": ["已婚"]}])
    answer = ask("二线城市已婚客户的平均资产", route("sql"), spec)
    snap = read(small_db, "SELECT city_level, marriage_status, total_assets FROM customer_snapshot")
    mean = snap[(snap.city_level == "二线城市") & (snap.marriage_status == "已婚")].total_assets.mean()
    assert answer.provenance["sql_path"] == "typed_query" and answer.provenance["facts"][0]["value"] == pytest.approx(mean)


def test_the_assistant_starts_with_the_reader_role_and_refuses_one_that_can_write(loaded, small_db, tmp_path,
                                                                                   monkeypatch):
    owner, reader, _ = loaded
    from config import settings
    from db.database import ServerNotReadOnlyError
    monkeypatch.setenv("BANK_LOCAL_DB", str(small_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(tmp_path))
    monkeypatch.setenv("BANK_DB", reader)
    started = Assistant.from_settings(settings())
    assert started.database.dialect == dialect_of(reader) and started.db_path == small_db
    assert started.build_mismatch() is None   # the server holds the local build's data
    monkeypatch.setenv("BANK_DB", owner)
    with pytest.raises(ServerNotReadOnlyError, match="只读角色"):
        Assistant.from_settings(settings())


def test_data_questions_need_no_local_build_when_the_data_is_on_a_server(loaded, small_db, tmp_path):
    _, reader, _ = loaded
    alone = Assistant(tmp_path / "no_local_build.db", tmp_path, database=reader)
    question = "一线城市已婚客户的平均资产"
    assert _facts(alone.ask(question)) == pytest.approx(_facts(Assistant(small_db, tmp_path).ask(question)))
    assert "没有本地构建" in alone.build_mismatch()   # said with every answer: model questions cannot be answered


def test_a_server_that_cannot_be_reached_is_said_plainly_in_chinese(small_db, tmp_path):
    unreachable = "postgresql+psycopg://bank_reader@/bank?host=/nonexistent-socket-dir"
    answer = Assistant(small_db, tmp_path, database=unreachable).ask("上海的客户有多少")
    assert "无法连接数据库服务器" in answer.text and "BANK_DB" in answer.text


def test_the_reader_role_holds_no_write_privilege_and_the_owner_does(loaded):
    owner, reader, _ = loaded
    assert write_privileges(reader) == []
    assert write_privileges(owner)   # the check can fail: the loading role may write


HOSTILE_SERVER = [   # PostgreSQL's and MySQL's own ways out: files, roles, settings, procedures
    "COPY customer_base TO '/tmp/stolen.csv'",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT * FROM pg_shadow",
    "SET ROLE bank_owner",
    "CREATE TEMP TABLE t AS SELECT * FROM customer_base",
    "DO $$ BEGIN DELETE FROM bank.customer_base; END $$",
    "SELECT lo_import('/etc/passwd')",
    "SELECT name FROM bank.customer_base",
    "SET default_transaction_read_only = off; DELETE FROM bank.customer_base",
    "SELECT * FROM bank.customer_base INTO OUTFILE '/tmp/stolen.csv'",
    "SELECT LOAD_FILE('/etc/passwd')",
    "LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE bank.customer_base",
    "SELECT * FROM mysql.user",
    "SET SESSION TRANSACTION READ WRITE",
]


def test_hostile_sql_through_the_guarded_path_writes_nothing(loaded):
    owner, reader, _ = loaded
    before = _digest(owner)
    ran = []
    for sql in ATTACKS + HOSTILE_SERVER:
        try:
            run_select_server(reader, sql, timeout_s=1)
            ran.append(sql)
        except (UnsafeSQLError, QueryError, QueryTimeoutError):
            pass
    # only the runaway recursive CTE may come back: MariaDB stops it at its recursion limit (1,000 rows)
    assert all("RECURSIVE" in sql for sql in ran), ran
    assert _digest(owner) == before


def test_the_reader_role_cannot_write_or_read_names_even_past_the_guard(loaded):
    owner, reader, _ = loaded
    before = _digest(owner)
    writes = [a.replace("customer_", "bank.customer_") for a in ATTACKS if "sqlite" not in a and "RECURSIVE" not in a]

    def refused(sql: str) -> bool:
        with connect(reader) as conn:
            try:
                conn.cursor().execute(sql)
                conn.commit()
                return False
            except Exception:   # psycopg.Error / pymysql.Error: the server said no
                return True

    assert [sql for sql in writes if not refused(sql)] == []
    assert refused("SELECT name FROM bank.customer_base LIMIT 1")
    for sql in HOSTILE_SERVER:   # the other server's syntax fails; its own is refused or changes nothing
        refused(sql)
    assert _digest(owner) == before


def test_a_query_past_its_time_limit_is_stopped(loaded):
    _, reader, _ = loaded
    with pytest.raises(QueryTimeoutError):
        run_select_server(reader, "SELECT COUNT(*) FROM customer_behavior_assets a, customer_behavior_assets b",
                          timeout_s=0.2)


def test_a_failed_load_leaves_the_live_tables_untouched(loaded, small_db, tmp_path):
    import sqlite3
    owner, _, _ = loaded
    before = _digest(owner)
    broken = tmp_path / "broken.db"
    shutil.copy(small_db, broken)
    with sqlite3.connect(broken) as conn:   # text in an integer column: the server refuses the row
        conn.execute("UPDATE customer_behavior_assets SET app_login_count = 'many' WHERE rowid = 5")
    with pytest.raises(ServerLoadError, match="customer_behavior_assets"):
        load_server(broken, owner)
    assert _digest(owner) == before


def test_the_build_command_loads_a_server_and_says_so(loaded, small_db, tmp_path, capsys):
    from db.build import main
    owner, reader, _ = loaded
    try:
        assert main(["--db", str(tmp_path / "bank.db"), "--customers", "300", "--months", "6", "--quiet",
                     "--target", owner]) == 0
        assert "已载入服务器" in capsys.readouterr().out
        assert run_select_server(reader, "SELECT COUNT(*) AS n FROM customer_base").frame.n[0] == 300
    finally:
        load_server(small_db, owner)   # the other tests' data back


def test_an_unreachable_server_is_said_in_chinese(tmp_path, capsys):
    from db.build import main
    url = f"postgresql+psycopg://bank_owner@/bank?host={tmp_path}"
    assert main(["--db", str(tmp_path / "bank.db"), "--customers", "200", "--months", "6", "--quiet",
                 "--target", url]) == 2
    assert "连接不上数据库服务器" in capsys.readouterr().err
