"""The depth-4 decision tree as a PNG with Chinese feature names."""
from __future__ import annotations

import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")   # no screen on a server
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.tree import plot_tree  # noqa: E402

from models.features import FEATURE_LABELS  # noqa: E402
from ui.fonts import matplotlib_font  # noqa: E402


def tree_png(model, path: Path | None = None) -> str:
    """Draw the fitted HighValueModel's tree; returns the PNG's path."""
    family = matplotlib_font()
    tree = model.estimators_["tree"][-1]
    names = [FEATURE_LABELS.get(f, f) for f in model.feature_names_]
    path = Path(path) if path else Path(tempfile.mkdtemp(prefix="bank-ui-tree-")) / "decision_tree.png"
    with plt.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(22, 9), dpi=90)
        plot_tree(tree, feature_names=names, class_names=["未升至100万+", "升至100万+"], filled=True,
                  rounded=True, impurity=False, proportion=True, precision=2, fontsize=8, ax=ax)
        ax.set_title("决策树（深度4）：3个月内升至100万+", fontsize=14)
        fig.savefig(path, bbox_inches="tight")
        plt.close(fig)
    return str(path)
