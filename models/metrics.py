"""Classification metrics reported on the temporal hold-out."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve


def best_f1_threshold(y, score) -> float:
    if len(np.unique(y)) < 2:
        return 0.5
    precision, recall, thresholds = precision_recall_curve(y, score)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(thresholds[np.argmax(f1[:-1])]) if len(thresholds) else 0.5


def top_decile_lift(y, score) -> float:
    y = np.asarray(y)
    top = np.argsort(-np.asarray(score), kind="stable")[: max(len(y) // 10, 1)]
    return float(y[top].mean() / max(y.mean(), 1e-12))


def classification_metrics(y, score, threshold: float) -> dict:
    """Hold-out metrics; AUCs are NaN when the hold-out has only one class."""
    y, score = np.asarray(y), np.asarray(score)
    if len(np.unique(y)) < 2:
        return {"auc": float("nan"), "pr_auc": float("nan"), "threshold": float(threshold),
                "precision": float("nan"), "recall": float("nan"), "top_decile_lift": float("nan"),
                "rows": int(len(y)), "positives": int((y == 1).sum()), "roc": {"fpr": [], "tpr": []}}
    predicted = score >= threshold
    tp = int((predicted & (y == 1)).sum())
    fpr, tpr, _ = roc_curve(y, score)
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(len(fpr), 200)).astype(int))
    return {
        "auc": float(roc_auc_score(y, score)),
        "pr_auc": float(average_precision_score(y, score)),
        "threshold": float(threshold),
        "precision": tp / max(int(predicted.sum()), 1),
        "recall": tp / max(int((y == 1).sum()), 1),
        "top_decile_lift": top_decile_lift(y, score),
        "rows": int(len(y)),
        "positives": int((y == 1).sum()),
        "roc": {"fpr": fpr[keep].round(4).tolist(), "tpr": tpr[keep].round(4).tolist()},
    }
