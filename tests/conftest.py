"""Fixtures build small real databases with the project's own build code."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from db.generator import GeneratorConfig
from db.loader import build_database
from db.sources import GeneratedSource

SMALL = GeneratorConfig(customers=3000, months=24, seed=7)
# Tables whose contents must not depend on where or when a build ran.
CONTENT_TABLES = ("customer_base", "customer_behavior_assets", "customer_snapshot",
                  "monthly_summary", "meta_tables", "meta_columns")


def build(config: GeneratorConfig, path: Path):
    return build_database(GeneratedSource(config), path)


def read(db_path: Path, sql: str, params=()) -> pd.DataFrame:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return pd.read_sql_query(sql, conn, params=params)
    finally:
        conn.close()


def contents_digest(db_path: Path, tables=CONTENT_TABLES) -> dict[str, str]:
    """A hash per table over all rows in a fixed order."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        digests = {}
        for table in tables:
            h = hashlib.sha256()
            for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY 1, 2"):
                h.update(repr(row).encode())
            digests[table] = h.hexdigest()
        return digests
    finally:
        conn.close()


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def small_build(tmp_path_factory):
    return build(SMALL, tmp_path_factory.mktemp("small") / "bank.db")


@pytest.fixture(scope="session")
def small_db(small_build) -> Path:
    return small_build.db_path


@pytest.fixture(scope="session")
def asof(small_db) -> pd.DataFrame:
    """The as-of month's behaviour rows joined with customer attributes (independent of the snapshot)."""
    return read(small_db, """
        SELECT a.*, b.age, b.gender, b.lifecycle_stage FROM customer_behavior_assets a
        JOIN customer_base b USING (customer_id)
        WHERE a.stat_month = (SELECT MAX(stat_month) FROM customer_behavior_assets)""")


@pytest.fixture(scope="session")
def small_panel(small_db):
    from models.features import PANEL_COLUMNS
    from models.panel import load_panel
    return load_panel(small_db, PANEL_COLUMNS)


@pytest.fixture(scope="session")
def default_db(tmp_path_factory) -> Path:
    """The default demo data (10,000 customers × 24 months, seed 42), as `make run` builds it.

    Every question of the whole test run goes to this file: at the end it must
    be byte for byte what the build wrote.
    """
    path = build(GeneratorConfig(), tmp_path_factory.mktemp("default") / "bank.db").db_path
    before = file_hash(path)
    yield path
    assert file_hash(path) == before, "the database was modified during the test run"


@pytest.fixture(scope="session")
def trained_artifacts(default_db, tmp_path_factory) -> Path:
    from models.train import train_all
    artifacts = tmp_path_factory.mktemp("artifacts")
    train_all(default_db, artifacts, progress=False)
    before = {p.name: file_hash(p) for p in artifacts.iterdir()}
    yield artifacts
    # No question may change a model: serving only reads artifacts.
    assert {p.name: file_hash(p) for p in artifacts.iterdir()} == before, "artifacts changed during the test run"


def glossary_kpis(db_path: Path, branch: str | None = None, city_level: str | None = None) -> dict:
    """The dashboard's five KPIs computed straight from the two data tables with pandas,
    following the glossary's words — independent of the snapshot, the cube and the semantic layer."""
    base = read(db_path, "SELECT customer_id, branch_name, city_level FROM customer_base")
    monthly = read(db_path, "SELECT customer_id, stat_month, total_assets, app_login_count, financial_flag, "
                            "financial_repurchase_count FROM customer_behavior_assets")
    if branch:
        base = base[base["branch_name"] == branch]
    if city_level:
        base = base[base["city_level"] == city_level]
    as_of = monthly["stat_month"].max()
    now = monthly[(monthly["stat_month"] == as_of) & monthly["customer_id"].isin(base["customer_id"])]
    holders = now[now["financial_flag"] == 1]
    return {"customers": base["customer_id"].nunique(), "aum": now["total_assets"].sum(),
            "avg_assets": now["total_assets"].sum() / now["customer_id"].nunique(),
            "active_count": int((now["app_login_count"] >= 1).sum()),
            "repurchase_rate": (holders["financial_repurchase_count"] >= 1).mean()}


@pytest.fixture(scope="session")
def web_app(default_db, trained_artifacts, tmp_path_factory):
    """The real web app (app_gradio.py in its own process) on the default demo data."""
    from scripts.app_server import AppServer
    log = tmp_path_factory.mktemp("web") / "app.log"
    with AppServer(default_db, trained_artifacts, log_path=log, env={"BANK_RATE_PER_MIN": "1000"}) as app:
        yield app
