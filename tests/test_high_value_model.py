"""高价值客户 prediction: no leakage, honest hold-out metrics, exact explanations."""
import copy

import numpy as np
import pytest
import shap
from sklearn.metrics import roc_auc_score

from db.generator import GeneratorConfig
from models.features import features_at, labels_at
from models.high_value import HighValueModel, NotEnoughMonthsError, labelled_rows, temporal_split
from models.registry import ArtifactError, load_artifact
from tests.conftest import build


@pytest.fixture(scope="module")
def fitted(small_panel):
    return HighValueModel().fit(small_panel)


def test_features_at_a_month_ignore_everything_after_it(small_panel):
    t = 10
    changed = copy.deepcopy(small_panel)
    rng = np.random.default_rng(0)
    for grid in changed.values.values():
        grid[:, t + 1:] = rng.normal(5e5, 1e5, grid[:, t + 1:].shape)
    before, after = features_at(small_panel, t), features_at(changed, t)
    assert before.equals(after)


def test_features_hold_no_identifier_or_future_value(small_panel):
    columns = features_at(small_panel, 10).columns
    assert not any("customer_id" in c or c == "stat_month" for c in columns)


def test_labels_are_below_100w_now_and_read_three_months_later(small_panel):
    t = 5
    y = labels_at(small_panel, t)
    assets = small_panel.values["total_assets"]
    rows = small_panel.customer_ids.searchsorted(y.index)
    assert (assets[rows, t] < 1e6).all()
    assert ((assets[rows, t + 3] >= 1e6).astype(int) == y.to_numpy()).all()
    with pytest.raises(ValueError):
        labels_at(small_panel, len(small_panel.months) - 2)


def test_every_training_label_is_observed_no_later_than_the_holdout_month(small_panel):
    split = temporal_split(small_panel.months)
    months = small_panel.months
    last_label = months.index(split.validation_month) + 3
    assert last_label <= months.index(split.holdout_month)
    assert max(months.index(m) for m in split.train_months) < months.index(split.validation_month)
    assert months.index(split.holdout_month) + 3 == len(months) - 1


def test_reported_metrics_are_the_holdout_metrics(fitted, small_panel):
    x, y = labelled_rows(small_panel, [fitted.split_.holdout_month])
    for name in ("logistic", "tree", "lightgbm"):
        assert fitted.metrics_[name]["auc"] == pytest.approx(roc_auc_score(y, fitted.predict_proba(x, name)))
        assert fitted.metrics_[name]["rows"] == len(y)
    assert fitted.metrics_["baseline"]["auc"] == pytest.approx(roc_auc_score(y, x["total_assets"]))


def test_shap_values_plus_base_value_equal_the_raw_score(fitted, small_panel):
    x = features_at(small_panel, len(small_panel.months) - 1).head(50)
    explained = fitted.explain(x)
    total = explained["contributions"].sum(axis=1).to_numpy() + explained["base_value"]
    assert np.allclose(total, explained["raw_score"], atol=1e-6)
    reference = shap.TreeExplainer(fitted.estimators_["lightgbm"].booster_).shap_values(
        x[fitted.feature_names_].to_numpy(float))
    reference = reference[1] if isinstance(reference, list) else reference
    assert np.allclose(explained["contributions"].to_numpy(), reference, atol=1e-5)


def test_too_few_months_give_a_clear_error():
    with pytest.raises(NotEnoughMonthsError, match="至少需要"):
        temporal_split([f"2026-{m:02d}" for m in range(1, 10)])


def test_twelve_months_of_data_train_and_report_holdout_metrics(tmp_path):
    from models.features import PANEL_COLUMNS
    from models.panel import load_panel
    db = build(GeneratorConfig(customers=2000, months=12, seed=4), tmp_path / "b.db").db_path
    model = HighValueModel().fit(load_panel(db, PANEL_COLUMNS))
    assert model.split_.holdout_month == "2026-07" and model.metrics_["lightgbm"]["rows"] > 1000


def test_lightgbm_clears_the_business_bar_and_beats_the_baseline(trained_artifacts, default_db):
    card = load_artifact(trained_artifacts, "high_value", default_db).card
    metrics = card["metrics"]
    assert metrics["lightgbm"]["auc"] >= 0.85
    assert metrics["lightgbm"]["auc"] >= metrics["baseline"]["auc"] + 0.03
    assert metrics["lightgbm"]["pr_auc"] >= 1.3 * metrics["baseline"]["pr_auc"]


def test_model_card_carries_its_fields_and_staleness_is_reported(trained_artifacts, default_db, small_db):
    loaded = load_artifact(trained_artifacts, "high_value", default_db)
    for field in ("name", "title", "version", "trained_at", "data_fingerprint", "as_of_month",
                  "parameters", "metrics"):
        assert field in loaded.card
    assert loaded.card["parameters"]["holdout_month"] not in loaded.card["parameters"]["train_months"]
    assert loaded.stale is False
    assert load_artifact(trained_artifacts, "high_value", small_db).stale is True


def test_a_missing_or_corrupt_artifact_gives_a_clear_message(tmp_path):
    with pytest.raises(ArtifactError, match="尚未训练"):
        load_artifact(tmp_path, "high_value")
    (tmp_path / "high_value.joblib").write_bytes(b"not a model")
    with pytest.raises(ArtifactError, match="损坏"):
        load_artifact(tmp_path, "high_value")


def test_features_from_the_last_seven_months_equal_those_from_the_full_history(small_db, small_panel):
    from models.features import PANEL_COLUMNS
    from models.panel import load_panel
    from models.train import SCORING_MONTHS
    recent = load_panel(small_db, PANEL_COLUMNS, last_months=SCORING_MONTHS)
    full = features_at(small_panel, len(small_panel.months) - 1)
    assert features_at(recent, SCORING_MONTHS - 1).equals(full)
