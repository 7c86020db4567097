"""The read-only query path every question's SQL takes.

`connect_readonly` opens the database with `mode=ro` and installs an authorizer
that allows only reading the project's tables and calling allow-listed
functions: `mode=ro` alone still lets ATTACH and VACUUM INTO create other files.
`run_select` checks the statement with the SQL guard, aborts it past a time
limit (progress handler: also stops runaway recursive CTEs) and fetches at most
`max_rows + 1` rows to know whether the result was truncated.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from db.schema import PERSONAL_COLUMNS
from db.sql_guard import ALLOWED_FUNCTIONS, READABLE_TABLES, check_select

DEFAULT_MAX_ROWS = 1000
DEFAULT_TIMEOUT_S = 5.0
#: No string or blob a query builds may exceed this (printf('%.*c', 900000000, 'x'), a doubling CTE) …
MAX_VALUE_BYTES = 1_000_000
#: … and a result stops being fetched past this many bytes (1,000 rows of 1 MB would be 1 GB).
MAX_RESULT_BYTES = 16_000_000
FETCH_BATCH = 100


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be read at all (no file, server down); the message says what to do."""


class DatabaseMissingError(DatabaseUnavailableError, FileNotFoundError):
    def __init__(self, path: Path):
        super().__init__(f"找不到数据库 {path}。请先运行 make run（或 python -m db.build）构建演示数据。")


class QueryTimeoutError(RuntimeError):
    pass


class QueryError(RuntimeError):
    """SQLite refused or failed the statement (unknown column, denied by the authorizer …)."""


@dataclass
class QueryResult:
    sql: str
    frame: pd.DataFrame
    truncated: bool
    seconds: float


def _authorizer(personal: bool):
    """Only reading the project's tables and calling allow-listed functions. A personal column reads as
    NULL (SQLITE_IGNORE) unless `personal`: whatever alias, function, CTE, UNION or `*` the SQL uses,
    and in WHERE too, so a name cannot even be probed."""
    def check(action, arg1, arg2, db_name, trigger):
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            # A CTE's own name is read with no database name; real tables come as "main".
            if db_name is None:
                return sqlite3.SQLITE_OK
            table = (arg1 or "").lower()
            if table not in READABLE_TABLES:
                return sqlite3.SQLITE_DENY
            if not personal and (table, (arg2 or "").lower()) in PERSONAL_COLUMNS:
                return sqlite3.SQLITE_IGNORE
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION:
            return sqlite3.SQLITE_OK if (arg2 or "").lower() in ALLOWED_FUNCTIONS else sqlite3.SQLITE_DENY
        if action == getattr(sqlite3, "SQLITE_RECURSIVE", 33):
            return sqlite3.SQLITE_OK  # WITH RECURSIVE: bounded by the time limit
        return sqlite3.SQLITE_DENY
    return check


def connect_readonly(db_path: Path, *, guarded: bool = True, attach: dict[str, Path] | None = None,
                     personal: bool = False) -> sqlite3.Connection:
    """`attach`: schema name -> database file, attached read-only before the authorizer is set
    (the model outputs' segments table); their tables are read by unqualified name. `personal`: only
    db.personal passes it, to read the names it shows."""
    path = Path(db_path).resolve()
    if not path.exists():
        raise DatabaseMissingError(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    for schema, other in (attach or {}).items():
        conn.execute("ATTACH DATABASE ? AS " + schema, (f"file:{Path(other).resolve()}?mode=ro",))
    if guarded:
        conn.set_authorizer(_authorizer(personal))
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 200_000)
    return conn


def run_select(db_path: Path, sql: str, params=(), *, max_rows: int = DEFAULT_MAX_ROWS,
               timeout_s: float = DEFAULT_TIMEOUT_S, attach: dict[str, Path] | None = None) -> QueryResult:
    """Run one guarded SELECT; raises UnsafeSQLError, QueryTimeoutError or QueryError."""
    statement = check_select(sql)
    conn = connect_readonly(db_path, attach=attach)
    deadline = time.perf_counter() + timeout_s
    conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)
    start = time.perf_counter()
    try:
        cursor = conn.execute(statement, params)
        rows = fetch_bounded(cursor, max_rows + 1)
        columns = [d[0] for d in cursor.description or ()]
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc) and time.perf_counter() > deadline:
            raise QueryTimeoutError(f"查询超过 {timeout_s:g} 秒，已中止。请缩小范围或加上筛选条件。") from exc
        raise QueryError(f"查询执行失败：{exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise QueryError(f"查询执行失败：{exc}") from exc
    finally:
        conn.close()
    truncated = len(rows) > max_rows
    frame = pd.DataFrame(rows[:max_rows], columns=columns)
    return QueryResult(statement, frame, truncated, time.perf_counter() - start)


def fetch_bounded(cursor, limit: int) -> list[tuple]:
    """At most `limit` rows and MAX_RESULT_BYTES bytes (counted as the values' text would take)."""
    rows, size = [], 0
    while len(rows) < limit:
        batch = cursor.fetchmany(min(FETCH_BATCH, limit - len(rows)))
        if not batch:
            break
        size += sum(len(v) if isinstance(v, (str, bytes)) else 8 for row in batch for v in row)
        if size > MAX_RESULT_BYTES:
            raise QueryError(f"查询结果超过 {MAX_RESULT_BYTES // 1_000_000} MB，已停止读取。请只选需要的列或加上筛选条件。")
        rows += batch
    return rows


def build_info(db_path: Path) -> dict[str, str]:
    """The build's facts (as_of_month, first_month, source …) as a dict."""
    frame = run_select(db_path, "SELECT key, value FROM build_info").frame
    return dict(zip(frame["key"], frame["value"]))
