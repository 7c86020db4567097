"""Values in the forms bank exports write them, read into the contract's types.

Each reader takes text (a pandas Series of str, '' or None for blank) and returns the typed
values, NaN/None where a value cannot be read; the caller reports those. The common form is
tried first on every value (fast at millions of rows); only what fails goes through the
slower normalisation.

- amounts and counts: 1,234.56 · 1234.56元 · ¥1,234 · （全角）１２３４ · (1,234.56) = -1234.56 · 12.5% = 0.125
- flags: 1/0 · 是/否 · Y/N · TRUE/FALSE · 有/无
- dates: 2024-07-01 · 2024/07/01 · 20240701 · 2024年7月1日 · 2024.07.01 · 2024-07-01 10:30:00 ·
  Excel serial numbers (45474 = 2024-07-01)
- months: 2026-10 · 2026/10 · 202610 · 2026年10月 · 2026.10 · a date in the month
- gender: 男/女 · M/F · male/female · 男性/女性
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ACCEPTED = {
    "number": "数字，可带千分位逗号、元/¥ 符号、括号表示负数、百分号（如 1,234.56、1234元、(500)、12.5%）",
    "flag": "1/0、是/否、Y/N、TRUE/FALSE、有/无",
    "date": "2024-07-01、2024/07/01、20240701、2024年7月1日、2024.07.01 或 Excel 日期序号",
    "month": "2026-10、2026/10、202610、2026年10月、2026.10",
}
_TRUE = {"1", "1.0", "是", "y", "yes", "true", "t", "有", "持有"}
_FALSE = {"0", "0.0", "否", "n", "no", "false", "f", "无", "未持有"}
_GENDER = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女", "男性": "男", "女性": "女"}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIALS = (20000, 80000)   # 1954 … 2119: a plain number in a date column in that range is a serial


def _text(raw: pd.Series) -> pd.Series:
    return raw.astype(object).where(raw.notna(), None)


def _common_form_first(text: pd.Series, fast, slow) -> pd.Series:
    """`fast` reads every value; `slow` only the non-blank ones `fast` could not."""
    values = fast(text)
    retry = values.isna() & text.notna() & text.ne("")
    if retry.any():
        values[retry] = slow(text[retry])
    return values


def read_numbers(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(raw):
        return raw.astype(float)
    return _common_form_first(_text(raw), lambda s: pd.to_numeric(s, errors="coerce").astype(float),
                              _normalised_numbers)


def _normalised_numbers(raw: pd.Series) -> pd.Series:
    s = raw.astype(str).str.normalize("NFKC").str.strip()
    negative = s.str.match(r"^\(.*\)$")
    s = s.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    percent = s.str.endswith("%")
    s = s.str.replace(r"(?i)rmb|cny|[¥元%\s]", "", regex=True)
    # thousands separators only where they group digits by three (1,234,567.8), never 1,2
    grouped = s.str.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
    s = s.where(~grouped, s.str.replace(",", "", regex=False))
    values = pd.to_numeric(s, errors="coerce").astype(float)
    values[negative] = -values[negative]
    values[percent] = values[percent] / 100
    return values


def read_flags(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(raw):
        return raw.astype(float)
    s = _text(raw).str.strip().str.lower()
    out = pd.Series(np.nan, index=raw.index)
    out[s.isin(_TRUE)] = 1.0
    out[s.isin(_FALSE)] = 0.0
    rest = out.isna() & s.notna() & s.ne("")
    if rest.any():
        out[rest] = read_numbers(raw[rest])
    return out


def read_gender(raw: pd.Series) -> pd.Series:
    s = _text(raw)
    mapped = s.str.strip().str.lower().map(_GENDER)
    return mapped.where(mapped.notna(), s)   # anything else is kept and reported as an undefined value


def read_dates(raw: pd.Series) -> pd.Series:
    """Timestamps (NaT where unreadable)."""
    return _common_form_first(_text(raw), lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce"),
                              _normalised_dates)


def _normalised_dates(text: pd.Series) -> pd.Series:
    s = text.astype(str).str.normalize("NFKC").str.strip()
    s = s.str.replace(r"[T\s].*$", "", regex=True)                       # a time of day
    s = s.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False).str.rstrip("-")
    compact = s.str.fullmatch(r"\d{8}")
    s = s.where(~compact, s.str[:4] + "-" + s.str[4:6] + "-" + s.str[6:])
    parsed = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    serial = pd.to_numeric(text, errors="coerce")
    is_serial = parsed.isna() & serial.between(*_EXCEL_SERIALS) & ~compact
    parsed[is_serial] = _EXCEL_EPOCH + pd.to_timedelta(serial[is_serial].round(), unit="D")
    return parsed


def read_months(raw: pd.Series) -> pd.Series:
    """The first day of each value's month (NaT where unreadable)."""
    return _common_form_first(_text(raw), lambda s: pd.to_datetime(s, format="%Y-%m", errors="coerce"),
                              _normalised_months)


def _normalised_months(text: pd.Series) -> pd.Series:
    s = text.astype(str).str.normalize("NFKC").str.strip()
    s = s.str.replace(r"[年/.]", "-", regex=True).str.replace("月", "", regex=False).str.rstrip("-")
    compact = s.str.fullmatch(r"\d{6}")
    s = s.where(~compact, s.str[:4] + "-" + s.str[4:])
    month = pd.to_datetime(s, format="%Y-%m", errors="coerce")
    in_day = month.isna()
    month[in_day] = read_dates(text[in_day]).dt.to_period("M").dt.to_timestamp()   # 2026-10-31
    return month
