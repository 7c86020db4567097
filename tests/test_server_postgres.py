"""The bank's own database, PostgreSQL (issue 15): a private server started by scripts/dbserver.sh, the
build loaded into it, the same typed queries answered with the same figures as on SQLite, and a reader
role that cannot write or read names whatever SQL reaches it."""
from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
import yaml

from agents.assistant import Assistant
from agents.planner import Context
from agents.query_answer import QueryAnswerer
from db.readonly import QueryError, QueryTimeoutError
from db.server_load import ServerLoadError, connect_args, load_postgres
from db.server_read import DIALECT, run_select_server, write_privileges
from db.sql_guard import UnsafeSQLError
from tests.test_safety import ATTACKS

ROOT = Path(__file__).resolve().parent.parent
SUITES = ("business", "variants", "multiturn", "handwritten_a", "handwritten_d", "handwritten_g", "handwritten_n")


@pytest.fixture(scope="module")
def server():
    """A PostgreSQL server of its own, in a directory the server's user can reach, stopped afterwards."""
    where = tempfile.mkdtemp(prefix="bank-pg-")
    os.chmod(where, 0o755)
    env = {**os.environ, "BANK_SERVER_DIR": where}
    script = str(ROOT / "scripts" / "dbserver.sh")
    out = subprocess.run([script, "start", "postgres"], env=env, capture_output=True, text=True, check=True).stdout
    urls = dict(line.split("=", 1) for line in out.split())
    yield urls["BANK_SERVER_OWNER_URL"], urls["BANK_SERVER_READER_URL"]
    subprocess.run([script, "stop", "postgres"], env=env, check=False)
    shutil.rmtree(where, ignore_errors=True)


@pytest.fixture(scope="module")
def loaded(server, small_db):
    owner, reader = server
    result = load_postgres(small_db, owner)
    return owner, reader, result


def _digest(url: str) -> dict[str, tuple]:
    with psycopg.connect(**connect_args(url)) as conn:
        return {t: conn.execute(f"SELECT COUNT(*), SUM(LENGTH(CAST(t AS TEXT))) FROM bank.{t} AS t").fetchone()
                for t in ("customer_base", "customer_behavior_assets", "customer_snapshot", "monthly_summary")}


def _conversations():
    for name in SUITES:
        data = yaml.safe_load((ROOT / "suites" / f"{name}.yaml").read_text(encoding="utf-8"))
        for case in data["cases"] if isinstance(data, dict) else data:
            turns = case.get("turns") or [case["question"]]
            yield [t["question"] if isinstance(t, dict) else t for t in turns]


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_every_table_of_the_build_is_loaded_with_its_rows(loaded, small_db):
    from tests.conftest import read
    _, _, result = loaded
    for table in ("customer_base", "customer_behavior_assets", "customer_snapshot", "monthly_summary", "monthly_cube"):
        assert result.tables[table] == read(small_db, f"SELECT COUNT(*) AS n FROM {table}").n[0], table


def test_typed_queries_give_the_same_figures_on_postgres_as_on_sqlite(loaded, small_db, tmp_path):
    _, reader, _ = loaded
    assistant = Assistant(small_db, tmp_path)   # no models: 客群 questions are left to the model tests
    agent = assistant.sql_agent
    compared, differences = 0, []
    for turns in _conversations():
        context = Context()
        for turn in turns[:-1]:
            assistant.ask(turn, context)
        plan = assistant.planner.plan(turns[-1], context)
        query = plan.slots.get("understanding").query if plan.intent == "query" else None
        if query is None or "segment" in repr(query):
            continue
        on_sqlite = agent.query_answerer(plan.slots["city_of"]).answer(query, {})
        on_postgres = QueryAnswerer(lambda sql: run_select_server(reader, sql), agent.build_info, plan.slots["city_of"],
                                    dialect=DIALECT, summary_matches=agent.summary_matches).answer(query, {})
        facts = [{(repr(sorted(f["group"].items())), f["measure"]): f["value"] for f in r.provenance.get("facts", [])}
                 for r in (on_sqlite, on_postgres)]
        compared += 1
        if facts[0].keys() != facts[1].keys() or not all(_same(v, facts[1][k]) for k, v in facts[0].items()):
            differences.append(f"{turns[-1]}: {on_sqlite.text[:120]} | {on_postgres.text[:120]}")
    assert compared >= 300
    assert not differences, "\n".join(differences)


def test_the_reader_role_holds_no_write_privilege_and_the_owner_does(loaded):
    owner, reader, _ = loaded
    assert write_privileges(reader) == []
    assert write_privileges(owner)   # the check can fail: the loading role may write


HOSTILE_POSTGRES = [
    "COPY customer_base TO '/tmp/stolen.csv'",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT * FROM pg_shadow",
    "SET ROLE bank_owner",
    "CREATE TEMP TABLE t AS SELECT * FROM customer_base",
    "DO $$ BEGIN DELETE FROM bank.customer_base; END $$",
    "SELECT lo_import('/etc/passwd')",
    "SELECT name FROM bank.customer_base",
    "SET default_transaction_read_only = off; DELETE FROM bank.customer_base",
]


def test_hostile_sql_through_the_guarded_path_writes_nothing(loaded):
    owner, reader, _ = loaded
    before = _digest(owner)
    for sql in ATTACKS + HOSTILE_POSTGRES:
        with pytest.raises((UnsafeSQLError, QueryError, QueryTimeoutError)):   # a runaway CTE is stopped
            run_select_server(reader, sql, timeout_s=1)
    assert _digest(owner) == before


def test_the_reader_role_cannot_write_or_read_names_even_past_the_guard(loaded):
    owner, reader, _ = loaded
    before = _digest(owner)
    refused = 0
    for sql in [a.replace("customer_", "bank.customer_") for a in ATTACKS if "sqlite" not in a] + HOSTILE_POSTGRES:
        # the role's own statement_timeout (30 s) stops a runaway query; 1 s keeps the test short
        with psycopg.connect(**connect_args(reader), autocommit=True, options="-c statement_timeout=1000") as conn:
            try:
                conn.execute(sql)
            except psycopg.Error:
                refused += 1
    assert _digest(owner) == before
    with psycopg.connect(**connect_args(reader)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT name FROM bank.customer_base LIMIT 1")
    assert refused >= len(HOSTILE_POSTGRES)


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
    with sqlite3.connect(broken) as conn:   # text in an integer column: PostgreSQL's COPY refuses the row
        conn.execute("UPDATE customer_behavior_assets SET app_login_count = 'many' WHERE rowid = 5")
    with pytest.raises(ServerLoadError, match="customer_behavior_assets"):
        load_postgres(broken, owner)
    assert _digest(owner) == before
