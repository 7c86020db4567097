"""Load a built database into a PostgreSQL server: every table of the SQLite build, same rows, same
indexes, into a staging schema that replaces the live one in one transaction.

The derived tables (snapshot, monthly summary and cube, metadata) come from the SQLite build, so
one definition of them serves every backend and a server answers with the build's own numbers.
A failed load leaves the live schema untouched: the staging schema is dropped and the error names
the table. PostgreSQL's bulk path is COPY.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from db.errors import BuildError
from db.schema import PERSONAL_COLUMNS

SCHEMA = "bank"
STAGING = "bank_load"
READER = "bank_reader"
_PG_TYPES = {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "TEXT": "TEXT", "NUMERIC": "DOUBLE PRECISION"}


class ServerLoadError(BuildError):
    pass


@dataclass
class LoadResult:
    url: str
    tables: dict[str, int] = field(default_factory=dict)   # table -> rows
    seconds: float = 0.0


def connect_args(url: str) -> dict:
    """psycopg keyword arguments from a SQLAlchemy URL (postgresql+psycopg://user[:pw]@[host][:port]/db?host=/socket)."""
    u = make_url(url)
    if not u.drivername.startswith("postgresql"):
        raise ServerLoadError(f"暂只支持 PostgreSQL 服务器（postgresql+psycopg://…），收到 {u.drivername}。")
    args = {"dbname": u.database, "user": u.username, "password": u.password,
            "host": u.query.get("host") or u.host, "port": u.port}
    return {k: v for k, v in args.items() if v}


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    return [(r[1], _PG_TYPES.get((r[2] or "TEXT").upper(), "TEXT"))
            for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _indexes(conn: sqlite3.Connection, table: str) -> list[tuple[str, bool, list[str]]]:
    found = []
    for _, name, unique, origin, _partial in conn.execute(f'PRAGMA index_list("{table}")'):
        cols = [r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')]
        if cols and all(cols):
            found.append((name, bool(unique), cols))
    return found


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_postgres(sqlite_path: Path, url: str, *, reader: str = READER, progress=None) -> LoadResult:
    """Copy every table of the SQLite build at `sqlite_path` into schema `bank` on the server at `url`
    (connected as the loading role), then let `reader` SELECT every column but the personal ones."""
    import psycopg

    start = time.perf_counter()
    result = LoadResult(url)
    src = sqlite3.connect(f"file:{Path(sqlite_path).resolve()}?mode=ro", uri=True)
    try:
        with psycopg.connect(**connect_args(url)) as pg:
            with pg.cursor() as cur:
                cur.execute(f"DROP SCHEMA IF EXISTS {STAGING} CASCADE")
                cur.execute(f"CREATE SCHEMA {STAGING}")
                pg.commit()
                table = "?"
                try:
                    for table in _tables(src):
                        result.tables[table] = _copy_table(src, cur, table)
                        if progress:
                            progress(table, result.tables[table])
                    pg.commit()
                except Exception as exc:
                    pg.rollback()
                    cur.execute(f"DROP SCHEMA IF EXISTS {STAGING} CASCADE")
                    pg.commit()
                    raise ServerLoadError(f"载入服务器失败（表 {table}）：{exc}。服务器上原有数据未改动。") from exc
                _swap(cur, src, reader)
            pg.commit()
    finally:
        src.close()
    result.seconds = time.perf_counter() - start
    return result


def _copy_table(src: sqlite3.Connection, cur, table: str) -> int:
    columns = _columns(src, table)
    cur.execute(f"CREATE TABLE {STAGING}.{_q(table)} (" +
                ", ".join(f"{_q(c)} {t}" for c, t in columns) + ")")
    names = ", ".join(_q(c) for c, _ in columns)
    rows = 0
    with cur.copy(f"COPY {STAGING}.{_q(table)} ({names}) FROM STDIN") as copy:
        for row in src.execute(f'SELECT * FROM "{table}"'):
            copy.write_row(row)
            rows += 1
    for name, unique, cols in _indexes(src, table):
        cur.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {_q(name)} ON {STAGING}.{_q(table)} "
                    f"({', '.join(map(_q, cols))})")
    cur.execute(f"ANALYZE {STAGING}.{_q(table)}")
    return rows


def _swap(cur, src: sqlite3.Connection, reader: str) -> None:
    """Staging becomes live in one transaction; the reader's grants are set on the new tables."""
    cur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA}_old CASCADE")
    cur.execute(f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{SCHEMA}') THEN "
                f"ALTER SCHEMA {SCHEMA} RENAME TO {SCHEMA}_old; END IF; END $$")
    cur.execute(f"ALTER SCHEMA {STAGING} RENAME TO {SCHEMA}")
    cur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA}_old CASCADE")
    cur.execute(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {_q(reader)}")
    personal = {}
    for table, column in PERSONAL_COLUMNS:
        personal.setdefault(table, set()).add(column)
    for table in _tables(src):
        if table in personal:   # column grants: the reader cannot select the name at all
            allowed = [c for c, _ in _columns(src, table) if c not in personal[table]]
            cur.execute(f"GRANT SELECT ({', '.join(map(_q, allowed))}) ON {SCHEMA}.{_q(table)} TO {_q(reader)}")
        else:
            cur.execute(f"GRANT SELECT ON {SCHEMA}.{_q(table)} TO {_q(reader)}")
