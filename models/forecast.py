"""Asset forecasting: ARIMA for one series, a vectorised decline screen for all.

`forecast_series` fits ARIMA with the order chosen by AIC over a small grid,
reports the ADF test, and falls back to a drift forecast on series too short
or too flat for ARIMA. One fit takes tens of milliseconds, so a million fits
would take hours: `decline_screen` instead fits a log-linear trend to every
customer's last months at once (numpy) and flags those whose projection falls
below 95% of today; the top of that list is then confirmed with ARIMA.
"""
from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MIN_ARIMA_POINTS = 8
DECLINE_RATIO = 0.95
DECLINE_HORIZON = 6
SCREEN_WINDOW = 6


@dataclass
class SeriesForecast:
    method: str                      # "ARIMA(p,d,q)" or the fallback's name
    months: list[str]                # forecast months
    mean: np.ndarray
    lower: np.ndarray                # 95% interval
    upper: np.ndarray
    aic: float | None = None
    adf_pvalue: float | None = None
    note: str = ""
    candidates: list = field(default_factory=list)


def _future_months(last: str, steps: int) -> list[str]:
    p = pd.Period(last, freq="M")
    return [str(p + k) for k in range(1, steps + 1)]


def _drift_forecast(values: np.ndarray, steps: int, note: str) -> tuple:
    diffs = np.diff(values) if len(values) > 1 else np.zeros(1)
    drift = float(diffs.mean()) if len(diffs) else 0.0
    sd = float(diffs.std(ddof=1)) if len(diffs) > 2 else abs(values[-1]) * 0.05
    h = np.arange(1, steps + 1)
    mean = values[-1] + drift * h
    spread = 1.96 * sd * np.sqrt(h)
    return mean, mean - spread, mean + spread, note


def forecast_series(values, last_month: str, steps: int) -> SeriesForecast:
    """Forecast `steps` months after `last_month` from a monthly series (NaNs dropped).

    Assets cannot be negative, so forecasts and intervals are floored at 0.
    """
    result = _forecast_series(values, last_month, steps)
    for name in ("mean", "lower", "upper"):
        setattr(result, name, np.maximum(np.asarray(getattr(result, name), dtype=float), 0.0))
    return result


def _forecast_series(values, last_month: str, steps: int) -> SeriesForecast:
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.stattools import adfuller

    y = np.asarray(values, dtype=float)
    y = y[~np.isnan(y)]
    months = _future_months(last_month, steps)
    if len(y) < MIN_ARIMA_POINTS or np.ptp(y) < 1e-9:
        reason = (f"历史只有 {len(y)} 个月，不足 {MIN_ARIMA_POINTS} 个月，改用漂移法" if len(y) < MIN_ARIMA_POINTS
                  else "历史序列无波动，改用漂移法")
        mean, lo, hi, note = _drift_forecast(y if len(y) else np.zeros(1), steps, reason)
        return SeriesForecast("漂移法", months, mean, lo, hi, note=note)
    # statsmodels needs maxlag < nobs/2 - 2 (with a constant).
    maxlag = max(0, min(3, (len(y) - 1) // 2 - 2))
    try:
        adf_p = float(adfuller(y, maxlag=maxlag, autolag=None, result_object=False)[1])
    except (ValueError, np.linalg.LinAlgError):
        adf_p = float("nan")  # too short or degenerate for the test: treat as non-stationary
    d = 0 if adf_p < 0.05 else 1
    best, candidates = None, []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p, q in itertools.product(range(3), range(3)):
            try:
                fit = ARIMA(y, order=(p, d, q), trend="t" if d == 1 else "c").fit()
            except (ValueError, np.linalg.LinAlgError):
                continue
            candidates.append({"order": (p, d, q), "aic": float(fit.aic)})
            if np.isfinite(fit.aic) and (best is None or fit.aic < best.aic):
                best = fit
    if best is None:
        mean, lo, hi, note = _drift_forecast(y, steps, "ARIMA 拟合失败，改用漂移法")
        return SeriesForecast("漂移法", months, mean, lo, hi, adf_pvalue=adf_p, note=note)
    forecast = best.get_forecast(steps)
    interval = np.asarray(forecast.conf_int(alpha=0.05))
    order = best.model.order
    return SeriesForecast(f"ARIMA{order}", months, np.asarray(forecast.predicted_mean),
                          interval[:, 0], interval[:, 1], aic=float(best.aic), adf_pvalue=adf_p,
                          note=(f"ADF 检验 p={adf_p:.3f}，" if not np.isnan(adf_p) else "序列过短，未做 ADF 检验，")
                          + f"{'平稳' if d == 0 else '按非平稳处理，做一阶差分'}；按 AIC 选阶",
                          candidates=candidates)


def months_to_quarter_ends(last_month: str, quarters: int) -> int:
    """Forecast steps needed to reach the end of the `quarters`-th quarter end after last_month."""
    p = pd.Period(last_month, freq="M")
    ends = [m for m in (p + k for k in range(1, 3 * quarters + 3)) if m.month % 3 == 0]
    return (ends[quarters - 1] - p).n


def quarterly(forecast: SeriesForecast, quarters: int = 4) -> pd.DataFrame:
    """Quarter-end values of a monthly forecast (AUM is a stock: the quarter's last month)."""
    frame = pd.DataFrame({"month": forecast.months, "mean": forecast.mean,
                          "lower": forecast.lower, "upper": forecast.upper})
    frame = frame[[int(m[5:]) % 3 == 0 for m in frame["month"]]].head(quarters)
    frame.insert(0, "quarter", [str(pd.Period(m, freq="M").asfreq("Q")) for m in frame["month"]])
    return frame.reset_index(drop=True)


def decline_screen(assets: np.ndarray, window: int = SCREEN_WINDOW,
                   horizon: int = DECLINE_HORIZON) -> pd.DataFrame:
    """Vectorised screen over (customers, months) from the last `window` months.

    The projection compounds the median monthly log-change: a steady decline
    shows in the median, while a single past withdrawal (a step, after which
    nothing more is lost) does not. Customers with fewer than 4 observed months
    in the window are not screened (flag False).
    """
    recent = np.log1p(np.clip(assets[:, -window:], 0, None))
    changes = np.diff(recent, axis=1)
    screened = (~np.isnan(changes)).sum(axis=1) >= 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: not screened
        trend = np.nanmedian(changes, axis=1)
    current = assets[:, -1]
    projected = current * np.exp(np.nan_to_num(trend) * horizon)
    screened &= ~np.isnan(current)
    flag = screened & (projected < DECLINE_RATIO * current)
    return pd.DataFrame({"current": current, "projected": projected,
                         "monthly_trend": np.expm1(trend), "decline": flag, "screened": screened})


def backtest_series(values, months: list[str], holdback: int = 6) -> dict:
    """Hold back the last months, forecast them, and compare with the naive last value."""
    y = np.asarray(values, dtype=float)
    train, actual = y[:-holdback], y[-holdback:]
    forecast = forecast_series(train, months[-holdback - 1], holdback)
    naive = np.repeat(train[-1], holdback)

    def errors(pred):
        e = pred - actual
        return {"mae": float(np.abs(e).mean()), "rmse": float(np.sqrt((e ** 2).mean())),
                "mape": float(np.abs(e / np.where(actual == 0, np.nan, actual)).mean())}
    return {"method": forecast.method, "holdback_months": holdback,
            "model": errors(forecast.mean), "naive": errors(naive)}


def backtest_screen(assets: np.ndarray, horizon: int = DECLINE_HORIZON) -> dict:
    """Run the screen `horizon` months before the end; score it on what happened."""
    if assets.shape[1] <= horizon + 3:
        return {"precision": float("nan"), "recall": float("nan"), "note": "月份不足，无法回测"}
    past = assets[:, :-horizon]
    screen = decline_screen(past, horizon=horizon)
    actual = assets[:, -1] < DECLINE_RATIO * past[:, -1]
    valid = screen["screened"].to_numpy() & ~np.isnan(assets[:, -1])
    flagged = screen["decline"].to_numpy() & valid
    tp = int((flagged & actual).sum())
    # The list is shown most severe first: how right is its top?
    severity = np.where(flagged, screen["projected"] / np.maximum(screen["current"], 1), np.inf)
    top = np.argsort(severity, kind="stable")[: max(int(flagged.sum()) // 5, 1)]
    return {"as_of_index": int(past.shape[1] - 1), "screened": int(valid.sum()),
            "precision_top_fifth": float(actual[top].mean()),
            "flagged": int(flagged.sum()), "actual_declines": int((actual & valid).sum()),
            "precision": tp / max(int(flagged.sum()), 1),
            "recall": tp / max(int((actual & valid).sum()), 1)}
