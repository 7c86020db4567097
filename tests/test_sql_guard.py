"""The read-only query path refuses or stops everything but one SELECT, and writes nothing."""
import sqlite3

import pytest

from db.readonly import QueryError, QueryTimeoutError, run_select
from db.sql_guard import UnsafeSQLError, check_select
from tests.conftest import file_hash

REFUSED = [
    "DELETE FROM customer_base",
    "DROP TABLE customer_base",
    "UPDATE customer_base SET age = 1",
    "INSERT INTO customer_base (customer_id) VALUES ('x')",
    "SELECT 1; DROP TABLE customer_base",
    "SELECT 1; SELECT 2",
    "PRAGMA writable_schema = 1",
    "ATTACH DATABASE '/tmp/evil.db' AS evil",
    "VACUUM INTO '/tmp/copy.db'",
    "CREATE TABLE t AS SELECT * FROM customer_base",
    "SELECT * FROM sqlite_master",
    "SELECT name FROM customer_base UNION SELECT sql FROM sqlite_master",
    "SELECT * FROM main.customer_base",
    "BEGIN; DELETE FROM customer_base; COMMIT",
    "SELECT 1 /* ; */ ; DELETE FROM customer_base -- ",
    "",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_anything_but_one_select_over_our_tables_is_refused(sql):
    with pytest.raises(UnsafeSQLError):
        check_select(sql)


def test_one_select_with_cte_union_and_trailing_semicolon_passes():
    sql = ("WITH t AS (SELECT customer_tier, COUNT(*) n FROM customer_snapshot GROUP BY 1) "
           "SELECT * FROM t UNION ALL SELECT 'all', COUNT(*) FROM customer_base;")
    assert check_select(sql).endswith("customer_base")


def test_functions_outside_the_allow_list_are_refused_by_the_guard_and_the_authorizer(small_db):
    import sqlite3

    from db.readonly import connect_readonly
    with pytest.raises(UnsafeSQLError, match="load_extension"):
        run_select(small_db, "SELECT load_extension('/tmp/x.so')")
    conn = connect_readonly(small_db)   # past the guard, the authorizer holds the same list
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT load_extension('/tmp/x.so')")
    finally:
        conn.close()


def test_a_runaway_recursive_query_is_stopped(small_db):
    with pytest.raises(QueryTimeoutError):
        run_select(small_db, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                             "SELECT COUNT(*) FROM r", timeout_s=0.3)


def test_results_are_capped_and_truncation_is_reported(small_db):
    result = run_select(small_db, "SELECT customer_id FROM customer_base", max_rows=10)
    assert len(result.frame) == 10 and result.truncated
    small = run_select(small_db, "SELECT COUNT(*) AS n FROM customer_base")
    assert not small.truncated and small.frame["n"][0] == 3000


def test_the_database_and_its_folder_are_unchanged_after_attacks(small_db, tmp_path):
    before = file_hash(small_db)
    files = sorted(p.name for p in small_db.parent.iterdir())
    for sql in REFUSED + ["SELECT load_extension('x')"]:
        with pytest.raises((UnsafeSQLError, QueryError)):
            run_select(small_db, sql)
    # Even bypassing the parser, the authorizer stops writes to other files.
    from db.readonly import connect_readonly
    conn = connect_readonly(small_db)
    for sql in (f"VACUUM INTO '{tmp_path / 'copy.db'}'", f"ATTACH DATABASE '{tmp_path / 'a.db'}' AS a",
                "PRAGMA journal_mode = WAL"):
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(sql)
    conn.close()
    assert file_hash(small_db) == before
    assert sorted(p.name for p in small_db.parent.iterdir()) == files
    assert list(tmp_path.iterdir()) == []
