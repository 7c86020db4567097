"""Build the SQLite database from a source: validate, clean, load, index, snapshot.

`build_database(source, db_path)` is the library entry point (the CLI in
`db.build` is a thin wrapper). Everything is written into a temporary file that
is renamed into place only when complete.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import sqlite_utils

from db.atomic import atomic_path, write_text_atomic
from db.cleaning import clean_behavior, clean_customer_base, report_missing_optional
from db.definitions import AGE_BANDS, CUSTOMER_TIERS, FLAG_COLUMNS, band_case_sql
from db.errors import ColumnUnreadableError, NoUsableDataError
from db.monthly_cube import CUBE_SCHEMA, CUBE_TABLE, CubeAccumulator, cube_insert_sql
from db.quality import QualityReport
from db.schema import (ALL_TABLES, BUILD_INFO, CUSTOMER_BASE, CUSTOMER_BEHAVIOR,
                       CUSTOMER_SNAPSHOT, DATA_QUALITY, MONTHLY_SUMMARY, Table)

SCHEMA_VERSION = "1"
INSERT_BATCH_ROWS = 50_000
# For the dimensions questions group by most: an index covering the common
# metrics (counts, AUM, averages, 高净值, 活跃, 到访, 复购, 产品持有), so grouped questions read a
# narrow index instead of the ~40-column snapshot rows (1.6 s -> ~0.2 s at 1M).
SNAPSHOT_INDEXES = ("customer_tier", "city_level", "branch_name", "age_band", "lifecycle_stage",
                    "occupation_type")
_COMMON_MEASURES = ["in_asof", "total_assets", "customer_tier", "app_login_count", "branch_visit_count",
                    "financial_repurchase_count", *FLAG_COLUMNS]
# Covering indexes for the business questions that read other measures: SQLite then
# scans a narrow index instead of the ~40-column snapshot rows (1.8 s -> ms at 1M).
SNAPSHOT_COVERING = (
    ["in_asof", "age", "app_login_count"],
    ["in_asof", "branch_visit_count"],
    ["in_asof", "last_transaction_date"],
    ["occupation", *FLAG_COLUMNS],
)


def snapshot_indexes() -> list[list[str]]:
    """Every index the snapshot gets, as column lists; recorded in build_info so a query can
    tell whether an index covers it without reading the schema."""
    return ([["customer_id"]] + [list(dict.fromkeys([c, *_COMMON_MEASURES])) for c in SNAPSHOT_INDEXES]
            + [list(c) for c in SNAPSHOT_COVERING])


@dataclass
class BuildResult:
    db_path: Path
    as_of_month: str
    customers: int
    behavior_rows: int
    timings: dict[str, float]
    report: QualityReport
    quality_report_path: Path
    truth_path: Path | None = None


class _Stopwatch:
    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start

    def timed_iter(self, name: str, iterable):
        """Charge the time spent producing each item to `name`."""
        it = iter(iterable)
        while True:
            with self.stage(name):
                item = next(it, None)
            if item is None:
                return
            yield item


def quality_report_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}_quality_report.md")


def truth_path(db_path: Path) -> Path:
    """The generator's hidden truth, kept apart from the database the assistant reads."""
    return db_path.with_name(f"{db_path.stem}_truth.db")


def _create(db: sqlite_utils.Database, table: Table) -> None:
    db[table.name].create({c.name: c.sql_type for c in table.columns},
                          column_order=table.names)


def insert_frame(conn: sqlite3.Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert a cleaned frame with executemany in large batches.

    sqlite-utils' insert_all builds dicts and multi-row statements in batches of
    100 and is several times slower at this volume; the tables are still created
    and indexed through sqlite-utils.
    """
    sql = (f"INSERT INTO [{table.name}] ({', '.join(table.names)}) "
           f"VALUES ({', '.join('?' * len(table.names))})")
    for batch in row_batches(frame, table.names):
        conn.executemany(sql, batch)


def row_batches(frame: pd.DataFrame, names: list[str]):
    """Rows as tuples of Python values (NaN -> None), INSERT_BATCH_ROWS at a time."""
    for start in range(0, len(frame), INSERT_BATCH_ROWS):
        part = frame.iloc[start:start + INSERT_BATCH_ROWS]
        yield zip(*[part[name].to_numpy(dtype=object, na_value=None) for name in names])


def _unique_index(db: sqlite_utils.Database, table: Table, key: str, report: QualityReport,
                  keep: str = "first") -> bool:
    """Create the unique key index; only when it fails, find and remove duplicates (then True).

    Letting the index find duplicates avoids a GROUP BY over every row when
    there are none (the usual case).
    """
    columns = key.split(", ")
    try:
        db[table.name].create_index(columns, unique=True)
        return False
    except sqlite3.IntegrityError:
        _dedupe(db.conn, table, key, report, keep)
        db[table.name].create_index(columns, unique=True)
        return True


def _dedupe(conn, table: Table, key: str, report: QualityReport, keep: str) -> None:
    """Identical repeats and conflicting ones (same key, different values) are reported apart,
    the conflicts with the fields that differ; `keep` says which row stays (first/last in the file)."""
    keys = key.split(", ")
    fields = [c for c in table.names if c not in keys and c != "id"]
    differs = ", ".join(f"COUNT(DISTINCT COALESCE(CAST([{c}] AS TEXT), '')) > 1" for c in fields)
    groups = conn.execute(
        f"SELECT {key}, COUNT(*) - 1, {differs} FROM [{table.name}] WHERE customer_id IS NOT NULL "
        f"GROUP BY {key} HAVING COUNT(*) > 1").fetchall()
    if not groups:
        return
    n = len(keys)
    same = [g for g in groups if not any(g[n + 1:])]
    conflicting = [g for g in groups if any(g[n + 1:])]
    rule = "保留文件中第一条" if keep == "first" else "保留文件中最后一条"
    report.add(table.name, key.replace(", ", "+"), "重复记录（内容相同）", "保留一条，其余删除",
               sum(g[n] for g in same), [" ".join(map(str, g[:n])) for g in same[:3]])
    report.add(table.name, key.replace(", ", "+"), "重复记录（内容冲突）",
               f"{rule}（--duplicates first|last 可选），其余删除", sum(g[n] for g in conflicting),
               [" ".join(map(str, g[:n])) + "：" + "、".join(c for c, d in zip(fields, g[n + 1:]) if d) + " 不同"
                for g in conflicting[:3]])
    pick = "MIN" if keep == "first" else "MAX"
    with conn:
        conn.execute(f"DELETE FROM [{table.name}] WHERE rowid NOT IN "
                     f"(SELECT {pick}(rowid) FROM [{table.name}] GROUP BY {key})")


def _report_coverage(conn, as_of: str, report: QualityReport) -> None:
    def ids(sql, *args):
        return [r[0] for r in conn.execute(sql, args).fetchall()]

    no_rows = ids("SELECT customer_id FROM customer_base b WHERE NOT EXISTS "
                  "(SELECT 1 FROM customer_behavior_assets a WHERE a.customer_id = b.customer_id)")
    report.add("customer_base", "customer_id", "无任何月度记录", "保留；计入客户总数，不计入基准月口径",
               len(no_rows), no_rows[:3])
    # each customer looked up once, not once per month (1.2 s -> 0.3 s at 200,000 x 12)
    orphans = ids("SELECT customer_id FROM (SELECT DISTINCT customer_id FROM customer_behavior_assets) a WHERE NOT EXISTS "
                  "(SELECT 1 FROM customer_base b WHERE b.customer_id = a.customer_id)")
    report.add("customer_behavior_assets", "customer_id", "客户号不在客户表中",
               "保留原始月度记录；不进入客户快照、月度汇总和任何回答", len(orphans), orphans[:3])
    missing_asof = ids("SELECT customer_id FROM customer_base b WHERE NOT EXISTS "
                       "(SELECT 1 FROM customer_behavior_assets a WHERE a.customer_id = b.customer_id "
                       "AND a.stat_month = ?)", as_of)
    report.add("customer_snapshot", "in_asof", "基准月无记录", f"in_asof=0；不计入{as_of}的资产与活跃口径",
               len(missing_asof), missing_asof[:3])


def _build_snapshot(db: sqlite_utils.Database, as_of: str) -> None:
    _create(db, CUSTOMER_SNAPSHOT)
    base = set(CUSTOMER_BASE.names)
    select = []
    for name in CUSTOMER_SNAPSHOT.names:
        if name == "age_band":
            select.append(band_case_sql("b.age", AGE_BANDS))
        elif name == "customer_tier":
            select.append(band_case_sql("a.total_assets", CUSTOMER_TIERS))
        elif name == "in_asof":
            select.append("a.customer_id IS NOT NULL")
        else:
            select.append(f"{'b' if name in base else 'a'}.{name}")
    db.execute(
        f"INSERT INTO customer_snapshot ({', '.join(CUSTOMER_SNAPSHOT.names)}) "
        f"SELECT {', '.join(select)} FROM customer_base b "
        f"LEFT JOIN customer_behavior_assets a ON a.customer_id = b.customer_id AND a.stat_month = ?",
        [as_of])
    for columns in snapshot_indexes():
        db["customer_snapshot"].create_index(columns, unique=columns == ["customer_id"])


def _build_monthly_summary(db: sqlite_utils.Database) -> None:
    """The bank's monthly totals, summed from the monthly cube: its rows already hold these parts for the
    same customers (orphan monthly rows are in neither), and it is ~47,000 rows a month where the monthly
    table has a million (17 s -> well under 1 s at 1M)."""
    _create(db, MONTHLY_SUMMARY)
    db.execute(f"""
        INSERT INTO monthly_summary SELECT stat_month, SUM(customers), ROUND(SUM(sum_total_assets), 2),
            ROUND(SUM(sum_deposit_balance), 2), ROUND(SUM(sum_financial_balance), 2),
            ROUND(SUM(sum_fund_balance), 2), ROUND(SUM(sum_insurance_balance), 2),
            SUM(active), SUM(holders_financial_flag), SUM(financial_repurchasers)
        FROM {CUBE_TABLE} GROUP BY stat_month ORDER BY stat_month""")


def _write_metadata(db: sqlite_utils.Database) -> None:
    db["meta_tables"].insert_all(
        [{"table_name": t.name, "label_zh": t.label, "description_zh": t.description}
         for t in (*ALL_TABLES, CUBE_SCHEMA)], pk="table_name")
    db["meta_columns"].insert_all(
        [{"table_name": t.name, "column_name": c.name, "label_zh": c.label,
          "description_zh": c.description, "sql_type": c.sql_type,
          "value_domain": "、".join(c.values), "required": int(c.required)}
         for t in (*ALL_TABLES, CUBE_SCHEMA) for c in t.columns], pk=("table_name", "column_name"))


@contextmanager
def _naming_file(source, table: str):
    try:
        yield
    except ColumnUnreadableError as exc:
        raise ColumnUnreadableError.in_file(exc, source.file_of(table)) from exc


def build_database(source, db_path: Path, *, progress: bool = False, keep: str = "first") -> BuildResult:
    """Build `db_path` from `source` (GeneratedSource or FileSource) atomically."""
    db_path = Path(db_path)
    report = QualityReport()
    watch = _Stopwatch()
    for note in source.notes():
        report.note(note)
    report_missing_optional(CUSTOMER_BASE, source.customer_base_columns(), report)
    report_missing_optional(CUSTOMER_BEHAVIOR, source.behavior_columns(), report)

    with atomic_path(db_path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            # A throw-away file until renamed: no journal, no fsync.
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                               "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;")
            db = sqlite_utils.Database(conn)
            cube = CubeAccumulator()
            for table in (CUSTOMER_BASE, CUSTOMER_BEHAVIOR):
                _create(db, table)
            with conn:  # one transaction for all rows
                for raw, first in watch.timed_iter("generate_or_read", source.customer_base_chunks()):
                    with watch.stage("clean"), _naming_file(source, CUSTOMER_BASE.name):
                        frame = clean_customer_base(raw, first, report, source.stop_unreadable)
                    cube.add_base(frame)
                    with watch.stage("load"):
                        insert_frame(conn, CUSTOMER_BASE, frame)
                chunks = source.behavior_chunks()
                if progress:
                    from tqdm import tqdm
                    chunks = tqdm(chunks, desc="月度数据", unit="块",
                                  total=getattr(getattr(source, "config", None), "months", None))
                for raw, first in watch.timed_iter("generate_or_read", chunks):
                    with watch.stage("clean"), _naming_file(source, CUSTOMER_BEHAVIOR.name):
                        frame = clean_behavior(raw, first, report, source.stop_unreadable)
                    with watch.stage("cube"):
                        cube.add_behavior(frame)
                    with watch.stage("load"):
                        insert_frame(conn, CUSTOMER_BEHAVIOR, frame)
            with watch.stage("index"):
                deduped = [_unique_index(db, CUSTOMER_BASE, "customer_id", report, keep),
                           _unique_index(db, CUSTOMER_BEHAVIOR, "customer_id, stat_month", report, keep)]
                db["customer_behavior_assets"].create_index(["stat_month"])
            as_of = conn.execute("SELECT MAX(stat_month) FROM customer_behavior_assets").fetchone()[0]
            if as_of is None:
                raise NoUsableDataError("月度数据中没有任何有效的 stat_month（YYYY-MM），无法确定基准月。")
            with watch.stage("snapshot"):
                _report_coverage(conn, as_of, report)
                with conn:
                    _build_snapshot(db, as_of)
                    _create(db, CUBE_SCHEMA)
                    summed = None if any(deduped) else cube.frame()   # duplicates removed: sum what stayed
                    if summed is None:
                        conn.execute(cube_insert_sql())
                    else:
                        insert_frame(conn, CUBE_SCHEMA, summed)
                    conn.execute(f"CREATE INDEX idx_{CUBE_TABLE}_month ON {CUBE_TABLE} (stat_month)")
                    _build_monthly_summary(db)
            months = [r[0] for r in conn.execute("SELECT stat_month FROM monthly_summary")]
            customers = conn.execute("SELECT COUNT(*) FROM customer_base").fetchone()[0]
            behavior_rows = conn.execute("SELECT COUNT(*) FROM customer_behavior_assets").fetchone()[0]
            info = {
                "schema_version": SCHEMA_VERSION,
                "source": json.dumps(source.describe(), ensure_ascii=False),
                "data_fingerprint": source.fingerprint(),
                "as_of_month": as_of,
                "as_of_date": str(pd.Period(as_of, freq="M").end_time.date()),
                "first_month": months[0],
                "months": str(len(months)),
                "customers": str(customers),
                "behavior_rows": str(behavior_rows),
                "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "snapshot_indexes": json.dumps(snapshot_indexes()),
                "monthly_summary_scope": "customer_base",   # orphan monthly rows are not summed
                "monthly_cube": "1",   # db.monthly_cube: months answered from the pre-aggregation
            }
            with conn:
                _write_metadata(db)
                _create(db, BUILD_INFO)
                db[BUILD_INFO.name].insert_all([{"key": k, "value": v} for k, v in info.items()])
                _create(db, DATA_QUALITY)
                db[DATA_QUALITY.name].insert_all(
                    [{"table_name": f.table, "column_name": f.column, "check_name": f.check,
                      "rows": f.rows, "action": f.action, "examples": "；".join(f.examples)}
                     for f in report.findings])
            with watch.stage("index"):
                # Planner statistics from a sample: exact counts over 12M rows buy nothing.
                conn.execute("PRAGMA analysis_limit=2000")
                conn.execute("ANALYZE")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()

    qpath = quality_report_path(db_path)
    write_text_atomic(qpath, report.to_markdown(f"{db_path.name}（基准月 {as_of}）"))
    tpath = None
    if getattr(source, "kind", "") == "generated":
        tpath = truth_path(db_path)
        _write_truth(source, tpath)
    return BuildResult(db_path, as_of, customers, behavior_rows, dict(watch.seconds),
                       report, qpath, tpath)


def _write_truth(source, path: Path) -> None:
    personas, rules = source.generator.truth()
    with atomic_path(path) as tmp:
        with sqlite3.connect(tmp) as conn:
            personas.to_sql("persona", conn, index=False)
            pd.DataFrame(rules).to_sql("planted_rules", conn, index=False)
        conn.close()
