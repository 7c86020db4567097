"""Train every model once and save its artifacts and model card.

    python -m models.train [--db PATH] [--artifacts DIR]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from config import settings
from db.definitions import HIGH_VALUE_ASSETS
from models.features import PANEL_COLUMNS, features_at
from models.high_value import MODEL_TITLES, HighValueModel, NotEnoughMonthsError
from models.panel import load_panel
from models.registry import data_fingerprint, save_artifact

VERSION = "1"


def train_high_value(db_path: Path, artifacts_dir: Path) -> dict:
    panel = load_panel(db_path, PANEL_COLUMNS)
    model = HighValueModel().fit(panel)
    # Score every as-of customer below 100万 once, so lists are instant at question time.
    x = features_at(panel, len(panel.months) - 1)
    x = x[x["total_assets"] < HIGH_VALUE_ASSETS]
    scores = pd.DataFrame({"customer_id": x.index, "total_assets": x["total_assets"].to_numpy(),
                           "probability": model.predict_proba(x)}).sort_values("probability", ascending=False)
    card = {
        "title": "高价值客户预测（3个月内资产达到100万+）",
        "version": VERSION,
        **data_fingerprint(db_path),
        "parameters": {
            "models": {name: MODEL_TITLES[name] for name in model.estimators_},
            "train_months": model.split_.train_months,
            "validation_month": model.split_.validation_month,
            "holdout_month": model.split_.holdout_month,
            "train_rows": model.train_rows_,
            "threshold_rule": "验证月上使 F1 最大的阈值",
            "lightgbm": model.estimators_["lightgbm"].get_params(),
        },
        "metrics": {name: {k: v for k, v in m.items() if k != "roc"} for name, m in model.metrics_.items()},
        "metrics_source": f"时间外留出月 {model.split_.holdout_month}（训练从未见过）",
    }
    save_artifact(artifacts_dir, "high_value", {"model": model, "scores": scores}, card)
    return card


TRAINERS = {"high_value": train_high_value}


def train_all(db_path: Path, artifacts_dir: Path, progress: bool = True) -> dict[str, dict]:
    cards = {}
    names = list(TRAINERS)
    if progress:
        from tqdm import tqdm
        names = tqdm(names, desc="训练模型", unit="个")
    for name in names:
        start = time.perf_counter()
        cards[name] = TRAINERS[name](db_path, artifacts_dir)
        cards[name]["train_seconds"] = round(time.perf_counter() - start, 2)
    return cards


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.train", description="训练全部模型")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--artifacts", type=Path, default=None)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    db_path = args.db or settings().db_path
    if not db_path.exists():
        print(f"找不到数据库 {db_path}。请先运行 python -m db.build。", file=sys.stderr)
        return 2
    try:
        cards = train_all(db_path, args.artifacts or settings().artifacts_dir, not args.quiet)
    except NotEnoughMonthsError as exc:
        print(f"训练失败：{exc}", file=sys.stderr)
        return 2
    for name, card in cards.items():
        m = card["metrics"]
        summary = "，".join(f"{MODEL_TITLES[k]} AUC {v['auc']:.3f}" for k, v in m.items()
                           if not np.isnan(v["auc"]))
        print(f"{card['title']}：{summary}（{card['metrics_source']}，用时 {card['train_seconds']} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
