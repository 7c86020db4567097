"""One customer, one story: the high-value probability and the asset forecast read together.

The two models look at different things. The probability (LightGBM) reads the last months' behaviour —
product comparisons, logins, income, inflows — and says whether assets will reach 100万 within 3 months;
the forecast (ARIMA) extrapolates the customer's own asset history. A customer who has started comparing
products can score 97% while the history-only forecast stays far below 100万: the behaviour comes before
the money arrives, and the history cannot know it. Shown side by side without a word, the two look like a
contradiction; `reconcile` says whether they agree and, when they do not, which signal each model sees and
what to do.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from db.definitions import HIGH_VALUE_ASSETS

HORIZON = 3   # months: the probability's horizon, read at the same month of the forecast


@dataclass(frozen=True)
class Outlook:
    kind: str   # agree_up | agree_not_yet | behaviour_ahead | trend_ahead | holds | may_fall_back
    agree: bool
    text: str


def _wan(amount: float) -> str:
    return f"{amount / 1e4:,.1f}万元"


def _pct(p: float) -> str:
    return "不足1%" if p < 0.01 else f"{p:.0%}"


def reconcile(prediction: dict, forecast_mean, forecast_upper, reasons_up=(), reasons_down=()) -> Outlook:
    """`prediction` as ModelService.predict_customer returns it; the forecast's mean and upper 95% bound by
    month (the first month after the 基准月 first); `reasons_*` the probability's main factors in words."""
    mean = float(np.asarray(forecast_mean, dtype=float)[min(HORIZON, len(forecast_mean)) - 1])
    upper = float(np.asarray(forecast_upper, dtype=float)[min(HORIZON, len(forecast_upper)) - 1])
    p, high = prediction["probability"], prediction["probability"] >= prediction["threshold"]
    up = "、".join(reasons_up) or "模型特征"
    down = "、".join(reasons_down) or "模型特征"
    if not prediction["eligible"]:
        if mean < HIGH_VALUE_ASSETS:
            return Outlook("may_fall_back", False,
                           f"该客户已是100万+客户；但按资产走势，{HORIZON}个月后约 {_wan(mean)}，可能回落到100万以下，"
                           "建议关注资金去向、做好保有。")
        return Outlook("holds", True, f"该客户已是100万+客户，资产走势显示{HORIZON}个月后约 {_wan(mean)}，预计保持。")
    if high and upper >= HIGH_VALUE_ASSETS:
        return Outlook("agree_up", True,
                       f"两个模型一致：升级概率较高（{_pct(p)}），资产走势预测{HORIZON}个月后的区间也触及100万"
                       f"（上限 {_wan(upper)}）。建议优先跟进。")
    if high:
        return Outlook("behaviour_ahead", False,
                       f"两个模型看法不同，原因是看的信号不同：升级概率 {_pct(p)} 主要依据客户的近期情况（{up}），"
                       f"而资产预测只按过去的资产走势外推，{HORIZON}个月后约 {_wan(mean)}（上限 {_wan(upper)}），"
                       "看不到这些行为。行为变化通常先于资金到账：若客户确有资金转入的打算，资产会跳升，而不是沿历史走势慢慢变化。"
                       "建议以行为信号为准安排跟进，并在下月数据更新后复核两项结果。")
    if mean >= HIGH_VALUE_ASSETS:
        return Outlook("trend_ahead", False,
                       f"两个模型看法不同：按资产走势外推，{HORIZON}个月后约 {_wan(mean)}，已到100万；但升级概率只有 {_pct(p)}，"
                       f"模型综合客户的近期情况（{down}）判断这一上涨未必延续。建议先了解近期资金来源是否稳定。")
    return Outlook("agree_not_yet", True,
                   f"两个模型一致：短期内升至100万的可能性不大（概率 {_pct(p)}；资产走势预测{HORIZON}个月后约 {_wan(mean)}）。")
