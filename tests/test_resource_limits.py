"""Queries that try to exhaust memory or time are stopped by the executor (issue 13)."""
from __future__ import annotations

import time

import psutil
import pytest

from db.readonly import QueryError, QueryTimeoutError, run_select
from db.sql_guard import UnsafeSQLError, check_select

EXHAUSTION = [
    "SELECT printf('%.*c', 900000000, 'x') AS s",
    "WITH RECURSIVE r(s, n) AS (SELECT 'x', 0 UNION ALL SELECT s || s, n + 1 FROM r WHERE n < 40) SELECT s FROM r",
    "SELECT printf('%.*c', 900000, 'x') AS s FROM customer_base LIMIT 1000",
    "SELECT replace(printf('%.*c', 999999, 'x'), 'x', 'yy') AS s",
    "SELECT group_concat(printf('%.*c', 1000, 'x')) AS s FROM customer_behavior_assets",
    "SELECT a.customer_id FROM customer_base a, customer_base b, customer_base c ORDER BY random()",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) AS n FROM r",
    "SELECT upper(printf('%.*c', 600000, 'x')) || lower(printf('%.*c', 600000, 'y')) AS s",
]


@pytest.mark.parametrize("sql", EXHAUSTION)
def test_an_exhausting_query_is_stopped_within_its_deadline_and_memory(default_db, sql):
    process = psutil.Process()
    before = process.memory_info().rss
    start = time.perf_counter()
    try:
        result = run_select(default_db, sql, max_rows=1000, timeout_s=3)
        size = sum(len(str(v)) for row in result.frame.itertuples(index=False) for v in row)
        assert size <= 16_000_000
    except (QueryError, QueryTimeoutError):
        pass
    assert time.perf_counter() - start < 10
    assert process.memory_info().rss - before < 500 * 2**20


def test_a_reply_of_megabytes_is_not_taken_for_sql():
    with pytest.raises(UnsafeSQLError, match="过长"):
        check_select("SELECT " + " + ".join(["1"] * 20_000))
