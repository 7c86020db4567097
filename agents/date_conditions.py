"""Conditions on the customers' dates: the account-opening date (2020年以前开户, 开户满3年, 近一年新开户,
2018年开户) and the month's last contact, transaction and app login (最近联系日期在2026-09-01及以后,
最近交易日期为空).

Each phrase becomes comparisons on the date column (ISO dates compare as text in every dialect),
labelled with the dates it used so the answer shows exactly who was counted.
The 口径 (docs/glossary.md): tenure (开户满N年) is counted at the last day of the 基准月;
"Y年以前" leaves the year Y out, "Y年以后/起" keeps it (as 80后 includes 1980); a customer
whose date is missing matches no date condition.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from db.query import And, Cmp, Known, Not, describe
from db.semantic import OPENING_DATE


@dataclass(frozen=True)
class DateColumn:
    column: str
    label: str    # how an answer names it: 开户日期
    named: str    # a regular expression of the words that name it (the column's own name too)


OPENING = DateColumn(OPENING_DATE, "开户日期", r"(?:open_account_date|开户日期|开户时间|开户日)")
#: The month's last events (the text has 最近一次（客户经理）联系 as 最近联系 already).
EVENTS = (
    # 最近一次交易在…以前 / 没有交易日期记录: with 最近 the date word may go unsaid, without it it is said
    DateColumn("last_contact_time", "最近联系日期",
               r"(?:last_contact_time|(?:最近|最后|上次)(?:1次)?(?:的)?(?:客户经理)?联系(?:日期|时间|日)?"
               r"|(?:客户经理)?联系(?:日期|时间))"),
    DateColumn("last_transaction_date", "最近交易日期",
               r"(?:last_transaction_date|(?:最近|最后|上次)(?:1次)?(?:的)?交易(?:日期|时间|日)?|交易(?:日期|时间))"),
    DateColumn("last_app_login_time", "最近登录日期",
               r"(?:last_app_login_time|(?:最近|最后|上次)(?:1次)?(?:的)?(?:手机银行|APP|app)?登[录陆](?:手机银行|APP|app)?(?:日期|时间))"),
)
DATE_COLUMNS = (OPENING, *EVENTS)
_OPENED = r"(?:就|才|已经|已)?(?:新)?(?:开的户|开了户|开户|开立账户|开的账户|开卡)"
_DATE = r"(?:(?:19|20)\d{2})\s*(?:年|[-/.])?(?:\s*\d{1,2}\s*(?:月|[-/.])?(?:\s*\d{1,2}\s*[日号]?)?)?"
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2}
_YEAR_WORD = r"(?:今年|本年|去年|上年|前年)"
_WHEN = rf"(?:{_DATE}|{_YEAR_WORD})"
_BEFORE = r"(?:及以前|及之前|或以前|或之前|[（(]含[)）]以前|[（(]含[)）]之前|以前|之前|前)"
_FROM = r"(?:及以后|及之后|或以后|或之后|以后|之后|后|起|开始|以来|至今)"
_SPAN_WORDS = r"(?:当年|全年|这一年|年内|期间|内|间|之间)?"
_RANGE_SEP = r"\s*(?:到|至|~|-|—|－)\s*"

# 2020年以前开户 / 2018年到2020年开户 / 2018年开的户
_DATE_THEN_OPENED = re.compile(
    rf"(?:在|于|是)?(?P<a>{_WHEN})(?:{_RANGE_SEP}(?P<b>{_WHEN}))?\s*(?P<bound>{_BEFORE}|{_FROM})?\s*{_SPAN_WORDS}\s*"
    rf"(?:的)?(?:时候)?{_OPENED}")
# 开户时间在2020年以前 / 开户日期早于2020-01-01 / 开户年份为2018年
_OPENED_THEN_DATE = re.compile(
    rf"{_OPENED}(?:的)?(?:时间|日期|年份|年度|日)?\s*(?:是|为|在|于)?\s*(?P<cmp>早于|晚于|不早于|不晚于)?\s*"
    rf"(?P<a>{_WHEN})(?:{_RANGE_SEP}(?P<b>{_WHEN}))?\s*(?P<bound>{_BEFORE}|{_FROM})?\s*{_SPAN_WORDS}")
_AT_LEAST = ("满", "已满", "年满", "至少", "不少于", "达到", "达", "及以上", "以上", "或以上")
_MORE = ("超过", "大于", "多于", "高于", "多")
_LESS = ("不满", "未满", "不到", "不足", "少于", "小于", "低于", "以下", "以内", "内")
_AT_MOST = ("不超过", "至多", "及以下", "或以下")
_OP_WORD = "|".join(sorted(_AT_LEAST + _MORE + _LESS + _AT_MOST, key=len, reverse=True))
# 开户满3年 / 开户年限超过5年 / 开户不到12个月 / 开户3年以上 / 开户1到3年
_TENURE = re.compile(
    rf"{_OPENED}(?:的)?(?:年限|时间|时长|期限|年头)?\s*(?:已经|已)?\s*(?:在)?\s*(?P<pre>{_OP_WORD})?\s*"
    rf"(?:(?P<low>\d+(?:\.\d+)?)\s*(?P<low_unit>年|个月)?{_RANGE_SEP})?"
    rf"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>年|个月)(?:以?来)?\s*(?P<post>{_OP_WORD})?(?:之间|间)?")
# 近12个月新开户 / 最近3个月开户的 / 本月新开户
_RECENT = re.compile(rf"(?:(?:近|最近|过去)\s*(?P<n>\d+)\s*(?P<unit>年|个月)\s*(?:内|以来|里|之内)?|(?P<month>本月|当月|基准月|这个月))"
                     rf"\s*(?:的)?{_OPENED}")


_ISO = r"['\"‘’“”]?((?:19|20)\d{2}-\d{1,2}-\d{1,2})['\"‘’“”]?"


@dataclass(frozen=True)
class _Said:
    """How each date column is said: SQL notation (open_account_date < '2020-01-01'), an interval
    (开户日期 in [2024-01-01, 2026-01-01)), a date with its bound (最近联系日期在2026-09-01及以后 / 早于…),
    known (…为空的不计) and missing (…为空的客户)."""
    notation: re.Pattern
    interval: re.Pattern
    dated: re.Pattern
    known: re.Pattern
    missing: re.Pattern


def _said(d: DateColumn) -> _Said:
    named = d.named
    return _Said(
        re.compile(rf"{named}\s*(<=|>=|<|>|=|≤|≥)\s*{_ISO}"),
        re.compile(rf"{named}\s*(?:in|在|∈|属于)?\s*([\[(（【])\s*{_ISO}\s*[,，、]\s*{_ISO}\s*([\])）】])"),
        re.compile(rf"{named}\s*(?:是|为|在|于)?\s*(?P<cmp>早于|晚于|不早于|不晚于)?\s*(?P<a>{_WHEN})"
                   rf"(?:{_RANGE_SEP}(?P<b>{_WHEN}))?\s*(?P<bound>{_BEFORE}|{_FROM})?\s*{_SPAN_WORDS}"),
        re.compile(rf"{named}(?:为空|缺失|是空的|空缺)的?(?:客户)?(?:不计入?|不算|剔除|除外|不统计)|{named}非空"),
        re.compile(rf"{named}(?:是|为)?(?:空的|为空|缺失|空缺|没填|未填|未登记|没登记|不详)"
                   rf"|(?:没有|没|无|缺少?)(?:填写?|登记)?的?{named}(?:记录|信息)?"))


_SAID = {d.column: _said(d) for d in DATE_COLUMNS}


@dataclass(frozen=True)
class DateCondition:
    """A phrase about a date, where it was said, and the condition it means."""
    start: int
    end: int
    column: str
    node: object
    label: str


def _day(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d")


def _span(said: str, as_of: pd.Period) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day of a year, month or day as said (2020年, 2020年6月, 2020-06-01, 去年)."""
    said = said.strip()
    if said in _RELATIVE_YEAR:
        year = as_of.year - _RELATIVE_YEAR[said]
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    parts = [int(p) for p in re.findall(r"\d+", said)]
    try:
        if len(parts) == 1:
            return pd.Timestamp(parts[0], 1, 1), pd.Timestamp(parts[0], 12, 31)
        if len(parts) == 2:
            first = pd.Timestamp(parts[0], parts[1], 1)
            return first, first + pd.offsets.MonthEnd(0)
        day = pd.Timestamp(parts[0], parts[1], parts[2])
        return day, day
    except ValueError:   # 2020年13月: not a date
        return None


def _between(low: pd.Timestamp | None, high: pd.Timestamp | None, label: str, strict_low=False, strict_high=False,
             d: DateColumn = OPENING):
    items = []
    if low is not None:
        items.append(Cmp(d.column, ">" if strict_low else ">=", _day(low), label))
    if high is not None:
        items.append(Cmp(d.column, "<" if strict_high else "<=", _day(high), label))
    return items[0] if len(items) == 1 else And(tuple(items))


def _dated(m: re.Match, as_of: pd.Period, cmp: str | None = None, d: DateColumn = OPENING):
    a = _span(m.group("a"), as_of)
    b = _span(m.group("b"), as_of) if m.group("b") else None
    if a is None or (m.group("b") and b is None):
        return None
    bound, name = m.group("bound") or "", d.label
    if b is not None:
        return _between(a[0], b[1], f"{name}在{_day(a[0])}至{_day(b[1])}", d=d)
    if cmp == "早于" or (bound.endswith("前") and not bound.startswith(("及", "或", "（", "("))):
        return _between(None, a[0], f"{name}早于{_day(a[0])}", strict_high=True, d=d)
    if cmp == "不晚于" or bound.endswith("前"):
        return _between(None, a[1], f"{name}不晚于{_day(a[1])}", d=d)
    if cmp == "晚于":
        return _between(a[1], None, f"{name}晚于{_day(a[1])}", strict_low=True, d=d)
    if cmp == "不早于" or bound:
        return _between(a[0], None, f"{name}不早于{_day(a[0])}", d=d)
    said = f"{name}在{_day(a[0])}至{_day(a[1])}" if a[0] != a[1] else f"{name}为{_day(a[0])}"
    return _between(a[0], a[1], said, d=d)


def _ago(end: pd.Timestamp, n: float, unit: str) -> pd.Timestamp:
    months = round(n * 12) if unit == "年" else round(n)
    return end - pd.DateOffset(months=months)


def _tenure(m: re.Match, end: pd.Timestamp):
    n, unit = float(m.group("n")), m.group("unit")
    said = f"{m.group('n')}{unit}"
    if m.group("low") is not None:   # 开户1到3年: opened between 3 and 1 years before the 基准月's end
        low_unit = m.group("low_unit") or unit
        newest, oldest = _ago(end, float(m.group("low")), low_unit), _ago(end, n, unit)
        return _between(oldest, newest,
                        f"开户{m.group('low')}{low_unit}至{said}（开户日期在{_day(oldest)}至{_day(newest)}）")
    op = m.group("post") or m.group("pre")
    if op is None:
        return None   # 开户3年的: a year's span or at least three? Not guessed.
    cutoff = _ago(end, n, unit)
    if op in _AT_LEAST:
        return _between(None, cutoff, f"开户满{said}（开户日期不晚于{_day(cutoff)}）")
    if op in _MORE:
        return _between(None, cutoff, f"开户超过{said}（开户日期早于{_day(cutoff)}）", strict_high=True)
    if op in _AT_MOST or op in ("以内", "内"):
        return _between(cutoff, None, f"开户{said}以内（开户日期不早于{_day(cutoff)}）")
    return _between(cutoff, None, f"开户不满{said}（开户日期晚于{_day(cutoff)}）", strict_low=True)


def _recent(m: re.Match, as_of: pd.Period, end: pd.Timestamp):
    if m.group("month"):
        first = as_of.start_time.normalize()
        return _between(first, end, f"基准月新开户（开户日期在{_day(first)}至{_day(end)}）")
    cutoff = _ago(end, float(m.group("n")), m.group("unit"))
    return _between(cutoff, end, f"近{m.group('n')}{m.group('unit')}新开户（开户日期晚于{_day(cutoff)}）",
                    strict_low=True)


def _notation(m: re.Match, d: DateColumn):
    op = {"≤": "<=", "≥": ">="}.get(m.group(1), m.group(1))
    day = _day(pd.Timestamp(m.group(2)))
    return Cmp(d.column, op, day, f"{d.label}{op}{day}")


def _interval(m: re.Match, d: DateColumn):
    low, high = pd.Timestamp(m.group(2)), pd.Timestamp(m.group(3))
    return _between(low, high, f"{d.label}在{m.group(1)}{_day(low)}, {_day(high)}{m.group(4)}",
                    strict_low=m.group(1) in "(（", strict_high=m.group(4) in ")）", d=d)


def date_conditions(text: str, as_of_month: str) -> list[DateCondition]:
    """Every phrase of `text` (normalized: Arabic digits) that limits a date, in order."""
    if not as_of_month or not re.search("|".join([_OPENED] + [d.named for d in DATE_COLUMNS]), text):
        return []
    as_of = pd.Period(as_of_month, "M")
    end = as_of.end_time.normalize()
    found: list[DateCondition] = []

    def add(m: re.Match, node, d: DateColumn = OPENING):
        """The condition said at m, named by its own label (the dates it used)."""
        if node is not None and not any(o.start < m.end() and m.start() < o.end for o in found):
            found.append(DateCondition(m.start(), m.end(), d.column, node, describe(node)))

    for d in DATE_COLUMNS:
        said = _SAID[d.column]
        for m in said.interval.finditer(text):
            add(m, _interval(m, d), d)
        for m in said.notation.finditer(text):
            add(m, _notation(m, d), d)
        for m in said.known.finditer(text):
            add(m, Known(d.column, f"{d.label}非空"), d)
        for m in said.missing.finditer(text):
            add(m, Not(Known(d.column, f"{d.label}非空")), d)
        if d is not OPENING:   # the opening date's own phrases (开户满3年, 2020年以前开户) follow
            for m in said.dated.finditer(text):
                add(m, _dated(m, as_of, m.group("cmp"), d), d)
    for m in _RECENT.finditer(text):
        add(m, _recent(m, as_of, end))
    for m in _TENURE.finditer(text):
        add(m, _tenure(m, end))
    for m in _OPENED_THEN_DATE.finditer(text):
        add(m, _dated(m, as_of, m.group("cmp")))
    for m in _DATE_THEN_OPENED.finditer(text):
        add(m, _dated(m, as_of))
    return sorted(found, key=lambda o: o.start)
