"""Validate and clean raw tables per the glossary, reporting every fix.

Works on chunks: each function takes a DataFrame of raw rows (strings from a
CSV, or typed columns from the generator), the row number of its first row for
messages, and a QualityReport to add to. Nothing is dropped here: invalid
values become NULL (reported with row, column and raw value), and values the
glossary defines from others (total, flags, product_count, asset_level) are
recomputed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from db.definitions import ASSET_LEVELS, BALANCE_COLUMNS, FLAG_COLUMNS, band_of
from db.errors import ColumnUnreadableError
from db.quality import QualityReport
from db.schema import (CATEGORY, CUSTOMER_BASE, CUSTOMER_BEHAVIOR, DATE, FLAG, INT,
                       MONEY, MONTH, NUMBER, Table)

from db.values import ACCEPTED, read_dates, read_flags, read_gender, read_months, read_numbers

NUMERIC_KINDS = (INT, FLAG, MONEY, NUMBER)
#: More than this share of a column's non-empty values unreadable stops the import (below it,
#: values are nulled and reported row by row). Judged only on at least MIN_VALUES_TO_JUDGE values.
UNREADABLE_SHARE = 0.05
MIN_VALUES_TO_JUDGE = 20


def report_missing_optional(table: Table, columns, report: QualityReport) -> list[str]:
    """Note each optional column the source lacks and the answers it affects (the source has already
    mapped headers and refused a file without a required one)."""
    present = set(columns)
    missing = [c for c in table.columns if not c.required and c.name not in present]
    for col in missing:
        report.note(f"{table.name} 缺少可选列 {col.name}（{col.label}），已置空；"
                    f"受影响的回答：{col.affects}。")
    return [c.name for c in missing]


def _show(value) -> str:
    """A raw value as a person reads it: strings quoted (so '' is visible), numbers plain."""
    if isinstance(value, str):
        return repr(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "空"
    return f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)


def _examples(values: pd.Series, mask: np.ndarray, first_row: int) -> list[str]:
    idx = np.flatnonzero(mask)[:3]
    return [f"行{first_row + i}: {_show(values.iloc[i])}" for i in idx]


def _is_blank(values: pd.Series) -> np.ndarray:
    # Sources strip padding (see db.readers), so '' is the only blank text.
    textual = values.dtype == object or isinstance(values.dtype, pd.StringDtype)
    return (values.isna() | values.eq("")).to_numpy() if textual else values.isna().to_numpy()


def _coerce(df: pd.DataFrame, table: Table, first_row: int, report: QualityReport,
            stop_unreadable: bool = True) -> pd.DataFrame:
    out = {}
    for col in table.columns:
        if col.name not in df.columns:
            out[col.name] = pd.Series([None] * len(df), dtype=object)
            continue
        raw = df[col.name].reset_index(drop=True)
        blank = _is_blank(raw)
        if col.kind in NUMERIC_KINDS:
            values = (read_flags if col.kind == FLAG else read_numbers)(raw.where(~blank, None))
            bad = values.isna().to_numpy() & ~blank
            if stop_unreadable:
                _stop_if_unreadable(table, col, raw, bad, blank, first_row)
            report.add(table.name, col.name, "非数值", "置为空", bad.sum(),
                       _examples(raw, bad, first_row))
            if col.kind in (INT, FLAG):
                fractional = (values % 1 != 0).to_numpy() & ~np.isnan(values.to_numpy())
                report.add(table.name, col.name, "非整数", "四舍五入", fractional.sum(),
                           _examples(raw, fractional, first_row))
                values = values.round()
            out[col.name] = values
        elif col.kind in (DATE, MONTH):
            text = raw.where(~blank, None).astype(object)
            parsed = (read_dates if col.kind == DATE else read_months)(text)
            unit = "D" if col.kind == DATE else "M"
            invalid = parsed.isna().to_numpy() & ~blank
            if stop_unreadable:
                _stop_if_unreadable(table, col, raw, invalid, blank, first_row)
            report.add(table.name, col.name, "无效日期" if col.kind == DATE else "无效月份",
                       "置为空", invalid.sum(), _examples(raw, invalid, first_row))
            if col.kind == DATE:
                report.add(table.name, col.name, "空日期", "置为空", blank.sum(),
                           _examples(raw, blank, first_row))
            # Canonical text straight from the parsed value ('2026-1-5' -> '2026-01-05').
            text = pd.Series(np.datetime_as_string(parsed.to_numpy().astype(f"datetime64[{unit}]"),
                                                   unit=unit), dtype=object)
            text[parsed.isna().to_numpy()] = None
            out[col.name] = text
        else:
            text = raw.where(~blank, None).astype(object)
            if col.name == "gender":
                text = read_gender(text)
            if col.kind == CATEGORY and col.values:
                unknown = ~text.isin(col.values).to_numpy() & ~blank
                report.add(table.name, col.name, "未定义类别", "保留原值",
                           unknown.sum(), _examples(raw, unknown, first_row))
            out[col.name] = text
    return pd.DataFrame(out)


def _stop_if_unreadable(table: Table, col, raw: pd.Series, bad: np.ndarray, blank: np.ndarray,
                        first_row: int) -> None:
    """A column most of whose values cannot be read is a format the import does not know (dates written
    some other way, amounts with a unit): cleaning it would null the column, so the build stops."""
    filled = int((~blank).sum())
    if filled >= MIN_VALUES_TO_JUDGE and bad.sum() > UNREADABLE_SHARE * filled:
        kind = {FLAG: "flag", DATE: "date", MONTH: "month"}.get(col.kind, "number")
        raise ColumnUnreadableError(table.name, col.name, int(bad.sum()), filled,
                                    _examples(raw, bad, first_row), ACCEPTED[kind])


def clean_customer_base(df: pd.DataFrame, first_row: int, report: QualityReport,
                        stop_unreadable: bool = True) -> pd.DataFrame:
    table = CUSTOMER_BASE
    out = _coerce(df, table, first_row, report, stop_unreadable)
    age = out["age"].to_numpy()
    bad_age = (age < 18) | (age > 85)
    report.add(table.name, "age", "超出18–85", "置为空", bad_age.sum(), _examples(out["age"], bad_age, first_row))
    out.loc[bad_age, "age"] = np.nan
    income = out["monthly_income"]
    negative = (income < 0).to_numpy()
    report.add(table.name, "monthly_income", "负数收入", "置为空", negative.sum(),
               _examples(income, negative, first_row))
    out.loc[negative, "monthly_income"] = np.nan
    missing = out["monthly_income"].isna().to_numpy() & ~negative
    report.add(table.name, "monthly_income", "收入缺失", "保留为空（模型中单独标记）",
               missing.sum(), _examples(df.get("monthly_income", income), missing, first_row))
    no_id = out["customer_id"].isna().to_numpy()
    report.add(table.name, "customer_id", "缺少客户号", "该行无法关联，已跳过", no_id.sum(),
               [f"行{first_row + i}" for i in np.flatnonzero(no_id)[:3]])
    return out[~no_id]


def clean_behavior(df: pd.DataFrame, first_row: int, report: QualityReport,
                   stop_unreadable: bool = True) -> pd.DataFrame:
    table = CUSTOMER_BEHAVIOR
    out = _coerce(df, table, first_row, report, stop_unreadable)
    balances = out[list(BALANCE_COLUMNS)]
    for col in BALANCE_COLUMNS:
        negative = (out[col] < 0).to_numpy()
        report.add(table.name, col, "负数余额", "置为0并重算总资产、持有标志", negative.sum(),
                   _examples(out[col], negative, first_row))
    balances = balances.clip(lower=0).fillna(0.0)
    out[list(BALANCE_COLUMNS)] = balances

    total = balances.sum(axis=1).round(2)
    mismatch = ((out["total_assets"] - total).abs() > 0.01).to_numpy() | out["total_assets"].isna().to_numpy()
    report.add(table.name, "total_assets", "与四项余额之和不符", "按四项余额之和重算",
               mismatch.sum(), _examples(out["total_assets"], mismatch, first_row))
    out["total_assets"] = total

    flags = (balances.to_numpy() > 0).astype(float)
    for k, col in enumerate(FLAG_COLUMNS):
        wrong = out[col].to_numpy() != flags[:, k]
        report.add(table.name, col, "与余额不一致", "按余额>0重算", wrong.sum(),
                   _examples(out[col], wrong, first_row))
        out[col] = flags[:, k]
    count = flags.sum(axis=1)
    wrong = out["product_count"].to_numpy() != count
    report.add(table.name, "product_count", "与持有标志之和不符", "按标志之和重算", wrong.sum(),
               _examples(out["product_count"], wrong, first_row))
    out["product_count"] = count
    level = band_of(total.to_numpy(), ASSET_LEVELS)
    wrong = out["asset_level"].to_numpy() != level
    report.add(table.name, "asset_level", "与总资产区间不符", "按总资产重算", wrong.sum(),
               _examples(out["asset_level"], wrong, first_row))
    out["asset_level"] = level
    no_key = (out["customer_id"].isna() | out["stat_month"].isna()).to_numpy()
    report.add(table.name, "customer_id/stat_month", "缺少客户号或统计月份",
               "该行无法定位到客户月份，已跳过", no_key.sum(),
               [f"行{first_row + i}" for i in np.flatnonzero(no_key)[:3]])
    return out[~no_key]
