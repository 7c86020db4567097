"""Importing new exports from the web app: administrators only, staged, confirmed, retrained (issue 12)."""
from __future__ import annotations

import time
from types import SimpleNamespace

import gradio as gr
import pandas as pd
import pytest

from config import settings
from db.errors import BuildError
from db.export import export_generated_csv
from db.generator import GeneratorConfig
from db.imports import commit_import, discard_import, stage_import, summary
from scripts.browser import browser_page
from tests.conftest import build, file_hash

OLD = GeneratorConfig(customers=400, months=12, seed=3)
NEW = GeneratorConfig(customers=1500, months=12, seed=6)


@pytest.fixture(scope="module")
def new_export(tmp_path_factory):
    return export_generated_csv(NEW, tmp_path_factory.mktemp("new"))


@pytest.fixture
def current_db(tmp_path):
    return build(OLD, tmp_path / "data" / "bank.db").db_path


def _broken(new_export, tmp_path):
    frame = pd.read_csv(new_export[1], dtype=str, keep_default_na=False)
    frame["stat_month"] = "十月"
    frame.to_csv(tmp_path / "broken.csv", index=False)
    return tmp_path / "broken.csv"


def test_a_staged_import_changes_nothing_until_confirmed(current_db, new_export):
    before = file_hash(current_db)
    staged = stage_import(*new_export, current_db)
    assert file_hash(current_db) == before
    assert staged.before["customers"] == OLD.customers and staged.after["customers"] == NEW.customers
    commit_import(staged)
    assert summary(current_db)["customers"] == NEW.customers
    assert not staged.staged.exists() and not (current_db.parent / "bank_truth.db").exists()


def test_a_failed_or_discarded_import_leaves_the_database_and_no_staged_file(current_db, new_export, tmp_path):
    before = file_hash(current_db)
    with pytest.raises(BuildError):
        stage_import(new_export[0], _broken(new_export, tmp_path), current_db)
    discard_import(stage_import(*new_export, current_db))
    assert file_hash(current_db) == before
    assert sorted(p.name for p in current_db.parent.iterdir()) == ["bank.db", "bank_quality_report.md", "bank_truth.db"]


@pytest.fixture
def handlers(current_db, tmp_path, monkeypatch):
    from ui.data_tab import DataHandlers
    from ui.services import Services
    monkeypatch.setenv("BANK_DB", str(current_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(tmp_path / "artifacts"))
    monkeypatch.setenv("BANK_ADMIN_USERS", "admin")
    monkeypatch.setenv("BANK_AUDIT_LOG", "")
    return DataHandlers(Services.from_settings(settings()))


def test_only_administrators_can_stage_or_confirm(handlers, new_export):
    analyst = SimpleNamespace(username="analyst")
    with pytest.raises(gr.Error):
        handlers.stage(str(new_export[0]), str(new_export[1]), "", "first", analyst, progress=lambda *a, **k: None)
    with pytest.raises(gr.Error):
        handlers.confirm(analyst)


def test_an_administrator_imports_confirms_and_the_models_retrain_on_the_new_data(handlers, new_export, tmp_path):
    from models.train import models_current
    admin = SimpleNamespace(username="admin")
    noop = lambda *a, **k: None
    text, _, _ = handlers.stage(str(new_export[0]), str(_broken(new_export, tmp_path)), "", "first", admin,
                                progress=noop)
    assert text.startswith("⚠️ 导入未通过") and "十月" in text and "broken.csv" in text
    text, compare, button = handlers.stage(str(new_export[0]), str(new_export[1]), "", "first", admin, progress=noop)
    assert "校验通过" in text and compare.loc[0, "新数据"] == f"{NEW.customers:,}"
    handlers.confirm(admin)
    assert handlers.services.assistant.ask("我行有多少客户").provenance["facts"][0]["value"] == NEW.customers
    deadline = time.monotonic() + 300
    while handlers.retraining.running and time.monotonic() < deadline:
        time.sleep(1)
    assert "重新训练完成" in handlers.progress()[0]
    s = handlers.services.settings
    assert models_current(s.db_path, s.artifacts_dir)


@pytest.fixture(scope="module")
def import_app(tmp_path_factory):
    from scripts.app_server import AppServer
    root = tmp_path_factory.mktemp("import_app")
    db = build(OLD, root / "bank.db").db_path
    with AppServer(db, root / "artifacts", log_path=root / "app.log",
                   env={"BANK_ADMIN_USERS": "admin", "BANK_AUTH": "admin:pw-admin,analyst:pw-analyst"}) as app:
        yield app, db


def _login(page, url: str, user: str, password: str) -> None:
    page.request.post(url + "/login", form={"username": user, "password": password})
    page.goto(url)
    page.wait_for_selector("#question textarea")


def test_a_bad_file_uploaded_in_the_browser_is_refused_in_chinese_and_the_data_stays(import_app, new_export, tmp_path):
    app, db = import_app
    before = file_hash(db)
    broken = _broken(new_export, tmp_path)
    with browser_page() as page:
        page.set_default_timeout(60_000)
        _login(page, app.url, "admin", "pw-admin")
        page.get_by_role("tab", name="数据").click()
        page.locator("#upload-base input[type=file]").set_input_files(str(new_export[0]))
        page.locator("#upload-behavior input[type=file]").set_input_files(str(broken))
        page.wait_for_timeout(1500)
        page.click("#import-check")
        page.wait_for_selector("#import-result >> text=导入未通过")
        assert "十月" in page.locator("#import-result").inner_text()
        assert page.locator("#import-confirm").is_disabled()
    assert file_hash(db) == before


def test_the_data_tab_is_not_shown_to_other_users(import_app):
    app, _ = import_app
    with browser_page() as page:
        page.set_default_timeout(60_000)
        _login(page, app.url, "analyst", "pw-analyst")
        page.wait_for_timeout(1000)
        assert page.get_by_role("tab", name="客户360").count() == 1
        assert page.get_by_role("tab", name="数据").count() == 0


def test_without_a_login_there_is_no_data_tab(current_db, monkeypatch):
    from ui.app import build_app
    from ui.services import Services
    monkeypatch.setenv("BANK_DB", str(current_db))
    monkeypatch.setenv("BANK_ADMIN_USERS", "admin")
    monkeypatch.setenv("BANK_AUDIT_LOG", "")
    services = Services.from_settings(settings())

    def tabs(demo):
        return [c["props"].get("label") for c in demo.config["components"] if c.get("type") == "tabitem"]
    assert "客户360" in tabs(build_app(services)) and "数据" not in tabs(build_app(services))
    assert "数据" in tabs(build_app(services, has_login=True))
