"""Personal data is protected by column in the executor itself, whatever the SQL does (issue 13)."""
from __future__ import annotations

import sqlite3

import pytest

from agents.assistant import Assistant
from agents.planner import Context
from db.personal import display_names, mask_name
from db.readonly import run_select

#: Ways model-written SQL has taken names out under another label (each leaked before this guard).
EXFILTRATION = [
    "SELECT name FROM customer_base LIMIT 50",
    "SELECT name AS kh FROM customer_base LIMIT 50",
    "SELECT name AS 客户名称 FROM customer_base LIMIT 50",
    "SELECT upper(name) FROM customer_base LIMIT 50",
    "SELECT substr(name, 1, 1) || substr(name, 2) AS x FROM customer_base LIMIT 50",
    "SELECT printf('%s', name) FROM customer_base LIMIT 50",
    "SELECT hex(name) FROM customer_base LIMIT 50",
    "SELECT replace(name, '', '') FROM customer_base LIMIT 50",
    "SELECT trim(name) || '' AS t FROM customer_base LIMIT 50",
    "SELECT first_value(name) OVER (ORDER BY customer_id) AS w FROM customer_base LIMIT 50",
    "WITH t AS (SELECT name AS n FROM customer_base) SELECT n FROM t LIMIT 50",
    "SELECT n FROM (SELECT name AS n FROM customer_base) LIMIT 50",
    "SELECT customer_id FROM customer_base UNION ALL SELECT name FROM customer_base LIMIT 100",
    "SELECT group_concat(name) FROM customer_base",
    "SELECT * FROM customer_base LIMIT 50",
    "SELECT b.* FROM customer_base b JOIN customer_snapshot s ON s.customer_id = b.customer_id LIMIT 50",
    "SELECT max(name), min(name) FROM customer_base",
    "SELECT unicode(name), length(name) FROM customer_base LIMIT 50",
]
#: A name used as a filter would be an oracle (does anyone's name start with 王?).
PROBES = [
    "SELECT COUNT(*) AS n FROM customer_base WHERE name LIKE '王%'",
    "SELECT COUNT(*) AS n FROM customer_base WHERE substr(name, 1, 1) = '王'",
    "SELECT COUNT(*) AS n FROM customer_base WHERE name IS NOT NULL",
]


@pytest.fixture(scope="module")
def names(default_db):
    conn = sqlite3.connect(f"file:{default_db}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM customer_base WHERE name IS NOT NULL")}
    finally:
        conn.close()


def _cells(frame) -> list[str]:
    return [str(v) for row in frame.itertuples(index=False) for v in row if v is not None]


@pytest.mark.parametrize("sql", EXFILTRATION)
def test_no_sql_reads_a_name_out_of_the_executor(default_db, names, sql):
    cells = _cells(run_select(default_db, sql, max_rows=200).frame)
    hexed = {n.encode().hex().upper() for n in names}
    assert not [c for c in cells if c in names or c.upper() in hexed or any(n in c for n in list(names)[:300])]


@pytest.mark.parametrize("sql", PROBES)
def test_a_name_cannot_be_used_as_a_filter_either(default_db, sql):
    assert run_select(default_db, sql).frame["n"][0] == 0


def test_names_for_display_come_masked_from_one_trusted_function(default_db, names):
    shown = display_names(default_db, ["CUST000001", "CUST000002", "NOPE"])
    assert set(shown) == {"CUST000001", "CUST000002"}
    assert all(v not in names and "*" in v for v in shown.values())
    full = display_names(default_db, ["CUST000001"], unmasked=True)
    assert full["CUST000001"] in names and mask_name(full["CUST000001"]) == shown["CUST000001"]


def test_customer_lists_show_masked_names_and_the_pii_role_sees_them_whole(default_db, names, tmp_path):
    question = "资产最高的5位客户是谁"
    masked = Assistant(default_db, tmp_path).ask(question, Context(), user="analyst")
    shown = masked.tables[0].to_frame()["姓名"].tolist()
    assert len(shown) == 5 and all(n not in names and "*" in n for n in shown)
    whole = Assistant(default_db, tmp_path, pii_users=frozenset({"auditor"})).ask(question, Context(), user="auditor")
    assert all(n in names for n in whole.tables[0].to_frame()["姓名"])
