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
        return f"{value / 1e8:,.2f}亿元"
    if abs(value) >= 1e4:
        return f"{value / 1e4:,.2f}万元"
    return f"{value:,.2f}元"


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
