"""高价值客户 prediction: will a customer below 100万 reach 100万+ within 3 months?

A TemporalClassifier (models.temporal_classifier) whose baseline ranks
customers by current total_assets.
"""
from __future__ import annotations

import pandas as pd

from db.definitions import HIGH_VALUE_HORIZON_MONTHS
from models.features import labels_at
from models.panel import Panel
from models.temporal_classifier import (ESTIMATOR_TITLES, NotEnoughMonthsError, TemporalClassifier,  # noqa: F401
                                        labelled_rows as _labelled_rows, temporal_split as _split)

MODEL_TITLES = {**ESTIMATOR_TITLES, "baseline": "基线：按当前总资产排序"}


def temporal_split(months: list[str], horizon: int = HIGH_VALUE_HORIZON_MONTHS):
    return _split(months, horizon)


def labelled_rows(panel: Panel, months: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    return _labelled_rows(panel, months, labels_at)


class HighValueModel(TemporalClassifier):
    horizon = HIGH_VALUE_HORIZON_MONTHS
    baseline_feature = "total_assets"
    baseline_title = MODEL_TITLES["baseline"]

    @staticmethod
    def label_at(panel: Panel, t: int) -> pd.Series:
        return labels_at(panel, t)
