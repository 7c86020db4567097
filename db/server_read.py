"""The read-only query path on a server (PostgreSQL, MySQL/MariaDB), beside db.readonly's SQLite one.

Read-only three times over: the SQL guard (parsed in the server's dialect), a READ ONLY transaction
with a statement time limit, and a role that holds only SELECT (no SELECT on personal columns at all:
db.server_load grants column by column). `write_privileges` lets the app refuse a role that could
write before it answers anything.
"""
from __future__ import annotations

import time
from decimal import Decimal
from functools import lru_cache

import pandas as pd
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from db.readonly import (DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, DatabaseUnavailableError, QueryError, QueryResult,
                         QueryTimeoutError, fetch_bounded)
from db.server_load import SCHEMA, dialect_of
from db.sql_guard import check_select

#: What each server says when a statement ran past its limit.
_TIMED_OUT = ("statement timeout", "max_statement_time", "maximum statement execution time")
_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "CREATE", "DROP", "ALTER", "INDEX", "REFERENCES",
           "TRIGGER", "CREATE VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "EXECUTE", "EVENT", "LOCK TABLES",
           "GRANT OPTION", "DELETE HISTORY", "FILE", "SUPER", "ALL PRIVILEGES")


@lru_cache(maxsize=8)
def engine(url: str):
    return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)


@lru_cache(maxsize=8)
def _is_mariadb(url: str) -> bool:
    with engine(url).connect() as conn:
        return "mariadb" in conn.exec_driver_sql("SELECT VERSION()").scalar().lower()


def _connect(url: str):
    try:
        return engine(url).connect()
    except DBAPIError as exc:   # server down, wrong password, no such database
        where = make_url(url).render_as_string(hide_password=True)
        raise DatabaseUnavailableError(f"无法连接数据库服务器 {where}：{str(exc.orig).splitlines()[0][:200]}。"
                                       "请检查 BANK_DB 的地址、账号与服务器状态。") from exc


def _begin_read_only(conn, url: str, dialect: str, timeout_s: float) -> None:
    if dialect == "postgres":
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")
        conn.exec_driver_sql(f"SET LOCAL search_path TO {SCHEMA}")
    else:
        limit = (f"max_statement_time = {timeout_s:g}" if _is_mariadb(url)
                 else f"max_execution_time = {int(timeout_s * 1000)}")
        conn.exec_driver_sql(f"SET SESSION {limit}")
        conn.exec_driver_sql("START TRANSACTION READ ONLY")


def run_select_server(url: str, sql: str, *, max_rows: int = DEFAULT_MAX_ROWS,
                      timeout_s: float = DEFAULT_TIMEOUT_S) -> QueryResult:
    """One guarded SELECT on the server; raises UnsafeSQLError, QueryTimeoutError or QueryError."""
    dialect = dialect_of(url)
    statement = check_select(sql, dialect)
    start = time.perf_counter()
    with _connect(url) as conn:
        try:
            _begin_read_only(conn, url, dialect, timeout_s)
            cursor = conn.exec_driver_sql(statement.replace("%", "%%"))
            rows = fetch_bounded(cursor, max_rows + 1)
            columns = list(cursor.keys())
        except DBAPIError as exc:
            if any(s in str(exc.orig).lower() for s in _TIMED_OUT):
                raise QueryTimeoutError(f"查询超过 {timeout_s:g} 秒，已中止。请缩小范围或加上筛选条件。") from exc
            raise QueryError(f"查询执行失败：{str(exc.orig).splitlines()[0]}") from exc
        finally:
            conn.rollback()
    truncated = len(rows) > max_rows
    frame = pd.DataFrame([tuple(r) for r in rows[:max_rows]], columns=columns)
    for column in frame.columns[frame.dtypes == object]:   # SUM/AVG of integers come back as Decimal (SQLite:
        if frame[column].map(lambda v: isinstance(v, Decimal)).any():   # int/float); only object columns hold them
            frame[column] = frame[column].map(lambda v: float(v) if isinstance(v, Decimal) else v)
    return QueryResult(statement, frame, truncated, time.perf_counter() - start)


def write_privileges(url: str) -> list[str]:
    """What the connected role could change. Empty = read-only."""
    with engine(url).connect() as conn:
        if dialect_of(url) == "postgres":
            found = [f"{SCHEMA}.{t}: {p}" for t, p in conn.exec_driver_sql(
                "SELECT c.relname, p.p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS p(p) "
                f"WHERE n.nspname = '{SCHEMA}' AND c.relkind = 'r' AND has_table_privilege(c.oid, p.p)")]
            found += [f"schema {s}: CREATE" for s in (SCHEMA, "public") if conn.exec_driver_sql(
                f"SELECT has_schema_privilege('{s}', 'CREATE')").scalar()]
        else:   # every grant of the current account, as the server states them
            found = [g for (g,) in conn.exec_driver_sql("SHOW GRANTS")
                     if any(f" {w}" in g.upper().split(" ON ")[0] or f",{w}" in g.upper().split(" ON ")[0]
                            for w in _WRITES)]
        conn.rollback()
    return found
