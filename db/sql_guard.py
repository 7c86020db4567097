"""The SQL guard: a statement runs only if it is exactly one read-only SELECT.

Parsed with sqlglot in the connection's dialect (SQLite by default), so comments, string literals and stacked
statements cannot hide a second statement. Checked here: one statement; a
SELECT / UNION / WITH … SELECT at the root; no write, DDL, PRAGMA, ATTACH,
VACUUM or transaction anywhere in the tree; only the project's own tables
(never sqlite_master or other internal tables). The read-only connection's
authorizer (db.readonly) is the second, independent line of defence.
"""
from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

#: Tables a question may read. The generator's hidden truth lives in another file.
READABLE_TABLES = frozenset({
    "customer_base", "customer_behavior_assets", "customer_snapshot", "monthly_summary",
    "meta_tables", "meta_columns", "data_quality", "build_info",
    "monthly_cube",       # months × dimensions, pre-aggregated (db.monthly_cube)
    "customer_segment",   # the segmentation model's output, attached from the artifacts
    "customer_score", "score_reason",   # the campaign scores training saved (db.model_outputs), attached too
})
_FORBIDDEN = tuple(t for t in (
    getattr(exp, name, None) for name in (
        "Insert", "Update", "Delete", "Drop", "Create", "Alter", "AlterTable", "Pragma", "Attach",
        "Detach", "Command", "Transaction", "Commit", "Rollback", "Merge", "Copy", "LoadData",
        "Set", "Use", "TruncateTable", "Analyze")) if t is not None)


#: Functions a query may call (SQLite's authorizer enforces the same list). sqlglot names the functions it
#: knows by type (SUM, CAST, INSTR …); any other name is checked here, so a server's own file, sleep or
#: large-object functions (LOAD_FILE, pg_read_file, lo_import, SLEEP, pg_sleep) never run.
ALLOWED_FUNCTIONS = frozenset({
    "count", "sum", "total", "avg", "min", "max", "round", "abs", "coalesce", "ifnull", "nullif",
    "iif", "length", "lower", "upper", "trim", "ltrim", "rtrim", "substr", "substring", "replace",
    "instr", "printf", "format", "date", "datetime", "strftime", "julianday", "group_concat",
    "cast", "like", "glob", "typeof", "ceil", "ceiling", "floor", "sqrt", "ln", "log", "log10",
    "exp", "power", "pow", "sign", "row_number", "rank", "dense_rank", "ntile", "lag", "lead",
    "first_value", "last_value", "percent_rank", "cume_dist", "unicode", "char", "hex", "random",
})

MAX_SQL_CHARS = 20_000


class UnsafeSQLError(ValueError):
    """The statement is not a single read-only SELECT over the project's tables."""


def check_select(sql: str, dialect: str = "sqlite") -> str:
    """Return the statement (trailing semicolons removed) or raise UnsafeSQLError."""
    text = (sql or "").strip()
    if not text:
        raise UnsafeSQLError("SQL 为空。")
    if len(text) > MAX_SQL_CHARS:   # a model reply of megabytes is not a query (and is not sent back)
        raise UnsafeSQLError(f"SQL 过长（{len(text):,} 字符，上限 {MAX_SQL_CHARS:,}）。")
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except ParseError as exc:
        raise UnsafeSQLError(f"SQL 无法解析：{str(exc).splitlines()[0][:200]}") from exc
    if len(statements) != 1:
        raise UnsafeSQLError(f"只允许执行一条查询语句，收到 {len(statements)} 条。")
    tree = statements[0]
    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        raise UnsafeSQLError(f"只允许 SELECT 查询，收到 {tree.key.upper()}。")
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN):
            raise UnsafeSQLError(f"查询中不允许 {node.key.upper()} 操作。")
    for fn in tree.find_all(exp.Anonymous):
        if str(fn.this).lower() not in ALLOWED_FUNCTIONS:
            raise UnsafeSQLError(f"不允许调用函数 {fn.this}。")
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        name = table.name.lower()
        if name and name not in READABLE_TABLES and name not in ctes:
            raise UnsafeSQLError(f"不允许读取表 {table.name}。可查询的表：{'、'.join(sorted(READABLE_TABLES))}。")
        if table.args.get("db") or table.args.get("catalog"):
            raise UnsafeSQLError("不允许访问其他数据库（schema 前缀）。")
    return text.rstrip(";").strip()
