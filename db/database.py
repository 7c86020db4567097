"""The one database interface the assistant reads through, chosen by BANK_DB.

`open_database(target)`: a file path or `sqlite:///…` is the embedded SQLite build (db.readonly's
guarded path); `postgresql+psycopg://…` or `mysql+pymysql://…` is a server (db.server_read's
read-only transactions). Both answer `select(sql, params)` with the same QueryResult, so the SQL
agents (offline and LLM), their vocabulary, the build facts, the dashboard's cube and 客户360's profile
are the same code on every backend. The models still read the local build (BANK_LOCAL_DB).

Statements come in two forms. The typed query compiles for `database.dialect` itself (`read=dialect`).
Hand-written statements (build facts, vocabulary, the older analyses) are SQLite with `?` parameters:
a server parses them as SQLite, puts the values in as literals through sqlglot and renders its own
dialect — no per-dialect strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import sqlglot
from sqlglot import exp

from db.readonly import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, QueryResult, run_select
from db.sql_guard import UnsafeSQLError


class ServerNotReadOnlyError(RuntimeError):
    """The role in BANK_DB could change the bank's data: the assistant does not start with it."""


def is_server_url(target: str | Path) -> bool:
    text = str(target)
    return "://" in text and not text.startswith("sqlite:")


@dataclass
class SqliteDatabase:
    path: Path
    attach: dict[str, Path] | None = None   # schema -> file (the segmentation's 客群 table)
    dialect: str = field(default="sqlite", init=False)

    @property
    def label(self) -> str:
        return f"SQLite {self.path.name}"

    @property
    def has_segments(self) -> bool:
        return bool(self.attach and self.attach.get("model"))

    def version(self) -> float | None:
        """Changes when the file is rebuilt (its modification time)."""
        return self.path.stat().st_mtime if self.path.exists() else None

    def select(self, sql: str, params=(), *, read: str = "sqlite", max_rows: int = DEFAULT_MAX_ROWS,
               timeout_s: float = DEFAULT_TIMEOUT_S) -> QueryResult:
        return run_select(self.path, sql, params, max_rows=max_rows, timeout_s=timeout_s, attach=self.attach)

    def build_info(self) -> dict[str, str]:
        return _build_info(self)

    def names(self, customer_ids, unmasked: bool = False) -> dict[str, str | None]:
        from db.personal import display_names
        return display_names(self.path, customer_ids, unmasked)


@dataclass
class ServerDatabase:
    url: str

    @cached_property
    def dialect(self) -> str:
        from db.server_load import dialect_of
        return dialect_of(self.url)

    @property
    def label(self) -> str:
        from sqlalchemy.engine import make_url
        return f"{'PostgreSQL' if self.dialect == 'postgres' else 'MySQL'} {make_url(self.url).database}"

    def select(self, sql: str, params=(), *, read: str = "sqlite", max_rows: int = DEFAULT_MAX_ROWS,
               timeout_s: float = DEFAULT_TIMEOUT_S) -> QueryResult:
        from db.server_read import run_select_server
        return run_select_server(self.url, self.render(sql, params, read),
                                 max_rows=max_rows, timeout_s=timeout_s)

    def render(self, sql: str, params, read: str) -> str:
        """The statement in this server's dialect, each `?` replaced by its value as a literal."""
        if read == self.dialect and not params:
            return sql
        try:
            tree = sqlglot.parse_one(sql, read=read)
        except sqlglot.errors.ParseError as exc:
            raise UnsafeSQLError(f"SQL 无法解析：{str(exc).splitlines()[0][:200]}") from exc
        values = iter(params)
        tree = tree.transform(lambda node: exp.convert(next(values)) if isinstance(node, exp.Placeholder) else node)
        if read == "sqlite" and self.dialect == "mysql":
            tree = tree.transform(_sqlite_floats)
        return tree.sql(dialect=self.dialect)

    has_segments = False   # the model outputs are files beside the local build, not server tables

    def version(self) -> tuple:
        """Changes with each load (the loaded build's time and data fingerprint)."""
        info = self.build_info()
        return info.get("built_at"), info.get("data_fingerprint")

    def build_info(self) -> dict[str, str]:
        return _build_info(self)

    def names(self, customer_ids, unmasked: bool = False) -> dict[str, str | None]:
        """The server's reading role holds no SELECT on personal columns: lists show ids only."""
        return {}

    def ensure_read_only(self) -> None:
        from db.server_read import write_privileges
        found = write_privileges(self.url)
        if found:
            raise ServerNotReadOnlyError(
                f"BANK_DB 的账号可以修改数据（{'、'.join(found[:5])}{' …' if len(found) > 5 else ''}），助手拒绝以它启动。"
                "请改用只读角色（scripts/dbserver.sh 建的 bank_reader，或只授予 SELECT 的账号）。")


def _sqlite_floats(node):
    """SQLite averages and divides (`* 1.0 /`) in floating point; MySQL in DECIMAL rounded to 4 places
    (64.55% would read 64.5%). The same arithmetic there: AVG and / over DOUBLE."""
    if isinstance(node, exp.Avg):
        return exp.Avg(this=exp.cast(node.this, "DOUBLE"))
    if isinstance(node, exp.Div):
        return exp.Div(this=exp.cast(node.this, "DOUBLE"), expression=node.expression)
    return node


Database = SqliteDatabase | ServerDatabase


def _build_info(db: Database) -> dict[str, str]:
    frame = db.select("SELECT key, value FROM build_info").frame
    return dict(zip(frame["key"], frame["value"]))


def sample_customer_id(db: Database) -> str:
    """An id in the data's own form (CUST000001, or a bank export's 32-hex), for "例如…" in a message."""
    return str(db.select("SELECT MIN(customer_id) AS c FROM customer_base").frame["c"].iloc[0])


def open_database(target: str | Path, *, attach: dict[str, Path] | None = None) -> Database:
    """BANK_DB as given: a server URL, `sqlite:///path`, or a path. `attach` applies to SQLite only
    (a server holds no model outputs yet)."""
    text = str(target)
    if is_server_url(text):
        return ServerDatabase(text)
    path = Path(text.removeprefix("sqlite:///")) if text.startswith("sqlite:///") else Path(text)
    return SqliteDatabase(path, attach)
