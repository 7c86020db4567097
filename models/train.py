"""Train every model once and save its artifacts and model card.

    python -m models.train [--db PATH] [--artifacts DIR]

Trainers share one TrainingData, which reads the panel and the snapshot once.
Every card's metrics come from data the model did not train on (temporal
hold-out, held-back months) — except segmentation, which is unsupervised and
reports its selection criterion and agreement with the generator's hidden
personas when that truth file exists.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from config import settings
from db.definitions import CHURN_DROP, CHURN_MIN_ASSETS, HIGH_VALUE_ASSETS
from db.loader import truth_path
from db.model_outputs import SEGMENTS_FILE, scores_file, write_scores, write_segments
from models.basket import BasketRules, backtest_recommendations, pair_lift
from models.features import PANEL_COLUMNS, features_at
from models.forecast import (backtest_screen, backtest_series, decline_screen, forecast_series,
                             months_to_quarter_ends, quarterly)
from models.campaign import PRODUCT_FLAG, SCORING_MODEL, contact_success_by_segment, cross_sell_scores, score_key
from models.campaign_backtest import LIST_SHARE, backtest_lists, product_take_up
from models.churn import MODEL_TITLES as CHURN_TITLES, ChurnModel
from models.high_value import MODEL_TITLES, HighValueModel, NotEnoughMonthsError
from models.temporal_classifier import FIT_CUSTOMERS
from models.reasons import reasons
from db.readonly import connect_readonly
from models.panel import load_panel
from models.registry import data_fingerprint, save_artifact
from models.segmentation import SNAPSHOT_COLUMNS, Segmenter

VERSION = "3"   # bumped when saved artifacts can no longer be loaded by this code
CONFIRM_TOP = 20          # decline-list entries confirmed with ARIMA at training time
BACKTEST_CUSTOMERS = 50   # customers whose own ARIMA forecasts are backtested
SCORING_MONTHS = 8        # features look back 6 months from the as-of month and the month before it
REASON_ROWS = 50_000      # the best-scored customers get their reasons in words at training time
DEFAULT_LIST_SIZE = 1_000  # each build keeps an upgrade and a retention list of this size


class TrainingData:
    """What the trainers read, loaded once and shared."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self.fingerprint = data_fingerprint(self.db_path)
        self.results: dict = {}   # outputs one trainer passes to the next (segments → basket)

    @cached_property
    def customers(self) -> int:
        return int(self.query("SELECT COUNT(*) n FROM customer_base")["n"][0])

    @cached_property
    def fit_panel(self):
        """Every month, for a fixed sample of customers (all of them up to FIT_CUSTOMERS)."""
        every = max(1, -(-self.customers // FIT_CUSTOMERS))
        return load_panel(self.db_path, PANEL_COLUMNS, sample_every=every)

    @cached_property
    def scoring_panel(self):
        """Every customer, only the months the as-of features need."""
        return load_panel(self.db_path, PANEL_COLUMNS, last_months=SCORING_MONTHS)

    @cached_property
    def assets_panel(self):
        """Every customer and month, total_assets only (forecasts and the decline screen)."""
        return load_panel(self.db_path, ())

    def query(self, sql: str, params=()) -> pd.DataFrame:
        conn = connect_readonly(self.db_path)
        try:
            return pd.read_sql_query(sql, conn, params=params)
        finally:
            conn.close()

    @cached_property
    def snapshot(self) -> pd.DataFrame:
        columns = dict.fromkeys(SNAPSHOT_COLUMNS + ("age_band", "customer_tier", "deposit_flag"))
        return self.query(f"SELECT {', '.join(columns)} FROM customer_snapshot WHERE in_asof = 1 "
                          "ORDER BY customer_id")

    def hidden_personas(self) -> pd.DataFrame | None:
        """The generator's truth, for evaluation only (absent for a bank's own data)."""
        path = truth_path(self.db_path)
        if not path.exists():
            return None
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return pd.read_sql_query("SELECT customer_id, persona, declining FROM persona", conn)


def _card(data: TrainingData, title: str, parameters: dict, metrics: dict, source: str) -> dict:
    return {"title": title, "version": VERSION, **data.fingerprint, "parameters": parameters,
            "metrics": metrics, "metrics_source": source}


def train_high_value(data: TrainingData, artifacts_dir: Path) -> dict:
    model = HighValueModel().fit(data.fit_panel)
    # Score every as-of customer below 100万 once, so lists are instant at question time.
    scoring = data.scoring_panel
    x = features_at(scoring, len(scoring.months) - 1)
    x = x[x["total_assets"] < HIGH_VALUE_ASSETS]
    scores = _scores(model, x)
    card = _card(data, "高价值客户预测（3个月内资产达到100万+）", {
        "models": {name: MODEL_TITLES[name] for name in model.estimators_},
        "train_months": model.split_.train_months,
        "validation_month": model.split_.validation_month,
        "holdout_month": model.split_.holdout_month,
        "train_rows": model.train_rows_,
        "threshold_rule": "验证月上使 F1 最大的阈值",
        "lightgbm": model.estimators_["lightgbm"].get_params(),
    }, {name: {k: v for k, v in m.items() if k != "roc"} for name, m in model.metrics_.items()},
        f"时间外留出月 {model.split_.holdout_month}（训练从未见过，其标签来自 3 个月后）")
    save_artifact(artifacts_dir, "high_value", {"model": model, "scores": scores}, card)
    _save_scores(data, artifacts_dir, "high_value", scores.rename(columns={"probability": "score"}).assign(goal="upgrade"))
    return card


def _scores(model, x: pd.DataFrame) -> pd.DataFrame:
    """Every customer's probability, best first; the best REASON_ROWS with their reasons in words."""
    scores = pd.DataFrame({"customer_id": x.index, "total_assets": x["total_assets"].to_numpy(),
                           "probability": model.predict_proba(x)}) \
        .sort_values("probability", ascending=False).reset_index(drop=True)
    head = scores["customer_id"].head(REASON_ROWS)
    scores["reason"] = ""
    scores.loc[: len(head) - 1, "reason"] = reasons(model, x.loc[head])
    return scores


def train_churn(data: TrainingData, artifacts_dir: Path) -> dict:
    model = ChurnModel().fit(data.fit_panel)
    scoring = data.scoring_panel
    t = len(scoring.months) - 1
    every = {k: features_at(scoring, k) for k in (t, t - 1)}
    x = every[t][every[t]["total_assets"] >= CHURN_MIN_ASSETS]
    scores = _scores(model, x)
    # 高净值 customers the model flags, this month and last: the churn alert compares the two
    threshold = model.thresholds_["lightgbm"]
    flagged = {}
    for k, xk in every.items():
        xk = xk[xk["total_assets"] >= HIGH_VALUE_ASSETS]
        flagged[k] = int((model.predict_proba(xk) >= threshold).sum()) if len(xk) else 0
    watch = {"month": scoring.months[t], "month_before": scoring.months[t - 1],
             "high_net_worth_at_risk": flagged[t], "high_net_worth_at_risk_before": flagged[t - 1]}
    card = _card(data, "流失预警（3个月内总资产下降30%以上）", {
        "models": {name: CHURN_TITLES[name] for name in model.estimators_},
        "label": f"基准月总资产 ≥ {CHURN_MIN_ASSETS:,.0f} 元的客户，3 个月后总资产 ≤ 当前的 {1 - CHURN_DROP:.0%} 记为 1",
        "train_months": model.split_.train_months,
        "validation_month": model.split_.validation_month,
        "holdout_month": model.split_.holdout_month,
        "train_rows": model.train_rows_,
        "threshold_rule": "验证月上使 F1 最大的阈值",
    }, {**{name: {k: v for k, v in m.items() if k != "roc"} for name, m in model.metrics_.items()}, "watch": watch},
        f"时间外留出月 {model.split_.holdout_month}（训练从未见过，其标签来自 3 个月后）")
    save_artifact(artifacts_dir, "churn", {"model": model, "scores": scores, "watch": watch}, card)
    _save_scores(data, artifacts_dir, "churn", scores.rename(columns={"probability": "score"}).assign(goal="retain"))
    return card


def train_campaign(data: TrainingData, artifacts_dir: Path) -> dict:
    """Backtests of the upgrade and retention lists, the data's product take-up and the observed contact
    outcomes by segment: what the 营销 view states beside every list."""
    panel = data.fit_panel
    backtests = {"upgrade": backtest_lists(panel, HighValueModel(estimators=("lightgbm",)), "upgrade"),
                 "retain": backtest_lists(panel, ChurnModel(estimators=("lightgbm",)), "retain")}
    take_up = product_take_up(panel)
    segments = data.results.get("segments")
    contact = contact_success_by_segment(
        data.query("SELECT customer_id, last_contact_time, contact_result FROM customer_snapshot WHERE in_asof = 1"),
        segments.set_index("customer_id")["segment"] if segments is not None else pd.Series(dtype=object),
        data.fingerprint["as_of_month"])
    metrics = {goal: {"months": frame["month"].tolist(), "model": float(frame["model"].mean()),
                      "random": float(frame["random"].mean()), "rule": float(frame["rule"].mean()),
                      "train_months": frame.attrs["train_months"]}
               for goal, frame in backtests.items()}
    metrics["product_take_up_3m"] = take_up
    card = _card(data, "营销名单回测（升级 / 挽留）", {
        "list_share": LIST_SHARE, "lists": len(backtests["upgrade"]),
        "rule": "名单月的候选客户中按模型分数取前 5%（营销冷静期内的除外）；模型只用名单月之前已观察到标签的月份训练",
        "baselines": {"random": "候选客户整体的转化率", "rule": "升级：按当前总资产；挽留：按近3月资产降幅"},
    }, metrics, "名单月之后 1–3 个月的真实数据（回测，名单生成时未使用）")
    # This build's default lists (every customer, default rules), kept with the models that drew them
    from models.service import ModelService
    service = ModelService(data.db_path, artifacts_dir)
    lists = {goal: service.campaign(goal, DEFAULT_LIST_SIZE).rows[["rank", "customer_id", "score", "channel"]]
             for goal in ("upgrade", "retain")}
    card["parameters"]["default_lists"] = {"size": DEFAULT_LIST_SIZE, "models": {
        "upgrade": service.model_info("high_value")["trained_at"], "retain": service.model_info("churn")["trained_at"]}}
    save_artifact(artifacts_dir, "campaign", {"backtests": backtests, "take_up": take_up, "contact": contact,
                                              "lists": lists}, card)
    return card


def train_segmentation(data: TrainingData, artifacts_dir: Path) -> dict:
    snapshot = data.snapshot
    segmenter = Segmenter().fit(snapshot)
    assignments = pd.DataFrame({"customer_id": snapshot["customer_id"],
                                "cluster": segmenter.kmeans_.labels_,
                                "segment": segmenter.segment_names(segmenter.kmeans_.labels_)})
    data.results["segments"] = assignments
    metrics = {"k": segmenter.k_, "selection": segmenter.selection_,
               "silhouette": max(r["silhouette"] for r in segmenter.selection_),
               # do the names hold for the members, and do the segments hold across seeds and months?
               "name_fit": list(segmenter.name_fit_.values()),
               "stability_ari_across_seeds": segmenter.stability(snapshot),
               "same_segment_as_last_month": _segment_persistence(data, segmenter, assignments)}
    truth = data.hidden_personas()
    if truth is not None:
        from sklearn.metrics import adjusted_rand_score
        merged = assignments.merge(truth, on="customer_id")
        metrics["ari_vs_hidden_personas"] = float(adjusted_rand_score(merged["persona"], merged["cluster"]))
    card = _card(data, "客户分群（K-Means）", {
        "features": list(segmenter.scaler_.feature_names_in_),
        "k_range": [min(segmenter.k_range), max(segmenter.k_range)],
        "k_rule": "在抽样上按平均轮廓系数（silhouette）最大选 k；同时记录肘部法则的 inertia",
        "sample_size": segmenter.sample_size,
    }, metrics, "无监督：选 k 的轮廓系数在抽样上计算；与生成数据隐含画像的 ARI 仅用于评估")
    save_artifact(artifacts_dir, "segmentation", {"model": segmenter, "assignments": assignments}, card)
    write_segments(artifacts_dir, assignments, data.fingerprint["data_fingerprint"])   # for 客群 filters
    return card


def _segment_persistence(data: TrainingData, segmenter: Segmenter, assignments: pd.DataFrame,
                         sample: int = 20_000) -> float | None:
    """Share of a sample of customers whose segment, assigned from last month's data, is this month's."""
    months = data.query("SELECT stat_month FROM monthly_summary ORDER BY stat_month DESC LIMIT 2")["stat_month"]
    if len(months) < 2:
        return None
    behaviour = [c for c in SNAPSHOT_COLUMNS if c not in ("customer_id", "age")]
    before = data.query(f"SELECT a.customer_id, b.age, {', '.join('a.' + c for c in behaviour)} "
                        "FROM customer_base AS b JOIN customer_behavior_assets AS a ON a.customer_id = b.customer_id "
                        "WHERE a.stat_month = ? AND b.rowid % ? = 0",
                        (months.iloc[1], max(1, -(-data.customers // sample))))
    before = before.merge(assignments[["customer_id", "segment"]], on="customer_id")
    if before.empty:
        return None
    return float((segmenter.segment_names(segmenter.predict(before)) == before["segment"].to_numpy()).mean())


def train_basket(data: TrainingData, artifacts_dir: Path) -> dict:
    snapshot = data.snapshot
    segments = data.results.get("segments")
    if segments is not None:
        snapshot = snapshot.merge(segments[["customer_id", "segment"]], on="customer_id", how="left")
    rules = BasketRules().fit(snapshot)
    top = rules.product_rules_.head(5)
    card = _card(data, "产品关联规则（Apriori）", {
        "min_support": rules.min_support, "min_confidence": rules.min_confidence,
        "items": "四类产品持有；年龄段、客户等级、客群只作前件",
    }, {"rules": int(len(rules.rules_)), "product_rules": int(len(rules.product_rules_)),
        "top_product_rules": [{"antecedent": list(r.antecedent), "consequent": r.consequent,
                               "support": r.support, "confidence": r.confidence, "lift": r.lift}
                              for r in top.itertuples()],
        "pair_lifts": {f"{a}+{b}": pair_lift(snapshot, a, b)
                       for a, b in (("理财", "基金"), ("基金", "保险"), ("理财", "保险"))},
        "holdout_recommendation": backtest_recommendations(data.fit_panel)},
        f"基准月 {data.fingerprint['as_of_month']} 的持有情况（规则描述现状，不预测未来）")
    save_artifact(artifacts_dir, "basket", {"model": rules}, card)
    # every customer's confidence for each product they lack: the cross-selling lists walk these
    _save_scores(data, artifacts_dir, "basket", pd.concat(
        [cross_sell_scores(snapshot, rules, product).assign(goal=score_key("cross_sell", product))
         for product in PRODUCT_FLAG], ignore_index=True))
    return card


def _save_scores(data: TrainingData, artifacts_dir: Path, model: str, scores: pd.DataFrame) -> None:
    write_scores(artifacts_dir, model, scores, data.fingerprint["data_fingerprint"])


def train_forecast(data: TrainingData, artifacts_dir: Path) -> dict:
    summary = data.query("SELECT stat_month, total_assets FROM monthly_summary ORDER BY stat_month")
    months = list(summary["stat_month"])
    aum = forecast_series(summary["total_assets"], months[-1], months_to_quarter_ends(months[-1], 4))
    aum_backtest = backtest_series(summary["total_assets"], months) if len(months) >= 12 else None

    panel = data.assets_panel
    assets = panel.values["total_assets"]
    screen = decline_screen(assets)
    screen.insert(0, "customer_id", panel.customer_ids)
    declines = screen[screen["decline"]].assign(ratio=lambda d: d["projected"] / d["current"].clip(lower=1)) \
        .sort_values("ratio").reset_index(drop=True)
    rows = panel.customer_ids.searchsorted(declines["customer_id"].head(CONFIRM_TOP))
    confirmed = [forecast_series(assets[r], months[-1], 6) for r in rows]
    declines["arima_6m"] = np.nan
    declines.loc[: len(confirmed) - 1, "arima_6m"] = [f.mean[-1] for f in confirmed]

    rng = np.random.default_rng(0)
    full = np.flatnonzero((~np.isnan(assets)).all(axis=1))
    sample = rng.choice(full, min(len(full), BACKTEST_CUSTOMERS), replace=False)
    customer_bt = [backtest_series(assets[r], months) for r in sample] if len(months) >= 12 else []
    metrics = {
        "aum_backtest": aum_backtest,
        "customer_backtest": {
            "customers": len(customer_bt),
            "model_mape_median": float(np.median([b["model"]["mape"] for b in customer_bt])) if customer_bt else None,
            "naive_mape_median": float(np.median([b["naive"]["mape"] for b in customer_bt])) if customer_bt else None,
        },
        "decline_screen_backtest": backtest_screen(assets),
        "decline_flagged": int(len(declines)),
        "arima_confirms_top": int(sum(f.mean[-1] < 0.95 * assets[r, -1] for f, r in zip(confirmed, rows))),
    }
    card = _card(data, "资产预测（ARIMA）与资产下降预警", {
        "aum_method": aum.method, "aum_note": aum.note, "order_grid": "p∈{0,1,2}, q∈{0,1,2}, d 由 ADF 检验定",
        "decline_rule": "近6个月月度对数变化的中位数外推6个月 < 当前总资产的95%", "confirm_top": CONFIRM_TOP,
    }, metrics, "留出最后 6 个月回测（AUM、抽样客户、下降筛查），与朴素预测（最后一个值）对比")
    history = summary.rename(columns={"stat_month": "month"})
    save_artifact(artifacts_dir, "forecast", {"aum": aum, "aum_quarterly": quarterly(aum),
                                              "aum_history": history, "declines": declines}, card)
    return card


TRAINERS = {"high_value": train_high_value, "churn": train_churn, "segmentation": train_segmentation,
            "basket": train_basket, "forecast": train_forecast, "campaign": train_campaign}


def train_all(db_path: Path, artifacts_dir: Path, progress: bool = True, on_step=None) -> dict[str, dict]:
    """on_step(done, total, name): called before each model (the web app shows it as progress)."""
    from models.insights import write_insight_report
    data = TrainingData(db_path)
    cards = {}
    names = list(TRAINERS)
    if progress:
        from tqdm import tqdm
        names = tqdm(names, desc="训练模型", unit="个")
    for done, name in enumerate(names):
        if on_step is not None:
            on_step(done, len(TRAINERS), name)
        start = time.perf_counter()
        cards[name] = TRAINERS[name](data, artifacts_dir)
        cards[name]["train_seconds"] = round(time.perf_counter() - start, 2)
    write_insight_report(artifacts_dir, db_path)
    return cards


def models_current(db_path: Path, artifacts_dir: Path) -> bool:
    """Were all models (and the report) trained on exactly this database's data, by this code's version?"""
    want = data_fingerprint(db_path)["data_fingerprint"]
    for name in TRAINERS:
        card = Path(artifacts_dir) / f"{name}.card.json"
        if not card.exists():
            return False
        saved = json.loads(card.read_text(encoding="utf-8"))
        if saved.get("data_fingerprint") != want or saved.get("version") != VERSION:
            return False
    outputs = ("insight_report.md", SEGMENTS_FILE, *(scores_file(m) for m in set(SCORING_MODEL.values())))
    return all((Path(artifacts_dir) / f).exists() for f in outputs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.train", description="训练全部模型")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--artifacts", type=Path, default=None)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--if-stale", action="store_true",
                        help="只在模型缺失或训练所用数据与当前数据库不一致（按数据指纹）时训练")
    args = parser.parse_args(argv)
    db_path = args.db or settings().db_path
    artifacts = args.artifacts or settings().artifacts_dir
    if not db_path.exists():
        print(f"找不到数据库 {db_path}。请先运行 python -m db.build。", file=sys.stderr)
        return 2
    if args.if_stale and models_current(db_path, artifacts):
        print("模型与当前数据库一致（数据指纹相同），无需重新训练。")
        return 0
    try:
        cards = train_all(db_path, artifacts, not args.quiet)
    except NotEnoughMonthsError as exc:
        print(f"训练失败：{exc}", file=sys.stderr)
        return 2
    for card in cards.values():
        print(f"{card['title']}：已保存（{card['train_seconds']} 秒）")
    hv = cards["high_value"]["metrics"]
    print("高价值预测留出集 AUC：" + "，".join(f"{MODEL_TITLES[k]} {v['auc']:.3f}" for k, v in hv.items()))
    print(f"洞察报告：{artifacts / 'insight_report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
