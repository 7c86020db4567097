"""Classifiers of "what happens to a customer within the next months", trained on a temporal split.

Three classifiers — logistic regression (on standardised signed-log features),
a depth-4 decision tree and LightGBM — beside a naive baseline that ranks
customers by one current feature. The split is temporal:

    train months  <  validation month (threshold choice)  <=  hold-out month − horizon

so every training label is observed no later than the hold-out month, and the
hold-out (the latest month whose label is known) is never seen in training.
Explanations for LightGBM are exact TreeSHAP values (LightGBM's pred_contrib,
checked against the shap package in the tests). A subclass names its label
(`label_at`) and its baseline (`baseline_feature`, ranked by `baseline_sign`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.tree import DecisionTreeClassifier, export_text

from models.features import FEATURE_LABELS, features_at
from models.metrics import best_f1_threshold, classification_metrics
from models.panel import Panel

ESTIMATOR_TITLES = {"logistic": "逻辑回归", "tree": "决策树（深度4）", "lightgbm": "LightGBM"}
MIN_HISTORY = 3
FIT_CUSTOMERS = 200_000   # the classifiers fit on at most this many customers (a fixed sample)


class NotEnoughMonthsError(ValueError):
    pass


@dataclass(frozen=True)
class TemporalSplit:
    train_months: list[str]
    validation_month: str
    holdout_month: str


def temporal_split(months: list[str], horizon: int) -> TemporalSplit:
    holdout = len(months) - 1 - horizon
    validation = holdout - horizon
    if validation - 1 < MIN_HISTORY:
        raise NotEnoughMonthsError(
            f"训练预测模型至少需要 {MIN_HISTORY + 2 * horizon + 2} 个月的数据，当前只有 {len(months)} 个月。")
    return TemporalSplit(months[MIN_HISTORY:validation], months[validation], months[holdout])


def _signed_log(x):
    return np.sign(x) * np.log1p(np.abs(x))


def _estimators(random_state: int) -> dict:
    return {
        "logistic": make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                                  FunctionTransformer(_signed_log), StandardScaler(),
                                  LogisticRegression(C=0.5, max_iter=2000)),
        "tree": make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                              DecisionTreeClassifier(max_depth=4, min_samples_leaf=50,
                                                     random_state=random_state)),
        "lightgbm": LGBMClassifier(n_estimators=300, learning_rate=0.05, num_leaves=31,
                                   min_child_samples=50, subsample=0.8, subsample_freq=1,
                                   colsample_bytree=0.8, random_state=random_state,
                                   n_jobs=2, verbose=-1),
    }


def labelled_rows(panel: Panel, months: list[str], label_at) -> tuple[pd.DataFrame, pd.Series]:
    """Features and labels of the eligible customers, stacked over months."""
    xs, ys = [], []
    for month in months:
        t = panel.month_index(month)
        y = label_at(panel, t)
        x = features_at(panel, t)
        keep = x.index.intersection(y.index)
        xs.append(x.loc[keep])
        ys.append(y.loc[keep])
    return pd.concat(xs), pd.concat(ys)


class TemporalClassifier:
    horizon: int
    baseline_feature: str
    baseline_sign: float = 1.0        # -1: a lower value means more likely (e.g. a steeper decline)
    baseline_title: str

    def __init__(self, random_state: int = 0, max_train_rows: int = 400_000,
                 estimators: tuple[str, ...] = ("logistic", "tree", "lightgbm")):
        self.random_state = random_state
        self.max_train_rows = max_train_rows
        self.estimators = estimators     # a backtest fits LightGBM alone

    @staticmethod
    def label_at(panel: Panel, t: int) -> pd.Series:
        raise NotImplementedError

    def rows(self, panel: Panel, months: list[str]) -> tuple[pd.DataFrame, pd.Series]:
        return labelled_rows(panel, months, self.label_at)

    def baseline(self, x: pd.DataFrame) -> np.ndarray:
        return self.baseline_sign * x[self.baseline_feature].fillna(0).to_numpy(float)

    def fit(self, panel: Panel, train_months: list[str] | None = None):
        """Fit on the temporal split; `train_months` (a backtest's earlier window) fits on those only."""
        self.split_ = split = temporal_split(panel.months, self.horizon)
        x_train, y_train = self.rows(panel, train_months or split.train_months)
        if len(x_train) > self.max_train_rows:  # a uniform sample keeps probabilities calibrated
            pick = np.random.default_rng(self.random_state).choice(
                len(x_train), self.max_train_rows, replace=False)
            x_train, y_train = x_train.iloc[np.sort(pick)], y_train.iloc[np.sort(pick)]
        self.feature_names_ = list(x_train.columns)
        self.estimators_ = {k: v for k, v in _estimators(self.random_state).items() if k in self.estimators}
        for estimator in self.estimators_.values():
            estimator.fit(x_train.to_numpy(float), y_train.to_numpy())
        self.train_rows_ = int(len(x_train))
        if train_months is not None:
            return self
        x_val, y_val = self.rows(panel, [split.validation_month])
        x_hold, y_hold = self.rows(panel, [split.holdout_month])
        self.thresholds_, self.metrics_ = {}, {}
        for name in self.estimators_:
            self.thresholds_[name] = best_f1_threshold(y_val, self._score(name, x_val))
            self.metrics_[name] = classification_metrics(y_hold, self._score(name, x_hold), self.thresholds_[name])
        self.thresholds_["baseline"] = best_f1_threshold(y_val, self.baseline(x_val))
        self.metrics_["baseline"] = classification_metrics(y_hold, self.baseline(x_hold),
                                                           self.thresholds_["baseline"])
        self.insights_ = self._insights(x_hold)
        return self

    def _score(self, name: str, x: pd.DataFrame) -> np.ndarray:
        return self.estimators_[name].predict_proba(x[self.feature_names_].to_numpy(float))[:, 1]

    def predict_proba(self, x: pd.DataFrame, model: str = "lightgbm") -> np.ndarray:
        return self._score(model, x)

    def explain(self, x: pd.DataFrame) -> dict:
        """TreeSHAP contributions (log-odds) of LightGBM for the rows of x."""
        values = x[self.feature_names_].to_numpy(float)
        contrib = self.estimators_["lightgbm"].booster_.predict(values, pred_contrib=True)
        raw = self.estimators_["lightgbm"].booster_.predict(values, raw_score=True)
        return {"contributions": pd.DataFrame(contrib[:, :-1], index=x.index, columns=self.feature_names_),
                "base_value": contrib[:, -1], "raw_score": raw,
                "probability": 1 / (1 + np.exp(-raw))}

    def _insights(self, x_hold: pd.DataFrame) -> dict:
        label = [FEATURE_LABELS.get(f, f) for f in self.feature_names_]
        logistic = self.estimators_["logistic"][-1]
        tree = self.estimators_["tree"][-1]
        booster = self.estimators_["lightgbm"].booster_
        sample = x_hold.sample(min(len(x_hold), 20_000), random_state=self.random_state)
        contributions = self.explain(sample)["contributions"]
        shap_abs = np.abs(contributions).mean().to_numpy()
        # Direction: does a higher value push towards the label (+1) or away (-1)?
        values = sample[self.feature_names_]
        direction = [float(np.sign(np.corrcoef(values[f].fillna(values[f].median()), contributions[f])[0, 1]))
                     if values[f].nunique() > 1 and contributions[f].std() > 0 else 0.0
                     for f in self.feature_names_]
        frame = pd.DataFrame({
            "feature": self.feature_names_, "label": label,
            "logistic_coef": logistic.coef_[0],
            "tree_importance": tree.feature_importances_,
            "lgbm_gain": booster.feature_importance("gain"),
            "lgbm_split": booster.feature_importance("split"),
            "shap_mean_abs": shap_abs,
            "shap_direction": direction,
        })
        return {"features": frame,
                "tree_rules": export_text(tree, feature_names=label, decimals=2)}
