"""流失预警: will a customer lose at least 30% of total assets within 3 months?

Customers holding at least 1万 at month t are labelled by their total assets
at t+3 (≤ 70% of t = 1). The lifecycle stage 流失预警/流失 is a static column of
customer_base, so the label reads the money, which is observed every month.
The baseline is the signal staff already use: the recent decline alone
(近3月资产变化, steepest first). Reasons in business words: models.reasons.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from db.definitions import CHURN_DROP, CHURN_HORIZON_MONTHS, CHURN_MIN_ASSETS
from models.panel import Panel
from models.temporal_classifier import ESTIMATOR_TITLES, TemporalClassifier

MODEL_TITLES = {**ESTIMATOR_TITLES, "baseline": "基线：按近3月资产降幅排序"}


def churn_labels_at(panel: Panel, t: int, horizon: int = CHURN_HORIZON_MONTHS) -> pd.Series:
    """1 = total assets at t+horizon are at most (1 − CHURN_DROP) of those at t; customers below
    CHURN_MIN_ASSETS at t or without a row at t+horizon are absent."""
    if t + horizon >= len(panel.months):
        raise ValueError(f"no label for {panel.months[t]}: needs data {horizon} months later")
    assets = panel.values["total_assets"]
    eligible = (assets[:, t] >= CHURN_MIN_ASSETS) & ~np.isnan(assets[:, t + horizon])
    y = (assets[eligible, t + horizon] <= (1 - CHURN_DROP) * assets[eligible, t]).astype(int)
    return pd.Series(y, index=pd.Index(panel.customer_ids[eligible], name="customer_id"), name="label")


class ChurnModel(TemporalClassifier):
    horizon = CHURN_HORIZON_MONTHS
    baseline_feature = "growth_3m"
    baseline_sign = -1.0
    baseline_title = MODEL_TITLES["baseline"]

    @staticmethod
    def label_at(panel: Panel, t: int) -> pd.Series:
        return churn_labels_at(panel, t)
