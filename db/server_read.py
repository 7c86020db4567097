"""The read-only query path on a PostgreSQL server, beside db.readonly's SQLite one.

Read-only three times over: the SQL guard (parsed in the server's dialect), a READ ONLY transaction
with a statement timeout, and a role that holds only SELECT (no SELECT on personal columns at all:
db.server_load grants column by column). `write_privileges` lets the app refuse a role that could
write before it answers anything.
"""
from __future__ import annotations

import time
from functools import lru_cache

import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from db.readonly import (DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, QueryError, QueryResult, QueryTimeoutError,
                         _fetch)
from db.server_load import SCHEMA
from db.sql_guard import READABLE_TABLES, check_select

DIALECT = "postgres"


@lru_cache(maxsize=8)
def engine(url: str):
    return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)


def run_select_server(url: str, sql: str, *, max_rows: int = DEFAULT_MAX_ROWS,
                      timeout_s: float = DEFAULT_TIMEOUT_S) -> QueryResult:
    """One guarded SELECT on the server; raises UnsafeSQLError, QueryTimeoutError or QueryError."""
    statement = check_select(sql, DIALECT)
    start = time.perf_counter()
    with engine(url).connect() as conn:
        try:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")
            conn.exec_driver_sql(f"SET LOCAL search_path TO {SCHEMA}")
            cursor = conn.exec_driver_sql(statement.replace("%", "%%"))
            rows = _fetch(cursor, max_rows + 1)
            columns = list(cursor.keys())
        except DBAPIError as exc:
            if "statement timeout" in str(exc.orig):
                raise QueryTimeoutError(f"查询超过 {timeout_s:g} 秒，已中止。请缩小范围或加上筛选条件。") from exc
            raise QueryError(f"查询执行失败：{str(exc.orig).splitlines()[0]}") from exc
        finally:
            conn.rollback()
    truncated = len(rows) > max_rows
    frame = pd.DataFrame([tuple(r) for r in rows[:max_rows]], columns=columns)
    return QueryResult(statement, frame, truncated, time.perf_counter() - start)


def write_privileges(url: str) -> list[str]:
    """What the connected role could change: tables it may write, schemas it may create in. Empty = read-only."""
    with engine(url).connect() as conn:
        found = [f"{SCHEMA}.{t}: {p}" for t in sorted(READABLE_TABLES) for p in ("INSERT", "UPDATE", "DELETE",
                                                                                 "TRUNCATE")
                 if conn.execute(text("SELECT to_regclass(:t) IS NOT NULL AND has_table_privilege(:t, :p)"),
                                 {"t": f"{SCHEMA}.{t}", "p": p}).scalar()]
        for schema in (SCHEMA, "public"):
            if conn.execute(text("SELECT has_schema_privilege(:s, 'CREATE')"), {"s": schema}).scalar():
                found.append(f"schema {schema}: CREATE")
        conn.rollback()
    return found
