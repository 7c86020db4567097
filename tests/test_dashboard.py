"""The dashboard's numbers are the glossary's, for every branch and city selection."""
from __future__ import annotations

import os
import shutil

import pytest

from db.dashboard import ALL
from db.readonly import run_select
from db.semantic import Filter, QuerySpec, compile_spec
from tests.conftest import glossary_kpis
from toolkits.dashboard import CHURN_STAGES, KPI_KEYS, Dashboard


@pytest.fixture(scope="module")
def dashboard(small_db):
    return Dashboard(small_db)


def selections(dashboard):
    options = dashboard.options()
    return [(ALL, ALL), (ALL, options["city_level"][1]), (options["branch"][1], ALL),
            (options["branch"][2], options["city_level"][1])]


def test_kpis_match_the_glossary_computed_from_the_raw_tables(dashboard, small_db):
    for branch, city in selections(dashboard):
        view = dashboard.view(branch, city)
        expected = glossary_kpis(small_db, None if branch == ALL else branch, None if city == ALL else city)
        got = {c.key: c.value for c in view.cards}
        assert list(got) == list(KPI_KEYS)
        for key in KPI_KEYS:
            assert got[key] == pytest.approx(expected[key], rel=1e-9), (branch, city, key)


def test_kpis_match_the_semantic_layer_that_answers_chat(dashboard, small_db):
    """One question, one answer: chat compiles the same metrics through db.semantic."""
    for branch, city in selections(dashboard):
        filters = ([Filter("branch_name", "=", branch, branch)] if branch != ALL else []) + \
                  ([Filter("city_level", "=", city, city)] if city != ALL else [])
        sql, params = compile_spec(QuerySpec(list(KPI_KEYS), filters=filters))
        chat = run_select(small_db, sql, params).frame.iloc[0].to_dict()
        view = {c.key: c.value for c in dashboard.view(branch, city).cards}
        for key in KPI_KEYS:
            assert view[key] == pytest.approx(chat[key], rel=1e-9), (branch, city, key)


def test_churn_stages_are_shown_by_default_in_a_warning_colour(dashboard):
    from ui.charts import WARN, figure
    lifecycle = lambda view: [row[0] for row in view.charts[-1].table.rows]  # noqa: E731
    view = dashboard.view()
    assert set(CHURN_STAGES) <= set(lifecycle(view))
    bars = figure(view.charts[-1]).data[0]
    assert [c == WARN for c in bars.marker.color] == [s in CHURN_STAGES for s in bars.x]
    assert not set(CHURN_STAGES) & set(lifecycle(dashboard.view(show_churn=False)))


def test_an_empty_filter_combination_says_no_data(dashboard):
    from ui.charts import figure
    branch = next(b for b in dashboard.options()["branch"] if "北京" in b)
    view = dashboard.view(branch, "三线城市")   # a 北京 branch is never in a 三线城市
    assert {c.text for c in view.cards} == {"无数据"}
    assert all(f.layout.annotations[0].text == "无数据" for f in map(figure, view.charts))


def test_at_most_five_charts_covering_structure_assets_products_activity_and_risk(dashboard):
    titles = [c.title for c in dashboard.view().charts]
    assert len(titles) == 5
    for topic in ("客户结构", "资产", "产品", "活跃", "风险预警"):
        assert any(t.startswith(topic) for t in titles), topic


def test_a_rebuilt_database_is_read_again(small_db, tmp_path):
    copy = tmp_path / "bank.db"
    shutil.copy(small_db, copy)
    board = Dashboard(copy)
    first = board.view().cards[0].value
    board._cube.loc[:, "customers"] = 0   # poison the cached cube: only a reload brings the true count back
    os.utime(copy, (0, 1))                # what the build's rename of a fresh file does to the time
    assert board.view().cards[0].value == first
