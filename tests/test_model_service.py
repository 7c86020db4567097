"""Serving from saved artifacts: per-customer answers, errors with a Chinese message."""
import subprocess
import sys

import numpy as np
import pytest

from models.registry import load_artifact
from models.service import ModelService, UnknownCustomerError
from tests.conftest import read


@pytest.fixture(scope="module")
def service(default_db, trained_artifacts):
    return ModelService(default_db, trained_artifacts)


def test_a_customer_prediction_explains_itself_exactly(service):
    result = service.predict_customer("CUST000172")
    c = result["contributions"]
    assert c["contribution"].sum() + result["base_value"] == pytest.approx(result["raw_score"], abs=1e-6)
    assert result["probability"] == pytest.approx(1 / (1 + np.exp(-result["raw_score"])))
    assert c["contribution"].abs().is_monotonic_decreasing
    assert result["model"]["stale"] is False and result["as_of_month"] == "2026-10"


def test_unknown_customers_get_a_clear_message(service):
    for call in (service.predict_customer, service.recommend, service.forecast_customer, service.segment_of):
        with pytest.raises(UnknownCustomerError, match="找不到客户 CUST999999"):
            call("CUST999999")


def test_the_high_potential_list_is_sorted_and_below_100w(service):
    top = service.high_potential(50)
    assert top["probability"].is_monotonic_decreasing and (top["total_assets"] < 1e6).all()


def test_a_recommendation_leaves_out_what_the_customer_holds(service):
    result = service.recommend("CUST000116")
    assert set(result["recommendations"]["product"]).isdisjoint(result["held"])


def test_recommendations_are_earned_by_a_rule_and_suitable(service, default_db):
    snap = read(default_db, "SELECT customer_id, age FROM customer_snapshot WHERE in_asof = 1")
    old = snap[snap["age"] >= 66]["customer_id"].head(15).tolist()
    young = snap[snap["age"] < 40]["customer_id"].head(15).tolist()
    for customer in old + young:
        r = service.recommend(customer)
        recs = r["recommendations"]
        assert (recs["lift"] > 1).all() and recs["by_rule"].all()   # popularity alone is not a recommendation
        if customer in old:   # 适当性: no 基金 or 保险 for the over-65s, and the reason is said
            assert not {"基金", "保险"} & set(recs["product"])
            assert all("适当性" in why for why in r["unsuitable"].values()) and ("基金" in r["unsuitable"]
                                                                          or "基金" in r["held"])


def test_the_recommendation_backtest_counts_every_customer_who_took_up_a_product(default_db):
    from models.basket import backtest_recommendations
    from models.features import PANEL_COLUMNS
    from models.panel import load_panel
    panel = load_panel(default_db, PANEL_COLUMNS)
    result = backtest_recommendations(panel, horizon=3, months=3)
    m = read(default_db, "SELECT customer_id, stat_month, deposit_flag, financial_flag, fund_flag, insurance_flag "
                         "FROM customer_behavior_assets")
    months = sorted(m["stat_month"].unique())
    flags = ["deposit_flag", "financial_flag", "fund_flag", "insurance_flag"]
    takers = 0
    for t in range(len(months) - 6, len(months) - 3):
        now = m[m["stat_month"] == months[t]].set_index("customer_id")[flags]
        later = m[m["stat_month"].isin(months[t + 1:t + 4])].groupby("customer_id")[flags].max()
        later = later.reindex(now.index).fillna(0)
        takers += int(((now.fillna(0) != 1) & (later == 1)).any(axis=1).sum())
    assert result["customers_who_took_up"] == takers
    assert 0 <= result["model@1"] <= result["model@2"] <= 1 and result["popular@1"] <= result["popular@2"]


def test_the_insight_report_is_written_from_the_model_numbers(trained_artifacts):
    report = (trained_artifacts / "insight_report.md").read_text(encoding="utf-8")
    card = load_artifact(trained_artifacts, "high_value").card
    assert f"{card['metrics']['lightgbm']['auc']:.3f}" in report
    assert f"{card['metrics']['baseline']['auc']:.3f}" in report
    assert "客户可以分成哪几类" in report and "AUM" in report


def test_training_without_a_database_says_how_to_build_it(tmp_path):
    run = subprocess.run([sys.executable, "-m", "models.train", "--db", str(tmp_path / "none.db"),
                          "--artifacts", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 2 and "python -m db.build" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("probability, eligible, mean, upper, kind", [
    (0.95, True, 84e4, 90e4, "behaviour_ahead"),   # the behaviour says yes, the history cannot see it
    (0.95, True, 92e4, 104e4, "agree_up"),
    (0.05, True, 101e4, 110e4, "trend_ahead"),     # the history says yes, the behaviour doubts it
    (0.05, True, 40e4, 50e4, "agree_not_yet"),
    (0.30, False, 95e4, 120e4, "may_fall_back"),   # already 100万+, the trend leads back below
])
def test_the_probability_and_the_forecast_are_read_together(probability, eligible, mean, upper, kind):
    from models.outlook import HORIZON, reconcile
    prediction = {"probability": probability, "threshold": 0.5, "eligible": eligible}
    months = np.arange(1, 7)
    outlook = reconcile(prediction, mean * months / HORIZON, upper * months / HORIZON, ["产品对比次数 8"], ["登录 0"])
    assert outlook.kind == kind and outlook.agree == (kind in ("agree_up", "agree_not_yet", "holds"))
    if not outlook.agree:   # a disagreement says what each model sees and what to do
        assert "建议" in outlook.text and f"{mean / 1e4:,.1f}万元" in outlook.text


def test_a_high_probability_beside_a_low_forecast_is_explained_on_the_customer_view(service, default_db,
                                                                                  trained_artifacts, monkeypatch):
    from config import settings
    from ui.customer_tab import CustomerHandlers
    from ui.services import Services
    monkeypatch.setenv("BANK_DB", str(default_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(trained_artifacts))
    handlers = CustomerHandlers(Services.from_settings(settings()))
    for customer in service.high_potential(10)["customer_id"]:
        p = service.predict_customer(customer)
        f = service.forecast_customer(customer, 3)["forecast"]
        if p["probability"] >= p["threshold"] and f.upper[-1] < 1e6:
            break
    else:
        pytest.skip("no high-probability customer whose forecast stays below 100万 in this data")
    shown = handlers.show(customer)[4]   # the probability panel
    assert "两项预测合起来看" in shown and "看的信号不同" in shown and f"{f.mean[-1] / 1e4:,.1f}万元" in shown
