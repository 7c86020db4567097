"""Saving and loading model artifacts with their model cards.

Each model is one joblib file plus a human-readable card (JSON) beside it, both
written atomically. The card records the data fingerprint of the database the
model was trained on; loading against another database reports it as stale.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import joblib

from db.atomic import atomic_path, write_text_atomic
from db.readonly import build_info

CARD_FIELDS = ("name", "title", "version", "trained_at", "data_fingerprint", "as_of_month",
               "parameters", "metrics")


class ArtifactError(Exception):
    """A missing or unreadable artifact; the message says how to fix it."""


@dataclass
class LoadedArtifact:
    model: object
    card: dict
    stale: bool


def data_fingerprint(db_path: Path) -> dict:
    info = build_info(db_path)
    return {"data_fingerprint": info["data_fingerprint"], "as_of_month": info["as_of_month"]}


def save_artifact(artifacts_dir: Path, name: str, model, card: dict) -> Path:
    card = {"name": name, "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **card}
    missing = [f for f in CARD_FIELDS if f not in card]
    if missing:
        raise ValueError(f"model card for {name} lacks {missing}")
    path = Path(artifacts_dir) / f"{name}.joblib"
    with atomic_path(path) as tmp:
        joblib.dump({"model": model, "card": card}, tmp)
    write_text_atomic(path.with_suffix(".card.json"), json.dumps(card, ensure_ascii=False, indent=2))
    return path


def load_artifact(artifacts_dir: Path, name: str, db_path: Path | None = None) -> LoadedArtifact:
    path = Path(artifacts_dir) / f"{name}.joblib"
    if not path.exists():
        raise ArtifactError(f"模型 {name} 尚未训练（缺少 {path}）。请先运行 python -m models.train。")
    try:
        payload = joblib.load(path)
        model, card = payload["model"], payload["card"]
    except Exception as exc:  # a corrupt file can fail in many ways inside unpickling
        raise ArtifactError(f"模型文件 {path} 已损坏或不兼容（{type(exc).__name__}）。"
                            "请重新运行 python -m models.train。") from exc
    stale = False
    if db_path is not None:
        stale = data_fingerprint(db_path)["data_fingerprint"] != card["data_fingerprint"]
    return LoadedArtifact(model, card, stale)
