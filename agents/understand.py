"""Understanding a data question: tokens from the lexicon, assembled into a typed query.

Three steps, each accountable. `special_tokens` finds what patterns find
(customer ids in the data's own form, months, numbers with units, top-N);
`Lexicon.scan` covers the rest by longest match; `assemble` combines roles by
a small grammar (a value before 的 restricts the population, 里/中 before a
share marks its denominator, 哪个 + 最 is an argmax, …). Every word ends up
used, a function word, or listed as not understood — and a material word not
understood means no figure: the answer says what was understood and what was
not, with the closest readings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pandas as pd

from agents.date_conditions import date_conditions
from agents.lexicon import GRAMMAR, Lexicon, Token
from db.definitions import CUSTOMER_TIERS, WAN
from db.query_sql import STATISTICS
from db.query import (Agg, And, Cmp, Contains, Eq, InMonth, Known, Not, Or, Order, Query, Share, Time, conjoin,
                      conjuncts, describe, leaves)
from db.semantic import (COUNTABLE_MEMBERS, DIMENSIONS, MOVABLE, NUMERIC, PER_MONTH, PRODUCT_BALANCES, PRODUCT_FLAGS,
                         movement)

_UNITS = {"亿": 1e8, "亿元": 1e8, "万": 1e4, "万元": 1e4, "千": 1e3, "千元": 1e3, "元": 1, "块": 1, "k": 1e3, "w": 1e4}
_NUM = re.compile(r"(\d+(?:\.\d+)?)(?![\d.])\s*(亿元|万元|千元|亿|万|千|元|块|岁|次|趟|笔|个|种|类|位|名|家|档|样|天|%|分钟|w|k)?")
_MONTH_ABS = re.compile(r"(20\d{2}|\d{2})\s*年\s*(\d{1,2}|底|末|年底|年末)\s*月?(?:份|末|底|初)?|(20\d{2})\s*[-/.]\s*(\d{1,2})(?!\d)"
                        r"|(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?!\d)")
_MONTH_REL = [
    (re.compile(r"上上个?月"), lambda a, m: a - 2),
    (re.compile(r"上个?月(?:末|底)?"), lambda a, m: a - 1),
    (re.compile(r"(\d+)\s*个?月(?:以)?前"), lambda a, m: a - int(m.group(1))),
    (re.compile(r"去年(?:年)?(?:底|末|12月(?:份|末|底)?)|上年末|上年底|去年年底|去年年末|今年年初|年初"),
     lambda a, m: pd.Period(f"{a.year - 1}-12", "M")),
    (re.compile(r"去年(\d{1,2})月(?:份|末|底)?"), lambda a, m: pd.Period(f"{a.year - 1}-{int(m.group(1)):02d}", "M")),
    (re.compile(r"前年(?:年)?(?:底|末)"), lambda a, m: pd.Period(f"{a.year - 2}-12", "M")),
    (re.compile(r"前年(\d{1,2})月(?:份|末|底)?"), lambda a, m: pd.Period(f"{a.year - 2}-{int(m.group(1)):02d}", "M")),
    (re.compile(r"(?:今年|本年)(\d{1,2})月(?:份|末|底)?"), lambda a, m: pd.Period(f"{a.year}-{int(m.group(1)):02d}", "M")),
    # 3季度末 / 2025年第4季度末: the quarter's last month (this year's, or last year's if not yet reached)
    (re.compile(r"(?:(20\d{2})\s*年)?第?([1-4])\s*季度末"),
     lambda a, m: pd.Period(f"{m.group(1) or (a.year if int(m.group(2)) * 3 <= a.month else a.year - 1)}-"
                            f"{int(m.group(2)) * 3:02d}", "M")),
    (re.compile(r"上(?:个)?季度末|上季末|上季度"),
     lambda a, m: pd.Period(f"{a.year}-{(a.quarter - 1) * 3:02d}", "M") if a.quarter > 1
     else pd.Period(f"{a.year - 1}-12", "M")),
    (re.compile(r"去年同期|去年同月|上年同期|上年同月|去年这个时候|去年今日"), lambda a, m: a - 12),
    (re.compile(r"(?<![\d年])(\d{1,2})月(?:份|末|底)(?!收入)"), lambda a, m: _month_of_year(a, int(m.group(1)))),
    # 9月呢 / 9月高净值客户数 / 和9月相比: a bare month is the latest such month (近3月 / 3月内 / 每3月 are spans)
    (re.compile(r"(?<![\d年个近前后每几第])(\d{1,2})月(?![份末底收入均度内里以个])"),
     lambda a, m: _month_of_year(a, int(m.group(1)))),
    (re.compile(r"(?<=到|至|~|-)(\d{1,2})月(?!收入)"), lambda a, m: _month_of_year(a, int(m.group(1)))),
]
#: 2025年每个季度末 / 今年前三季度各季度末: the quarters' last months of that year (those with data)
_QUARTER_ENDS = re.compile(r"(?:(20\d{2})\s*年|今年|(去年))?\s*的?(?:前\s*([1-4])\s*个?季度)?\s*[，,]?\s*的?"
                           r"(?:每个|各个|各|每|四个|4个)\s*季度?末")
_QUARTER_MONTHS = re.compile(r"(?:(20\d{2})\s*年|(今年|去年))?\s*的?第?([1-4一二三四])\s*季度\s*的?"
                             r"(?=\s*(?:各月|各个月|每个?月|逐月|月度|按月|趋势|走势|的?变化))")
_YEAR_SERIES = re.compile(r"(20\d{2})\s*年\s*(?:的)?(?:每个?月|各月|逐月|全年|月度|按月)")
_HALF_YEAR = re.compile(r"(?:(20\d{2})\s*年|今年|(去年))?\s*的?([上下])半年\s*[，,]?\s*(?:的)?(?:各月|每月|每个月|逐月|月度|按月)")
_SERIES = re.compile(r"(?:近|最近|过去|前|这)\s*(\d+)\s*个?月|(?:近|最近|过去)\s*(\d+)\s*年|今年以来每月|今年每个?月|今年各月"
                     r"|今年(?!\d)(?=.{0,24}(?:逐月|月度|按月|每月|各月))")
_TOP = re.compile(r"(?:(?<![目之以提当此从日年月])前|top\s*|TOP\s*|Top\s*|排名前|排前)(\d+)(?![岁万元%])(?:\s*[类种档段组家](?![型别]))?"
                  r"|(\d+)\s*(?:强|大)(?!于)")
#: 再往前推1个月 / 再前2个月 / 往前推1个月 / 再早1个月: said after a question, before the month it was about
_MONTHS_BACK = re.compile(r"再\s*(?:往前|向前|前|早)\s*推?\s*(\d+)\s*个?月|(?:往前|向前)\s*推\s*(\d+)\s*个?月")
#: 别的产品一样都没有 / 其他都没碰过: no product but the ones named (the same as 只).
_CN_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_COUNT = re.compile(r"([两二三四五六七八九])(档|样|类|种)(?=[全都客的产人城])")
_NONE_OTHER = re.compile(r"(?:别的|其他的?|其它的?|其余的?|另外的?)(?:\d\s*[类种样个款])?(?:产品|的产品|东西)?"
                         r"(?:一样|一个|一种|任何|啥|什么|1\s*[个种样款])?(?:都|也)?"
                         r"(?:没有|没买|没碰|没持有|不持有|未持有|没沾|没|不碰|不沾)过?")
#: 未持有任何产品 / 啥产品都没有: no product at all — but 未持有任何基金产品 is only no fund.
_NO_PRODUCT = re.compile(r"(?:1|一)\s*(?:个|种|样|款)\s*(?:产品)?\s*(?:都|也)?\s*(?:没有|没买|不持有|未持有|没持有)"
                         r"|(?:没有|没|未|不)(?:持有|买|购买)?任何(?:产品)?(?![^，,。；;]{0,2}(?:基金|理财|存款|保险))"
                         r"|(?:啥|什么|任何)\s*(?:产品)?\s*(?:都|也)\s*(?:没有|没买|没持有|不持有|未持有|没)"
                         r"|零产品|无产品|空户")


def _either(items: list):
    """Values said side by side: one of them (one Eq when they share a column)."""
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    if all(isinstance(x, Eq) for x in items) and len({x.column for x in items}) == 1:
        return Eq(items[0].column, tuple(v for x in items for v in x.values), "或".join(x.label for x in items))
    return Or(tuple(items))


def _month_of_year(asof: pd.Period, month: int) -> pd.Period:
    year = asof.year if month <= asof.month else asof.year - 1
    return pd.Period(f"{year}-{month:02d}", "M")


@dataclass
class Understanding:
    """What the parser made of a question: the query, or why there is none."""
    query: Query | None
    status: str = "ok"            # ok | not_understood | unavailable | out_of_range | model
    used: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    message: str = ""
    customer_id: str | None = None

    @property
    def confidence(self) -> str:
        if self.status != "ok":
            return "low"
        return "medium" if self.unknown or self.assumptions else "high"

    def block(self) -> dict:
        """The `understood` block an answer carries (JSON and 处理步骤)."""
        q = self.query
        out = {"status": self.status, "confidence": self.confidence, "words_used": self.used,
               "words_not_used": self.unknown, "assumptions": self.assumptions}
        if q is not None:
            from db.query_sql import measure_label
            from db.semantic import dimension
            out.update({"filters": describe(q.where) or "全部客户", "measures": [measure_label(m) for m in q.measures],
                        "group_by": [dimension(g).label for g in q.group_by], "time": q.time.label or "基准月",
                        "order": None if q.order is None else {"descending": q.order.descending, "limit": q.order.limit},
                        "customers": q.customers, "query": q.to_dict()})
            if q.having:   # 高于全行平均的网点: which groups are kept
                at, op, value = q.having
                out["groups_kept"] = f"{measure_label(q.measures[at])} {op} {'全行' if value == 'overall' else value:}"
        if self.suggestions:
            out["suggestions"] = self.suggestions
        return out


class Understander:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        # One question is scanned by the router (typos, a measure named?) and again by the parse.
        self.tokens = lru_cache(maxsize=256)(self._tokens)
        #: the names the asker defined, by the text they were read into (routing reads them before parsing)
        self._defined: dict[str, list[tuple[str, str]]] = {}

    def _tokens(self, text: str) -> tuple[Token, ...]:
        return tuple(self.lex.scan(text, self.special_tokens(text)))

    def customer_ids(self, text: str) -> list[str]:
        """Customer ids in the form the data uses (learned from the loaded ids)."""
        return [value for value, _, _ in self.lex.id_pattern.find(text)]

    # -- step 1: patterns ------------------------------------------------------------------
    def special_tokens(self, text: str) -> list[Token]:
        found: list[Token] = []
        spans: list[tuple[int, int]] = []

        def add(kind, start, end, payload):
            if any(a < end and start < b for a, b in spans):
                return
            spans.append((start, end))
            found.append(Token(kind, text[start:end], start, end, payload))

        if self.lex.id_pattern:
            for value, a, b in self.lex.id_pattern.find(text):
                add("customer_id", a, b, (value,))
        for m in _COHORT_SAID.finditer(text):   # 2026年3月时为临界的客户: a month's tier, not the month asked about
            node = InMonth(f"{m.group(1)}-{int(m.group(2)):02d}", Eq("customer_tier", (m.group(3),), m.group(3)))
            add("value", m.start(), m.end(), ("cohort", describe(node), (node,)))
        for start, end, node, said in _movements(text, self.lex.as_of_month):   # 总资产比三个月前下降的客户
            add("value", start, end, (node.column, node.label, (node,)))
            if said:
                add("filler", *said, ())
        for o in date_conditions(text, self.lex.as_of_month):   # 2020年以前开户: a date, not a month of data
            add("value", o.start, o.end, (o.column, o.label, (o.node,)))
        for word in self.lex.digit_words:   # 30-39岁 is an age band, not a range of numbers
            for m in re.finditer(re.escape(word), text):
                kind, payload = self.lex.entries[word][0]
                add(kind, m.start(), m.end(), payload)
        asof = pd.Period(self.lex.as_of_month, "M") if self.lex.as_of_month else None
        for m in _NONE_OTHER.finditer(text):
            add("none_other", m.start(), m.end(), ())
        for m in _NO_PRODUCT.finditer(text):
            if text[:m.start()].rstrip().endswith(tuple(PRODUCT_FLAGS)):   # 理财基金保险一样都没有: none of those
                add("neg", m.start(), m.end(), ("after",))
            else:
                add("no_product", m.start(), m.end(), ())
        for m in _HALF_YEAR.finditer(text):   # 上半年各月: January to June of the year named, else of the last one ended
            if asof is not None:
                first = 1 if m.group(3) == "上" else 7
                year = (int(m.group(1)) if m.group(1) else asof.year - 1 if m.group(2) else
                        asof.year if asof.month >= first + 5 else asof.year - 1)
                add("series_span", m.start(), m.end(), (f"{year}-{first:02d}", f"{year}-{first + 5:02d}"))
        for m in _QUARTER_MONTHS.finditer(text):   # 二季度各月: that quarter's months (of the last one ended, unless a year is said)
            if asof is not None:
                q = "一二三四".find(m.group(3)) + 1 or int(m.group(3))
                year = int(m.group(1)) if m.group(1) else asof.year - 1 if m.group(2) == "去年" else \
                    asof.year if asof.month >= q * 3 else asof.year - 1
                add("series_span", m.start(), m.end(), (f"{year}-{q * 3 - 2:02d}", f"{year}-{q * 3:02d}"))
        for m in _QUARTER_ENDS.finditer(text):
            if asof is not None:
                year = int(m.group(1)) if m.group(1) else asof.year - 1 if m.group(2) else asof.year
                ends = tuple(f"{year}-{3 * q:02d}" for q in range(1, int(m.group(3) or 4) + 1))
                add("series_span", m.start(), m.end(), (ends[0], ends[-1], ends))
        for m in _YEAR_SERIES.finditer(text):   # 2025年每个月: that year's months
            add("series_span", m.start(), m.end(), (f"{m.group(1)}-01", f"{m.group(1)}-12"))
        for m in _SERIES.finditer(text):
            n = int(m.group(1) or 0) or int(m.group(2) or 0) * 12
            if asof is not None:
                start = (pd.Period(f"{asof.year}-01", "M") if not n else asof - (n - 1))
                add("series_span", m.start(), m.end(), (str(start), str(asof)))
        for m in _MONTH_ABS.finditer(text):
            if m.group(1):
                year = int(m.group(1)) + (2000 if len(m.group(1)) == 2 else 0)
                month = int(m.group(2)) if m.group(2).isdigit() else 12   # 2025年底 = 2025-12
            elif m.group(3):
                year, month = int(m.group(3)), int(m.group(4))
            else:
                year, month = int(m.group(5)), int(m.group(6))
            if 1 <= month <= 12:
                add("month", m.start(), m.end(), (f"{year}-{month:02d}",))
        if asof is not None:
            for pattern, fn in _MONTH_REL:
                for m in pattern.finditer(text):   # kept with its rule: 2026年2月相比上个月 re-anchors it
                    add("month", m.start(), m.end(), (str(fn(asof, m)), fn, m))
        for m in _TOP.finditer(text):
            add("top", m.start(), m.end(), (int(m.group(1) or m.group(2)),))
        for m in _CN_COUNT.finditer(text):   # 这四档 / 四样全都有: a Chinese numeral counting what is listed
            add("num", m.start(), m.end(), (float(_CN_DIGITS[m.group(1)]), m.group(2)))
        for m in _NUM.finditer(text):
            if m.group(2) == "%":
                add("num", m.start(), m.end(), (float(m.group(1)) / 100, "%"))
                continue
            unit = m.group(2) or ""
            add("num", m.start(), m.end(), (float(m.group(1)) * _UNITS.get(unit, 1), unit))
        return found

    def correct(self, text: str) -> str:
        """Same-sound typos read as the lexicon word they sound like (客护 -> 客户); numbers, months and
        ids untouched."""
        fixed, last = [], 0
        for t in self.tokens(text):
            if t.heard:
                fixed.append(text[last:t.start] + t.heard)
                last = t.end
        return "".join(fixed) + text[last:]

    def mentions_measure(self, text: str) -> bool:
        """Does the question name something to count or add up (总资产, 客户数, 活跃率, 存款多少…)?"""
        return any(t.kind in ("numeric", "count", "rate", "share")
                   or (t.kind == "product" and re.match(r"\s*(?:余额)?\s*(?:有|是|还有)?\s*(?:多少|几)", text[t.end:]))
                   for t in self.tokens(text))

    def unknown_words(self, text: str) -> list[str]:
        """Words the data does not have (征信评分), or of two or more characters the lexicon does not know."""
        return [t.text for t in self.tokens(text) if t.kind == "absent" or (t.kind == "unknown" and len(t.text) >= 2)]

    # -- the whole parse ---------------------------------------------------------------------
    def parse(self, text: str, previous: Query | None = None) -> Understanding:
        text = _EXTREME_ONE.sub(_extreme_one, _EXTREME_OF_EACH.sub(_extreme_of_each, text))
        text, defined = self._terms_defined(self._said_again(text))
        defined = defined or self._defined.get(text, [])
        # 要一个数：… / 两个数：…: how many figures, said as a heading (not a count, nor background's question)
        text, background = self._without_background(_HOW_MANY_FIGURES.sub("", text))
        text, kept = _groups_kept(text)
        understanding = self._parse(text, previous)
        if kept is not None and understanding.status == "ok":
            understanding = self._with_having(understanding, *kept)
        if background and understanding.status == "ok":
            understanding.assumptions.append("背景说明未用于计算：" + "；".join(f"“{c}”" for c in background))
        if defined and understanding.status == "ok":
            understanding.assumptions.append("按您的说法：" + "；".join(f"“{name}”即“{said}”" for name, said in defined))
        return understanding

    def _said_again(self, text: str) -> str:
        """资产分化最厉害，也就是总资产标准差最大: words not known, then said again in known ones — the known
        saying is the question."""
        for m in reversed(list(_SAID_AGAIN.finditer(text))):
            first = self.tokens(m.group(1))
            if any(t.kind == "unknown" for t in first) and not any(t.kind == "unknown" for t in self.tokens(m.group(2))):
                # who it is about (哪个职业类型的客户) stays; what is said of them is said again
                said = next(t.start for t in first if t.kind in ("unknown", "numeric", "most", "agg", "rate", "share"))
                text = text[:m.start()] + m.group(1)[:said] + m.group(2) + text[m.end():]
        return text

    def _terms_defined(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """私行客户（即高净值…） / 我说的私行客户就是咱们口径里的高净值 / 别的行叫"金卡客户"的那一层，在咱们这儿对应潜力客户:
        a name this bank does not use, defined by the asker in words it does, is read as those words."""
        defined = []
        for pattern in (_TERM_BRACKETED, _TERM_SAID):
            for m in reversed(list(pattern.finditer(text))):
                quoted_name = m.group("name") is not None and (m.group(0).lstrip("，,。；;—?？ ").startswith(("“", '"', "「")) or
                                                               re.search(r"[“\"「]" + re.escape(m.group("name")), m.group(0)) is not None)
                if pattern is _TERM_SAID and m.group("bare"):   # 腰部 defined: 腰部客户 is what the question says
                    name = m.group("bare") + "客户" if m.group("bare") + "客户" in text else None
                else:
                    name = m.group("name") if quoted_name else self._unknown_tail(text[:m.end("name")])
                said = re.sub(r"(?:这|那)?[两二三四五六\d几](?:档|类|种|个|层)(?:客户)?$", "", m.group("def").strip())   # 潜力和临界两档
                if name is None or any(t.kind == "unknown" for t in self.tokens(said)):
                    continue
                said = _as_customers(said, name)
                # a bracket after a name: from where the name starts (its quote included, when taken whole)
                start = m.start() if pattern is _TERM_SAID or name == m.group("name") else m.end("name") - len(name)
                rest = text[:start] + m.group("lead") + ("" if pattern is _TERM_SAID else said) + text[m.end():]
                quoted = re.compile(rf"[“\"「]?{re.escape(name)}[”\"」]?")
                if pattern is _TERM_SAID and not quoted.search(rest):
                    rest = text[:m.start()] + m.group("lead") + said + text[m.end():]
                text = re.sub(r"^[，,。；;—?？\s]+", "", quoted.sub(said, rest))
                defined.append((name, said))
        return text, defined

    def _unknown_tail(self, said: str) -> str | None:
        """深圳南山支行私行客户 -> 私行客户: the words not known at the end of what was said, with the 客户 after them
        (a name said in quotes is taken whole)."""
        start = None
        for t in reversed(self.tokens(said)):
            if t.kind not in ("unknown", "customer"):
                break
            start = t.start if t.kind == "unknown" or start is not None else None
        return said[start:] if start is not None and start < len(said) - 1 else None

    def _with_having(self, understanding: Understanding, said: str, op: str, value) -> Understanding:
        """The groups kept by the figure `said` (its measure added when the question ranks by another)."""
        query = understanding.query
        own = self._parse(said, None)
        if not query.group_by or query.customers or own.status != "ok" or len(own.query.measures) != 1 \
                or own.query.where is not None and not isinstance(own.query.measures[0], Share):
            return Understanding(None, "not_understood", message=f"“{said}{op}…”是对各组自身数值的条件，"
                                 "但没有认出按什么分组或是哪个指标（例如“高净值占比高于全行平均的网点”）")
        measure = own.query.measures[0]
        if isinstance(measure, Share) and own.query.where is not None and measure.numerator is None:
            measure = replace(measure, numerator=own.query.where)
        measures = list(query.measures)
        if measure not in measures:
            measures.append(measure)
        having = (measures.index(measure), _HAVING_OPS[op], value)
        return replace(understanding, query=replace(query, measures=measures, having=having))

    def _without_group_lists(self, text: str) -> str:
        """按年龄段（三十岁以下、三十至三十九岁…）: the groups listed after the dimension grouped by are its groups,
        not filters."""
        for t in self.tokens(text):
            if t.kind == "dim" and text[:t.start].rstrip().endswith(("按", "各", "分", "按照", "维度:", "维度：")):
                # (资产等级那几档（10万以下、…）: the groups' own word may come between)
                m = re.match(r"\s*(?:[这那]?几?[档类个种级组])?\s*[（(][^（）()]*[、，,][^（）()]*[）)]", text[t.end:])
                if m:
                    return self._without_group_lists(text[:t.end] + text[t.end + m.end():])
            if t.kind == "dim" and (text[t.end:].lstrip().startswith("分布")
                                    or text[:t.start].rstrip().endswith(("按", "各", "分", "按照"))):
                # 年龄段分布拉一下，30以下、30几、40几、60往上各多少人: the groups again, in the asker's words
                m = _LISTED_GROUPS.search(text, t.end)
                if m:
                    return text[:m.start(1)] + text[m.end(1):]
        return text

    def _is_it_the_most(self, text: str) -> str:
        """一线城市的客户是不是最多: the asker's guess about one group; the answer ranks its dimension's groups
        (哪个城市等级的客户最多), where the guess can be seen right or wrong."""
        m = _IS_IT_THE_MOST.search(text)
        values = list(self.tokens(m.group(1))) if m else []
        if not m or len(values) != 1 or values[0].kind != "value":
            return text
        column = values[0].payload[0]
        word = "城市" if column == "city" else DIMENSIONS[column].label if column in DIMENSIONS else None
        if word is None:
            return text
        return text[:m.start()] + f"哪个{word}的客户{m.group(2) or ''}最{m.group(3)}" + text[m.end():]

    def _without_guess(self, text: str) -> str:
        """各个年龄段的活跃率？年轻的是不是贼活跃: beside a grouping asked in its own clause, a yes-or-no clause
        is the asker's guess, which the groups' figures answer; its words filter nothing."""
        pieces = re.split(r"([，,。？?！!；;])", text)
        clauses = pieces[::2]
        grouped = [c for c in clauses if any(t.kind == "group" for t in self.tokens(c))
                   and any(t.kind == "dim" for t in self.tokens(c))]
        guesses = [c for c in clauses[1:] if _YES_NO.search(c) and c not in grouped]
        if not grouped or not guesses:
            return text
        kept = [c + sep for c, sep in zip(clauses, pieces[1::2] + [""]) if c not in guesses]
        return "".join(kept).rstrip("，,；;") or text

    def without_background(self, text: str) -> str:
        """The question without the clauses about the asker; a name the asker defines is read as defined first
        (我们以前考核"有效户"，在这里按… is no background)."""
        read, defined = self._terms_defined(text)
        read = self._without_background(read)[0]
        if defined:
            if len(self._defined) > 256:
                self._defined.clear()
            self._defined[read] = defined
        return read

    def _without_background(self, text: str) -> tuple[str, list[str]]:
        """下周要开经营分析会，帮我列一下… / …，我想做一波理财转化: a clause about the asker (我, 下周, 开会 …)
        that asks for nothing (no measure, population, grouping or month) is background, not the question."""
        clauses = [c for c in _BACKGROUND_SPLIT.split(text) if c.strip()]
        if len(clauses) < 2:
            return text, []
        toks = {c: self.tokens(c) for c in clauses}
        # 帮我查下客户的微信支付绑定率: a measure the data lacks is still what the clause asks for
        asks_unknown = {c for c in clauses if any(t.kind == "absent" or (t.kind == "unknown" and _MEASURE_SHAPED.search(t.text))
                                                  for t in toks[c])}
        background = [c for c in clauses if c not in asks_unknown and (_BACKGROUND_MARKER.search(c) and
                      not any(t.kind in _QUESTION_KINDS for t in _asked_in(toks[c], c))) or (
                          _PURPOSE.search(c) and not any(t.kind in _ASKING_KINDS - (
                              {"count", "num", "which", "numeric"} if _PURPOSE_STRONG.search(c) else set()) for t in toks[c]))]
        if not background or len(background) == len(clauses):
            return text, []
        # 拟对医生群体开展专项营销，请统计其中男性…: the purpose names who 其中 refers to; that population stays
        refers = any(_REFERS_BACK.search(c) for c in clauses if c not in background)
        # the kept clauses with their own separators (口径：… keeps its colon for the grammar that reads it)
        pieces = re.split(f"({_BACKGROUND_SPLIT.pattern})", text)
        kept = []
        for clause, sep in zip(pieces[::2], pieces[1::2] + [""]):
            named = [t.text for t in toks[clause] if t.kind == "value"] if clause in toks else []
            if clause not in background:
                kept.append(clause + sep)
            elif refers and _PURPOSE.search(clause) and named:
                kept.append("、".join(named) + "，")
        return "".join(kept).strip().rstrip("，,；;：:、"), background

    def _parse(self, text: str, previous: Query | None) -> Understanding:
        if previous is not None and previous.time.month:   # 同年九月: the year of the month asked before
            text = re.sub(r"同年\s*(\d{1,2})\s*月", lambda m: f"{previous.time.month[:4]}年{m.group(1)}月", text)
        if previous is not None and previous.time.kind in ("asof", "month"):
            # (上个月的活跃率) 再往前推一个月呢: months before the one asked about last
            said = pd.Period(previous.time.month or self.lex.as_of_month, "M")
            text = _MONTHS_BACK.sub(lambda m: f"{(said - int(m.group(1) or m.group(2))).strftime('%Y年%m月')}", text)
        if self.lex.as_of_month:   # 从年初1月份到现在 / 去年底到目前: a span that ends at the 基准月
            year, month = self.lex.as_of_month.split("-")
            text = _UNTIL_NOW.sub(f"到{year}年{int(month)}月", text)
        text = _PLACE_NOT_VISITED.sub(r"\2\3过网点", _NOT_ONCE.sub(_not_once, text))
        # 登录过5次以上: 过 says it happened (the bound is 以上), not 超过
        text = re.sub(r"(?<=[录陆去到来跑])过(?=\s*\d+\s*[次回趟]\s*(?:及)?(?:以上|以下|或以上|或以下))", "", text)
        # 手机银行登录过的 / 手机银行登录过至少1次 (not 手机银行登录过5次以上, a count)
        text = re.sub(r"(?:手机银行|APP|app|网银)\s*(?:上)?\s*登(?:录|陆)?过(?!\s*[\d一二两三四五六七八九十几多])", "登录过手机银行", text)
        text = _AT_LEAST_ONCE.sub(_at_least_once, _PLACE_VISITED.sub(r"\1过网点", text))
        # 没买理财的不算: those without it left out (not a 没 that negates what follows)
        text = re.sub(r"((?:没|未|没有)(?:买|有|持有|开通|办)(?![填写登])[^，,。？?]{1,6}?)的?(?:客户)?(?:不算在内|不算|不计入?|不要|除外)", r"剔除\1的",
                      text)
        # 理财、基金、保险这三个的持有率 / 只持有存款和基金这两样: the list, counted again
        # 存款、理财、基金、保险四种产品的持有率 too (the count after a list of products)
        text = re.sub(rf"({_PRODUCT_NAME})\s*这\s*[2-4两三四]\s*(?:个|种|样|类|项)", r"\1", text)
        text = re.sub(rf"((?:[、，,和与及跟]\s*){_PRODUCT_NAME})\s*[2-4两三四]\s*(?:个|种|样|类|项|大)(?:产品)?"
                      r"(?=\s*(?:的|各自的?|分别的?)?\s*(?:持有率|渗透率|覆盖率))", r"\1", text)
        text = _EITHER_PRODUCT.sub(lambda m: "持有" + "或".join(_products_named(m.group(0))), text)
        text = _ONLY_BUT.sub(r"只买了\1", text)   # 除了存款什么都没买 -> 只买了存款
        text = _NOT_ONE_PRODUCT.sub(r"没买\1", text)   # 一只基金都没买 -> 没买基金
        # 有没有超过三成 / 到没到八成: a yes-or-no on a share; the share decides it, and the answer states it
        text = _YES_NO_SHARE.sub("" if re.search(r"占比|比例|率|份额", text) else "占比", text)
        text = _WHICH_OF_TWO.sub(r"\1和\3哪个\2", text)   # 女的多还是男的多: which of the two
        if re.search(r"中位数|平均|人均|合计|总|标准差|最大值|最小值|比例|占比|率", text):
            text = _ABOVE_OR_BELOW.sub("", text)
        text = _BOTH_FIGURES.sub("", _HIGHER_OR_LOWER.sub("对比", text))   # 比教师高还是低，两个数都给我
        text = _MERGED_BY.sub(r"按\1", _NOT_BY.sub("", _FIGURE_EACH.sub("", text)))
        if re.search(r"笔均|每笔", text):   # 笔均交易金额（交易金额合计÷交易笔数合计）: its definition, said again
            text = _PER_UNIT_GLOSS.sub("", text)
        text = _SPEC_DEFINITION.sub(self._spec_scope, text)
        text = _NO_RESTRICTION.sub("", _ANSWER_FORMAT.sub("", text))
        # 一线、二线、三线每个等级: the levels listed are the grouping (not the customer tier, also called 等级)
        text = re.sub(r"((?:一线|二线|三线)(?:城市)?(?:\s*[、和与及]\s*(?:一线|二线|三线)(?:城市)?)+)\s*(?:每个|各个?)\s*(?:等级|级别)",
                      r"\1各城市等级", text)
        # 北京地区（朝阳、海淀两家支行）: the city's branches, named again
        text = re.sub(r"[（(][^（）()]*(?:两|2|3|三|几)\s*家(?:支行|网点)[^（）()]*[）)]", "", text)
        text = re.sub(r"(?<=[财金款险])\s*(?:中)?的?任何?\s*(?:一|1)\s*(?:种|类|样|个)", "", text)   # 未持有存款、理财、基金任何一种
        text = re.sub(r"(以下|低于|不到|小于)\s*[（(]\s*不含[^（）()]*[）)]", r"\1", text)   # 30岁以下（不含30岁）
        text = _HOW_MANY_PRODUCTS.sub(r"\1\2持有产品数", text)
        if self.customer_ids(text):   # CUST004567有几样产品: that customer's product count
            text = re.sub(r"(?:手头|手里|名下)?(?:有|持有)?\s*(?:几|多少)\s*(?:样|种|个|款|类)\s*产品", "持有产品数", text)
        text = re.sub(r"[一二三四五六七八九十\d]+几岁\s*[（(]([^（）()]+)[）)]", r"\1", text)   # 四十几岁（40到49岁）
        text = re.sub(r"(?<![哪这那某每各一])类(?:职业|行业)(?!类型|类别)", "", text)   # 事业单位类职业以外: the value
        text = self._value_then_its_kind(text)
        # 每个组合（比如一线城市的女客户）各有多少人: an example of the groups asked for, no filter
        if re.search(r"每|各|按|分组|组合", text):
            text = re.sub(r"[（(]\s*(?:比如|例如|譬如|举个例子|像是?)[^（）()]*[）)]", "", text)
        text = re.sub(r"(?<!非)(存款|理财|基金|保险)类(余额|资产)", r"\1\2", text)   # 存款类余额 (非存款类 is not read)
        # 占三线城市全部客户… / 在一线城市全部AUM里占: of that population
        text = re.sub(r"((?:占|在)\s*[^，,。？?\s]{2,12}?)的?(?:全部|所有|全体)(?=客户|AUM|资产|总资产|存款)", r"\1", text)
        # 占全行客户多少 / 占一线城市客户几成: a share of that population (客户多少 alone asks a count)
        text = re.sub(r"(占\s*[^，,。？?\s占]{1,12}?客户)\s*的?\s*(?:多少|几成)(?![个位人户名元万亿笔次种])", r"\1的比例", text)
        text = _NAMED_AFTER_DEFINITION.sub(r"\1的\2", text)   # 存款不到5万的小额客户: the name restates the bound
        text = _TIMES_OF.sub(r"比\1几倍", text)   # A是B的几倍: said as 比, the grammar of a contrast
        text = _ASKERS_GLOSS.sub("", _OTHER_BRANCHES.sub(r"\1各\2", text))
        text = _VIEWING_TIME.sub(r"\1理财浏览时长", text)   # 在手机银行上看理财的人均浏览时长: one measure
        # 理财、基金、保险的持有率: each product's rate (not holding the first two, and the last one's rate)
        text = _PRODUCTS_RATE.sub(lambda m: "、".join(p + m.group(2) for p in _products_named(m.group(1))), text)
        text = _NAMED_MONTH.sub(lambda m: m.group(1) or m.group(2), text)   # 去年同期就是2025年10月: the month as said
        text = _cohorts(text, self.lex.as_of_month)   # 2026年3月是临界客户、到基准月变成高净值的: who they were then, what they are now
        text = _NO_INCOME.sub(r"\1缺失", text)   # 没有月收入的客户 / 没填收入的不算: said as missing (below)
        text = re.sub(r"有(月收入|收入)(?:的)?记录的?", r"\1非空的", text)   # 有月收入记录的客户
        text = re.sub(r"(没|未|还没|尚未)上(保险|理财|基金)", r"\1买\2", text)   # 还没上保险
        if "活跃" in text:   # …活跃率是多少？手机银行登录过一趟就算: the definition said as what counts
            # …高多少？（活跃=本月登录≥1次）: a definition in brackets of its own, said as a sentence
            text = re.sub(r"(?<=[？?。])\s*[（(]\s*活跃(?:客户)?\s*(?:=|：|:|是指|指)\s*([^（）()，,；;]*登[录陆][^（）()，,；;]*)[）)]",
                          r"活跃是指\1", text)
            text = re.sub(r"[。？?，,；;]\s*([^。？?；;，,]*登[录陆][^。？?；;，,]*?)\s*(?:就|即|便)?(?:算|算数)(?:是)?(?:活跃)?(?:客户)?[了的]?[呢吧啊]?[。.？?]?$",
                          r"。活跃是指\1", text)
        text = _ACTIVE_DEFINED.sub(_active_defined, _ACTIVE_DEFINED_AFTER.sub(_active_defined_after, text))
        # 分布（<30/30-39/…） / 分布 看看（…）: the groups listed again
        text = re.sub(r"(分布|分层|分档|分组)\s*(?:看看|看一下|看下)?\s*[（(][^（）()]*[/、][^（）()]*[）)]", r"\1", text)
        text = _QUARTERS.sub(self._quarters_as_months, text)   # 2026 Q1~Q3（1-9月）
        text = COMBINATION_IS.sub(lambda m: "只持有" + "和".join(_products_named(m.group(0))), text)
        text = _MERGED_CITIES.sub("", text) if "城市" in text else text   # …合并成一个城市算: what 城市 means here
        text = re.sub(r"(高净值|潜力|临界|普通|活跃)(客户)?的?(?:渗透率|覆盖率)", r"\1\2占比", text)
        text = _EVERY_PRODUCTS_RATE.sub(r"各产品的\1", text)   # 四样产品的持有率: each product's, not holding all four
        if re.search(r"是谁|哪几位|哪些客户|名单|最[高低多少大小]的?\s*\d+\s*位", text):   # …最高的5位客户是谁？各有多少资产: each one's value
            text = _EACH_HOW_MUCH.sub("", text)
        # 离100万最近 / 差一点就到100万: 临界 said in words; beside 临界 it only restates it
        text = _NEAR_MILLION.sub("" if "临界" in text else "临界客户", text)
        if "冷静期" in text:   # 冷静期里、暂时不能触达的: what the cooling-off period means
            text = _CANNOT_CONTACT.sub("", text)
            if re.search(r"冷静期(?:已经|已)?(?:过|结束)", text):
                text = _CAN_CONTACT.sub("", text)
        text = self._without_group_lists(text)
        text = self._without_guess(text)
        text = self._is_it_the_most(text)
        text = _MISSING_LEFT_OUT.sub("非空", _MISSING_LEFT_OUT_BEFORE.sub(r"\1非空", text))   # 月收入缺失的不计入
        text = _rewrite_notation(text)
        text = _WHICH_IS_MORE.sub(r"\1\2最\3\4", text)   # 北京和上海哪个人均资产高: the larger one
        # 最近半年（今年5月到10月）: the months the gloss names; 近三个月（8月、9月、10月）: a list restates the span
        text = _SPAN_GLOSS.sub(lambda m: m.group(1) if "、" in m.group(2) else m.group(2), text)
        text = _QUARTER_GLOSS.sub(r"\1", text)         # 三季度末（2026年9月）: the month the gloss names
        text = _MONTHS_RESTATED.sub(r"\1", text)      # 各季末（3月、6月、9月）/ 上半年（1月至6月）: said twice
        parts = [p for p in _CLAUSES.split(text) if p.strip()]
        if len(parts) == 2 and all(self._has_share(p) for p in parts):
            # …的比例，以及…的比例: two shares of one population, each read in its own clause
            first = self._parse_one(parts[0], previous)
            # …占全行比例是多少，资产规模又占全行多少份额: the second clause's subject is the first's
            subject = next((m.numerator for m in first.query.measures if isinstance(m, Share)), None) \
                if first.query is not None else None
            second = Assembler(self.lex, self.tokens(parts[1]), parts[1], previous, subject).run()
            if first.query is not None and second.query is not None and _same_frame(first.query, second.query):
                first.query.measures += second.query.measures
                first.used += second.used
                first.unknown += second.unknown
                return first
        text = self._without_restated_definitions(self._without_restated_brackets(text, previous))
        if previous is not None and not _SENTENCES.search(text.rstrip("？?。.!！ ")):
            text = _SIBLING.sub("呢", text)   # (理财持有率是多少 →) 医生又是多少: the same figure of another group
        return (self._with_sibling(text, previous) or self._with_own_population(text, previous)
                or self._parse_one(text, previous))

    def _without_restated_definitions(self, text: str) -> str:
        """…有多少高净值客户。高净值指基准月总资产不低于100万元 / 活跃指基准月手机银行登录至少1次: a clause defining a word of
        the question as the glossary does is dropped (one defining it otherwise stays, and is read or refused)."""
        pieces = re.split(r"([，,；;。？?])", text)
        for k in range(2, len(pieces), 2):
            m = _DEFINED_AS.fullmatch(pieces[k].strip())
            if m is None:
                continue
            tier = re.fullmatch(r"(高净值|临界|潜力|普通)(?:客户)?", m.group(1).strip())
            term, said = (self._parse_one(x, None).query for x in m.groups())
            if tier is not None and _restates_tier(re.sub(r"基准月|当月|的", "", m.group(2)), tier.group(1)) or (
                    term is not None and said is not None and term.where is not None
                    and _facts_of(term.where) == _facts_of(said.where) and not _said_measures(said)):
                pieces[k] = pieces[k - 1] = ""
        return "".join(pieces)

    def _value_then_its_kind(self, text: str) -> str:
        """私营业主类型的客户 / 已婚状态: a value, then the word for what kind of value it is."""
        for m in reversed(list(re.finditer(r"类型|类别", text))):
            before = self.tokens(text[:m.start()])
            if before and before[-1].kind == "value" and before[-1].end == m.start():
                text = text[:m.start()] + text[m.end():]
        return text

    def _without_restated_brackets(self, text: str, previous: Query | None) -> str:
        """一次都没登录过的客户（登录次数为0） / AUM贡献（客户当前总资产合计）: a bracket whose own reading adds
        nothing to the rest of the question (its conditions and measure are already there) is a gloss."""
        for m in reversed(list(_BRACKET.finditer(text))):
            inner = self._parse_one(_GLOSS_SAYS.sub("", _GLOSS_MARKER.sub("", m.group(1))), None).query
            without = text[:m.start()] + text[m.end():]
            rest = self._parse_one(without, previous).query
            if inner is None or rest is None:
                continue
            if inner.where is None and inner.group_by and all(
                    isinstance(x, Share) and x.numerator is None for x in _said_measures(inner)):
                # （此处职业系指职业名称本身） / （…系指生命周期阶段为该两类者）: which column a word is, one the rest reads
                if set(inner.group_by) <= _columns_read(rest):
                    text = without
                continue
            if not (inner.where is not None or _said_measures(inner)):
                continue
            # （此处持有系指目前持有理财）: a gloss may restate what a measure counts, not only the filter
            said = _facts_of(rest.where).union(*(_facts_of(getattr(x, "numerator", None) or getattr(x, "where", None))
                                                 for x in rest.measures))
            if _facts_of(inner.where) <= said and set(_said_measures(inner)) <= set(rest.measures):
                text = without
        return text

    def _plain_question_then(self, text: str, previous: Query | None, last_fits) -> tuple[Understanding, str] | None:
        """The reading of all but the last sentence, and the last sentence, when `last_fits` it and what comes
        before reads as one plain figure (no grouping, no list, one month)."""
        pieces = [p for p in _SENTENCES.split(text) if p.strip()]
        if len(pieces) < 2 or not last_fits(pieces[-1]):
            return None
        first = self._parse_one("，".join(pieces[:-1]), previous)
        q1 = first.query
        if first.status != "ok" or q1.group_by or q1.customers or q1.time.kind not in ("asof", "month"):
            return None
        return first, pieces[-1]

    def _with_sibling(self, text: str, previous: Query | None) -> Understanding | None:
        """一线城市客户的平均资产是多少？二线城市呢 / 高净值客户的AUM占全行多少？普通客户又占多少: the last sentence asks the
        same of another value of the same column — both are answered, side by side (read alone it would put
        both values on the same customers: no one)."""
        split = self._plain_question_then(text, previous, lambda last: not _CONTINUED.match(last) and _SIBLING.search(last))
        if split is None:
            return None
        first, last = split
        q1 = first.query
        second = self._parse_one(_SIBLING.sub("呢", last), q1)
        q2 = second.query
        if second.status != "ok" or q2.group_by or q2.customers or q2.time != q1.time:
            return None
        mine, theirs = conjuncts(q1.where), conjuncts(q2.where)
        gone, new = [n for n in mine if n not in theirs], [n for n in theirs if n not in mine]
        if len(gone) == len(new) == 1 and _compare_key(gone[0]) == _compare_key(new[0]) == getattr(gone[0], "column", None) \
                and [m.key for m in q2.measures] == [m.key for m in q1.measures]:
            both = Eq(gone[0].column, gone[0].values + new[0].values, f"{gone[0].label}、{new[0].label}")
            first.query = replace(q1, where=conjoin(*[n for n in mine if n is not gone[0]], both), group_by=[gone[0].column])
        elif q1.where == q2.where and len(q1.measures) == len(q2.measures) == 1 and all(
                isinstance(m, Share) and isinstance(m.numerator, Eq) for m in q1.measures + q2.measures) \
                and q1.measures[0].numerator.column == q2.measures[0].numerator.column:
            m1, m2 = q1.measures[0], q2.measures[0]
            label = m1.label if m1.numerator.label in m1.label else m1.numerator.label + m1.label
            first.query = replace(q1, measures=[replace(m1, label=label), replace(
                m2, column=m1.column, denominator=m1.denominator, label=label.replace(m1.numerator.label, m2.numerator.label))])
        else:
            return None
        first.used += second.used
        return first

    def _with_own_population(self, text: str, previous: Query | None) -> Understanding | None:
        """活跃率给个数，再报一下活跃客户的人均登录次数 / …一共有几位？其中一线城市的又有几位: a last clause that goes
        on (再/其中/另外…) with customers of its own asks its measures over them, inside the population said
        before — the earlier measures keep theirs."""
        split = self._plain_question_then(text, previous, _CONTINUED.match)
        if split is None:
            return None
        first, last = split
        q1 = first.query
        second = self._parse_one(last, q1)   # 其中…: adds to the population said first
        q2 = second.query
        if second.status == "ok" and not q2.group_by and not q2.customers and q2.time == q1.time \
                and all(isinstance(m, Share) for m in q2.measures) and any(isinstance(m, Share) for m in q1.measures):
            said_of = {n for m in q1.measures if isinstance(m, Share) for n in conjuncts(m.numerator)}
            restated = all(said_of <= set(conjuncts(m.numerator)) for m in q2.measures)
            if q2.where == q1.where and restated:
                # …占比是多少？其中男性高净值客户占全部客户的比例: a second share of the same base, its part named
                q1.measures += q2.measures
                first.used += second.used
                return first
            # 高净值占比是多少？其中男性的占比又是多少: whose share, over whom? Either reading would drop the first
            return Understanding(None, "not_understood", used=first.used + second.used,
                                 message="问了两个占比，第二个的分子和分母没有说清（例如“其中男性高净值客户占全部客户的比例”），"
                                         "请分开问或说明分母")
        if second.status != "ok" or q2.group_by or q2.customers or q2.time != q1.time \
                or not all(isinstance(m, Agg) for m in q2.measures):
            return None
        own = [n for n in conjuncts(q2.where) if n not in conjuncts(q1.where)]
        if not own:
            return None
        q1.measures += [replace(m, where=conjoin(*own)) for m in q2.measures]
        first.used += second.used
        first.unknown += second.unknown
        return first

    def _quarters_as_months(self, m: re.Match) -> str:
        year = m.group(1) or (self.lex.as_of_month or "2000-01")[:4]
        return f"{year}年{int(m.group(2)) * 3 - 2}月至{year}年{int(m.group(3)) * 3}月"

    def _spec_scope(self, m: re.Match) -> str:
        """口径：年龄30岁以下且月收入2万以上。请出…: a 口径 that opens the question, or that names only who is
        counted, is the question's scope; one said after the question that restates a definition
        (…；口径：基准月总资产合计 / 口径：…的比例) is ours already, and dropped."""
        kinds = {t.kind for t in self.tokens(m.group(2))}
        opens = not m.string[:m.start()].strip()
        if opens or (kinds & {"value", "product", "no_product", "denom_lead", "num_lead", "num"}
                     and not kinds & {"share", "rate", "count", "agg"}):
            return m.group(1) + m.group(2)
        return ""

    def _parse_one(self, text: str, previous: Query | None) -> Understanding:
        return Assembler(self.lex, self.tokens(text), text, previous).run()

    def _has_share(self, text: str) -> bool:
        return any(t.kind in ("share", "rate") for t in self.tokens(text))


_BRACKET = re.compile(r"[（(]([^（）()]{2,30})[）)]")
#: A name of a group of customers another bank uses (私行客户, 睡眠户, 有效户, 金卡客户).
_TERM_NAME = r"[“\"「]?(?P<name>[\u4e00-\u9fff]{1,5}(?:客户|户|客群|人群|群体|用户))[”\"」]?"
#: 私行客户（即高净值，总资产100万及以上）: a name, and in brackets what it is here
_TERM_BRACKETED = re.compile(r"(?P<lead>)" + _TERM_NAME + r"\s*[（(]\s*(?:即|就是|也就是|咱们叫|我们叫|本行叫|对应|指)?\s*"
                             r"(?P<def>[^（）()，,、]{2,20}?)(?:[，,、][^（）()]*)?[）)]")
#: 我说的私行客户就是咱们口径里的高净值 / 别的行叫"金卡客户"的那一层，在咱们这儿对应潜力客户 / 有效户，在这里我按…来算
_TERM_SAID = re.compile(
    r"(?P<lead>(?:^|[，,。；;—?？]))\s*(?:(?:我|我们|别的行|别家|我原来那家行|以前|这里)"
    r"[^，,。？?；;\"“]{0,10}?(?:叫|管这叫|叫做|称为|考核|说的|指的|所谓的?))?\s*"
    # 腰部我这里指…: the name said without its 客户, when 这里 says it is being defined
    r"(?:" + _TERM_NAME + r"|(?P<bare>[\u4e00-\u9fff]{2,4}?)(?=我?(?:这里|这儿|这边)))(?:的那一层|那一层)?\s*"
    r"[，,—]*\s*(?:(?:在|放到|放在)?(?:咱们|我们|本行|我)?(?:这儿|这里|这边)\s*[，,]?\s*(?:就)?)?(?:我)?"
    r"(?:按|就是|即|也就是|指的是|是指|指|对应|相当于)\s*(?:咱们|我们|本行)?(?:口径里|口径中|这儿|这里|这边)?的?"
    # 头部客户这里就按高净值（总资产100万及以上）算: the definition, its own gloss after it
    r"(?P<def>[^，,。？?；;—（）()]{2,30}?)(?:[（(][^（）()]*[）)])?(?:来算|来计|计算|算)?(?=[，,。？?；;—]|$)")


def _as_customers(said: str, name: str) -> str:
    """What a name of customers is defined as, said as customers: 高净值 -> 高净值客户, 持有至少2种产品的 ->
    持有至少2种产品的客户."""
    said = said.removesuffix("的")
    if not name.endswith(("客户", "户")) or said.endswith(("客户", "户", "人")):
        return said
    return said + ("的客户" if re.search(r"\d|持有|登录|开户|产品", said) else "客户")


def _facts_of(where) -> set:
    """A filter tree's conditions, by what they test (labels aside)."""
    def key(n):
        return (type(n).__name__, getattr(n, "column", None), getattr(n, "op", None),
                getattr(n, "value", None), getattr(n, "values", None), getattr(n, "text", None))
    return {key(n) for n in leaves(where)} if where is not None else set()


#: 高净值指… / 活跃是指… / 临界定义为…: a clause saying what a word means
_DEFINED_AS = re.compile(r"([^，,；;。=]{1,10}?)\s*(?:系指|是指|指的是|指|即|定义为|的定义是|=)\s*(.{2,40})")
#: （此处临界系指… / 这里说的持有是指… / 系指…）: a bracket that says what a word of the question means
_GLOSS_MARKER = re.compile(r"^\s*(?:(?:此处|这里|这儿|本题|本问|文中|题中|上文|前述|所称|所谓|说的|所说的?)+[^，,；;]{0,8}?"
                           r"(?:系指|是指|指的是|即指|意指|专指|特指|仅指|指|即|为)|[^，,；;]{0,8}?(?:系指|是指|指的是))\s*")
#: …本身，而非职业类型 / …为该两类者: what the gloss points back to or rules out adds no condition of its own
_GLOSS_SAYS = re.compile(r"本身|[，,]?\s*(?:而非|而不是|并非|不是)[^，,；;]*$"
                         r"|(?:为|是|属于?)?(?:该|这|上述|前述|以上|前面)(?:两|二|三|几|\d)?(?:类|种|个|项|档)(?:者|客户|人)?$")


def _columns_read(query: Query) -> set:
    """The columns a reading conditions, groups or measures on."""
    return ({getattr(n, "column", None) for n in leaves(query.where)} if query.where is not None else set()) \
        | set(query.group_by) | {getattr(m, "column", None) for m in query.measures}


def _said_measures(query: Query) -> list:
    """The measures a reading names (a bare count of customers is what every reading defaults to)."""
    return [m for m in query.measures if not (isinstance(m, Agg) and m.kind == "count" and m.where is None)]


#: 以2026年6月减去2025年6月计，… / …，以当前月为准 / 以深圳南山支行为准、只算…: the way of counting, in any clause
_MEASURED_AS = re.compile(r"(?:^|(?<=[,，、;；。?？!！]))\s*(?:以|按)(.{2,24}?)(?:(?<![合总统累共估预设])计|为准)\s*(?=$|[,，、;；。.?？!！])")
_LISTED_GROUPS = re.compile(r"[,，]\s*((?:[^,，。、]{1,8}、){2,}[^,，。、]{1,8}?)\s*(?=各|分别|都)")
_UNTIL_NOW = re.compile(r"(?<=月|底|末|初|前)(?:份)?\s*(?:到|至|一直到)\s*(?:现在|目前|当前|今天|如今|基准月)(?:为止)?")
#: 按上海两家支行合起来算: the branches taken together, one population (not a grouping by branch)
_TAKEN_TOGETHER = re.compile(r"(?:按|把)?(\S{1,8}?)(?:这|那)?\s*(?:[2-9]|几|两)\s*(?:家|个|所)\s*(?:支行|网点|分行)?\s*"
                             r"(?:合起来|合并|加起来|加在一起|合在一起|放一起|一起)(?:来)?(?:算|计算|看|统计)?")
#: 月收入缺失者不计入 / 剔除月收入为空的客户: only customers with a value (X非空, a Known condition).
_MISSING = r"(?:缺失|为空|是空的|空缺|没填|未填|没有填|空值|没有值|无值|没登记|未登记|没有登记|不详)(?:的)?(?:客户|者|记录|人|数据)?"
#: 没有月收入的客户 / 没填收入的: the value missing, said before the column (not 没有月收入超过1万的, a threshold)
_NO_INCOME = re.compile(r"(?:没有|没|无|缺少?)(?:填写?|登记)?的?(月收入|收入)(?:记录|信息|数据)?(?=的|客户|者|人|$|[,，。?？])")
_SMALLEST = ("最小", "最低", "最年轻", "最少")
_EXTREMES = "|".join(("最大", "最高", "最老", "最年长", "最多", *_SMALLEST))
#: 每个职业类型里，年纪最大的客户各是多少岁: each group's oldest customer's age is the group's largest age
_EXTREME_OF_EACH = re.compile(r"(?<=[各每按里中，,])([^，,。？?各每按]{0,12}?)(年纪|年龄|岁数|总资产|资产|月收入|收入|存款余额|存款)"
                              rf"({_EXTREMES})的(?:客户|人|那位|那个|那1位)"
                              r"[^，,。？?谁]{0,3}?(各|分别)(?:是|有)?(?:多少岁|几岁|多少钱|多少)(?!.{0,3}谁)")
#: 金融从业者里，年纪最大的客户几岁了 / 总资产最大的那个客户有多少钱 / AUM最高的那一位有多少: the one customer's
#: figure is the largest (or smallest) value (who it is is not asked)
_EXTREME_ONE = re.compile(r"(年纪|年龄|岁数|总资产|资产|AUM|aum|存款余额|存款|理财余额|基金余额|保险余额|月收入|收入|(?:手机银行)?登录次数|(?:网点)?到访次数|交易笔数|信用卡(?:月)?消费(?:额|金额)?|(?:月)?交易金额)"
                          rf"({_EXTREMES})的?(?:那)?(?:个|位|1个|1位|一个|一位)?(?:客户|人)?\s*"
                          # …登录次数最多那个，这个月登录了多少次: the figure asked in a clause of its own
                          r"(?:[，,]?\s*(?:这个月|当月|本月)?\s*(?:登录|到访|交易|刷|花|消费)了?)?"
                          r"(?:到底|究竟)?(?:是|有)?\s*(?:多少岁|几岁|多大|多少钱|多少次|几次|多少笔|几笔|多少(总资产|资产|AUM|存款|收入|理财|基金|保险)?)(?:了)?"
                          r"(?=[？?。，,！!呢吧啊\s]|$)(?!.{0,3}谁)")
#: the column a word for it names (年纪 年龄, AUM 总资产 …)
_EXTREME_COLUMN = {"年纪": "年龄", "岁数": "年龄", "资产": "总资产", "AUM": "总资产", "aum": "总资产", "收入": "月收入",
                   "存款": "存款余额", "理财": "理财余额", "基金": "基金余额", "保险": "保险余额"}


def _extreme_value(word: str, extreme: str) -> str:
    """年纪 + 最大 -> 年龄最大值: the statistic a customer's extreme figure is."""
    return _EXTREME_COLUMN.get(word, word) + ("最小值" if extreme in _SMALLEST else "最大值")


def _extreme_one(m: re.Match) -> str:
    column = _EXTREME_COLUMN.get(m.group(1), m.group(1))
    said = m.group(3) and _EXTREME_COLUMN.get(m.group(3), m.group(3))
    if (column == "年龄") != bool(re.search(r"岁|多大", m.group(0))) or (said and said != column):
        return m.group(0)   # 资产最高的客户几岁 / …有多少存款: another column's extreme customer, asked another thing
    return _extreme_value(m.group(1), m.group(2)) + "是多少"


def _extreme_of_each(m: re.Match) -> str:
    return f"{m.group(1)}{_extreme_value(m.group(2), m.group(3))}{m.group(4)}是多少"


#: …，也就是… / …，即…: the same thing said again
_SAID_AGAIN = re.compile(r"(?<![^，,。？?；;])([^，,。？?；;]{2,20})[，,]\s*(?:也就是|即|就是说|换句话说|换言之)\s*([^，,。？?；;]{2,30})")
#: 各网点资产最高的客户分别是谁: each group's extreme customer, asked as who (not as the group's largest value)
_EACH_GROUPS_EXTREME = re.compile(r"(?:年纪|年龄|资产|收入|存款)?(?:最大|最小|最高|最低|最老|最年长|最年轻|最多|最少)的(?:客户|人|那位|那个|那1位)"
                                  r"[^，,。？?]{0,4}?(?:各|分别)")
_MISSING_LEFT_OUT = re.compile(_MISSING + r"[^\s，,。？?]{0,4}?(?:不(?:算|计|放|纳)?(?:进|入|在)?分母(?:里|中|内)?"
                               r"|不算进去|不算在内|不计算在内|不计入|不计|不算|不参与统计|不参与|不纳入|剔除|除外|排除|不统计|去掉|不要)")
_MISSING_LEFT_OUT_BEFORE = re.compile(r"(?:剔除|排除|去掉|不含|不包括)\s*(\S{2,8}?)" + _MISSING + r"(?:以后|之后|后)?")
_ONLY_BUT = re.compile(r"(?:除了?|除开|只有|只买了|只持有)\s*(\S{1,6}?)\s*(?:以外|之外)?\s*[、，,]?\s*(?:(?:什么|别的|其他|其它|其余)\s*(?:啥|什么)?"
                       r"\s*(?:产品)?\s*都\s*(?:没|没有)\s*(?:买|有|持有)?|(?:没有|没|未持有|不持有)\s*(?:任何)?\s*"
                       r"(?:其他|其它|别的|其余)的?\s*产品)")
_BACKGROUND_SPLIT = re.compile(r"[，,；;。！!：:？?]")
#: 拟对医生群体开展专项营销 / 这批人是交叉销售的主攻对象 / 想挑几个城市重点铺: why the question is asked. It may
#: name who it is about, but a clause that asks for no figure (no measure, count, ranking, list or month) is
#: background even then.
_PURPOSE_STRONG = re.compile(r"重点(铺|跟|做|推|营销|关注)|主攻|摸个?底|推广前|做.{0,6}(推广|推介|营销|活动)")
_PURPOSE = re.compile(r"^(拟|计划|准备|打算|想(?!看|了解|查|知道|问|瞧|瞅)|为了|为便于|以便|出于)|对象|开展|跟进一下|跟一下|" + _PURPOSE_STRONG.pattern)
_NOT_ONE_PRODUCT = re.compile(r"(?:1|一)\s*[只个份样种款笔]\s*(存款|理财|基金|保险)\s*(?:都|也)\s*(?:没有|没|未)"
                               r"(?:买|持有|碰|配置|购买)?过?")
_NEAR_MILLION = re.compile(r"(?:离|距|距离)\s*(?:100万|百万)\s*(?:最近|就差一口气了?|不远了?|很近|差一点|只差一点)|"
                           r"(?:差一点|只差一点|差一口气|快|就快)\s*(?:就)?\s*(?:到|达到|够|上)\s*(?:100万|百万)")
_CANNOT_CONTACT = re.compile(r"[、，,]?\s*暂时?(?:不能|不可|无法)(?:触达|营销|联系|打扰)的?")
#: 冷静期已过、现在可以触达的: what the period being over means, said again
_CAN_CONTACT = re.compile(r"[、，,]?\s*(?:现在|目前|已经)?(?:可以|能够?|可)(?:被)?(?:触达|营销|联系)(?=的)")
_YES_NO_SHARE = re.compile(r"(?:有没有|是不是|到没到|够不够|有无|是否)\s*(?:超过|达到|到|过|高于|低于|不到|占到)?\s*"
                           r"(?:\d+\s*成|[一1]半|半数|\d+(?:\.\d+)?\s*%|百分之\d+)\s*(?:了)?[吗呢吧]?(?=[？?。.!！]*$)")
_WHICH_OF_TWO = re.compile(r"(?:是)?([\u4e00-\u9fff]{1,6}?)的?(多|少|高|低)\s*[，,]?\s*还是([\u4e00-\u9fff]{1,6}?)的?\2")
_HIGHER_OR_LOWER = re.compile(r"(?:高|多|大)还是(?:低|少|小)|(?:低|少|小)还是(?:高|多|大)")
#: …的中位数，是高于5万元还是低于5万元: the figure set against a bound, which the figure answers (no condition)
_ABOVE_OR_BELOW = re.compile(r"[，,]?\s*(?:到底)?是?\s*(?:(?:高于|低于|超过|不到|大于|小于|多于|少于|在)\s*[\d.]+\s*[万亿]?元?(?:以上|以下)?\s*"
                             r"(?:还是|或是|或者)\s*)(?:高于|低于|超过|不到|大于|小于|多于|少于|在)?\s*[\d.]*\s*[万亿]?元?(?:以上|以下)?"
                             r"\s*[呢吗]?(?=[？?。，,]|$)")
_FLAG_PRODUCT = {flag: name for name, flag in PRODUCT_FLAGS.items()}
_SPEC_DEFINITION = re.compile(r"([；;，,。]?)\s*(?:统计|计算)?口径\s*[:：]([^；;。]*)")
_EACH = re.compile(r"各自|分别|各有|各是|每种|每个产品|每样")
_YES_NO = re.compile(r"是不是|是否|是吗|对不对|对吧")
_IS_IT_THE_MOST = re.compile(r"^(.{1,10}?)的?(?:客户|客)(数|数量)?(?:是不是|是否)\s*最(多|少)[吗吧呢]?(?=[？?。！!]*$)")
#: 平均一个人手里有几样产品 (人均…): the average product count, not a count of customers with one product.
_PRODUCT_NAME = "(?:" + "|".join(PRODUCT_FLAGS) + ")"


def _product_list(joiners: str) -> str:
    """Two or more product names joined by any of `joiners` (理财和基金 / 存款+理财)."""
    return rf"{_PRODUCT_NAME}(?:\s*[{joiners}]\s*{_PRODUCT_NAME})+"


def _products_named(text: str) -> list[str]:
    return re.findall(_PRODUCT_NAME, text)


#: 组合是存款+理财: exactly those products
COMBINATION_IS = re.compile(rf"(?:产品)?组合(?:是|为|=)\s*({_product_list('+＋、和')})(?:的)?")
_MERGED_CITIES = re.compile(r"[，,]\s*[^，,。]*?合并(?:成|为)?\s*(?:1|一)\s*个城市(?:来)?(?:算|计|统计|看)?")
_EVERY_PRODUCTS_RATE = re.compile(r"(?:4|四)\s*(?:样|种|类|个|款|大)\s*产品\s*(?:的|各自的?|分别的?)?\s*(持有率|渗透率|覆盖率)")
_HOW_MANY_PRODUCTS = re.compile(r"(人均|平均)([^，,。？?]{0,4}?)(?:有|持有)?(?:几|多少)\s*(?:样|种|个|款|类)\s*(?:产品)")
#: （是否另持有存款、保险不作限制） / （一个城市有两个支行的加起来） / 增加（或减少） / 中任何一种 / 高净值按当月总资产口径重新认定: words that restrict
#: nothing, or restate how the answer counts anyway.
_NO_RESTRICTION = re.compile(r"[（(][^（）()]*(?:不作限制|不做限制|不限|均可|都可以|不论|不管|加起来|合起来|合并)[^（）()]*[）)]"
                             r"|[（(]\s*或\s*(?:增加|减少|上升|下降|增长|下跌)\s*[）)]|(?:中|当中|里)的?任何?(?:一|1)(?:种|类|样|个)"
                             r"|[，,]?[^，,。；;]{0,6}按(?:当月|该月|所选月份?|各月)的?[^，,。；;]{0,6}?口径(?:重新)?(?:认定|判断|计算|划分)"
                             # …，各自用本城市等级的客户数做分母 / 分母用各职业类型自己的客户数 / 分母就是互联网从业者本身，
                             # 别用全行: each group's own customers, as every grouped share
                             r"|[，,。？?]\s*各自(?:用|以|按)[^，,。？?]{0,14}?(?:做|作为|作|为|当)分母"
                             r"|[，,。？?]\s*分母(?:用|就是|为|按)?[^，,。？?]{0,10}?(?:自己|本身)的?(?:客户数|客户)?(?:[，,]\s*(?:别|不要)用全行)?"
                             # …，存款有没有不限 / …，性别不限: a trailing clause that lifts a condition
                             r"|[，,；;。？?]\s*[^，,。；;？?]{0,8}?(?:不限|都行|均可|无所谓|不作限制|不做限制)\s*(?=[呢吧啊]?[。.!！？?]*$|[，,；;])")
#: 保留两位小数 / 用百分比回答 / 只要一个数 / 考题： / …即可: how to write the answer, not what to count
#: (figures are shown to two decimals in their unit, and shares as percentages, anyway)
_ANSWER_FORMAT = re.compile(r"^\s*(?:考题|考考你|小测验|练习题?|问题)\s*[:：，,]\s*"
                            r"|(?:结果|答案|数字|金额|数值)?(?:请)?(?:保留|精确到|四舍五入到|四舍五入保留)(?:到)?\s*(?:小数点后)?\s*"
                            r"[一二两三四0-4]\s*位(?:小数)?(?:即可|就行)?"
                            r"|(?:请)?(?:用|以)百分比(?:的?形式)?(?:来)?(?:回答|表示|给出|列示|显示|呈现|说)"
                            r"|只(?:要|需要?)(?:一个|1个)数(?:字)?(?:就行|就好|即可)?|(?<=[名位个])\s*即可"
                            r"|(?<=到低|到高|到大|到小|降序|升序)\s*(?:的顺序)?(?:说|写|讲|报)(?:一下)?"
                            # …，七类都要列出来 / 每个阶段都列一下: every group of the grouping, which is how groups are shown
                            r"|[，,。]\s*(?:\d+|所有|全部|每一?)\s*(?:类|个|种|档|段|家|组|项)[^，,。？?\d]{0,4}?都(?:要|得|需要)?"
                            r"(?:(?:列出来|列一下|列上|列全|写出来|给出来|列出|显示出来|显示|报一下|报|列)|(?=[。.!！]*$|[，,]))"
                            r"|[，,。]?\s*(?:1\s*[个家类]都别漏|1\s*[个家类]都不能少|1\s*[个家类]也别漏|别漏了?|不要漏)")
_BOTH_FIGURES = re.compile(r"[，,。]?\s*(?:两|2)个(?:数|比例|比率|值)(?:字)?(?:都|也)?(?:给我|要|列出来|说一下|给出来|报出来)?[啊呀呢吧]*[。？?.!！]*$")
#: 一家给我报一个数 / 一个月一个数: one figure per group, which is how groups are shown
_FIGURE_EACH = re.compile(r"[，,。？?]?\s*(?:每|一|1)\s*(?:家|个|组|段|类|档|个月|月)\s*(?:给我|都)?\s*(?:报|说|给|列|出)?\s*"
                          r"(?:一|1)\s*个数(?:字)?(?:就行|就好|就可以)?")
#: 别按支行，…合起来算: a grouping said not to be wanted, beside the one asked
_PER_UNIT_GLOSS = re.compile(r"[，,]?\s*(?:口径是|口径为|即|也就是|定义为|按)?\s*[（(]?\s*交易金额(?:合计)?\s*(?:除以|÷|/)\s*"
                             r"交易笔数(?:合计)?\s*(?:算|计算)?\s*[）)]?")
#: 大于等于1万且小于2万: words joining two bounds of one column
_BOUND_JOINERS = ("且", "并且", "而且", "但", "但是", "、", "并", "同时")
#: 月收入1万以下和3万以上的客户…各是多少: two ranges of one column, two populations
_SIDE_JOINERS = ("和", "与", "跟", "或")
#: the comparison words a group's condition is said with, read as the lexicon reads them
_HAVING_OPS = {w: payload[0] for kind, payload, words in GRAMMAR if kind == "cmp" for w in words
               if w in ("高于", "超过", "大于", "多于", ">", "≥", ">=", "不低于", "不少于", "低于", "小于", "少于", "不到",
                        "不足", "<", "≤", "<=", "不超过", "不高于")}
_GROUP_WORDS = r"网点|支行|城市等级|城市|职业类型|职业|年龄段|生命周期阶段|客户等级|客群"
#: a figure of a group (AUM, 客户数, 人均…, …占比, …率), not of one customer (资产超过100万的客户)
_GROUP_FIGURE = (r"[^，,。？?的（）()/、]{0,8}?(?:AUM|资产规模|管理规模|客户数|客户数量|人数|户数|人均|平均|占比|比例|率|合计|总额|规模)"
                 r"[^，,。？?的（）()/、]{0,4}?")
_KEPT_BY = rf"(?P<op>{'|'.join(sorted(map(re.escape, _HAVING_OPS), key=len, reverse=True))})\s*" \
    r"(?P<v>全行(?:的)?(?:平均|平均水平|水平|整体|均值)?(?:值)?|[\d.]+\s*(?:亿元|万元|亿|万|元|个|人|户|%)?)"
_KEPT_BEFORE = re.compile(rf"(?P<m>{_GROUP_FIGURE})\s*{_KEPT_BY}\s*的\s*(?P<d>{_GROUP_WORDS})")
_KEPT_AFTER = re.compile(rf"(?P<d>{_GROUP_WORDS})\s*的?\s*(?P<m>{_GROUP_FIGURE})\s*{_KEPT_BY}")
_KEPT_SQL = re.compile(rf"[，,]?\s*(?i:having)\s*(?P<m>[^，,。？?]{{1,10}}?)\s*{_KEPT_BY}")


def _groups_kept(text: str):
    """(text without the condition, (figure said, op word, number or "overall")) for 高净值占比高于全行平均的网点 /
    AUM超过2.3亿元的网点 / having 客户数>500; else (text, None)."""
    for pattern in (_KEPT_BEFORE, _KEPT_AFTER, _KEPT_SQL):
        m = pattern.search(text)
        if m is None:
            continue
        said, v = m.group("m").strip(), m.group("v")
        if v.startswith("全行"):
            value = "overall"
        else:
            number = float(re.match(r"[\d.]+", v).group())
            value = number * {"亿": 1e8, "万": 1e4, "%": 0.01}.get(next((u for u in ("亿", "万", "%") if u in v), ""), 1)
        # (having 客户数>500, then ranked by another figure: the condition's figure is added after the parse)
        rest = (text[:m.start()] + f"{m.group('d')}的{said}" + text[m.end():]) if pattern is not _KEPT_SQL \
            else text[:m.start()] + text[m.end():]
        return rest, (said, m.group("op"), value)
    return text, None


#: 占这家支行全部客户的比例呢: the place of the last question, pointed back to
_THIS_ONE = re.compile(r"占\s*(?:这|那|该|本)(?:家|个|座)?\s*(支行|网点|城市|职业|阶段)")
#: 把同一个城市的支行合起来算: by city
_MERGED_BY = re.compile(r"把同一?个?(城市|城市等级|职业类型|职业)的(?:支行|网点|客户)(?:都)?(?:合起来|合在一起|合并|加在一起|加起来)(?:算|计算|统计|看)?")
_NOT_BY = re.compile(r"[，,。]?\s*(?:别|不要|不用|甭)\s*按(?:照)?\s*(?:支行|网点|城市|职业|月份?)(?:来)?(?:分|算|统计|拆)?")
_HOW_MANY_FIGURES = re.compile(r"(?:(?:^|(?<=[，,。；;:：]))|要|给我?|来)\s*(?:[1-9]|几|两)\s*个数(?:字)?(?=\s*[:：，,。.；;？?呢吧]|$)")
_EACH_HOW_MUCH = re.compile(r"[，,？?]\s*(?:各|分别|各自)(?:有|是)?多少(?:资产|钱)?[啊呀呢啦吧]*[？?。]*$")
_REACHES = ("达", "达到", "达到了", "够")
#: share words that name a share (not 百分之几 / 百分比, which may be how a change is asked)
_NAMED_SHARES = {"占比", "比重", "份额", "占有率", "所占比例", "所占比重", "所占的比例", "所占份额", "占的比例"}
def _asked_in(toks, clause: str) -> list:
    """The tokens of a clause that may ask something: in what a meeting needs (分行开会要讲城市差异 / 例会要讲年龄差异)
    the dimension compared is the meeting's topic."""
    if not _MEETING.search(clause):
        return list(toks)
    return [t for k, t in enumerate(toks) if t.kind not in ("dim", "compare") and not (
        t.kind == "numeric" and k + 1 < len(toks) and toks[k + 1].kind == "compare")]


#: 分行开会要讲城市差异: what a meeting needs (a dimension or a comparison named there is the meeting's topic, not a grouping)
_MEETING = re.compile(r"(?:开会|会上|上会|例会|晨会|周会|汇报|总结|述职)\s*(?:时|上)?\s*(?:要|得|需要|准备)\s*(?:讲|说|用|汇报|对比|比|放|交)")
_REFERS_BACK = re.compile(r"其中|这些|这批|里面|他们|当中|剩下|剩余|其余")
_ASKING_KINDS = {"count", "numeric", "agg", "share", "rate", "list", "show", "group", "most", "which", "rank", "top",
                 "month", "series", "series_span", "change", "change_word", "customer_id", "cmp", "num"}
_MEASURE_SHAPED = re.compile(r"(率|额|余额|金额|次数|数量|占比|规模|收益|时长)$")
_BACKGROUND_MARKER = re.compile(r"我|咱|董事会|材料|上会|PPT|ppt|要用$|考核用|报表用|汇报用|下周|明天|今天要|领导|开会|会上|例会|晨会|周会|总结|述职|汇报|准备|打算|看看能不能|方便|用来|用于|以便|好让|^就是|^也就是")
_QUESTION_KINDS = {"count", "numeric", "agg", "share", "rate", "list", "show", "dim", "group", "most", "which", "rank",
                   "top", "month", "series", "series_span", "change", "change_word", "customer_id", "cmp", "num",
                   "value", "neg", "only", "no_product", "none_other", "model", "intent", "write"}
_WHICH_IS_MORE = re.compile(r"(哪个|哪家|哪边|哪类|哪种|哪一个|哪一类|哪一家|谁)(.{1,12}?)(?<![多更最较])([高多大低少小])([?？。!！\s]*)$")
#: Notation from spreadsheets and SQL, said in words the grammar reads.
#: 持有基金=是 / insurance_flag = 1: a product held or not, by its name or its column's name
_FLAG_IS = re.compile(r"(?:持有)?(存款|理财|基金|保险|" + "|".join(PRODUCT_FLAGS.values()) + r")\s*"
                      r"(?:的?(?:持有)?(?:标志|标识|标记|状态)位?)?\s*(?:==?|＝|为)\s*"
                      r"(?:(是|1|Y|y|true|TRUE)|(否|0|N|n|false|FALSE))(?![\d万]|\.\d)")
_EQUALS = re.compile(r"(?<![<>!=＜＞])\s*[=＝]\s*['\"‘’“”]?([^'\"‘’“”,，;；、=＝\s)）]+)['\"‘’“”]?")
_INTERVAL = re.compile(r"[\[【(（]\s*([\d.]+\s*[万亿]?元?)\s*[,，、]\s*([\d.]+\s*[万亿]?元?)\s*([\])）】])")
#: A parenthesis that restates what the question already says (即可营销, 首尾都含, 其他…不参与比较, 分母仅限…).
_GLOSS = re.compile(r"[（(][^（）()]*(?:认定|判定|定义|界定|计入|按0|按零|连本月|含本月|包括本月|包含本月|也算|也计|也包括|也包含|算在内|也要算|负数|负值"
                    r"|算进分母|名里|名字里|名称里|名称中|名中)[^（）()]*[）)]"
                    r"|[（(]\s*(?:即|也就是|就是|亦即|首尾|左闭|左开|区间为|其他|其余|其它|基准月减|各月等级|等级按)[^（）()]*[）)]")
#: （分母仅限理财持有者） restates a denominator only where the question already names one (在…中 / …里).
_DENOMINATOR_NOTE = re.compile(r"[（(]\s*分[母子][^（）()]*[）)]")
_WHEN = r"(?:当月|当时|那个月|那时候?|该月|各月|彼时)的?"
_TIER_GLOSS = re.compile(rf"[，,。]?\s*按{_WHEN}总资产(?:重新)?(?:划分|计算|算|定)(?:客户)?等级|[，,。]?\s*(?:各月|当月)?(?:客户)?等级按{_WHEN}"
                         r"总资产(?:重新)?(?:计算|划分|算|定)")
_MONTHS_GLOSS = re.compile(r"[，,]?\s*(?:算上|含|包括|连同)(?:这个月|本月|当月)(?:一共|共|总共)?\d+个月")
#: 与2026年9月相比 / 2026年9月比: a month said as what another is compared with
_SAID_AS_BASE = re.compile(r"相比|对比|比|较|与|跟|和")
#: 两地 / 三家 / 这几个: a count of the places just listed
_PLACES_COUNTED = re.compile(r"这?[两二三四五六七八九十几]+(?:地|家|个)")
_EXCLUDING_AFTER = re.compile(r"(剔除|去掉|扣除|排除|除去|除掉|剔掉|刨掉|刨去)([^，,。；;]{1,24}?)(?:之|以)?后")


_COMPARATOR = r"(?:大于等于|小于等于|大于|高于|超过|不低于|不少于|小于|低于|不到|少于|不超过|不高于|≥|>=|>|<=|<|≤)"
_AMOUNT = r"[\d.]+\s*[万亿千]?元?"
#: 超过1万（大于1万元） / 5万以上（≥5万）: a bound restated in a parenthesis; the inner words are the precise ones
_BOUND_RESTATED = re.compile(rf"(?:{_COMPARATOR}\s*{_AMOUNT}(?:及?以[上下])?|{_AMOUNT}\s*及?以[上下])\s*[（(]\s*"
                             rf"({_COMPARATOR}\s*{_AMOUNT}|{_AMOUNT}\s*及?以[上下](?:不含|含)?)\s*[）)]")
#: 80万到100万之间（含80万、不含100万） / 80万(含)到100万(不含) / 50万元与80万元之间，100万不算: a range with a
#: note on its ends (a range alone includes both)
_RANGE_NOTED = re.compile(
    rf"(?:介于)?\s*(?P<a>{_AMOUNT})\s*(?:[（(]\s*(?P<an>不?含)\s*[）)])?\s*(?:到|至|-|~|—|与|和)\s*(?P<b>{_AMOUNT})"
    r"\s*(?:[（(]\s*(?P<bn>不?含)\s*[）)])?\s*(?:之间|区间)?\s*"
    r"(?:[（(](?P<note>[^（）()]{1,30})[）)]|[，,]\s*(?P<said>(?:[^，,。？?]{0,12}[，,、]\s*)?"
    r"[^，,。？?]{0,12}?(?:不含|不算|不包括|不包含)[^，,。？?]{0,8}?)(?=[，,。？?的]|$))?")


def _range_noted(m: re.Match) -> str:
    """The range with its ends as the note says: 大于等于80万且小于100万. Unchanged without such a note."""
    a, b, note = m.group("a").strip(), m.group("b").strip(), m.group("note") or m.group("said") or ""
    if not (m.group("an") or m.group("bn") or re.search(r"不含|不算|不包括|不包含|开", note)):
        return m.group(0)
    unit = re.sub(r"[\d.\s]", "", b)
    if unit and not re.sub(r"[\d.\s]", "", a):   # 80到100万: both in 万
        a += unit
    number = lambda x: re.escape(re.sub(r"\s|元", "", x))   # noqa: E731
    left_out = lambda x, end: bool(re.search(   # noqa: E731
        rf"(?:不含|不包括|不包含|不算)\s*{number(x)}|{number(x)}元?\s*(?:不算|不含|不包括|不计)|不含{end}|"
        + ("左开|开区间|两端都不含|两头都不算" if end == "下限" else "右开|开区间|两端都不含|两头都不算"), note))
    low_out = m.group("an") == "不含" or left_out(a, "下限")
    high_out = m.group("bn") == "不含" or left_out(b, "上限")
    return f"{'大于' if low_out else '大于等于'}{a}且{'小于' if high_out else '小于等于'}{b}"
_CHAINED = re.compile(r"([\d.]+\s*[万亿]?元?)\s*(≤|<=|<|≦)\s*([^\d\s≤<≦（）()，,、]{1,6}?)\s*(<|≤|<=|≦)\s*([\d.]+\s*[万亿]?元?)")


def _chained(m: re.Match) -> str:
    low = "及以上" if m.group(2) in ("≤", "<=", "≦") else "以上不含"
    high = "不超过" if m.group(4) in ("≤", "<=", "≦") else "低于"
    return f"{m.group(3)}{m.group(1)}{low}且{m.group(3)}{high}{m.group(5)}"


#: 潜力客户（总资产50万含、到80万不含）: a tier's definition restated beside its name
_TIER_DEFINED = re.compile(r"(潜力|临界|普通|高净值)(客户)?\s*(?:[（(][^（）()]*\d[^（）()]*[）)]"
                           # …，潜力就是50万到80万（不含80万）那一档: the tier's definition said again
                           r"|(?:就是|即|是指|指的是|指)\s*(?:总资产)?[^，,。？?；;]*?\d[^，,。？?；;]*?(?:那一档|这一档|那档|这档|之间|的)"
                           r"(?=[呢吧啊]?(?:[，,。.？?；;!！]|$)))")


def _rewrite_notation(text: str) -> str:
    """持有基金=是 / 城市等级='三线城市' / [30万, 50万) / （即可营销） / 以上（不含）: what a spreadsheet or SQL
    would write, said in words; glosses that restate the question are dropped."""
    text = re.sub(r"(以上|及以上)\s*[（(]\s*不含[^（）()]*[）)]", "以上不含", text)   # 5万以上（不含5万）: strictly more
    text = re.sub(r"(高于|低于|超过|不到|大于|小于|以下)(\s*[\d.]+\s*(?:[万亿]?元?|岁|次|笔|个))\s*[（(]\s*不含[^（）()]*[）)]",
                  r"\1\2", text)
    text = _BOUND_RESTATED.sub(r"\1", text)   # 超过1万（大于1万元）: the bound in its precise words
    # 月收入没填（为空）: missing, said again in the data's word
    text = re.sub(r"(没填|未填|没有填|缺失|为空|空值|不详|没有值|非空|不为空|有值)\s*[（(]\s*(?:为空|空值|缺失|未填|没填|非空|不为空|有值|null|NULL|NaN)\s*[）)]",
                  r"\1", text)
    text = _RANGE_NOTED.sub(_range_noted, text)   # 50万到80万之间，不含80万: up to, not including
    text = _CHAINED.sub(_chained, text)   # 50万≤资产<80万
    text = _TIER_DEFINED.sub(r"\1\2", text)
    text = _FLAG_IS.sub(lambda m: ("持有" if m.group(2) else "未持有") + _FLAG_PRODUCT.get(m.group(1), m.group(1)), text)
    text = _INTERVAL.sub(lambda m: f"{m.group(1)}及以上且" + ("不超过" if m.group(3) in "]】" else "低于") + m.group(2), text)
    text = _EQUALS.sub(r"为\1", text)
    text = _MEASURED_AS.sub(r"\1", text)
    text = _TAKEN_TOGETHER.sub(r"\1", text)
    text = _GLOSS.sub("", text)
    text = _INCLUSIVE_NOTE.sub("", text)   # 35岁至45岁（含35岁和45岁）: a range already includes its ends
    outside = _DENOMINATOR_NOTE.sub("", text)
    if re.search(r"中|里", outside):
        text = outside
    text = _TIER_GLOSS.sub("", text)
    text = _MONTHS_GLOSS.sub("", text)
    text = _EXCLUDING_AFTER.sub(r"\1\2", text)
    return text.replace("一个月一个月", "每个月").replace("1个月1个月", "每个月")


_INCLUSIVE_NOTE = re.compile(r"[（(]\s*(?:含|包含|包括|均含|都含|含两端|两头都算|两端都算|首尾都算|两头都含|两头都包括)"
                             r"[^（）()不]*[）)]")
_QUARTERS = re.compile(r"(?:(20\d{2})\s*年?)?\s*[Qq]([1-4])\s*[~\-—至到]\s*[Qq]([1-4])(?:\s*[（(][^（）()]*[）)])?")
_QUARTER_GLOSS = re.compile(r"(?:(?:20\d{2})\s*年)?(?:第)?[1-4一二三四]\s*季度末?\s*[（(]\s*((?:20\d{2})\s*年\s*\d{1,2}\s*月)"
                            r"(?:末|底)?\s*[）)]")
_MONTHS_RESTATED = re.compile(r"(季度?末|[上下]半年|全年)\s*[（(][^（）()]*?\d+\s*月[^（）()]*?[）)]")
_SPAN_GLOSS = re.compile(r"((?:最近|近|过去)\s*\d+\s*个?月)\s*[（(]\s*([^（）()]*?\d+\s*月[^（）()]*?)\s*[）)]")
_HOW_MUCH_END = re.compile(r"\s*(的)?(是)?(多少|几成|多大|百分之几)[啊呀呢啦吧哈]*[?？。!！\s]*$")
# 多少个, or 几个 after 有/共/在 (有几个支行); 那几个支行 / 三线城市的几家支行里 point at members, they count none
_HOW_MANY_BEFORE = re.compile(r"(?:多少|(?:有|共|在|设了|开了|设有)\s*几)\s*(?:个|家|种|类|所|座)?\s*(?:不同的?)?$")
_MEMBERS_AFTER = re.compile(r"\s*(?:里|中|当中|之中|的|每|各|哪|谁|按|分别|[，,]\s*(?:哪|谁|每|各))")
_HOW_MANY_AFTER = re.compile(r"\s*(?:一共|总共|共)?(?:有)?(?:多少|几)\s*(?:个|家|种|类|所|座)\s*(?:[，,。？?；;]|$)"
                             r"|\s*(?:数量|个数|总数|数)\s*(?:是|有)?(?:多少|几个)?\s*(?:[，,。？?；;]|$)")
_RANK_OF = re.compile(r"排第几|排名第几|第几名|排在第几|排到第几|排第多少|名列第几|位列第几|位居第几|排老几|第几位")
#: 比全行平均 / 与全行整体相比: the population asked about against every customer
_VERSUS_ALL = re.compile(r"(?:比|较|相比|相较于?|和|与|跟|对比)\s*(?:全行|整体|全部客户|全体客户|所有客户)(?:整体|平均|的平均|平均水平|水平|客户)?"
                         r"|(?:全行|整体)(?:平均|平均水平)?(?:相比|比)"
                         # …几次？全行的平均又是多少: the same measure for everyone, beside it
                         r"|[？?。，,；;]\s*(?:那)?(?:全行|整体|全部客户|所有客户)的?(?:这个|这一|同一|同样的?)?"
                         r"(?:平均|整体|平均水平|水平|比例|占比|比率|数|数字|指标)?(?:又|呢|则)?"
                         r"(?:是)?(?:多少|几|如何|怎样)?[呢吧啊]?[？?。]?$")
#: 开户3年的: a tenure said with no bound
_TENURE_UNSAID = re.compile(r"开户\s*(\d+\s*(?:年|个月))(?!\s*(?:以上|以下|以内|及以上|多|内))")
_SENTENCES = re.compile(r"[，,；;？?。]")
_CONTINUED = re.compile(r"^\s*(?:再|还有|另外|以及|同时|并且?|然后|其中)")
#: …？二线城市呢 / 普通客户又占多少 / 那未婚的又是多少: the same asked of another value
_SIBLING = re.compile(r"(?:的)?(?:又|也)(?:是|占|有)?(?:多少|几)(?:个|位|人|户)?[？?。.!！]*$|呢[？?。.!！]*$")
_CLAUSES = re.compile(r"[，,；;]\s*(?:以及|还有|另外|同时|并且)?|以及")


def _same_frame(a: Query, b: Query) -> bool:
    """Same population, grouping and time: the two clauses' measures can share one answer."""
    return (a.where, a.group_by, a.time, a.customers) == (b.where, b.group_by, b.time, b.customers)


_NOT_ONCE = re.compile(r"(?:1|一)\s*[次笔回趟遍]\s*(\S{0,6}?)\s*(?:都|也)?\s*(没有|没|未|不曾)((?:去|来|到|登录|登陆|登|交易)?过?)")


#: 网点也一次没去 / 网点都没来过: the place said first, as the topic -> 没去过网点.
_PLACE_NOT_VISITED = re.compile(r"(网点|营业厅|柜台)\s*(?:也|都)?\s*(?:(?:1|一)\s*次\s*)?(?:都|也)?\s*(没有|没|未|不曾)\s*(去|来|到|跑)过?")


#: 拿我们天河和其他14家网点放一起比 / 静安和其他一线城市的网点比: every branch (of those), one of them named
_OTHER_BRANCHES = re.compile(r"(?:拿|把)?(?:我们|咱们|我行)?[\u4e00-\u9fff]{1,6}?(?:和|跟|与)其[他它余]\s*(?:\d+\s*(?:家|个))?\s*"
                             r"([^，,。？?]{0,6}?)(网点|支行)(?:放一起|放在一起|一起)?(?:比|对比|比较|相比)?")
#: what the asker adds about the data, not about what to count: …没买保险的按0算在里面 (a balance is 0 then
#: anyway) / 我理解月收入是客户基本信息里的字段 / 开户年限按基准月最后一天计算 / 每家一个数 / 比如说…这样
_ASKERS_GLOSS = re.compile(r"[，,。]?\s*(?:没|未)(?:买|持有|有)[^，,。？?]{1,4}?的?(?:按|算作?|记为?)\s*0\s*(?:算在里面|算进去|计入|算|计算)?"
                           r"|[^，,。？?]{0,12}是[^，,。？?]{0,12}(?:里|中)的字段[哈啊吧呢]?[，,。]?"
                           r"|[，,。]?\s*开户(?:年限|时长|年数)?按基准月(?:的)?(?:最后1天|月末|末|底)(?:计算|算|计)"
                           r"|[，,。]?\s*(?:每|各|一|1)\s*(?:1|一)?\s*(?:家|档|组|类|个|段|月|个月|级)?\s*(?:网点|支行|城市|职业|年龄段|阶段|等级)?"
                           r"(?:都)?(?:给我|算|给|出|报)?\s*(?:1|一)?\s*个(?:平均)?数(?:字)?"
                           # 我们西陵想对标一下：…给15家网点排名: the asker's branch, not a filter on the ranking
                           r"|(?:我们|咱们)[\u4e00-\u9fff]{1,6}?(?:支行|网点)?(?:想|要|准备|打算)(?:对标|对比|比较|看看|了解)(?:一下)?[：:，,]"
                           r"|(?<=[岁万元户上下])\s*这\s*[\d一二三四五六七八九十两]+\s*(?:档|类|组|段|种)"
                           r"|比如(?:说)?[^，,。？?]{1,40}?这样[，,]?"
                           r"|[，,；;]?\s*比如(?:说)?[^，,；;。？?]*?都算[^，,；;。？?]*")   # 比如上海浦东和上海静安都算上海
_PRODUCTS_RATE = re.compile(rf"({_PRODUCT_NAME}(?:\s*[、，,和与及跟]\s*{_PRODUCT_NAME})+)\s*(?:类?产品)?\s*(?:的|各自的?|分别的?)?\s*"
                            r"(持有率|渗透率|覆盖率)")
_VIEWING_TIME = re.compile(r"(?:在)?(?:手机银行|APP|app)?(?:上|里)?\s*(?:看|浏览)理财(?:产品|页面)?的?\s*(人均|平均)?\s*(?:浏览)?时长")
#: 去年同期就是2025年10月 / 年中就是2026年6月: a time word the asker pins to a month
_NAMED_MONTH = re.compile(r"[“\"]?(?:去年同期|去年同月|年中|年末|年底|年初|去年年末|去年年底|去年底|去年末|上年末|上季度末|本季度末|季末|期末)[”\"]?\s*(?:就是|也就是|即|指的是|指|是)"
                          r"\s*[“\"]?\s*((?:20\d{2})\s*年\s*\d{1,2}\s*月)"
                          # 去年同月（2025年10月）: the month in brackets
                          r"|(?:去年同期|去年同月|上年同期|上年同月|上个?月|\d+\s*个月(?:以)?前|半年(?:以)?前|上个?季度末?|"
                          r"去年(?:年)?(?:底|末))\s*[（(]\s*(?:即|也就是|就是)?\s*"
                          r"((?:20\d{2})\s*年\s*\d{1,2}\s*月)(?:份|末|底)?\s*[）)]")
_TIER_SAID = r"(高净值|高净|临界|潜力|普通)"
#: 2026年3月是临界客户 / 2025年10月还是高净值的那批人: who they were in that month
#: a month said as itself or from the 基准月 (2026年3月 / 今年3月 / 上个月 / 三个月前 / 去年同期 / 去年底)
_MONTH_SAID = r"(?:20\d{2}|今|去)\s*年\s*\d{1,2}\s*月|上个?月|\d+\s*个月(?:以)?前|去年同期|去年同月|去年(?:年)?(?:底|末)"
_COHORT = re.compile(rf"({_MONTH_SAID})份?(?:末|底)?\s*(?:的时候|时|那会儿?|那时候?)?\s*"
                     rf"(?:是|还是|为|属于|在)\s*{_TIER_SAID}"
                     r"(?:客户|等级|级|档)?\s*(?P<gloss>[（(][^（）()]{1,40}[）)])?"
                     r"的?(?:那批|这批|那些)?(?:客户|人)?"
                     # 临界客户的女性: a further condition on the same customers (one that does not change by month)
                     r"(?P<also>(?:女性|男性|女客户|男客户|已婚|未婚|离异)(?:客户|的)?)?")
_THEN_NOW = (r"\s*(?:里|中|当中|里面)?\s*[、，,]?\s*(?:到|后来|如今|而)?\s*(?:至|截至|截止|到了)?\s*(?:现在|基准月|目前|当前|本月|这个月)?\s*"
             r"(?P<share>有?(?:多大比例|多少比例|多大比重|百分之多少|几成|多大占比)的?(?:人)?)?\s*(?:已经|已)?\s*")
#: …、到基准月变成高净值 / …，现在已经是高净值: what they are now
_BECAME = re.compile(_THEN_NOW + r"(?:升成|变成|成为|升到|升为|升级为|升级成|升上|变为|成|是)(?:了)?")
#: …、到基准月已经跌出高净值 / …、后来跌出去的: no longer what they were
_LEFT = re.compile(_THEN_NOW + rf"(?:跌出|掉出|降出|退出)(?:了)?(?:去|来)?(?:了)?\s*{_TIER_SAID}?")
#: the cohort as the grammar reads it (one value token)
_COHORT_SAID = re.compile(r"(20\d{2})年(\d{1,2})月时为(高净值|临界|潜力|普通)的客户")


_MOVED_WORDS = "|".join(sorted({w for c in MOVABLE for w in NUMERIC[c].words if len(w) >= 2}, key=len, reverse=True))
_FALLS = ("下降", "减少", "下滑", "降低", "缩水", "变少", "少了", "跌了", "下跌", "降了", "减了")
_RISES = ("增加", "上升", "增长", "提高", "变多", "多了", "涨了", "上涨", "升了")
_WAY = (rf"(?:有所|明显|出现)?\s*(?P<way>{'|'.join(_FALLS + _RISES)})(?:了)?(?=\s*(?:了)?的)")
#: 总资产比三个月前下降的客户 / 跟上个月比，存款余额减少的客户: the customer's own value, now against then
_MOVED = re.compile(rf"(?P<col>{_MOVED_WORDS})\s*(?:比|较|相比|相较于?|跟|和|与)\s*(?P<then>{_MONTH_SAID})\s*(?:相比|比)?\s*{_WAY}")
_MOVED_APART = re.compile(rf"(?P<lead>(?:跟|和|与|较|相比)\s*(?P<then>{_MONTH_SAID})\s*(?:相)?比\s*[，,]?)[^？?。]*?"
                          rf"(?P<col>{_MOVED_WORDS})\s*{_WAY}")


def _movements(text: str, as_of: str | None):
    """(start, end, Moved node, span of a month said apart or None) for each movement said."""
    for pattern in (_MOVED, _MOVED_APART):
        for m in pattern.finditer(text):
            then = _month_said(re.sub(r"\s", "", m.group("then")), as_of)
            if then is None:
                continue
            column = next(c for c in MOVABLE if m.group("col") in NUMERIC[c].words)
            node = movement(column, str(then), fell=m.group("way") in _FALLS)
            if pattern is _MOVED:
                yield m.start(), m.end(), node, None
            else:
                yield m.start("col"), m.end("way"), node, m.span("lead")


def _month_said(said: str, as_of: str | None) -> pd.Period | None:
    """2026年3月 as said; 今年3月 / 去年10月 / 上个月 / 三个月前 / 去年同期 / 去年底 from the 基准月."""
    if (m := re.fullmatch(r"(20\d{2})年(\d{1,2})月份?", said)) is not None:
        return pd.Period(f"{m.group(1)}-{int(m.group(2)):02d}", "M")
    if not as_of:
        return None
    now = pd.Period(as_of, "M")
    if (m := re.fullmatch(r"([今去])年(\d{1,2})月份?", said)) is not None:
        return pd.Period(f"{now.year - (m.group(1) == '去')}-{int(m.group(2)):02d}", "M")
    return (now - 1 if said.startswith("上") else now - int(re.match(r"\d+", said).group()) if said[0].isdigit()
            else now - 12 if "同" in said else pd.Period(f"{now.year - 1}-12", "M"))


def _restates_tier(gloss: str, tier: str) -> bool:
    """（80万到100万不含）after 临界客户: the tier's own bounds said again, nothing more."""
    bounds = [lower / WAN for lower, _ in CUSTOMER_TIERS]
    at = [label for _, label in CUSTOMER_TIERS].index(tier)
    own = {bounds[i] for i in (at, at + 1) if 0 <= i < len(bounds) and bounds[i] != float("-inf")}
    said = {float(n) for n in re.findall(r"\d+(?:\.\d+)?(?=\s*万)", gloss)}
    # （此处临界系指当月总资产不低于80万元、但低于100万元）: the bounds in words
    words = re.sub(r"当月|总资产|资产|不低于|不高于|低于|高于|不足|不到|超过|大于|小于|等于|但|且|并|之间", "",
                   _GLOSS_MARKER.sub("", gloss.strip("（）() ")))
    return bool(said) and said <= own and not re.search(r"[^\d.万元到至~\-—含不以上下及≥≤<>,，、\s]", words)


def _cohorts(text: str, as_of: str | None) -> str:
    """2026年3月是临界客户、到基准月变成高净值的 -> 2026年3月时为临界的客户、高净值的: a month's tier said as
    who the customers were, beside what they are in the month asked about. Only where a change follows.
    (今年 / 去年 are the 基准月's year and the one before.)"""
    for m in reversed(list(_COHORT.finditer(text))):
        tier = "高净值" if m.group(2) == "高净" else m.group(2)
        then = _month_said(re.sub(r"\s", "", m.group(1)), as_of)
        if then is None or (m.group("gloss") and not _restates_tier(m.group("gloss"), tier)):
            continue
        month = f"{then.year}年{then.month}月"
        said = f"{month}时为{tier}的客户、" + (f"{m.group('also').removesuffix('的')}、" if m.group("also") else "")
        rest = text[m.end():]
        if (b := _BECAME.match(rest)) is not None and b.group("share"):
            # …现在有多大比例已经升到高净值了: the share of the cohort that is there now
            text = text[:m.start()] + said.rstrip("、") + "中，" + re.sub(rf"^{_TIER_SAID}(?:客户)?", r"\1的比例",
                                                                          rest[b.end():])
        elif b is not None:
            text = text[:m.start()] + said + rest[b.end():]
        elif (left := _LEFT.match(rest)) is not None:
            text = text[:m.start()] + said + f"非{tier}" + rest[left.end():]
        else:
            continue
        # …，分母按4月的临界客户算: the cohort said again as the denominator (it is the population already)
        text = re.sub(r"[，,。；;]?\s*分母(?:按|为|是|用|以)[^，,。？?；;]*?\d{1,2}\s*月[^，,。？?；;]*?(?:算|计|为准)?(?=[。？?！!]*$|[，,；;])",
                      "", text)
    return text


#: 存款不到5万的小额客户 / 登录了1到3次的轻度用户: a plain-word name for the population just defined by a bound
#: (alone, 小额客户 has no definition here and stays not understood)
_NAMED_AFTER_DEFINITION = re.compile(r"((?:以上|以下|以内|之间|不到|[\d.]+\s*(?:[万千亿]?元|万|千|亿|次|笔|岁))(?:\s*[（(][^（）()]*[）)])?)"
                                     r"的(?:小额|大额|轻度|中度|重度|高频|低频|高消费|低消费|小|大)(客户|用户|人群|群体|人)")
_TIMES_OF = re.compile(r"是\s*([^，,。？?是]{1,24}?)\s*(?:的|这个比例的|这个数的)\s*(?:几|多少)\s*倍(?:多)?")
#: 活跃率（APP登录≥1） / 活跃客户（本月手机银行登录5次以上）: 活跃 with the definition the asker means
_ACTIVE_DEFINED = re.compile(r"(活跃率?|活跃客户)\s*[（(]([^（）()]*登[录陆][^（）()]*)[）)]")
#: …？活跃是指本月手机银行至少登录过1次: the same definition said in a sentence of its own
_ACTIVE_DEFINED_AFTER = re.compile(r"^(.*?(?:活跃率?|活跃客户|活跃))(.*?)[。？?，,；;]\s*(?:活跃(?:客户)?\s*(?:是指|指的是|是|指|定义为|的定义是|即|=|：|:)"
                                   r"|(?:就是|也就是|即)(?=[^。？?；;]*登[录陆]))"
                                   r"\s*([^。？?；;（）()，,]*登[录陆][^。？?；;（）()，,]*?)[呢吧啊]?[。.？?]?$")
#: the glossary's 活跃: logged in at least once in the month
_ACTIVE_AS_DEFINED = re.compile(r"(?:≥|>=|至少|不少于|不低于|大于等于)[^（）()\d]*?(?<!\d)1\s*次?(?!\d)|(?<!\d)1\s*次?(?:及|或)以上"
                                r"|(?:>|大于|多于|超过)\s*0(?!\d)|不为\s*0|登[录陆]过(?![^（）()]*\d)|登[录陆]过\s*1\s*[次回趟](?!\d)")


def _active_defined(m: re.Match) -> str:
    """The glossary's 活跃 stays 活跃; another definition is counted as said (登录5次以上的客户), never as 活跃."""
    if _ACTIVE_AS_DEFINED.search(m.group(2)):
        return m.group(1)
    return f"{m.group(2)}的客户" + ("占比" if m.group(1) == "活跃率" else "")


def _active_defined_after(m: re.Match) -> str:
    return f"{m.group(1)}（{m.group(3)}）{m.group(2)}"


#: 到网点去过 -> 去过网点 (the place said first)
_PLACE_VISITED = re.compile(r"(?:到|去|来)(?:网点|营业厅|柜台)\s*(去|来|到|跑)过")
#: 手机银行至少登录过1次 / 去过网点至少1次: at least once is having done it (活跃 / 到访过网点)
_AT_LEAST_ONCE = re.compile(r"(手机银行|APP|app|网银|(?:到|去)?(?:网点|营业厅|柜台))?\s*(?:至少|起码|最少)\s*(登录|登陆|登|去|来|到|跑)过?\s*(?:1|一)\s*[次回趟]"
                            r"|(登录过手机银行|登录过|去过网点|到过网点|来过网点)\s*(?:至少|起码|最少)?\s*(?:1|一)\s*[次回趟](?:以上|及以上)?")
#: 理财和基金至少持有其中一种: either of the products named
_EITHER_PRODUCT = re.compile(rf"{_product_list('和、与及或')}\s*(?:中|里|当中)?\s*(?:至少|起码|最少)?"
                             r"\s*(?:持有|有|买了?|买过)\s*(?:其中)?\s*(?:任意|任何|任)?\s*(?:1|一)\s*(?:种|样|类|个|款)|"
                             rf"(?:至少|起码|最少)\s*(?:持有|有|买了?)\s*{_product_list('和、与及或')}"
                             r"\s*(?:中|里|当中)?\s*(?:的)?\s*(?:其中)?\s*(?:1|一)\s*(?:种|样|类|个|款)")


def _at_least_once(m: re.Match) -> str:
    if m.group(3):
        return m.group(3)
    return "去过网点" if m.group(2) in ("去", "来", "到", "跑") else "登录过手机银行"


def _not_once(m: re.Match) -> str:
    """一次网点都没去过 -> 没去过网点; 一次手机银行都没登过 -> 没登录手机银行."""
    verb = m.group(3)
    return m.group(2) + ("登录" if verb.startswith("登") else verb) + m.group(1)


#: Token kinds that carry meaning: each must end up in the query or be reported.
_SUBJECT_KINDS = {"count", "numeric", "rate", "share", "agg", "value", "product", "customer_id", "no_product",
                  "none_other", "model", "num", "cmp", "customer", "list", "top", "intent", "unknown"}
#: The words a threshold is said in (总资产 / 500万 / 及以上 / 在 / 余额).
_THRESHOLD_WORDS = ("numeric", "num", "cmp", "range", "zai", "asof", "balance_word")
_CUT_KINDS = {"group", "dim", "change", "change_word", "month", "series", "series_span", "rank", "most", "show"}
_CLASSIFIERS = ("家", "个", "类", "种", "档", "样", "")
#: classifiers that count people (10位 / 5名): rows asked for are customers
_PEOPLE = ("位", "名", "人", "户")
_CONTENT = ("num", "cmp", "range", "value", "product", "top", "series_span", "members", "known", "missing")
#: Words that ask for every month (今年以来每月, 按月列一下).
_MONTHLY = re.compile(r"每月|每个月|月度|逐月|各月|按月")
#: Activity counts: "没登录过手机银行" / "未到访网点" means the count is 0.
_COUNT_COLUMNS = ("app_login_count", "branch_visit_count", "monthly_transaction_count", "investment_monthly_count",
                  "financial_repurchase_count", "app_product_compare_count")
_PRODUCT_HOLD = {name: Cmp(flag, "=", 1, f"持有{name}") for name, flag in PRODUCT_FLAGS.items()}
_BAND_OF = {"age": "age_band", "total_assets": "asset_level", "product_count": "product_count"}
_FOLLOW_ADD = re.compile(r"^(?:那|那么)?((若|如果|要是)?在上述(口径|条件|范围)?的?基础上|其中|这些客户?(里|中|当中)?|这里面|在这些|这部分|他们|她们|这些人|里面|"
                         r"(若|如果|要是)?再?进一步(限定|限制|筛选|缩小)?(为|到|在)?|(若|如果|要是)?再(限定|限制|筛选|加上?)(为|到|在)?)")
_SWAP_WORDS = r"那么|换成|换为|改为|改成|改看|换个|如果是|要是|假如是|那如果|若是|换(?=\s)"
#: …a question that starts by swapping (那个 is only a filler there)
_SWAP_START = re.compile(rf"^(那(?![个些边时种])|{_SWAP_WORDS})")
_FOLLOW_SWAP = re.compile(rf"^(?:口径|条件|范围|筛选条件)?(那|{_SWAP_WORDS}|再看|再看看|看看|只看|单看|只要|只留|仅看|仅要|只保留|仅保留|只取|光要|光看)|(呢|又如何|又怎样|又怎么样|如何呢)[？?。.!！]*$")


_PLACE_COLUMNS = ("branch_name", "city_level")
_OP_WORDS = {">=": "及以上", ">": "以上", "<": "以下", "<=": "及以下", "=": "", "!=": "以外"}
_COMPLEMENT = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!="}


def _threshold(column: str, op: str, value: float) -> Cmp:
    c = NUMERIC[column]
    return Cmp(column, op, value, f"{c.label}{_fmt(value, c)}{_OP_WORDS[op]}")


def _condition_on(c: dict, key: str) -> bool:
    """Is condition `c` on dimension `key`? A city is a condition on the branch name (城市为成都 names the city
    as 城市等级为一线 names the level)."""
    return c["column"] == key or (key == "city" and isinstance(c["node"], Contains) and c["column"] == "branch_name")


def _is_flow(t: Token | None) -> bool:
    return t is not None and t.kind == "numeric" and t.payload[0] in PER_MONTH


def _head_counts(tokens) -> list[Token]:
    """高净值客户数 / 一线城市客户有多少，…: 数 or 有多少 (ending its clause) right after a value said as …客户 is
    that value's head count."""
    def counts(k: int, t: Token) -> bool:
        if t.kind != "filler" or k == 0 or tokens[k - 1].kind != "value" or not tokens[k - 1].text.endswith("客户"):
            return False
        if t.text in ("数", "数量"):
            return tokens[k - 1].end == t.start
        ends = k + 1 == len(tokens) or (tokens[k + 1].kind == "and" and tokens[k + 1].text in "，,；;")
        return t.text in ("有多少", "有几个", "有几位") and ends
    return [Token("count", t.text, t.start, t.end) if counts(k, t) else t for k, t in enumerate(tokens)]


def _one_word_per_measure(toks: list[Token]) -> list[Token]:
    """手机银行每月登录超过20次: the period after a per-month flow is the flow's own, not a series (信用卡一个月刷
    too); before it, 一个月 always and 每个月 when a threshold follows (每个月去网点5次以上); and two words in a row
    naming one column (手机银行 登录) are one word."""
    out, skip = [], 0
    at = lambda i: toks[i] if 0 <= i < len(toks) else None
    for i, t in enumerate(toks):
        if skip:
            skip -= 1
            continue
        one_month = t.kind == "num" and t.payload == (1.0, "个") and at(i + 1) is not None and at(i + 1).text == "月"
        width = 2 if one_month else 1
        period = one_month or (t.kind == "series" and t.text in ("每月", "每个月"))
        if period and out and _is_flow(out[-1]):
            out[-1] = replace(out[-1], end=toks[i + width - 1].end)   # the flow's word now spans its period
            skip = width - 1
            continue
        nxt = at(i + width)
        if one_month and nxt is not None and nxt.kind == "agg" and _is_flow(at(i + width + 1)):
            out += [nxt, at(i + width + 1)]   # 一个月平均挣多少: 平均 between the period and its flow
            skip = width + 1
            continue
        if period and _is_flow(nxt) and nxt.start == toks[i + width - 1].end and (
                one_month or any(u is not None and u.kind == "num" for u in (at(i + 2), at(i + 3)))):
            out.append(replace(nxt, start=t.start))
            skip = width
            continue
        if out and t.kind == "numeric" and out[-1].kind == "numeric" and out[-1].payload == t.payload \
                and out[-1].end == t.start:
            out[-1] = replace(out[-1], text=out[-1].text + t.text, end=t.end)
            continue
        out.append(t)
    return out


class Assembler:
    """Combines one question's tokens into a Query (the grammar lives here)."""

    def __init__(self, lex: Lexicon, tokens: list[Token], text: str, previous: Query | None,
                 subject=None):
        self.lex, self.text, self.previous = lex, text, previous
        self.subject = subject   # a share's numerator said in the clause before (an elided subject)
        self.toks = _one_word_per_measure([t for t in _head_counts(tokens) if t.kind != "filler"])
        self.used_idx: set[int] = set()
        self.assumptions: list[str] = []
        self.measures: list = []
        self.groups: list[str] = []
        self.order: Order | None = None
        self.customers_list = False
        self.contrast: tuple = ()
        self.rank_member: str | None = None   # 杭州西湖支行…排第几
        self.rank_key: str | None = None
        self.numerator_at: list[int] = []   # where a share's numerator was said
        self.missing: str | None = None   # what a measure needs and the question did not say (no figure then)
        self.took_previous = False   # a share built from the last question's population
        self.series = False   # the question asks about months (a series or a change): never a customer list
        # 按支行分别列一下 / 跟去年同期相比变化多少, after a question: no measure and no population of its own,
        # only how to cut or when: the previous question, cut that way (its month anchors 去年同期)
        kinds = {t.kind for t in self.toks}
        if kinds & {"change", "change_word"}:
            kinds.discard("share")   # 同比涨了百分之几: the percentage is the change's, not a share's
        self.elliptical = previous is not None and not kinds & _SUBJECT_KINDS and bool(kinds & _CUT_KINDS)
        said_asof = any(t.kind == "asof" for t in self.toks)   # 那这个月比上个月: 这个月 is the 基准月, not the last month
        self.anchor = previous.time.month if (self.elliptical and not said_asof
                                              and previous.time.kind in ("month", "change")) else lex.as_of_month

    def _grouped_explicitly(self, column: str) -> bool:
        """按生命周期阶段分组 / 各阶段: the dimension's word with 按, 各 or 分组 beside it."""
        return any(t.kind == "dim" and t.payload[0] == column and "group" in (self.kinds(i - 1), self.kinds(i + 1))
                   for i, t in enumerate(self.toks))

    def _names_column(self, i: int) -> bool:
        """剔除生命周期阶段为流失客户: the dimension's name (and 为/是) between a negation and its value."""
        if self.kinds(i) == "dim":
            return self.kinds(i + 1) == "value" or (self.kinds(i + 1) == "filler" and self.kinds(i + 2) == "value")
        return self.kinds(i) == "filler" and self.kinds(i - 1) == "dim" and self.kinds(i + 1) == "value"

    def kinds(self, i: int) -> str:
        return self.toks[i].kind if 0 <= i < len(self.toks) else ""

    def use(self, *idx):
        self.used_idx.update(i for i in idx if i is not None and 0 <= i < len(self.toks))

    # -- thresholds ------------------------------------------------------------------------
    def _column_before(self, i: int, unit: str) -> str | None:
        for j in range(i - 1, max(-1, i - 5), -1):
            t = self.toks[j]
            if t.kind == "numeric" and j not in self.used_idx and _unit_fits(unit, t.payload[0]):
                self.use(j)
                return t.payload[0]
            if t.kind in ("value", "de", "and", "or", "customer") and j < i - 1:
                break
        if unit == "岁":
            return "age"
        if unit in ("笔",):
            return "monthly_transaction_count"
        branch = next((k for k in range(i + 1, min(len(self.toks), i + 4))
                       if self.kinds(k) == "dim" and self.toks[k].payload[0] == "branch_name"), None)
        if unit == "次" and branch is not None:
            self.use(branch)   # 去了两次及以上网点: the word names the visits, it does not group by branch
            return "branch_visit_count"
        if unit in ("种", "个") and (self.kinds(i + 1) == "product_word" or self.kinds(i + 2) == "product_word"):
            return "product_count"
        if unit in _UNITS and self.kinds(i - 1) == "product" and i - 1 not in self.used_idx:
            self.use(i - 1)   # 存款不到5万: the product's balance
            return PRODUCT_BALANCES[self.toks[i - 1].payload[0]]
        if unit in _UNITS:
            self.assumptions.append("金额条件未说明是哪项，按总资产理解")
            return "total_assets"
        return None

    def _products_named_before(self, i: int) -> int:
        """How many products are listed right before position i (理财和基金 -> 2)."""
        named, k = 0, i - 1
        while k >= 0 and self.kinds(k) in ("product", "and"):
            named += self.kinds(k) == "product"
            k -= 1
        return named

    def thresholds(self) -> list[tuple[int, object]]:
        """Numeric conditions (资产在80万以上, 35至45岁, 登录超过20次): (position, node)."""
        out = []
        i = 0
        while i < len(self.toks):
            t = self.toks[i]
            if t.kind != "num" or i in self.used_idx or t.payload[1] in (*_PEOPLE, "家"):
                i += 1   # 10位客户: a count of rows asked for, not a threshold
                continue
            product_at = next((j for j in range(i + 1, min(len(self.toks), i + 4))
                               if self.kinds(j) == "product_word"), None)
            if t.payload[1] in ("种", "个", "样", "类", "款", "") and product_at is not None and \
                    (t.payload[1] or self.toks[product_at].text[0] in "种类个样款"):
                op = next((self.toks[j].payload[0] for j in range(i + 1, product_at) if self.kinds(j) == "cmp"), None)
                back = next((j for j in (i - 1, i - 2) if self.kinds(j) == "cmp"
                             and all(self.kinds(k) == "hold" for k in range(j + 1, i))), None)
                if op is None and back is not None:   # 至少(持有)三种产品
                    op = self.toks[back].payload[0]
                    self.use(*range(back, i))
                if op is None and self._products_named_before(i) == int(t.payload[0]):
                    self.use(*range(i, product_at + 1))   # 理财和基金两类产品: the ones just named, counted
                    i = product_at + 1
                    continue
                out.append((i, _product_count(op or "=", int(t.payload[0]))))
                self.use(*range(i, product_at + 1))
                i = product_at + 1
                continue
            # 产品正好两个 / 产品不少于三种: the products named before the count
            product_before = next((j for j in (i - 1, i - 2, i - 3) if j >= 0 and self.kinds(j) == "product_word"
                                   and all(self.kinds(k) in ("cmp", "hold") for k in range(j + 1, i))), None)
            if t.payload[1] in ("种", "个", "样", "类", "款") and product_before is not None:
                op = next((self.toks[k].payload[0] for k in range(product_before + 1, i) if self.kinds(k) == "cmp"), "=")
                out.append((i, _product_count(op, int(t.payload[0]))))
                self.use(*range(product_before, i + 1))
                i += 1
                continue
            lo_op = None
            before = self.toks[i - 1] if i > 0 else None
            # 介于 / 在 A 至 B (之间); 介于A和B之间
            joined = self.kinds(i + 1) == "and" and self.toks[i + 1].text in ("和", "与", "跟") and \
                self.kinds(i + 2) == "num" and (self.kinds(i + 3) == "range" or (before is not None and before.text == "介于"))
            if (self.kinds(i + 1) == "range" or joined) and self.kinds(i + 2) == "num":
                second = self.toks[i + 2]
                unit = t.payload[1] or second.payload[1]
                scale = _UNITS.get(second.payload[1], 1) if not t.payload[1] else 1
                lo, hi = t.payload[0] * (scale if not t.payload[1] else 1), second.payload[0]
                column = self._column_before(i if not (before and before.kind == "range") else i - 1, unit)
                extra = [i - 1] if before and before.kind == "range" else []
                end = next((k for k in (i + 3, i + 4) if self.kinds(k) == "range" and self.toks[k].text in ("之间", "区间")),
                           i + 2)
                if end == i + 4 and self.kinds(i + 3) in ("neg", "filler"):   # 50万（含）到100万（不含）之间
                    self.use(i + 3)
                if column:
                    c = NUMERIC[column]
                    label = f"{c.label}{_fmt(lo, c)}至{_fmt(hi, c)}"
                    out.append((i, And((Cmp(column, ">=", lo, label), Cmp(column, "<=", hi, label)))))
                    self.use(i, i + 1, i + 2, *extra, *(range(i + 2, end + 1)))
                i = end + 1
                continue
            if before is not None and before.kind == "cmp" and (i - 1) not in self.used_idx:
                lo_op, cmp_idx = before.payload[0], i - 1
                if self.kinds(i + 1) == "cmp" and before.text in _REACHES:   # 达100万及以上: the bound after says it
                    lo_op = self.toks[i + 1].payload[0]
                    self.use(i + 1)
            elif before is not None and before.kind == "numeric" and (
                    re.fullmatch(r"\s*(?:也|都|均|同样|已经|已)?\s*(为|是|=|==|等于)\s*", self.text[before.end:t.start])
                    or (t.payload[0] == 0 and t.payload[1] in ("次", "笔") and not self.text[before.end:t.start].strip())):
                lo_op, cmp_idx = "=", i   # 登录次数为0
            elif self.kinds(i + 1) == "cmp":
                lo_op, cmp_idx = self.toks[i + 1].payload[0], i + 1
            if lo_op is None:
                i += 1
                continue
            at = min(i, cmp_idx)
            column = self._column_before(at, t.payload[1])
            if out and column == "total_assets" and self.kinds(at - 1) == "and" \
                    and self.toks[at - 1].text in _BOUND_JOINERS + _SIDE_JOINERS \
                    and out[-1][0] >= at - 3 and _unit_fits(t.payload[1], leaves(out[-1][1])[0].column):
                # 月收入大于等于1万且小于2万: the second bound is the same column's (not 总资产 by default)
                column = leaves(out[-1][1])[0].column
                self.assumptions = [a for a in self.assumptions if not a.startswith("金额条件未说明")]
            if column is None and self.kinds(i + 1) == "cmp":
                # 20次以上的登录: the column after
                nxt = next((j for j in range(i + 2, min(len(self.toks), i + 5)) if self.kinds(j) == "numeric"), None)
                if nxt is not None:
                    column = self.toks[nxt].payload[0]
                    self.use(nxt)
            if column is None:
                i += 1
                continue
            out.append((i, _threshold(column, lo_op, t.payload[0])))
            self.use(i, cmp_idx)
            i += 1
        return out

    # -- conditions ------------------------------------------------------------------------
    def product_balances(self):
        """存款、理财、基金、保险四类产品余额: each product's balance is a measure."""
        for b, t in enumerate(self.toks):
            if t.kind != "balance_word" or b in self.used_idx:
                continue
            span, products = [b], []
            for k in range(b - 1, -1, -1):
                kind = self.kinds(k)
                if kind == "product":
                    products.append(self.toks[k].payload[0])
                elif kind not in ("and", "num", "product_word", "de", "both", "hold"):   # 保险配置的余额
                    break
                span.append(k)
            if products:
                self.use(*span)
                for name in reversed(products):
                    self._add(Agg("sum", PRODUCT_BALANCES[name]))

    def conditions(self) -> list[dict]:
        """Population conditions in order: {"pos", "node", "column", "neg", "joined"}."""
        self.product_balances()
        conds: list[dict] = [{"pos": p, "node": n, "column": leaves(n)[0].column, "neg": False, "joiner": None}
                             for p, n in self.thresholds()]
        thresholds = list(conds)
        neg_at = None
        neg_chain = False   # 未持有理财、基金及保险: one negation over a list of products
        mode = None   # only | both
        for i, t in enumerate(self.toks):
            if i in self.used_idx:
                continue
            if t.kind == "product" and self._product_balance(i):
                # 人均存款 / 存款平均有多少钱: the average balance; 存款最多 / 存款总共: the total
                avg = [k for k in (i - 1, i + 1 + (self.kinds(i + 1) == "de"))
                       if self.kinds(k) == "agg" and self.toks[k].payload[0] == "avg"]
                self.use(i, *avg)
                self.measures.append(Agg("avg" if avg else "sum", PRODUCT_BALANCES[t.payload[0]]))
                continue
            if t.kind == "neg":
                if self.kinds(i + 1) == "neg":   # 不是没有存款 = 有存款: two negations cancel
                    self.use(i, i + 1)
                    continue
                run = self._negated_before(i, conds)
                if run:   # 理财和基金都没买 / 北京上海都不是: the negation follows what it negates
                    for c in run:
                        n = c["node"]
                        if c in thresholds and isinstance(n, Cmp) and n.op in _COMPLEMENT:   # said as what is kept
                            c["node"] = _threshold(n.column, _COMPLEMENT[n.op], n.value)
                        else:
                            c["neg"] = True
                    self.use(i, *[k for k in (i + 1, i + 2) if self.kinds(k) == "hold"])
                    continue
                threshold = self._threshold_after(i, thresholds)
                if threshold is not None:   # 剔除年龄小于30岁的客户后 / 资产没有超过50万: the threshold is negated
                    n = threshold["node"]
                    if isinstance(n, Cmp) and n.op in _COMPLEMENT:   # said as what is kept: 30岁及以上
                        threshold["node"] = _threshold(n.column, _COMPLEMENT[n.op], n.value)
                    else:
                        threshold["neg"] = True
                    self.use(i)
                    continue
                neg_at = i
                continue
            if t.kind == "only":   # 只买了保险 / 仅持有存款: the products named, and no other
                if any(self.kinds(k) == "product" for k in range(i + 1, min(len(self.toks), i + 3))):
                    mode = "only"
                    self.use(i)
                continue
            if t.kind == "both":
                self.use(i)
                continue
            if t.kind == "none_other":
                mode = "only"
                self.use(i)
                continue
            if t.kind in ("known", "missing") and self.kinds(i - 1) == "numeric":   # 月收入非空 / 月收入缺失
                c = NUMERIC[self.toks[i - 1].payload[0]]
                known = Known(c.column, f"{c.label}非空")
                conds.append({"pos": i, "node": known if t.kind == "known" else Not(known), "column": c.column,
                              "neg": False, "joiner": None})
                # 平均月收入是多少（缺失的不计入）: the column is also the measure asked, not only the condition's
                self.use(i, *(() if self.kinds(i - 2) == "agg" else (i - 1,)))
                continue
            if t.kind == "no_product":
                conds.append({"pos": i, "node": Cmp("product_count", "=", 0, "未持有任何产品"), "column": "product_count",
                              "neg": False, "joiner": None})
                self.use(i)
                continue
            node = None
            if t.kind == "numeric" and t.payload[0] in _COUNT_COLUMNS and neg_at is not None and i - neg_at <= 2:
                c = NUMERIC[t.payload[0]]
                conds.append({"pos": i, "node": Cmp(c.column, "=", 0, f"{c.label}为0"), "column": c.column,
                              "neg": False, "joiner": None})
                self.use(i, neg_at)
                neg_at = None
                continue
            if t.kind == "value":
                node = t.payload[2][0]
            elif t.kind == "product" and not self._product_is_measure(i):
                node = _PRODUCT_HOLD[t.payload[0]]
            if node is None:
                if t.kind not in ("de", "customer", "hold", "and", "or", "any") and not self._names_column(i):
                    neg_at = None if t.kind not in ("hold",) else neg_at
                continue
            self.use(i)
            # 不是潜力的客户 negates; 别的产品都没有的女性 does not reach past 的
            negated = neg_at is not None and i - neg_at <= 3 and \
                not any(self.kinds(k) == "de" for k in range(neg_at + 1, i))
            if negated:
                self.use(neg_at)
                neg_at = None
                neg_chain = True
            elif neg_chain and ((self.kinds(i - 1) in ("and", "or") and self.toks[i - 1].text not in ("，", ","))
                                or (t.kind == "product" and self.kinds(i - 1) == "product")) and conds and (
                    leaves(conds[-1]["node"])[0].column == leaves(node)[0].column
                    or (t.kind == "product" and conds[-1].get("product"))):
                negated = True
            else:
                neg_chain = False
            # 除北京以外: the negation comes before, 以外 after
            after = next((j for j in range(i + 1, min(len(self.toks), i + 3)) if self.kinds(j) == "except"), None)
            if after is not None and all(self.kinds(k) in ("de", "customer") for k in range(i + 1, after)):
                self.use(after)
                negated = True
                neg_chain = False   # 以外 closes it: 除北京朝阳以外，北京的… keeps 北京
                listed = i
                for c in reversed(conds):   # 除深圳、广州以外: the whole list (not 北京的客户中除北京朝阳以外)
                    if c["column"] != leaves(node)[0].column or c["pos"] < listed - 2:
                        break
                    c["neg"] = True
                    listed = c["pos"]
            joiner = None
            if i > 0 and self.toks[i - 1].kind in ("and", "or"):
                joiner = self.toks[i - 1].kind
                # 深圳南山支行/男/月收入≥3万: a slash between different columns lists conditions, all of them
                if self.toks[i - 1].text == "/" and conds and conds[-1]["column"] != leaves(node)[0].column:
                    joiner = "and"
            elif i > 1 and self.toks[i - 1].kind in ("hold", "neg") and self.toks[i - 2].kind in ("and", "or"):
                joiner = self.toks[i - 2].kind
            column = leaves(node)[0].column
            conds.append({"pos": i, "node": node, "column": column, "neg": negated, "joiner": joiner,
                          "product": t.payload[0] if t.kind == "product" else None})
            for j in (i - 1, i - 2):
                if self.kinds(j) == "hold":
                    self.use(j)
        held = [c for c in conds if c.get("product") and not c["neg"]]
        if mode == "only" and held:
            for name, flag in PRODUCT_FLAGS.items():
                if not any(c.get("product") == name for c in conds):   # 理财基金保险都没碰 said it already
                    conds.append({"pos": held[0]["pos"], "node": Cmp(flag, "=", 0, f"未持有{name}"),
                                  "column": flag, "neg": False, "joiner": None, "product": name, "implied": True})
        # 25岁到35岁的年轻客群: the numbers say exactly who; the named group (年轻 = 30岁以下) only describes them
        # (单一产品客户和持有3种及以上产品的客户: joined by 和, it is another population)
        def described(c) -> bool:
            return any(t["column"] == c["column"] and not any(
                self.kinds(k) in ("and", "or") and self.toks[k].text not in "、，,"
                for k in range(min(t["pos"], c["pos"]) + 1, max(t["pos"], c["pos"]))) for t in thresholds)
        conds = [c for c in conds if c in thresholds or not (isinstance(c["node"], Cmp) and described(c)
                                                             and not c["neg"] and c["column"] not in PRODUCT_FLAGS.values())]
        return sorted(conds, key=lambda c: c["pos"])

    def _negated_before(self, i: int, conds: list[dict]) -> list[dict]:
        """The conditions a negation at i closes (X和Y都没买): those just before it, when nothing it could
        negate follows (没买理财 negates what follows, as before)."""
        after = next((k for k in range(i + 1, len(self.toks)) if self.kinds(k) != "hold"), len(self.toks))
        if self.kinds(after) in ("value", "product", "numeric", "no_product") and self.toks[i].payload != ("after",):
            return []
        at = {c["pos"]: c for c in conds}
        j = i - 1
        while self.kinds(j) == "both":
            j -= 1
        said = []   # words between the conditions and the negation that only name who they are
        if self.kinds(j) in ("dim", "product_word") and self.kinds(j - 1) == "num":   # …这两个阶段都剔掉
            j -= 2
        elif self.kinds(j) == "num":   # 存款理财基金三样都没有
            j -= 1
        elif self.kinds(j) in ("dim", "customer", "de"):   # 北京、上海两地的网点不算在内 / 事业单位的除外
            if self.kinds(j) in ("dim", "customer"):
                said.append(j)
                j -= 1
            if self.kinds(j) == "de":
                said.append(j)
                j -= 1
            if (self.kinds(j) == "num" and j not in at) or (
                    self.kinds(j) == "filler" and _PLACES_COUNTED.fullmatch(self.toks[j].text)):
                said.append(j)
                j -= 1
        if j not in at:   # 总资产500万及以上的客户不算: a threshold's own words run up to where the walk stands
            j = next((c["pos"] for c in conds if c["pos"] < j and all(
                self.kinds(k) in _THRESHOLD_WORDS for k in range(c["pos"] + 1, j + 1))), j)
        run = []
        while j in at and not at[j]["neg"]:
            if run and self.kinds(j - 1) in ("hold", "only"):
                break   # 只存了存款、理财基金保险都没碰: 存款 has its own verb; the negation stops there
            run.append(at[j])
            j -= 1
            apart = comma = False
            while self.kinds(j) in ("and", "or", "hold"):
                apart = apart or self.toks[j].text in "、，,"
                comma = comma or self.toks[j].text in "，,"
                j -= 1
            if apart and self._held_list_ends_at(j):
                break   # 只持有存款和基金、理财和保险都没有: 存款和基金 is the held list
            if comma and j in at and at[j].get("column") != run[-1].get("column"):
                break   # 二线城市，流失客户不算: a comma before another dimension ends the list left out
        if run:
            self.use(*said)
        return run

    def _held_list_ends_at(self, j: int) -> bool:
        """Is j the last product of a list that a 持有/只持有 opens (存款和基金 after 只持有)?"""
        while self.kinds(j) == "product" or (self.kinds(j) == "and" and self.toks[j].text not in "、，,"):
            j -= 1
        return self.kinds(j) in ("hold", "only")

    def _threshold_after(self, i: int, thresholds: list[dict]) -> dict | None:
        """The numeric condition a negation at i opens (剔除 年龄 小于 30岁), if only its own words lie between."""
        if self.kinds(i + 1) == "numeric" and self.toks[i + 1].payload[0] in _COUNT_COLUMNS:
            return None   # 未登录手机银行: a count that is zero, read with the count columns
        for c in thresholds:
            if i < c["pos"] <= i + 4 and not c["neg"] and all(
                    self.kinds(k) in ("numeric", "cmp", "zai", "asof", "balance_word") for k in range(i + 1, c["pos"])):
                return c
        return None

    def _product_balance(self, i: int) -> bool:
        """存款最多的客户 / 平均基金: the product names its balance, not a holding."""
        j = i + 1 + (self.kinds(i + 1) == "de")
        # 北京的客户存款多少: how much of it (not 有存款的客户有多少, nor 存款多少个客户)
        how_much = self.kinds(i - 1) not in ("hold", "neg", "only", "both") and re.match(
            r"\s*(?:还)?(?:有|是)?\s*多少(?:钱)?(?![个位人户名客])", self.text[self.toks[i].end:]) is not None
        return how_much or self.kinds(j) in ("most", "top", "rank", "balance_word") or self.kinds(i - 1) == "agg" or (
            self.kinds(j) == "agg" and self.kinds(j + 1) != "numeric")   # 保险的平均年龄: the 平均 is the age's

    def _product_is_measure(self, i: int) -> bool:
        """基金持有率 / 理财的持有率: the product names a rate's numerator, not a filter."""
        for j in range(i + 1, min(len(self.toks), i + 3)):
            if self.toks[j].kind == "rate" and self.toks[j].payload[0] == "hold":
                return True
            if self.toks[j].kind not in ("de", "customer"):
                break
        return False

    def combine(self, conds: list[dict]):
        """Same column joined by 和/或/、 → OR (In); different columns → AND; negations wrap."""
        groups: list[list[dict]] = []
        seen = set()
        # 杭州西湖和绍兴越城: a city said right before one of its branches only qualifies the branch
        kept = []
        for c in conds:
            prev = kept[-1] if kept else None
            if prev is not None and isinstance(prev["node"], Contains) and isinstance(c["node"], Eq) \
                    and c["column"] == "branch_name" and c["pos"] == prev["pos"] + 1 and not prev["neg"] \
                    and all(self.lex.city_of.get(v) == prev["node"].text for v in c["node"].values):
                c = {**kept.pop(), "node": c["node"], "neg": c["neg"]}   # the branch, joined as its city was
            kept.append(c)
        for c in kept:
            n = c["node"]
            key = ((n.column, n.op, n.value) if isinstance(n, Cmp) else n, c["neg"])
            if key in seen:   # 30岁以下的年轻客户: one condition said twice
                continue
            seen.add(key)
            # 教师医生 / 北京上海: values said side by side are either; 广州天河 is the 天河 branch of 广州
            adjacent = groups and c["joiner"] is None and c["pos"] == groups[-1][-1]["pos"] + 1 \
                and type(c["node"]) is type(groups[-1][-1]["node"]) and isinstance(c["node"], (Eq, Contains))
            # 和 between two values of a column is either (北京和上海的客户); between two bounds it is both
            # (开户日期在…之后，开户日期非空)
            values_or = c["joiner"] == "or" or (c["joiner"] == "and" and isinstance(c["node"], (Eq, Contains)))
            if groups and (values_or or adjacent) and groups[-1][-1]["column"] == c["column"] \
                    and not c.get("implied") and not groups[-1][-1].get("product"):
                groups[-1].append(c)
            elif groups and c["joiner"] == "or":
                groups[-1].append(c)
            else:
                groups.append([c])
        nodes = []
        for g in groups:
            # 北京上海: either; 除深圳、广州以外: neither; 北京、除北京朝阳以外: the one and not the other
            either = _either([c["node"] for c in g if not c["neg"]])
            parts = ((either,) if either is not None else ()) + tuple(Not(c["node"]) for c in g if c["neg"])
            nodes.append(parts[0] if len(parts) == 1 else And(parts))
        return nodes, groups

    # -- the grammar -----------------------------------------------------------------------------
    def run(self) -> Understanding:
        toks = self.toks
        if any(t.kind == "absent" for t in toks):
            words = [t.text for t in toks if t.kind == "absent"]
            return Understanding(None, "unavailable", unknown=words,
                                 message=f"数据中没有“{'、'.join(words)}”相关的字段，无法回答。")
        if any(t.kind == "group" for t in toks) and _EACH_GROUPS_EXTREME.search(self.text):
            return Understanding(None, "unavailable", unknown=[_EACH_GROUPS_EXTREME.search(self.text).group(0)],
                                 message="每组里最高（最低）的那一位客户是谁暂不支持；各组的最大值、最小值可以问"
                                         "（例如“各网点总资产的最大值”），也可以指定一组列出最高的客户。")
        if any(t.kind == "statistic" for t in toks):
            words = list(dict.fromkeys(t.text for t in toks if t.kind == "statistic"))
            return Understanding(None, "unavailable", unknown=words,
                                 message=f"暂不支持按“{'、'.join(words)}”回答：这里计算客户数、合计、平均值、占比、"
                                         "中位数、标准差、最大值和最小值。可以改问其中之一，或列出最高（最低）的客户看具体数值。")
        if any(t.kind == "model" for t in toks):
            return Understanding(None, "model", message="“高价值客户”是模型口径：3个月内升至100万+的客户")
        versus_all = _VERSUS_ALL.search(self.text)
        self.against_all = versus_all.span() if versus_all else None   # its 全行 is the other side, no denominator
        if versus_all and self.previous is not None and not {t.kind for t in toks} & _SUBJECT_KINDS:
            # 杭州西湖支行的理财持有率多少 → 比全行整体低了几个百分点: the last question against everyone
            self.use(*[i for i, t in enumerate(toks) if t.kind in ("compare", "all", "most", "de")])
            against = self._against_everyone(replace(self.previous))
            if against is not None:
                self.assumptions.append("承接上一轮的问题，与全行对比")
                return Understanding(against, used=[t.text for t in toks], assumptions=self.assumptions)
        customer = next((t.payload[0] for t in toks if t.kind == "customer_id"), None)
        self.use(*[i for i, t in enumerate(toks) if t.kind == "customer_id"])
        time, problem = self.time()
        if problem:
            return Understanding(None, "out_of_range", message=problem)
        conds = self.conditions()
        self.measure_words(conds)
        if any(c["column"] == "segment" for c in conds):   # 分群结果里“高净值稳健”: names where the value comes from
            self.use(*[i for i, t in enumerate(toks) if t.kind == "intent" and t.text in ("分群", "聚类", "分类")])
        # 理财持有率…哪个年龄层更爱买理财: holding the rate's own product restates the rate; as a filter it
        # would make every rate 100%
        rated = [m.numerator for m in self.measures if isinstance(m, Share) and m.numerator is not None]
        for c in conds:   # 现在活跃客户多少 活跃率呢: their number is asked too, beside the rate
            if not c["neg"] and any(_same_condition(c["node"], r) for r in rated) and self._counted_at(c["pos"]):
                self.measures.insert(0, Share(c["node"], None, None, f"{describe(c['node'])}客户数", counted=True))
        self.numerator_at += [c["pos"] for c in conds if not c["neg"] and any(_same_condition(c["node"], r) for r in rated)]
        conds = [c for c in conds if c["neg"] or not any(_same_condition(c["node"], r) for r in rated)]
        if customer is not None:
            conds.append({"pos": -1, "node": Eq("customer_id", (customer,), customer), "column": "customer_id",
                          "neg": False, "joiner": None})
        comparing = any(t.kind == "compare" for t in toks)
        conds = self._rank_of(conds)
        sides = self._two_sides(conds) if time.kind in ("asof", "month") else None
        sided = sides[0] + sides[1] if sides else []   # set against each other: neither a group nor the population
        conds = self.compare_to_groups([c for c in conds if c not in sided], comparing) + sided
        if time.kind == "change" and not (self.shares_asked() and "百分点" in self.text) and not self._share_named_before_change():
            # 增长了百分之几: the percentage is the change's, not a share (高净值占比比3个月前高了几个百分点 /
            # 高净值占比较上个月变动了多少: the share's)
            share = None
            self.use(*[i for i, t in enumerate(toks) if t.kind == "share"])
        else:
            share = self.share(conds)
        if self.missing:
            return self.not_understood(self.missing)
        conds = self._each_product_counted(conds, share, time)
        nodes, _ = self.combine([c for c in conds if not c.get("in_share") and c not in sided])
        where = conjoin(*nodes)
        self.series = time.kind in ("series", "change")
        self._previous_groups()
        self.ranking()
        if self.missing:
            return self.not_understood(self.missing)
        if self.customers_list and (share is not None or self.shares_asked()):
            # AUM排名前100的客户占全行AUM的比例: a concentration, not the list of those customers
            return self.not_understood("问的是前几名客户合计占全体的比例（集中度），目前还不能计算；可以先列出这些客户"
                                       "（例如“总资产最高的100位客户”）")
        if not self.measures and share is None:
            said = re.sub(r"结果(会是|是)?多少", "", self.text)   # the last question's result, not a count
            asks_count = re.search(r"(客户|用户|人|户)(数|有多少|有几)|多少(位|个|名)?(客户|人)|几(位|个|名)", said) or (
                any(t.kind == "customer" for t in toks) and re.search(r"多少|几|数", said))
            said_asof = self.previous is not None and any(t.kind == "asof" for t in toks)   # 那基准月呢
            # 上个月呢 with nothing asked before: a month alone is no question
            month_alone = self.previous is None and re.search(r"呢[?？。!！]*$", said) is not None
            if month_alone and _SWAP_START.match(said) and not asks_count:   # 换成武汉江汉呢, with nothing before
                return self.not_understood("这像是接着上一个问题的追问（换成…呢），但前面没有可以接着的问题；"
                                           "请把要统计的指标和条件说完整")
            # AUM最高的5个网点 → 那倒数3名呢: the last ranking, in the other order or length
            reranked = self.previous is not None and self.previous.order is not None and self.order is not None
            if self.groups or conds or self.customers_list or asks_count or (time.kind != "asof" and not month_alone) \
                    or said_asof or reranked:
                self.measures = [Agg("count")]
            else:
                unknown = [t.text for t in toks if t.kind == "unknown" and len(t.text) >= 2]
                return self.not_understood(None if unknown else "没有找到要统计的指标或条件", unknown)
        if share is not None:
            self.measures.append(share)
        self._count_of_numerator()
        if self.groups and not self.customers_list and self.measures == [Agg("count")] \
                and self.order is None and time.kind not in ("series", "change") and share is None:
            self.measures.append(Share(label="客户占比"))
        if self.customers_list:
            key = next((m for m in self.measures if isinstance(m, Agg) and m.column), None)
            if key is None:
                key = Agg("sum", "total_assets")
                self.assumptions.append("未说明按什么排序，按总资产排序")
            self.measures = [Agg(key.kind, key.column, per=key.per)]
            self.groups = []
            self.order = Order(0, self.order.descending if self.order else True,
                               (self.order.limit if self.order else None) or 10)
        for i, t in enumerate(toks):   # 两家支行 / 四个等级 / 0个1个2个 / 存款、理财、基金、保险四样: counting what is listed
            if t.kind == "num" and i not in self.used_idx and t.payload[1] in _CLASSIFIERS and (
                    self.kinds(i + 1) in ("dim", "customer") or (self.groups and "product_count" in self.groups)
                    or (self.groups and self.kinds(i + 1) == "group")   # 把15家按AUM排: the groups counted
                    or (t.payload[1] and self.kinds(i - 1) in ("value", "product") and i - 1 in self.used_idx)):
                self.use(i)
        if self.rank_member is not None and self.order is None:
            self.order = Order(0, True, None)
        query = Query(self.measures, where, self.groups[:2], self.order, self.customers_list, time,
                      self.contrast[1] if self.contrast and self.groups == [self.contrast[0]] else (),
                      self.rank_member if self.groups[:1] == [self.rank_key] else None)
        query = self.follow_up(query)
        if query.time.kind == "change" and query.order is not None and re.search(r"幅|率|百分", self.text):
            query = replace(query, order=replace(query.order, by="change"))   # 跌幅最大: ranked by the rate
        if versus_all:
            query = self._against_everyone(query) or query
        elif sides:
            query = self._between(query, sides)
            if query is None:   # the sides' conditions are in no measure and in no population: no figure
                return self.not_understood("两部分客户之间的对比一次只能比一个指标（例如“持有理财的客户比持有基金的客户平均资产高多少”）")
        # 是…的几倍 between two groups, or 现在的AUM是2024年11月的几倍 between two months
        if (query.contrast or query.time.kind == "change") and any(t.kind == "compare" and t.payload == ("ratio",) for t in toks):
            query = replace(query, ratio=True)
            self.use(*[i for i, t in enumerate(toks) if t.kind == "compare" and t.payload == ("ratio",)])
        if any(t.kind == "compare" and t.payload and i not in self.used_idx for i, t in enumerate(toks)) \
                and not query.contrast and time.kind != "change":
            # 多多少 / 几倍 with nothing to set against each other: the figure would not be the one asked for
            return self.not_understood("问的是两部分客户之间的差距或倍数，但没有认出是哪两部分（例如“持有理财的客户比持有基金的客户多多少”）")
        contradiction = _contradiction(query)
        if contradiction:
            return self.not_understood(f"条件互相矛盾（{contradiction}），没有客户能同时满足；请确认要的是哪一个")
        unknown = [t.text for i, t in enumerate(toks) if t.kind == "unknown"]
        heard = [f"{t.text}→{t.heard}" for t in toks if t.heard]
        if heard:
            self.assumptions.append("按同音理解：" + "、".join(heard))
        # Every content word is used or reported: a number, value or comparison the grammar did not place
        # (介于50万和100万之间 read wrong) means no figure, as an unknown word does.
        unplaced = [t.text for i, t in enumerate(toks) if i not in self.used_idx and t.kind in _CONTENT]
        material = [t.text for i, t in enumerate(toks) if (t.kind == "unknown" and self._material(i))
                    or (t.kind == "intent" and i not in self.used_idx)] + unplaced
        if material:
            return self.not_understood(None, material)
        used = [t.text for i, t in enumerate(toks) if i in self.used_idx or t.kind in (
            "count", "agg", "share", "de", "customer", "group", "dim", "most", "which", "rank", "asof", "series",
            "change", "month", "top", "numeric", "rate", "all", "denom", "of", "list", "product_word", "hold", "follow", "show")]
        return Understanding(query, used=used, unknown=unknown, assumptions=self.assumptions, customer_id=customer)

    def _material(self, i: int) -> bool:
        """An unknown run that may carry meaning. A single character is soft (reported, not blocking)
        unless it leans on a one-character grammar word: 分居 must not be read as 分 + 居."""
        t = self.toks[i]
        if len(t.text) >= 2 or re.search(r"[A-Za-z0-9\u4e00-\u9fff]", t.text):
            return True   # a character no entry covers may carry meaning (离了婚: 离…婚)
        for j in (i - 1, i + 1):
            n = self.toks[j] if 0 <= j < len(self.toks) else None
            if n is not None and len(n.text) == 1 and n.kind in ("group", "neg", "cmp", "hold", "or", "denom", "except",
                                                                 "zai", "of") \
                    and (n.end == t.start or t.end == n.start):
                return True
        return False

    def not_understood(self, reason: str | None, words: list[str] = ()) -> Understanding:
        suggestions = []
        tenure = _TENURE_UNSAID.search(self.text)
        if tenure:   # 开户3年的客户: at least three years, or less? Both readings offered
            suggestions += [self.text[:tenure.start()] + f"开户{bound}{tenure.group(1)}" + self.text[tenure.end():]
                            for bound in ("满", "不满")]
        for w in words:
            for alt in self.lex.closest(w, column=self._column_named_after(w)):
                suggestions.append(self.text.replace(w, alt, 1))
        msg = reason or f"没有理解“{'”“'.join(words)}”"
        content = ("value", "numeric", "count", "rate", "product", "dim", "month", "series_span", "change",
                   "customer_id", "num", "share")
        return Understanding(None, "not_understood", unknown=list(words), suggestions=suggestions[:3], message=msg,
                             used=[t.text for t in self.toks if t.kind in content])

    def _column_named_after(self, word: str) -> str | None:
        """月球支行 / 八线城市: the word right before a dimension's word is one of its values."""
        at = next((i for i, t in enumerate(self.toks) if t.text == word), None)
        if at is None or self.kinds(at + 1) != "dim" or self.toks[at + 1].start != self.toks[at].end:
            return None
        key = self.toks[at + 1].payload[0]
        return "city_level" if key == "city" and self.toks[at + 1].text.startswith("城市") else key

    def _two_groups_named(self) -> bool:
        """Two different values of one column (上海 said twice is one group)."""
        columns = [c for c, _ in {(t.payload[0], t.payload[1]) for t in self.toks if t.kind == "value"}]
        return any(columns.count(c) >= 2 for c in columns)

    # -- time --------------------------------------------------------------------------------------
    def time(self) -> tuple[Time, str | None]:
        first, last = self.lex.first_month, self.lex.as_of_month
        months = [(i, t) for i, t in enumerate(self.toks) if t.kind == "month"]
        series = next(((i, t) for i, t in enumerate(self.toks) if t.kind == "series_span"), None)
        change = next(((i, t) for i, t in enumerate(self.toks) if t.kind == "change"), None)
        series_word = next((i for i, t in enumerate(self.toks) if t.kind == "series"), None)
        for i, _ in months:
            self.use(i)
        month = months[-1][1].payload[0] if months else self.anchor
        for _, t in months:
            m = t.payload[0]
            if last and m > last:
                return Time(), f"数据截至基准月 {last}，没有 {m} 的数据（未来月份的实际值无法查询；要看预测请问“全行未来AUM走势”）。"
            if first and m < first:
                return Time(), f"数据从 {first} 开始，没有 {m} 的数据。"
        change_word = next((i for i, t in enumerate(self.toks) if t.kind == "change_word"
                            or (t.kind == "most" and t.payload[1:] == ("moved",))), None)   # 和上个月比…减少最多
        compare = next((i for i, t in enumerate(self.toks) if t.kind == "compare" and not t.payload), None)
        if change_word is None and months and not self._two_groups_named():
            # 跟半年前比，客户数多了多少: with a month and no two groups to set apart, 多了多少 is a change over time
            change_word = next((i for i, t in enumerate(self.toks) if t.kind == "compare" and t.payload), None)
        if change is None and change_word is not None and len(months) >= 2 and compare is None:
            # 从2025年5月到2026年4月…的变化率: the change between the two months
            self.use(change_word)
            self._use_ranges_between(months)
            prior, month = sorted(t.payload[0] for _, t in months)[::len(months) - 1]
            return Time("change", month, prior, f"{month} 对比 {prior}"), None
        if change is None and change_word is not None and compare is not None and months:
            # 2026年2月相比上个月…增长了多少 / 和去年同期比…增幅: the month asked about, and the one it is compared with
            self.use(change_word, compare)
            absolute = [t for _, t in months if len(t.payload) == 1]
            relative = [t for _, t in months if len(t.payload) == 3]
            month = absolute[-1].payload[0] if absolute else self.anchor
            anchor = pd.Period(month, "M")
            named = {t.payload[0] for _, t in months}   # 今年10月比去年10月: two months, each said as itself
            if len(named) >= 2 and not absolute:
                prior, month = min(named), max(named)
            elif relative:
                prior = str(relative[0].payload[1](anchor, relative[0].payload[2]))
            elif len({t.payload[0] for t in absolute}) >= 2:   # each month may be said twice (2月…比2月)
                said = sorted({t.payload[0] for t in absolute})
                prior, month = said[0], said[-1]
            elif absolute[0].payload[0] < self.anchor:   # 相比2026年3月，当前…变化了: the month named is the base
                prior, month = absolute[0].payload[0], self.anchor
            else:
                prior = None
            if prior is not None:
                if first and prior < first:
                    return Time(), f"数据从 {first} 开始，没有 {prior} 的数据，无法计算变化。"
                return Time("change", month, prior, f"{month} 对比 {prior}"), None
        if change is not None and change[1].payload[0] == "ytd" and (series_word is not None or
                                                                     _MONTHLY.search(self.text)):
            self.use(change[0], series_word)   # 今年以来每月 / 今年以来月度走势: a series from January
            start = f"{pd.Period(last, 'M').year}-01"
            return Time("series", last, max(start, first) if first else start, f"{start} 至 {last} 每月"), None
        if change is not None:
            self.use(change[0])
            kind = change[1].payload[0]
            base_month = pd.Period(month, "M")
            prior = {"mom": base_month - 1, "yoy": base_month - 12,
                     "qoq": pd.Period(f"{base_month.year}-{(base_month.quarter - 1) * 3:02d}", "M")
                     if base_month.quarter > 1 else pd.Period(f"{base_month.year - 1}-12", "M"),
                     "ytd": pd.Period(f"{base_month.year - 1}-12", "M")}[kind]
            if len(months) >= 2:   # 同比：2026-10 对 2025-10 — the earlier month is the base, in either order
                said = sorted(t.payload[0] for _, t in months)
                prior, month = pd.Period(said[0], "M"), said[-1]
            elif len(months) == 1 and last:
                implied = {"mom": pd.Period(last, "M") - 1, "yoy": pd.Period(last, "M") - 12,
                           "ytd": pd.Period(f"{pd.Period(last, 'M').year - 1}-12", "M")}.get(kind)
                said = months[0][1]
                as_base = len(said.payload) == 3 or _SAID_AS_BASE.search(self.text[max(0, said.start - 3):said.end + 4])
                # 与去年同期相比…同比: the month named is the base; 2026年9月的环比 asks for September's own
                if implied is not None and str(implied) == month and as_base:
                    prior, month = implied, last
            if first and str(prior) < first:
                return Time(), f"数据从 {first} 开始，没有 {prior} 的数据，无法计算{change[1].text}。"
            names = {"mom": "环比", "yoy": "同比", "qoq": "较上季度末", "ytd": "较上年末"}
            return Time("change", month, str(prior), f"{month} {names[kind]}（对比 {prior}）"), None
        if series is not None:
            self.use(series[0], series_word)
            start, end, *picked = series[1].payload
            start = max(start, first) if first else start
            end = min(end, last) if last else end
            if end < start:
                return Time(), f"数据只有 {first} 至 {last}，没有 {series[1].text} 的数据。"
            if picked:   # 每个季度末: the quarter ends within the data
                months = tuple(m for m in picked[0] if start <= m <= end)
                if not months:
                    return Time(), f"数据只有 {first} 至 {last}，没有 {series[1].text} 的数据。"
                missing = [m for m in picked[0] if m not in months]   # said, but before or after the data
                note = f"；{'、'.join(missing)} 不在数据范围（{first} 至 {last}）内" if missing else ""
                return Time("series", months[-1], months[0], f"{'、'.join(months)}（各季度末{note}）", months), None
            return Time("series", end, start, f"{start} 至 {end} 每月"), None
        if series_word is not None and (months or _MONTHLY.search(self.text)):
            self.use(series_word)
            if len(months) >= 2:
                self._use_ranges_between(months)
                return Time("series", months[-1][1].payload[0], months[0][1].payload[0],
                            f"{months[0][1].payload[0]} 至 {months[-1][1].payload[0]} 每月"), None
            until_now = next((k for k, t in enumerate(self.toks) if t.kind == "asof" and months and k > months[0][0]),
                             None)
            if months and until_now is not None:   # 今年1月至今逐月: from the month named to the 基准月
                self.use(until_now, *[k for k in range(months[0][0], until_now) if self.kinds(k) == "range"])
                start = months[0][1].payload[0]
                return Time("series", last, start, f"{start} 至 {last} 每月"), None
            start = str(pd.Period(last, "M") - 11)
            start = max(start, first) if first else start
            return Time("series", last, start, f"{start} 至 {last} 每月"), None
        if len(months) >= 2 and re.search(r"到|至|~|-|之间", self.text):
            self._use_ranges_between(months)
            a, b = sorted(t.payload[0] for _, t in months)
            return Time("series", b, a, f"{a} 至 {b} 每月"), None
        # 2026年8月和9月: two months said side by side (not 年初（2026年1月）, one month restated)
        said = sorted({t.payload[0] for (i, t), (j, u) in zip(months, months[1:]) if j == i + 2 and self.kinds(i + 1) == "and"
                       for t in (t, u)})
        if len(said) == 2 and compare is not None:   # 2026年9月和8月的AUM对比: the later month against the earlier
            self.use(compare)
            return Time("change", said[1], said[0], f"{said[1]} 对比 {said[0]}"), None
        each = re.search(r"分别|各自|各是|各为|各有", self.text)
        if len(said) >= 2 and each:   # 2025年10月和2026年10月的总资产分别是多少: each month's figure
            return Time("series", said[-1], said[0], "、".join(said), tuple(said)), None
        if len(said) >= 2:   # two months and no way to put them together: one of them would be answered silently
            return Time(), (f"问题里有{len(said)}个月份（{'、'.join(said)}），没有说明是对比还是逐月：请说“{said[-1]} 对比 "
                            f"{said[0]}”或“{said[0]} 至 {said[-1]} 每月”。")
        now = [i for i, t in enumerate(self.toks) if t.kind == "asof"]
        if len({t.payload[0] for _, t in months}) == 1 and now and month != last and (
                (len(re.findall(r"多少|几", self.text)) >= 2 and re.search(r"[、，,；;]", self.text))
                or (each and any(self.toks[i].text in ("现在", "目前", "当前", "如今", "眼下") for i in now))):
            # 现在存款多少、上个月多少 / 去年同期和现在分别是多少: the figure in each of the two months said
            self.use(*now)
            picked = tuple(sorted({month, last}))
            return Time("series", picked[-1], picked[0], "、".join(picked), picked), None
        if months and month != last:
            return Time("month", month, None, month), None
        for i, t in enumerate(self.toks):
            if t.kind == "asof":
                self.use(i)
        return Time(), None

    def _use_ranges_between(self, months):
        """从2025年5月到2026年4月: the 到 between two months belongs to the span."""
        last = months[-1][0]
        self.use(*[k for k, t in enumerate(self.toks) if t.kind == "range" and months[0][0] < k < last])
        if len(months) > 1 and self.kinds(last + 1) == "range" and self.toks[last + 1].text in ("之间", "区间"):
            self.use(last + 1)   # 2025年10月到2026年3月之间

    # -- measures ----------------------------------------------------------------------------------
    def measure_words(self, conds):
        toks = self.toks
        for i, t in enumerate(toks):
            if i in self.used_idx:
                continue
            if t.kind == "count" and any(self.kinds(k) == "dim" and self._members_counted(k) for k in (i - 1, i + 1)):
                self.use(i)   # 有几个支行: the dimension's members are counted (below), not customers
                continue
            if t.kind == "count" and self.kinds(i + 1) == "product_word" and toks[i + 1].start == t.end:
                # 客户有多少种产品: products counted, not customers — per customer, or the kinds there are?
                self.missing = "没有说明是问人均持有几种产品，还是持有某几种产品的客户有多少（例如“人均持有几种产品”）"
                continue
            if t.kind == "count":
                self.use(i)
                # 几个客群里面哪个…最高: "which of the groups", not a head count
                among = self.kinds(i + 1) in ("dim", "customer") and any(
                    x.kind == "which" or (x.kind == "dim" and x.text.startswith("哪")) for x in toks[i + 1:])
                if not among and Agg("count") not in self.measures:
                    self.measures.append(Agg("count"))
            elif t.kind == "agg" and t.payload[0] == "avg":
                j = next((k for k in range(i + 1, min(len(toks), i + 4)) if toks[k].kind == "numeric"
                          and k not in self.used_idx), None)
                if j is not None:
                    self.use(i, j)
                    self._add(Agg("avg", toks[j].payload[0]))
            elif t.kind == "numeric":
                column = t.payload[0]
                # (not across a pause: 在资产100万及以上的前提下，资产规模排前五 asks for the sum)
                near = [k for k in (i - 2, i - 1, i + 1) if 0 <= k < len(toks) and k in self.used_idx
                        and toks[k].kind in ("numeric", "num", "cmp", "neg") and any(
                            c["column"] == column and c["pos"] in (k, k - 1, k + 1) for c in conds)
                        and not any(toks[x].kind == "and" and toks[x].text in "，,；;" for x in range(min(k, i), max(k, i)))]
                if near and not (i > 0 and toks[i - 1].kind == "agg"):
                    self.use(i)   # 登录 手机银行 登录次数为0: one condition said with several words
                    continue
                if (self.kinds(i + 1) == "rate" or (self.kinds(i + 1) == "value" and not self._grouping_word_after(i))
                        or (self.kinds(i + 1) == "dim" and toks[i + 1].payload[0] in ("customer_tier", "asset_level"))) \
                        and toks[i + 1].start == t.end:   # 手机银行活跃率 / 按AUM分层: the word qualifies the next
                    self.use(i)   # 手机银行活跃客户: the word qualifies the value, it is not a measure
                    continue
                if self.kinds(i + 1) == "group" and toks[i + 1].text in ("构成", "结构") and self.kinds(i + 2) == "denom":
                    self.use(i, i + 1, i + 2)   # AUM构成里基金余额占比: the balances over this measure
                    self._add(Agg("sum", column))
                    continue
                sorting = any(toks[k].kind in ("rank", "most", "top") for k in range(i + 1, min(len(toks), i + 4)))
                if self._grouping_word_after(i) and column in _BAND_OF and not sorting:   # 按资产规模排: a sort
                    self.use(i)
                    self.groups.append(_BAND_OF[column])
                    continue
                agg = None
                if i > 0 and toks[i - 1].kind == "agg":
                    agg = toks[i - 1].payload[0]
                    self.use(i - 1)
                elif i + 1 < len(toks) and toks[i + 1].kind == "agg" and toks[i + 1].payload[0] == "sum":
                    agg = "sum"   # 登录总次数
                    self.use(i + 1)
                else:   # 一共来了多少次 / 加起来: a total said elsewhere in the question
                    # …but not the 平均 of 总资产和平均资产: an agg right before another measure is that one's
                    spare = next((k for k, x in enumerate(toks) if x.kind == "agg" and k not in self.used_idx
                                  and self.kinds(k + 1) != "numeric"), None)
                    if spare is not None:
                        agg = toks[spare].payload[0]
                        self.use(spare)
                self.use(i)
                self._add(Agg(agg or NUMERIC[column].default, column))
            elif t.kind == "rate":
                self.use(i)
                kind, label, payload = t.payload
                if kind == "named":
                    self._add(payload[0])
                    continue
                product = next((toks[k].payload[0] for k in range(i - 1, max(-1, i - 4), -1)
                                if toks[k].kind == "product"), None)
                if product is None:   # 其中持有率最高的是哪个 (after 理财持有率): the rate said before, in this
                    # question (…理财持有率，并指出持有率最高的…) or the last
                    said = [m for m in self.measures if isinstance(m, Share) and m.label.endswith("持有率")] or \
                        [m for m in (self.previous.measures if self.previous is not None else ())
                         if isinstance(m, Share) and m.label.endswith("持有率")]
                    words = [k for k, x in enumerate(toks) if x.kind == "product_word"]
                    if len(said) == 1:
                        self._add(said[0])
                    elif words:   # 各产品的持有率: every product's
                        self.use(*words)
                        for name, held in _PRODUCT_HOLD.items():
                            self._add(Share(held, None, None, f"{name}持有率"))
                    else:
                        self.missing = "没有说明是哪种产品的持有率（存款、理财、基金或保险）"
                    continue
                self.use(*[k for k in range(i - 1, max(-1, i - 4), -1) if toks[k].kind == "product"])
                self._add(Share(_PRODUCT_HOLD[product], None, None, f"{product}持有率"))
            elif t.kind == "dim":
                self.use(i)
                if self._members_counted(i):
                    self._add(Agg("distinct", t.payload[0]))
                    self.use(*[k for k in (i - 1, i + 1) if self.kinds(k) == "members"])
                    continue
                if self.kinds(i - 1) == "neg" and i - 1 not in self.used_idx:   # 按职业（不是职业类型）: not this one
                    self.use(i - 1)
                    continue
                if self.kinds(i + 1) == "range" and toks[i + 1].text == "区间":
                    self.use(i + 1)   # 资产等级区间: part of the dimension's name
                if self._names_members(i):
                    continue
                if t.payload[0] not in self.groups:
                    self.groups.append(t.payload[0])
        # 人均资产和中位数 / 月收入的平均值和标准差: a statistic said after a measure is of that measure's column;
        # 那中位数呢 / 那平均值呢 after 总资产是多少: of the last question's
        said = [m for m in self.measures if isinstance(m, Agg) and m.column in NUMERIC]
        before = [] if self.measures or self.previous is None else \
            [m for m in self.previous.measures if isinstance(m, Agg) and m.column in NUMERIC]
        for i, t in enumerate(toks):
            if i not in self.used_idx and t.kind == "agg" and (
                    (said and t.payload[0] in STATISTICS) or (before and t.payload[0] in (*STATISTICS, "avg", "sum"))):
                self.use(i)
                self._add(Agg(t.payload[0], (said or before)[-1].column))

    def _members_counted(self, i: int) -> bool:
        """北京有多少个网点 / 网点有几家 / 客户分布在几个城市: how many of the dimension's members, not customers."""
        key = self.toks[i].payload[0]
        before, after = self.text[:self.toks[i].start], self.text[self.toks[i].end:]
        return key in COUNTABLE_MEMBERS and not _MEMBERS_AFTER.match(after) and bool(
            _HOW_MANY_BEFORE.search(before) or _HOW_MANY_AFTER.match(after))

    def _names_members(self, i: int) -> bool:
        """一线城市那几家支行的资产加起来 / 北京那两个支行的客户: a dimension word right after a value (a count
        between at most) names the value's members, it asks for no grouping — unless the question groups,
        ranks or asks which."""
        j = i - 1 - (self.kinds(i - 1) == "num")
        j -= self.kinds(j) == "filler" and self.toks[j].text in ("这", "那")   # 金融从业者或企业高管这两类职业类型
        if self.kinds(j) != "value":
            return False
        # 北京两家支行…登录次数最多的前3位客户: customers are ranked, the branches only say where
        ranks_customers = self._ranks_customers()
        if self.toks[j].payload[0] == self.toks[i].payload[0]:
            return ranks_customers   # 金融从业者和企业高管这两类职业类型里…前8位客户: the kind of the values, no grouping
        # 北京两家支行的客户，按职业类型拆一下: another dimension is the grouping asked for
        grouped_by_other = any(t.kind == "dim" and t.payload[0] != self.toks[i].payload[0]
                               and self._grouped_explicitly(t.payload[0]) for t in self.toks) \
            and not self._grouped_explicitly(self.toks[i].payload[0])
        return ranks_customers or grouped_by_other or not any(
            t.kind in ("group", "which", "most", "rank", "top", "compare") for t in self.toks)

    def _ranks_customers(self) -> bool:
        """…登录次数最多的前3位客户 / …前8位客户是哪些: customers ranked (a list of them), nothing grouped or compared."""
        ranked = [k for k, t in enumerate(self.toks) if t.kind in ("most", "top", "rank")]
        after = next((k for k in range(ranked[0] + 1, len(self.toks)) if self.kinds(k) == "customer"), None) if ranked else None
        return after is not None and not any(
            t.kind in ("group", "compare") or (t.kind == "which" and k < after) for k, t in enumerate(self.toks))

    def _add(self, m):
        if m not in self.measures:
            self.measures.append(m)

    def _grouping_word_after(self, i: int) -> bool:
        nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
        prev = self.toks[i - 1] if i > 0 else None
        return bool((nxt and nxt.kind == "group" and nxt.text in ("分布", "结构", "构成", "分组", "分档"))
                    or (prev and prev.kind == "group" and prev.text in ("按", "按照", "各", "不同", "分")))

    def _dim_next_to_value(self, key: str, conds) -> bool:
        """Is the word naming dimension `key` right beside one of its values (职业类型为企业高管)?"""
        on_key = [c for c in conds if _condition_on(c, key)]
        spots = {c["pos"] for c in on_key}
        # 客户等级（普通、潜力、临界、高净值）: the groups listed, not one filter — but 婚姻状况既非已婚也非离异
        # excludes values, it lists no groups
        if len(spots) != 1 and not (on_key and all(c["neg"] for c in on_key)):
            return False
        for i, t in enumerate(self.toks):
            if t.kind == "dim" and t.payload[0] == key:
                near = {i - 1, i + 1, i - 2, i + 2, i + 3}   # 婚姻状况既非已婚: 既 and 非 between
                if any(p in near and all(self.kinds(k) in ("de", "customer", "neg", "both", "scope") for k in range(min(p, i) + 1, max(p, i)))
                       for p in spots):
                    return True
        return False

    def _values_run_on(self, c: dict, conds: list[dict]) -> bool:
        """Another value of c's column follows c, with only 、/和 between (已婚、未婚、离异)."""
        k = c["pos"] + 1
        while self.kinds(k) == "and" and self.toks[k].text not in "，,":
            k += 1
        return any(o["pos"] == k and o["column"] == c["column"] for o in conds)

    def _drop_examples(self, conds: list[dict]) -> list[dict]:
        """按职业（律师、教师这种）来看: values listed as examples of the column grouped by name the groups'
        kind; they filter nothing. Without that grouping (律师这种客户有多少) 这种 points at the value."""
        for e, t in enumerate(self.toks):
            if t.kind != "example":
                continue
            self.use(e)
            run, k = [], e - 1
            while k >= 0 and self.kinds(k) in ("value", "and", "filler"):
                run += [c for c in conds if c["pos"] == k]
                k -= 1
            if run and all(c["column"] in self.groups for c in run):
                conds = [c for c in conds if c not in run]
        return conds

    def _head_noun_of_list(self, column: str, cs: list[dict]) -> None:
        """一线、二线和三线这三档城市: the dimension word after a counted list names the listed values,
        so the groups are theirs (city levels), not that word's own column (cities)."""
        last = max(c["pos"] for c in cs)
        j = next((k for k in range(last + 1, min(len(self.toks), last + 4)) if self.kinds(k) == "dim"), None)
        if j is None or self.toks[j].payload[0] not in self.groups or self.toks[j].payload[0] == column:
            return
        between = [self.kinds(k) for k in range(last + 1, j)]
        if "num" in between and all(k in ("num", "filler") for k in between):
            self.groups.remove(self.toks[j].payload[0])
            self.use(j, *range(last + 1, j))

    def compare_to_groups(self, conds, comparing):
        """已婚和未婚对比 / 三线跟二线比 / 各等级（普通、潜力…）: several values of one column become a grouping
        (filtered to the values named); a dimension word beside one value (职业为教师) only names it."""
        conds = self._drop_examples(conds)
        # 已婚未婚离异各多少个: a value run on from the dimension's own word, then 各, finishes listing its groups
        # (已婚未婚离异 理财持有率分别多少: 分别 may come later)
        # (婚姻状况离异，按总资产从高到低…: that 按 orders by a figure); several values run on
        # (婚姻状况已婚、未婚、离异的客户各有多少) are the groups named, read below
        conds = [c for c in conds if not (
            c["column"] in self.groups and self.kinds(c["pos"] - 1) == "dim"
            and any(self.kinds(k) == "group" and not (self.toks[k].text in ("按", "按照") and self.kinds(k + 1) == "numeric")
                    for k in range(c["pos"] + 1, len(self.toks)))
            and self.toks[c["pos"] - 1].payload[0] == c["column"] and self.toks[c["pos"] - 1].end == self.toks[c["pos"]].start
            and not self._values_run_on(c, conds))]
        asked = comparing or any(t.kind in ("group", "which", "most", "rank", "top") for t in self.toks)
        for g in list(self.groups):
            on_g = [c for c in conds if _condition_on(c, g)]
            if on_g and all(c["neg"] for c in on_g) and self._grouped_explicitly(g):
                continue   # 按阶段分组，剔除流失客户: the other groups stay
            if on_g and (not asked or self._dim_next_to_value(g, conds)):
                self.groups.remove(g)
        by_column = {}
        for c in conds:
            if isinstance(c["node"], Eq) and not c["neg"]:
                by_column.setdefault(c["column"], []).append(c)
            elif isinstance(c["node"], Contains) and not c["neg"]:   # 在绍兴、深圳和广州当中: cities compared
                by_column.setdefault("city", []).append(c)
        for column, cs in by_column.items():
            several = len({repr(c["node"]) for c in cs}) >= 2   # 上海（上海）: one value said twice is one
            if several:
                self._head_noun_of_list(column, cs)
            other = [g for g in self.groups if g != column]   # 一线和二线城市中客户最多的网点: groups 网点
            # 已婚、未婚、离异三类客户，人均…: the values counted right after the list are its groups
            last = max(c["pos"] for c in cs)
            counted = self.kinds(last + 1) == "num" and self.toks[last + 1].payload[1] in ("类", "种", "档", "组") \
                and int(self.toks[last + 1].payload[0]) == len({repr(c["node"]) for c in cs}) \
                and not re.search(r"加起来|合起来|合计|一共|总共|都算|合并", self.text)
            if several and not other and not self._ranks_customers() and (
                    comparing or counted or any(t.kind in ("group", "most") for t in self.toks)):
                if counted:
                    self.use(last + 1)
                if column not in self.groups:
                    self.groups.append(column)
                keep = [c for c in conds if c not in cs]
                if column == "city":
                    node = Or(tuple(c["node"] for c in cs))
                else:
                    values = tuple(v for c in cs for v in c["node"].values)
                    node = Eq(column, values, "、".join(values))
                keep.append({"pos": cs[0]["pos"], "node": node, "column": column, "neg": False, "joiner": None})
                conds = sorted(keep, key=lambda c: c["pos"])
                named = list(dict.fromkeys(v for c in sorted(cs, key=lambda c: c["pos"]) for v in (
                    c["node"].values if isinstance(c["node"], Eq) else (c["node"].text,))))
                if len(named) == 2 and any(t.kind == "compare" and t.payload for t in self.toks):
                    self.contrast = (column, tuple(reversed(named)) if self._asks_less() else tuple(named))
                for i, t in enumerate(self.toks):
                    if t.kind == "compare":
                        self.use(i)
        return conds

    # -- shares --------------------------------------------------------------------------------------
    def _separated(self, p: int, q: int) -> bool:
        """Is there a boundary (的, 有/持有, 在, a comma, 客户) between token positions p < q?
        Inside 既…又… / 同时 the holding verbs join one condition."""
        both = any(t.kind == "both" for t in self.toks)
        for k in range(p + 1, q):
            t = self.toks[k]
            if t.kind in ("de", "zai", "customer") or (t.kind == "hold" and not both) or \
                    (t.kind == "and" and t.text in "，,"):
                return True
        return False

    def _runs(self, conds: list[dict]) -> list[list[dict]]:
        runs: list[list[dict]] = []
        for c in sorted(conds, key=lambda c: c["pos"]):
            if runs and not self._separated(runs[-1][-1]["pos"], c["pos"]):
                runs[-1].append(c)
            else:
                runs.append([c])
        return runs

    def share(self, conds) -> Share | None:
        """占比 with its numerator and denominator (the grammar of 里/中/在…中/占/全行)."""
        toks = self.toks
        at = next((i for i, t in enumerate(toks) if t.kind == "share"), None)
        if at is None:
            at = self._of_how_much()
        if at is None:
            return None
        self.use(at)
        money = list(dict.fromkeys(m for m in self.measures if isinstance(m, Agg) and m.kind == "sum"
                                   and NUMERIC[m.column].fmt == "money"))   # AUM占全行AUM: one measure said twice
        if len(money) >= 2 and Agg("sum", "total_assets") in money:
            # 各产品余额占AUM的比例: each balance over the AUM
            self.measures = [Share(None, None, m.column, f"{NUMERIC[m.column].label}占AUM比例", "total_assets")
                             for m in money if m.column != "total_assets"]
            return None
        of_column = money[0].column if money else None
        if of_column:
            self.measures = [m for m in self.measures if m != money[0]]
        label = ("资产占比" if of_column == "total_assets" else f"{NUMERIC[of_column].label}占比") if of_column else "客户占比"
        # 一线城市客户有多少，其中高净值占比多少: a count asked in its own clause before the share is asked too
        count_at = next((i for i, t in enumerate(toks) if t.kind == "count"), None)
        apart = count_at is not None and count_at < at and any(
            toks[k].kind == "and" and toks[k].text in "，,；;" for k in range(count_at + 1, at))
        if self.measures == [Agg("count")] and not self.groups and not apart:
            self.measures = []
        first = lambda kind: next((i for i, t in enumerate(toks) if t.kind == kind and i < at), None)
        denom_at, of_at = first("denom"), first("of")
        # 所有二线城市: 所有 quantifies the value after it; only a bare 全行/所有客户 is the whole bank
        all_at = next((i for i, t in enumerate(toks) if t.kind == "all" and self.kinds(i + 1) != "value"
                       and not (self.against_all and self.against_all[0] <= t.start < self.against_all[1])), None)
        self.use(denom_at, of_at, all_at, *[i for i, t in enumerate(toks) if t.kind == "all"])
        # values of a grouped column list the groups, and what follows 限/只看 scopes the population:
        # neither is a numerator or a denominator
        scope = min((i for i, t in enumerate(toks) if t.kind == "scope"), default=len(toks))
        self.use(scope)
        # 仅统计70岁及以上客户，当前持有基金的比例: the scope runs to the end of its clause; the share follows it
        scope_end = len(toks) if scope == len(toks) else next(
            (k for k in range(scope + 1, at) if toks[k].kind == "and" and toks[k].text in "，,；;"), len(toks))
        # 月收入缺失的不算进分母 (月收入非空) leaves customers out of the whole question, the denominator too
        free = [c for c in conds if c["column"] not in ("customer_id", "cohort") and c["column"] not in self.groups
                and not scope <= c["pos"] < scope_end and not isinstance(c["node"], Known)]
        if not free and self.subject is not None and not self.groups:
            return Share(self.subject, None, of_column, label)
        this_one = self._share_of_this_one(of_column, label)
        if this_one is not None:
            return this_one
        if not free:
            return Share(None, None, of_column, label) if self.groups else None
        lead_at = next((i for i, t in enumerate(toks) if t.kind == "denom_lead"), None)
        num_lead = next((i for i, t in enumerate(toks) if t.kind == "num_lead"), None)
        self.use(lead_at, num_lead)
        if num_lead is not None and any(c["pos"] > num_lead for c in free):
            # 分母为…，分子为…: the denominator is what follows its word (up to 分子); the rest is counted
            end = num_lead if lead_at is not None and lead_at < num_lead else len(toks)
            den = [c for c in free if lead_at is not None and lead_at < c["pos"] < end]
            num = [c for c in free if c not in den]
        elif lead_at is not None and any(c["pos"] > lead_at for c in free):
            # 已婚的比例，分母用三线城市的客户 / 分母为全部客户，60岁及以上客户占比: the denominator runs to the
            # end of its clause
            pause = next((k for k in range(lead_at + 1, len(toks)) if toks[k].kind == "and" and toks[k].text in "，,；;"),
                         len(toks))
            den = [c for c in free if lead_at < c["pos"] < pause]
            num = [c for c in free if c not in den]
        elif of_at is not None and all_at is None and any(c["pos"] > of_at for c in free):
            num = [c for c in free if c["pos"] < of_at]            # 女性客户占已婚客户的比例
            den = [c for c in free if c["pos"] > of_at]
        elif all_at is not None and not (denom_at is not None and "分母" in toks[denom_at].text):
            num, den = [c for c in free if c["pos"] < all_at] or free, []   # …在全行中的份额
        elif denom_at is not None:
            after = [c for c in free if c["pos"] > denom_at]
            if after:                                               # 绍兴的30岁以下客户里 | 高净值 的比例
                num, den = after, [c for c in free if c["pos"] < denom_at]
            else:                                                   # 高净值 在 年满50岁的离异客户中 占多少
                zai = max((i for i, t in enumerate(toks) if t.kind == "zai" and i < denom_at), default=None)
                before = self._runs([c for c in free if c["pos"] < denom_at])
                den = [c for c in free if zai < c["pos"] < denom_at] if zai is not None else \
                    (before[-1] if before else [])
                num = [c for c in free if c not in den]
        else:
            zai = max((i for i, t in enumerate(toks) if t.kind == "zai" and i < at), default=None)
            before = [c for c in free if c["pos"] < at]
            if zai is not None and any(c["pos"] > zai for c in before) and any(c["pos"] < zai for c in before):
                den = [c for c in before if c["pos"] > zai]            # 江汉支行的资产在二线城市占几成
                num = [c for c in free if c not in den]
            else:
                runs = self._runs(before or free)                   # 百分之多少的西安的客户持有基金
                num = runs[-1] if runs else free                    # 三线城市的高净值占比: 高净值
                # 天河支行高净值占比: a place leading the numerator is where the share is taken
                lead = next((k for k, c in enumerate(num) if c["column"] not in _PLACE_COLUMNS), 0)
                num = num[lead:]
                den = [c for c in free if c not in num]
        if not num and den and not self.groups:
            # 企业高管有多少 → 其中活跃的呢 → 占企业高管的比例: the last population over the one named now
            prev = self.previous.where if self.previous is not None else None
            rest = [n for n in conjuncts(prev) if not any(_same_condition(n, c["node"]) for c in den)]
            if not rest:
                self.missing = "只说了占比的分母，没有说明是哪部分客户的占比（例如“其中活跃客户占企业高管的比例”）"
                return None
            numerator = conjoin(*rest)
            self.took_previous = True   # the last question is used up here: follow_up adds nothing more
            return Share(numerator, None, of_column, label if of_column else f"{describe(numerator)}占比")
        if not num:
            return Share(None, None, of_column, label) if self.groups else None
        self.numerator_at += [c["pos"] for c in num]
        for c in num:
            c["in_share"] = True
        for c in conds:   # the same condition said twice stays the numerator's (unless said as the denominator)
            if c not in den and any(c["node"] == n["node"] for n in num):
                c["in_share"] = True
        num_node = conjoin(*self.combine(num)[0])
        den_node = conjoin(*self.combine(den)[0]) if den else None
        if den_node is not None and not self.groups:
            den_node = None   # the denominator is the population the whole answer is about (WHERE)
        if of_column is None:
            label = f"{describe(num_node)}占比"
        return Share(num_node, den_node, of_column, label)

    def _each_product_counted(self, conds: list[dict], share, time: Time) -> list[dict]:
        """存款、理财、基金、保险各自的持有人数 / 理财和基金分别有多少人持有: each listed product's holders, one
        count per product (not the customers holding all of them, nor any of them)."""
        held = [c for c in conds if c.get("product") and not c["neg"]]
        if len(held) < 2 or share is not None or self.groups or time.kind == "change" \
                or not _EACH.search(self.text) or any(m != Agg("count") for m in self.measures):
            return conds
        self.measures = [Share(c["node"], None, None, f"{describe(c['node'])}客户数", counted=True) for c in held]
        return [c for c in conds if c not in held]

    def _count_of_numerator(self) -> None:
        """理财客户里，同时也买了基金的有多少人？占比多少 / 老年客群里活跃客户有多少？活跃率多少: the count is of the
        numerator said before it, not of the whole population."""
        count_at = next((i for i, t in enumerate(self.toks) if t.kind == "count"), None)
        shares = [m for m in self.measures if isinstance(m, Share) and m.numerator is not None]
        share_at = next((i for i, t in enumerate(self.toks) if t.kind in ("share", "rate", "of")), None)
        if count_at is None or len(shares) != 1 or self.groups or not any(p < count_at for p in self.numerator_at):
            return
        s = shares[0]
        counted = Share(s.numerator, s.denominator, None, f"{describe(s.numerator)}客户数", counted=True)
        if Agg("count") in self.measures:
            self.measures[self.measures.index(Agg("count"))] = counted
        elif share_at is not None and count_at < share_at:   # 有多少人？占…的比例是多少: both asked
            self.measures.insert(0, counted)

    def _of_how_much(self) -> int | None:
        """南山支行的AUM占整个一线城市AUM多少: 占 … 多少 asks for a share as 占比 does (the position of 多少)."""
        of = next((i for i, t in enumerate(self.toks) if t.kind == "of"), None)
        if of is None or not _HOW_MUCH_END.match(self.text[self.toks[-1].end:]):
            return None
        if all(self.kinds(k) in ("value", "numeric", "de", "customer", "all", "and") for k in range(of + 1, len(self.toks))):
            return of
        return None

    def _rank_of(self, conds: list[dict]) -> list[dict]:
        """杭州西湖支行的AUM在15家支行里排第几: the branch is not a filter but the group whose place is asked;
        its dimension's groups are ranked and its place is said."""
        if not _RANK_OF.search(self.text):
            return conds
        named = [c for c in conds if not c["neg"] and (
            (isinstance(c["node"], Eq) and len(c["node"].values) == 1 and c["column"] in COUNTABLE_MEMBERS)
            or (isinstance(c["node"], Contains) and c["column"] == "branch_name"))]
        if not named:
            return conds
        c = named[-1]
        self.rank_key = "city" if isinstance(c["node"], Contains) else c["column"]
        self.rank_member = c["node"].text if isinstance(c["node"], Contains) else c["node"].values[0]
        if self.rank_key not in self.groups:
            self.groups.insert(0, self.rank_key)
        self.use(*[i for i, t in enumerate(self.toks) if t.kind == "dim" and t.payload[0] == self.rank_key])
        return [x for x in conds if x is not c]

    def _against_everyone(self, query: Query) -> Query | None:
        """绍兴越城支行的客户平均持有几种产品？比全行平均少多少种: the measure for the population asked about and
        for every customer, side by side, with the difference in the direction asked (少/低: everyone's minus
        theirs, so the gap is said as a positive number)."""
        if len(query.measures) != 1 or query.group_by or query.customers or query.time.kind not in ("asof", "month"):
            return None
        m = query.measures[0]
        if isinstance(m, Agg) and query.where is not None:
            who = describe(query.where)
            theirs, everyone = replace(m, where=conjoin(query.where, m.where)), m
        elif isinstance(m, Share) and not m.counted and (query.where or m.denominator) is not None:
            # 成都高新支行的客户里流失预警占多少，全行的这个比例呢: the branch is the share's own denominator
            who = describe(conjoin(query.where, m.denominator))
            label = m.label.removeprefix(describe(query.where)) if query.where is not None else m.label
            theirs = replace(m, denominator=conjoin(query.where, m.denominator), label=f"{who}{label}")
            everyone = replace(m, denominator=None, label=f"全行{label}")
        else:
            return None
        for i, t in enumerate(self.toks):
            if t.kind in ("compare", "all"):
                self.use(i)
        pair = [(theirs, who), (everyone, "全行")]
        if self._asks_less():
            pair.reverse()
        return Query([pair[0][0], pair[1][0]], None, [], None, False, query.time,
                     contrast=(pair[0][1], pair[1][1]))

    def _share_of_this_one(self, of_column, label) -> Share | None:
        """成都高新支行有消费的客户有几个 → 占这家支行全部客户的比例呢: the last population over the part of
        it that 这家支行 / 该城市 points back to."""
        said = _THIS_ONE.search(self.text)
        prev = self.previous
        if said is None or prev is None or prev.where is None or prev.group_by:
            return None
        key = next((p[0] for kind, p in self.lex.entries.get(said.group(1), []) if kind == "dim"), None)
        items = [{"node": n, "column": leaves(n)[0].column} for n in conjuncts(prev.where)]
        den = [c["node"] for c in items if key is not None and _condition_on(c, key)]
        num = [c["node"] for c in items if c["node"] not in den]
        if not den or not num:
            return None
        self.took_previous = True
        numerator = conjoin(*num)
        return Share(numerator, conjoin(*den), of_column, label if of_column else f"{describe(numerator)}占比")

    def _counted_at(self, i: int) -> bool:
        """Is the value at i followed by a how-many (活跃客户多少 / 高净值有几个)?"""
        return re.match(r"\s*(?:的)?(?:客户)?\s*(?:数|(?:有|是)?\s*(?:多少|几)\s*(?:个|位|人|户)?)",
                        self.text[self.toks[i].end:]) is not None

    def _two_sides(self, conds: list[dict]) -> tuple[list, list] | None:
        """持有理财的客户比持有基金的客户多多少 / 活跃和非活跃客户人均AUM相差多少: the conditions said before 比
        (or 和) and those after it are two populations set against each other. (Two values of one column are
        two groups, compare_to_groups.)"""
        toks = self.toks
        asked = next((i for i, t in enumerate(toks) if t.kind == "compare" and t.payload), None)
        each = asked is None
        if each:   # 持有保险的客户和持有理财的客户平均月收入各是多少: each side's figure
            asked = next((i for i, t in enumerate(toks) if t.kind == "group" and t.text in ("各", "分别", "各自")
                          and self.kinds(i + 1) not in ("dim", "value")), None)
        if asked is None or self.contrast or self.groups or self.customers_list:
            return None
        pivot = next((i for i, t in enumerate(toks) if i < asked and t.kind == "compare" and not t.payload), None)
        if pivot is None:
            pivot = next((i for i, t in enumerate(toks) if i < asked and t.kind == "and" and t.text in ("和", "与", "跟", "同")),
                         None)
        if each and pivot is not None and "product" in (self.kinds(pivot - 1), self.kinds(pivot + 1)):
            return None   # 同时持有存款和理财的客户: a list of products held, not two populations
        own = [c for c in conds if c["column"] != "customer_id" and not c.get("in_share")]
        first = [c for c in own if pivot is not None and c["pos"] < pivot]
        second = [c for c in own if pivot is not None and pivot < c["pos"] < asked]
        # …人均资产高多少？限定已婚客户: who both sides are, said after the question
        scoped = next((i for i, t in enumerate(toks) if i > asked and t.kind == "scope"), None)
        common = [c for c in own if scoped is not None and c["pos"] > scoped]
        if not first or not second or len(first) + len(second) + len(common) != len(own) or self.shares_asked():
            return None
        columns = {c["column"] for c in second}
        if columns < {c["column"] for c in first}:   # 广州天河的高净值客户比深圳南山多几个: 高净值 on both sides
            first = [c for c in first if c["column"] in columns]
        if len(first) == len(second) == 1 and first[0]["column"] == second[0]["column"] and not first[0]["neg"] \
                and not second[0]["neg"] and isinstance(first[0]["node"], (Eq, Contains)):
            return None   # 已婚比未婚: two groups of one column (compare_to_groups), with every group's figures
        self.use(pivot, asked)
        return first, second

    def _share_named_before_change(self) -> bool:
        """高净值占比较上个月变动了多少: a share named before the change is the figure compared (增长的比例 after it is
        the change's own rate)."""
        change = next((i for i, t in enumerate(self.toks) if t.kind == "change_word"), len(self.toks))
        return any(t.kind == "share" and t.text in _NAMED_SHARES for t in self.toks[:change])

    def shares_asked(self) -> bool:
        return any(t.kind in ("share", "rate") for t in self.toks)

    def _between(self, query: Query, sides: tuple[list, list]) -> Query | None:
        """The one measure asked, for each of the two populations, with the first minus the second (or the
        second minus the first when 少/低 is asked, so the gap is said as a positive number). None when more
        than one measure, or no plain measure, is asked."""
        if len(query.measures) == 2 and all(isinstance(x, Share) and x.counted for x in query.measures):
            return query   # 持有理财的客户和持有基金的客户各有多少: each population's count, already read
        if len(query.measures) != 1 or not isinstance(query.measures[0], Agg):
            return None
        m = query.measures[0]
        populations = [conjoin(*self.combine(side)[0]) for side in sides]
        pair = [(replace(m, where=conjoin(who, m.where)), describe(who)) for who in populations]
        if self._asks_less():
            pair.reverse()
        return replace(query, measures=[pair[0][0], pair[1][0]], contrast=(pair[0][1], pair[1][1]))

    def _asks_less(self) -> bool:
        """少多少 / 低了几个百分点: the difference is asked for the smaller side."""
        return any(t.kind == "compare" and t.payload == ("difference",) and t.text.startswith(("少", "低"))
                   for t in self.toks)

    def _compared_with_previous(self, query: Query) -> Query | None:
        """北京的AUM是多少 → 和上海比，哪个多: the value named now beside the one asked about, as two groups of
        the last question's measure."""
        prev = self.previous
        if not any(t.kind == "compare" for t in self.toks) or query.group_by or query.customers:
            return None
        key = _compare_key(query.where)
        items = conjuncts(prev.where)
        same = [n for n in items if key is not None and _compare_key(n) == key and n != query.where]
        if len(same) != 1 or prev.group_by or prev.customers:
            return None
        old = same[0]
        both = Or((old, query.where)) if key == "city" else Eq(key, old.values + query.where.values,
                                                                  f"{old.label}、{query.where.label}")
        said = [m for m in query.measures if m != Agg("count")] or \
            (query.measures if any(t.kind == "count" for t in self.toks) else [])
        self.assumptions.append("承接上一轮的问题，两者对比")
        return Query(said or prev.measures, conjoin(*[both if n is old else n for n in items]), [key],
                     query.order, False, prev.time)

    def _previous_groups(self) -> None:
        """这三类里哪一类人均资产最高 (after 一线、二线、三线城市各有多少客户): 这N类 names the groups just shown."""
        prev = self.previous
        if prev is None or not prev.group_by or self.groups:
            return
        for i, t in enumerate(self.toks):
            if t.kind == "num" and t.payload[1] in _CLASSIFIERS and t.payload[1] and \
                    self.text[max(0, t.start - 1):t.start] in ("这", "那"):
                self.groups = list(prev.group_by)
                self.use(i)
                return

    # -- ranking, argmax and customer lists ------------------------------------------------------------
    def ranking(self):
        toks = self.toks
        most = next(((i, t) for i, t in enumerate(toks) if t.kind == "most"), None)
        top = next(((i, t) for i, t in enumerate(toks) if t.kind == "top"), None)
        rank = next((i for i, t in enumerate(toks) if t.kind == "rank"), None)
        which = next((i for i, t in enumerate(toks) if t.kind == "which"), None)
        lst = next((i for i, t in enumerate(toks) if t.kind == "list"), None)
        n = top[1].payload[0] if top else None
        # "3位客户" / "十个客户": a count right before the customer noun
        count_before_customer = None
        for i, t in enumerate(toks):
            if t.kind == "num" and t.payload[1] in ("位", "个", "名", "户", "家", "人", "") and i not in self.used_idx:
                if t.payload[1] in _PEOPLE or self.kinds(i + 1) in ("customer", "value", "list", "") or \
                        (self.kinds(i + 1) == "and" and toks[i + 1].text in "，,") or \
                        (self.kinds(i + 1) == "de" and self.kinds(i + 2) == "customer") or \
                        (self.kinds(i + 1 + (self.kinds(i + 1) == "filler")) in ("which", "list")):   # 最高的10个是哪些
                    count_before_customer = i
                elif t.payload[1] in ("家", "个") and self.kinds(i + 1) == "dim":
                    count_before_customer = i
        if count_before_customer is not None and (most or top or rank):
            n = n or int(self.toks[count_before_customer].payload[0])
            self.use(count_before_customer)
        for i in (rank, which, lst):
            self.use(i)
        if top:
            self.use(top[0])
        if most:
            self.use(most[0])
        descending = not (most and most[1].payload[0] == "asc")
        if not (most or top or rank or lst):
            return
        listed = [i for i, t in enumerate(toks) if t.kind == "dim" and t.payload[0] in self.groups and self.kinds(i - 1) == "num"]
        if self.groups and count_before_customer is not None and self.toks[count_before_customer].payload[1] in _PEOPLE \
                and listed and not any(self._grouped_explicitly(g) for g in self.groups):
            # 北京朝阳和北京海淀两家支行…总资产最高的10位: people are counted; the branches listed only say who
            self.groups = []
        plural = (which is not None and toks[which].text in ("哪些", "哪几个", "哪几家")) or (
            lst is not None and toks[lst].text in ("有哪些", "是哪些"))
        if self.groups and plural and not top:
            self.order = Order(0, descending, n)   # 哪些网点…从高到低: every group that qualifies, in order
            return
        if self.groups:
            if re.search(r"分布|构成|结构|分别", self.text) and not top:
                # 年龄分布如何？哪个年龄段最多 / 各年龄段分别多少，哪个最高: every group; the text names the top
                return
            # 各网点总资产从高到低排: an order said, every group in it (最高的那个 is the one at the top)
            in_order = most and (rank is not None or re.search(r"到|往|序|→", most[1].text)) and which is None
            if which is not None or most:
                self.order = Order(0, descending, n or (1 if most and not top and not in_order else None))
            else:
                self.order = Order(0, descending, n)
            return
        if self.series:   # 按月列一下: a table of months, never a customer list
            if (most or top) and count_before_customer is not None and \
                    self.toks[count_before_customer].payload[1] in _PEOPLE:
                # 比三个月前总资产跌得最多的5位客户: each customer's own change is not a query this parser builds
                self.missing = ("按每位客户自己在两个月之间的变化排名单（例如“比三个月前总资产跌得最多的客户”）暂不支持；"
                                "可以分别问两个月份的名单，或全行、各组的变化")
                return
            if most or top:   # 哪个月最高: the one month; 从高到低排: every month, ranked
                self.order = Order(0, descending, n or (1 if which is not None and most and not top else None))
            return
        names_customers = any(t.kind == "customer" or (t.kind == "value" and t.text.endswith("客户")) for t in toks)
        if self.previous is not None and self.previous.group_by and not names_customers and (which is not None or most):
            # 其中持有率最低的是哪个 (after a question by city level): the groups just shown
            self.order = Order(0, descending, n or (1 if most and not top else None))
            return
        # 企业主里 信用卡月消费前5: top N of a customer's own figure, with nothing to group by, are customers
        ranks_figures = top is not None and which is None and any(isinstance(m, Agg) and m.column for m in self.measures)
        if most and not top and lst is None and count_before_customer is None and not any(
                isinstance(m, Agg) and m.column for m in self.measures) and most[0] > 0 and (
                toks[most[0] - 1].kind == "customer" or toks[most[0] - 1].text.endswith("客户")):
            # 高净值客户最多的是哪个: most customers is a count, the largest of groups never named (no customer list)
            self.missing = "问的是哪一组的客户最多（或最少），但没有说按什么分组；请说明按网点、城市、职业等哪一项比较"
            return
        if most and not top and lst is None and count_before_customer is None and not ranks_figures and (
                most[1].text.startswith("更") or most[1].text.endswith(("一点", "一些"))):
            # 高净值客户里女性更多？: a comparison with a group not named is no ranking of customers
            self.missing = "问的是某一组是否更多（或更高），但没有说和哪一组比；可以问“高净值客户里男女哪个多”这样的两组比较"
            return
        wants_list = lst is not None or count_before_customer is not None or ((top or most) and names_customers) \
            or ranks_figures
        if wants_list:
            self.customers_list = True
            self.order = Order(0, descending, n or (20 if lst is not None and not (most or top) else 10))

    # -- follow-ups ------------------------------------------------------------------------------------------
    def follow_up(self, query: Query) -> Query:
        prev = self.previous
        if prev is None or self.took_previous:
            return query
        compared = self._compared_with_previous(query)
        if compared is not None:
            return compared
        text = self.text.strip()
        adds = bool(_FOLLOW_ADD.match(text)) or self.elliptical
        swaps = bool(_FOLLOW_SWAP.search(text))
        if not (adds or swaps):
            return query
        measured = {m.column for m in query.measures if isinstance(m, Agg)}
        # 限定为年龄40至49岁: a column named in a condition is no measure said
        said_measure = any(t.kind in ("count", "rate", "agg") or (t.kind == "share" and query.time.kind != "change")
                           or (t.kind == "numeric" and t.payload[0] in measured) for t in self.toks)
        if swaps and not said_measure and query.where is None and query.time.kind == "month" \
                and any(isinstance(n, InMonth) for n in conjuncts(prev.where)):
            # 2026年1月是临界、到基准月成为高净值的有多少人 → 换成2026年7月呢: the cohort's month changes
            self.assumptions.append("承接上一轮的问题，换成另一个月份的客群")
            return replace(prev, where=conjoin(*(replace(n, month=query.time.month) if isinstance(n, InMonth) else n
                                                 for n in conjuncts(prev.where))))
        swapped = None if said_measure or adds else _swap_numerator(prev, query.where)
        if swapped is not None:   # 理财持有率是多少 → 基金呢: the rate's numerator changes, not the population
            query = Query(query.measures, None, query.group_by, query.order, query.customers, query.time)
        new = Query(query.measures if said_measure else (swapped or prev.measures), prev.where, list(prev.group_by),
                    prev.order, prev.customers,
                    prev.time if query.time.kind == "asof" and not any(t.kind == "asof" for t in self.toks)
                    else query.time)
        if query.group_by:
            new.group_by = list(query.group_by)
        if query.order is not None:
            new.order = query.order
        # 那忠诚客户的人均资产比成熟客户高多少: what the follow-up asks of its own groups stays asked
        new.contrast, new.ratio, new.rank_of, new.having = query.contrast, query.ratio, query.rank_of, query.having
        if adds:
            new.where = conjoin(prev.where, query.where)
        elif query.where is not None:
            # 持有基金的客户 → 那理财呢: another product replaces the product held
            replaced = {_family(leaf.column) for leaf in leaves(query.where)}
            kept = [n for n in conjuncts(prev.where) if not ({_family(leaf.column) for leaf in leaves(n)} & replaced)]
            new.where = conjoin(*kept, query.where)
        self.assumptions.append("承接上一轮的问题")
        return new


def _contradiction(query: Query) -> str:
    """北京或上海或深圳、非上海、非北京、非深圳: conditions no customer can meet together (a self-correction
    read as both, or a measure's own population against the question's), named; a 0 would be a wrong figure."""
    for m in query.measures:
        own = m.where if isinstance(m, Agg) else m.numerator if isinstance(m, Share) else None
        said = _contradicting(conjoin(query.where, own))
        if said:
            return said
    return ""


def _contradicting(where) -> str:
    items = conjuncts(where)
    negated = {n.item for n in items if isinstance(n, Not)}
    for n in items:
        if not isinstance(n, Not) and (n in negated or (isinstance(n, Or) and set(n.items) <= negated)):
            return f"{describe(n)}与{'、'.join(describe(Not(i)) for i in (n.items if isinstance(n, Or) else (n,)))}"
    # 高净值 and 普通 (a share's numerator against another population): one column, no value in common
    equal = [n for n in items if isinstance(n, Eq)]
    for k, a in enumerate(equal):
        for b in equal[k + 1:]:
            if a.column == b.column and not set(a.values) & set(b.values):
                return f"{describe(a)}与{describe(b)}"
    return ""


def _compare_key(node) -> str | None:
    """The grouping two values of one kind are compared by: a city (inside branch names) or the column."""
    if isinstance(node, Contains):
        return "city"
    if isinstance(node, Eq) and len(node.values) == 1:
        return node.column
    return None


def _family(column: str) -> str:
    """What a follow-up's condition replaces: any product held stands for the others (基金 → 那理财呢)."""
    return "holding" if column in PRODUCT_FLAGS.values() else column


def _same_condition(a, b) -> bool:
    """The same condition whatever its label (手机银行登录>=1 is 活跃)."""
    if isinstance(a, Cmp) and isinstance(b, Cmp):
        return (a.column, a.op, a.value) == (b.column, b.op, b.value)
    return a == b


def _swap_numerator(prev: Query, said) -> list | None:
    """The previous question's share with `said` as its numerator, when `said` names the same kind of
    thing the numerator did (another product for a holding rate, another tier for a tier's share)."""
    shares = [m for m in prev.measures if isinstance(m, Share) and m.numerator is not None]
    if said is None or len(shares) != 1:
        return None
    old, new = ({leaf.column for leaf in leaves(n)} for n in (shares[0].numerator, said))
    flags = set(PRODUCT_FLAGS.values())
    if not (new <= old or (new <= flags and old <= flags)):
        return None
    m = shares[0]
    label = describe(said).replace("持有", "") + "持有率" if m.label.endswith("持有率") else f"{describe(said)}占比"
    return [Share(said, m.denominator, m.column, label, m.base_column) if x is m else x for x in prev.measures]


def _product_count(op: str, n: int) -> Cmp:
    words = {">=": f"至少{n}种产品", ">": f"超过{n}种产品", "<": f"少于{n}种产品", "<=": f"至多{n}种产品"}
    return Cmp("product_count", op, n, words.get(op, f"持有{n}种产品"))


def _unit_fits(unit: str, column: str) -> bool:
    """Can a number written with this unit be a value of the column (40岁 is an age, not a balance)?"""
    c = NUMERIC[column]
    if unit == "岁":
        return column == "age"
    if unit in _UNITS:
        return c.fmt == "money"
    if unit in ("次", "笔"):
        return c.unit in ("次", "笔")
    return True


def _fmt(value: float, column) -> str:
    if column.fmt == "money":
        if value >= 1e8:
            return f"{value / 1e8:g}亿"
        if value >= 1e4:
            return f"{value / 1e4:g}万"
        return f"{value:g}元"
    return f"{value:g}{column.unit}"
