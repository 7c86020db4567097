"""Answering model questions from saved artifacts — never retraining per question.

`ModelService(db_path, artifacts_dir)` loads each artifact the first time it
is needed and keeps it. Per-customer work reads only that customer's rows.
Errors are named exceptions with a Chinese message (UnknownCustomerError,
ArtifactError); turning them into an answer is the caller's job.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pandas as pd

from db.definitions import HIGH_VALUE_ASSETS
from db.model_outputs import scores_path, segments_path
from models.basket import PRODUCT_NAMES, combination_counts, customer_items
from models.campaign import SCORING_MODEL, CampaignError, CampaignList, Policy, build_campaign, score_key
from models.campaign_backtest import alerts
from models.features import FEATURE_LABELS, PANEL_COLUMNS, features_at
from models.forecast import SeriesForecast, forecast_series
from db.readonly import connect_readonly
from models.panel import load_panel
from models.registry import LoadedArtifact, load_artifact
from models.suitability import unsuitable


class UnknownCustomerError(LookupError):
    def __init__(self, customer_id: str, detail: str = ""):
        self.customer_id = customer_id
        super().__init__(detail or f"找不到客户 {customer_id}。请检查客户号（例如 CUST000172）。")


class ModelService:
    def __init__(self, db_path: Path, artifacts_dir: Path):
        self.db_path = Path(db_path)
        self.artifacts_dir = Path(artifacts_dir)
        self._loaded: dict[str, LoadedArtifact] = {}
        self._lock = threading.Lock()

    def artifact(self, name: str) -> LoadedArtifact:
        with self._lock:   # the web app's first visitors at once load each artifact once
            if name not in self._loaded:
                self._loaded[name] = load_artifact(self.artifacts_dir, name, self.db_path)
            return self._loaded[name]

    def model_info(self, name: str) -> dict:
        card = self.artifact(name).card
        return {"name": name, "title": card["title"], "version": card["version"],
                "trained_at": card["trained_at"], "as_of_month": card["as_of_month"],
                "stale": self.artifact(name).stale}

    def _snapshot_row(self, customer_id: str) -> pd.Series:
        conn = connect_readonly(self.db_path)
        try:
            row = pd.read_sql_query("SELECT * FROM customer_snapshot WHERE customer_id = ?", conn,
                                    params=[customer_id])
        finally:
            conn.close()
        if row.empty:
            raise UnknownCustomerError(customer_id)
        if not row["in_asof"].iloc[0]:
            raise UnknownCustomerError(customer_id, f"客户 {customer_id} 在基准月没有资产记录，无法评分或推荐。")
        return row.iloc[0]

    # -- 高价值客户 --------------------------------------------------------
    def predict_customer(self, customer_id: str) -> dict:
        loaded = self.artifact("high_value")
        model = loaded.model["model"]
        panel = load_panel(self.db_path, PANEL_COLUMNS, customer_id=customer_id)
        if len(panel.customer_ids) == 0:
            raise UnknownCustomerError(customer_id)
        t = len(panel.months) - 1
        x = features_at(panel, t)
        if x.empty:
            raise UnknownCustomerError(customer_id, f"客户 {customer_id} 在基准月没有资产记录，无法评分。")
        explained = model.explain(x)
        contributions = pd.DataFrame({
            "feature": model.feature_names_,
            "label": [FEATURE_LABELS.get(f, f) for f in model.feature_names_],
            "value": x[model.feature_names_].iloc[0].to_numpy(),
            "contribution": explained["contributions"].iloc[0].to_numpy(),
        })
        contributions = contributions.reindex(contributions["contribution"].abs()
                                              .sort_values(ascending=False).index).reset_index(drop=True)
        assets = float(x["total_assets"].iloc[0])
        return {"customer_id": customer_id, "as_of_month": panel.months[t], "total_assets": assets,
                "eligible": assets < HIGH_VALUE_ASSETS,
                "probability": float(explained["probability"][0]),
                "threshold": model.thresholds_["lightgbm"],
                "base_value": float(explained["base_value"][0]),
                "raw_score": float(explained["raw_score"][0]),
                "contributions": contributions, "model": self.model_info("high_value")}

    def high_potential(self, top_n: int = 20) -> pd.DataFrame:
        return self.artifact("high_value").model["scores"].head(top_n).reset_index(drop=True)

    def low_potential(self, top_n: int = 20) -> pd.DataFrame:
        scores = self.artifact("high_value").model["scores"]
        return scores.sort_values(["probability", "total_assets"]).head(top_n).reset_index(drop=True)

    # -- 分群 ------------------------------------------------------------
    def segments_overview(self) -> pd.DataFrame:
        return self.artifact("segmentation").model["model"].profiles_.copy()

    def segment_of(self, customer_id: str) -> dict:
        loaded = self.artifact("segmentation").model
        if "by_customer" not in loaded:  # an index lookup, not a scan of a million rows
            loaded["by_customer"] = loaded["assignments"].set_index("customer_id")["cluster"]
        if customer_id not in loaded["by_customer"].index:
            self._snapshot_row(customer_id)  # raises the right message for unknown / not in as-of
            raise UnknownCustomerError(customer_id, f"客户 {customer_id} 不在分群模型的训练数据中，请重新训练模型。")
        cluster = int(loaded["by_customer"].at[customer_id])
        segmenter = loaded["model"]
        profile = segmenter.profiles_.loc[cluster]
        # how this customer fits the name: the rule it claims, checked on the customer's own row
        rule = segmenter.name_rule(profile["name"])
        fits = bool(segmenter.fits_name(profile["name"], self._snapshot_row(customer_id).to_frame().T
                                        .infer_objects()).iloc[0]) if rule else None
        return {"customer_id": customer_id, "cluster": cluster, "segment": profile["name"],
                "strategy": profile["strategy"], "profile": profile, "rule": rule, "fits": fits,
                "model": self.model_info("segmentation")}

    # -- 产品推荐 ----------------------------------------------------------
    def recommend(self, customer_id: str, top_n: int = 3) -> dict:
        row = self._snapshot_row(customer_id).copy()
        try:
            row["segment"] = self.segment_of(customer_id)["segment"]
        except UnknownCustomerError:
            pass
        items = customer_items(row)
        ranked = self.artifact("basket").model["model"].recommend(items, top_n=len(PRODUCT_NAMES))
        # 适当性 first; then only products a rule lifts above the bank's base rate are recommended as such
        barred = {p: why for p in ranked["product"] if (why := unsuitable(p, row.get("age"), row.get("segment")))}
        ranked = ranked[~ranked["product"].isin(barred).to_numpy()]
        # A numpy mask: a customer holding every product leaves an empty object column, which would select columns
        by_rule = ranked["by_rule"].to_numpy(dtype=bool)
        return {"customer_id": customer_id, "held": sorted(i for i in items if "=" not in i),
                "recommendations": ranked[by_rule].head(top_n).reset_index(drop=True),
                "no_signal": ranked[~by_rule].reset_index(drop=True), "unsuitable": barred,
                "model": self.model_info("basket")}

    def common_combinations(self, where: str = "1", params=(), top_n: int = 10) -> pd.DataFrame:
        """Product combinations among as-of customers matching a parameterised filter on snapshot `s`."""
        conn = connect_readonly(self.db_path)
        try:
            flags = pd.read_sql_query(
                "SELECT s.deposit_flag, s.financial_flag, s.fund_flag, s.insurance_flag FROM customer_snapshot s "
                f"WHERE s.in_asof = 1 AND {where}", conn, params=list(params))
        finally:
            conn.close()
        return combination_counts(flags).head(top_n)

    # -- 预测 ------------------------------------------------------------
    def forecast_customer(self, customer_id: str, steps: int = 6) -> dict:
        panel = load_panel(self.db_path, (), customer_id=customer_id)
        if len(panel.customer_ids) == 0:
            raise UnknownCustomerError(customer_id)
        series = panel.values["total_assets"][0]
        if np.isnan(series).all():
            raise UnknownCustomerError(customer_id, f"客户 {customer_id} 没有任何月度资产记录。")
        forecast: SeriesForecast = forecast_series(series, panel.months[-1], steps)
        history = pd.DataFrame({"month": panel.months, "total_assets": series}).dropna()
        return {"customer_id": customer_id, "history": history, "forecast": forecast}

    def aum_outlook(self) -> dict:
        f = self.artifact("forecast").model
        return {"history": f["aum_history"], "forecast": f["aum"], "quarterly": f["aum_quarterly"],
                "model": self.model_info("forecast"), "card": self.artifact("forecast").card}

    def decline_list(self, top_n: int = 20) -> pd.DataFrame:
        return self.artifact("forecast").model["declines"].head(top_n).reset_index(drop=True)

    # -- 精准营销 ----------------------------------------------------------
    def _segments(self) -> Path | None:
        return segments_path(self.artifacts_dir, self.artifact("segmentation").card["data_fingerprint"])

    def campaign(self, goal: str, size: int = 100, product: str | None = None, where: str = "1 = 1",
                 population: str = "全部客户", policy: Policy = Policy(), channel: str | None = None) -> CampaignList:
        """A ranked, eligible list for `goal` among as-of customers matching `where` (SQL over customer_snapshot
        `s`, as the typed-query compiler renders a population), drawn from the scores training saved."""
        score_key(goal, product)   # an unknown goal or a missing product is said before anything is read
        model = SCORING_MODEL[goal]
        card = self.artifact(model).card
        scores = scores_path(self.artifacts_dir, model, card["data_fingerprint"])
        if scores is None:
            raise CampaignError("名单分数缺失或与当前数据不一致：请先重新训练模型（python -m models.train）。")
        segments = self._segments()
        attach = {"sc": scores, **({"seg": segments} if segments else {})}
        conn = connect_readonly(self.db_path, attach=attach)
        try:
            result = build_campaign(conn, goal, as_of_month=card["as_of_month"], size=size, product=product,
                                    policy=policy, where=where, population=population, channel=channel,
                                    segments=segments is not None)
        finally:
            conn.close()
        result.model = self.model_info(model)
        return result

    def campaign_backtests(self) -> dict:
        loaded = self.artifact("campaign")
        return {**loaded.model, "card": loaded.card, "model": self.model_info("campaign")}

    def alerts(self, min_lift: float, churn_rise: float) -> list[dict]:
        return alerts(self.artifact("campaign").model["backtests"], self.artifact("churn").model["watch"],
                      min_lift, churn_rise)

