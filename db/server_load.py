"""Load a built database into a server (PostgreSQL, or MySQL/MariaDB): every table of the SQLite build,
same rows, same indexes, into a staging area that replaces the live tables in one step.

The derived tables (snapshot, monthly summary and cube, metadata) come from the SQLite build, so
one definition of them serves every backend and a server answers with the build's own numbers.
A failed load leaves the live tables untouched: the staging area is emptied and the error names the
table. Bulk paths: PostgreSQL's COPY; on MySQL, multi-row INSERTs of BATCH rows.
"""
from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from db.errors import BuildError
from db.schema import PERSONAL_COLUMNS

SCHEMA = "bank"            # PostgreSQL schema / MySQL database the reader queries
STAGING = "bank_load"
RETIRED = "bank_old"
READER = "bank_reader"
BATCH = 5000
_TYPES = {"postgres": {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "TEXT": "TEXT"},
          # MySQL indexes no TEXT column: an indexed text column is a VARCHAR
          "mysql": {"INTEGER": "BIGINT", "REAL": "DOUBLE", "TEXT": "LONGTEXT", "INDEXED_TEXT": "VARCHAR(255)"}}


class ServerLoadError(BuildError):
    pass


@dataclass
class LoadResult:
    url: str
    tables: dict[str, int] = field(default_factory=dict)   # table -> rows
    seconds: float = 0.0


def dialect_of(url: str) -> str:
    """The sqlglot dialect of a server URL: postgres or mysql (MariaDB speaks it too)."""
    name = make_url(url).drivername.split("+")[0]
    if name in ("postgresql", "postgres"):
        return "postgres"
    if name in ("mysql", "mariadb"):
        return "mysql"
    raise ServerLoadError(f"不支持的数据库地址 {name}：请用 postgresql+psycopg://… 或 mysql+pymysql://…")


def connect_args(url: str) -> dict:
    """Driver keyword arguments (psycopg or PyMySQL) from a SQLAlchemy URL."""
    u = make_url(url)
    if dialect_of(url) == "postgres":
        args = {"dbname": u.database, "user": u.username, "password": u.password,
                "host": u.query.get("host") or u.host, "port": u.port}
    else:
        args = {"database": u.database, "user": u.username, "password": u.password, "host": u.host,
                "port": u.port, "unix_socket": u.query.get("unix_socket"), "charset": "utf8mb4"}
    return {k: v for k, v in args.items() if v}


def connect(url: str, **extra):
    if dialect_of(url) == "postgres":
        import psycopg
        return psycopg.connect(**connect_args(url), **extra)
    import pymysql
    return pymysql.connect(**connect_args(url), **extra)


# -- what the SQLite build holds ------------------------------------------------------------------
def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _indexes(conn: sqlite3.Connection, table: str) -> list[tuple[str, bool, list[str]]]:
    found = []
    for _, name, unique, _origin, _partial in conn.execute(f'PRAGMA index_list("{table}")'):
        cols = [r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')]
        if cols and all(cols):
            found.append((name, bool(unique), cols))
    return found


def _columns(conn: sqlite3.Connection, table: str, dialect: str) -> list[tuple[str, str]]:
    types = _TYPES[dialect]
    indexed = {c for _, _, cols in _indexes(conn, table) for c in cols}
    out = []
    for r in conn.execute(f'PRAGMA table_info("{table}")'):
        declared = (r[2] or "TEXT").upper()
        declared = declared if declared in ("INTEGER", "REAL") else "TEXT"
        if declared == "TEXT" and r[1] in indexed and "INDEXED_TEXT" in types:
            declared = "INDEXED_TEXT"
        out.append((r[1], types[declared]))
    return out


def _q(name: str, dialect: str) -> str:
    return f"`{name}`" if dialect == "mysql" else '"' + name.replace('"', '""') + '"'


# -- loading --------------------------------------------------------------------------------------
def load_server(sqlite_path: Path, url: str, *, reader: str = READER, progress=None) -> LoadResult:
    """Copy every table of the SQLite build at `sqlite_path` to the server at `url` (connected as the
    loading role); `reader` may then SELECT every column but the personal ones."""
    dialect = dialect_of(url)
    start = time.perf_counter()
    result = LoadResult(url)
    src = sqlite3.connect(f"file:{Path(sqlite_path).resolve()}?mode=ro", uri=True)
    tables = _tables(src)
    try:
        try:
            server = connect(url)
        except Exception as exc:   # psycopg / PyMySQL OperationalError: wrong address, account or no server
            raise ServerLoadError(f"连接不上数据库服务器：{str(exc).splitlines()[0]}。请检查地址与账号，"
                                  "以及服务器是否已启动（本机测试可用 scripts/dbserver.sh start postgres|mysql）。") from exc
        with server:
            cur = server.cursor()
            _empty_staging(cur, dialect)
            server.commit()
            table = "?"
            try:
                for table in tables:
                    result.tables[table] = _copy_table(src, cur, table, dialect)
                    if progress:
                        progress(table, result.tables[table])
                server.commit()
            except Exception as exc:
                server.rollback()
                _empty_staging(cur, dialect)
                server.commit()
                raise ServerLoadError(f"载入服务器失败（表 {table}）：{exc}。服务器上原有数据未改动。") from exc
            _swap(cur, tables, dialect)
            _grant(cur, src, tables, reader, dialect)
            server.commit()
    finally:
        src.close()
    result.seconds = time.perf_counter() - start
    return result


def _empty_staging(cur, dialect: str) -> None:
    if dialect == "postgres":
        cur.execute(f"DROP SCHEMA IF EXISTS {STAGING} CASCADE")
        cur.execute(f"CREATE SCHEMA {STAGING}")
        return
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (STAGING,))
    for (name,) in cur.fetchall():
        cur.execute(f"DROP TABLE {STAGING}.`{name}`")


def _copy_table(src: sqlite3.Connection, cur, table: str, dialect: str) -> int:
    q = lambda n: _q(n, dialect)   # noqa: E731
    columns = _columns(src, table, dialect)
    cur.execute(f"CREATE TABLE {STAGING}.{q(table)} (" + ", ".join(f"{q(c)} {t}" for c, t in columns) + ")")
    names = ", ".join(q(c) for c, _ in columns)
    rows = 0
    select = src.execute(f'SELECT * FROM "{table}"')
    if dialect == "postgres":
        with cur.copy(f"COPY {STAGING}.{q(table)} ({names}) FROM STDIN") as copy:
            for row in select:
                copy.write_row(row)
                rows += 1
    else:
        insert = f"INSERT INTO {STAGING}.{q(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        while batch := select.fetchmany(BATCH):
            cur.executemany(insert, batch)
            rows += len(batch)
    for name, unique, cols in _indexes(src, table):
        if len(name) > 60:   # MySQL's identifiers stop at 64 characters
            name = name[:50] + "_" + hashlib.sha1(name.encode()).hexdigest()[:8]
        target = f"{STAGING}.{q(table)}"
        cur.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {q(name)} ON {target} ({', '.join(map(q, cols))})")
    cur.execute(f"ANALYZE {'' if dialect == 'postgres' else 'TABLE '}{STAGING}.{q(table)}")
    if dialect == "mysql":
        cur.fetchall()   # ANALYZE TABLE returns a status row
    return rows


def _swap(cur, tables: list[str], dialect: str) -> None:
    """Staging becomes live in one step: a schema rename on PostgreSQL, one RENAME TABLE on MySQL."""
    if dialect == "postgres":
        cur.execute(f"DROP SCHEMA IF EXISTS {RETIRED} CASCADE")
        cur.execute(f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{SCHEMA}') THEN "
                    f"ALTER SCHEMA {SCHEMA} RENAME TO {RETIRED}; END IF; END $$")
        cur.execute(f"ALTER SCHEMA {STAGING} RENAME TO {SCHEMA}")
        cur.execute(f"DROP SCHEMA IF EXISTS {RETIRED} CASCADE")
        return
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (SCHEMA,))
    live = {name for (name,) in cur.fetchall()}
    renames = [f"{SCHEMA}.`{t}` TO {RETIRED}.`{t}`" for t in tables if t in live] + \
              [f"{STAGING}.`{t}` TO {SCHEMA}.`{t}`" for t in tables]
    cur.execute("RENAME TABLE " + ", ".join(renames))   # atomic: readers see the old tables or the new
    for t in tables:
        if t in live:
            cur.execute(f"DROP TABLE {RETIRED}.`{t}`")


def _grant(cur, src: sqlite3.Connection, tables: list[str], reader: str, dialect: str) -> None:
    """Column grants on tables holding personal data: the reader cannot select a name at all."""
    q = lambda n: _q(n, dialect)   # noqa: E731
    who = q(reader) if dialect == "postgres" else f"'{reader}'@'localhost'"
    if dialect == "postgres":
        cur.execute(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {who}")
    personal: dict[str, set[str]] = {}
    for table, column in PERSONAL_COLUMNS:
        personal.setdefault(table, set()).add(column)
    for table in tables:
        if table in personal:
            allowed = [c for c, _ in _columns(src, table, dialect) if c not in personal[table]]
            cur.execute(f"GRANT SELECT ({', '.join(map(q, allowed))}) ON {SCHEMA}.{q(table)} TO {who}")
        else:
            cur.execute(f"GRANT SELECT ON {SCHEMA}.{q(table)} TO {who}")
