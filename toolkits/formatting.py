"""How numbers and names read in Chinese answers."""
from __future__ import annotations

import math

import pandas as pd

from db.personal import mask_name


def money(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = float(value)
    if abs(value) >= 1e8:
        return f"{_decimals(value / 1e8)}亿元"
    if abs(value) >= 1e4:
        return f"{_decimals(value / 1e4)}万元"
    return f"{_decimals(value)}元"


def _decimals(scaled: float) -> str:
    """Two decimals, or more where rounding would carry the figure past a whole
    number it has not reached: 999,960元 reads 99.996万元, not 100.00万元 (a
    customer below the 100万 line must not read as on it)."""
    digits = 2
    while digits < 6 and math.trunc(round(scaled, digits)) != math.trunc(scaled):
        digits += 1
    return f"{scaled:,.{digits}f}"


def pct(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return "<0.1%" if 0 < float(value) < 0.0005 else f"{float(value):.1%}"


def count(value) -> str:
    return "—" if value is None else f"{int(value):,}"


def number(value, digits: int = 1) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{float(value):,.{digits}f}"


FORMATS = {"money": money, "pct": pct, "count": count, "number": number}


PERSONAL_COLUMNS = {"name", "姓名", "客户姓名"}


def mask_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """Mask every personal-data column of a result (by default, in every answer)."""
    hidden = [c for c in frame.columns if str(c).lower() in PERSONAL_COLUMNS]
    if not hidden:
        return frame
    frame = frame.copy()
    for column in hidden:
        frame[column] = frame[column].map(mask_name)
    return frame
