"""Spreadsheet habits typed as a question, said as the Chinese question they spell.

=COUNTIFS(城市,"北京",总资产,">=500000") is 城市=北京、总资产>=500000的客户数; =AVERAGEIFS(月收入,职业类型,"金融从业者")
is 职业类型=金融从业者的平均月收入; =COUNTIFS(年龄,">=60",保险持有标志,1)/COUNTIFS(年龄,">=60") is a share; 透视表：行=城市级别，
值=总资产求和 is 按城市级别，总资产合计; 筛选 职业=程序员，降序取前10行 is 职业=程序员，从高到低前10. A formula this module
cannot read is dropped when the question also says in words what it asks (…说白了：按职业算平均月收入), and left for the
parser to refuse otherwise.
"""
from __future__ import annotations

import re

_NAMES = (r"COUNTIFS|COUNTIF|SUMIFS|SUMIF|AVERAGEIFS|AVERAGEIF|COUNTA|COUNT|MEDIAN|STDEV\.S|STDEV|MAX|MIN|AVERAGE|SUM|"
          r"INDEX|MATCH|IF")
_FUNCTION = re.compile(rf"(?<![A-Za-z])=?\s*({_NAMES})\s*\(", re.IGNORECASE)
#: where a formula starts: =( arithmetic over calls ), =CALL(, a function only spreadsheets have, or a statistic over IF(
#: (sum(total_assets) / max(monthly_income) without these are SQL said in a sentence, read elsewhere)
_STARTS = re.compile(rf"(?P<arithmetic>=\s*\()|=\s*(?:{_NAMES})\s*\(|(?<![A-Za-z])(?:COUNTIFS|COUNTIF|SUMIFS|SUMIF|AVERAGEIFS|"
                     r"AVERAGEIF|COUNTA|STDEV\.S|INDEX|MATCH)\s*\(|(?<![A-Za-z])(?:MEDIAN|MAX|MIN|SUM|AVERAGE|STDEV)\s*\(\s*IF\s*\(",
                     re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: what a statistic over IF(condition, column) is called
_OVER_IF = {"MEDIAN": "中位数", "STDEV": "标准差", "STDEV.S": "标准差", "MAX": "最大值", "MIN": "最小值", "SUM": "合计",
            "AVERAGE": "平均值"}


class _Unread(ValueError):
    """A formula this module does not read."""


def _close(text: str, start: int) -> int:
    """The index just after the parenthesis closing the one opened before `start`."""
    depth = 1
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    raise _Unread(text)


def _arguments(inner: str) -> list[str]:
    out, depth, last = [], 0, 0
    for i, c in enumerate(inner):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c in ",，" and depth == 0:
            out.append(inner[last:i].strip())
            last = i + 1
    return out + [inner[last:].strip()]


def _unquoted(value: str) -> str:
    return value.strip().strip("\"'“”‘’「」")


def _criterion(column: str, criterion: str) -> str:
    """城市, "北京" -> 城市=北京; 总资产, ">=500000" -> 总资产>=500000; 基金持有标志, 1 -> 持有基金."""
    column, said = _unquoted(column), _unquoted(criterion)
    m = re.fullmatch(r"(<>|>=|<=|>|<|=)?\s*(.+)", said)
    if not column or m is None or "x" == m.group(2).lower():
        raise _Unread(criterion)
    op, value = m.group(1) or "=", m.group(2)
    product = re.fullmatch(r"(存款|理财|基金|保险)(?:持有)?(?:标志|标识|flag)", column)
    if product and op == "=" and value in ("0", "1"):
        return ("持有" if value == "1" else "未持有") + product.group(1)
    return f"{column}{'不是' if op == '<>' else op}{value}"


def _conditions(pairs: list[str]) -> list[str]:
    if len(pairs) % 2:
        raise _Unread(",".join(pairs))
    return [_criterion(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]


def _if_conditions(condition: str) -> list[str]:
    """(城市="上海")*(职业类型="私营业主") -> 城市=上海, 职业类型=私营业主."""
    out = []
    for part in re.split(r"\)\s*\*\s*\(", condition.strip().removeprefix("(").removesuffix(")")):
        m = re.fullmatch(r"\s*([^=<>()]+?)\s*(<>|>=|<=|>|<|=)\s*(.+?)\s*", part)
        if m is None:
            raise _Unread(condition)
        out.append(_criterion(m.group(1), m.group(2) + _unquoted(m.group(3))))
    return out


def _call(text: str, at: int) -> tuple[str, list[str], str | None, int]:
    """The call starting at `at`: (function, conditions, column, end)."""
    m = _FUNCTION.match(text, at)
    if m is None:
        raise _Unread(text[at:])
    name, inner_start = m.group(1).upper(), m.end()
    end = _close(text, inner_start)
    args = _arguments(text[inner_start:end - 1])
    if name in ("COUNTIFS", "COUNTIF"):
        return name, _conditions(args), None, end
    if name in ("COUNTA", "COUNT"):
        return name, [], None, end
    if name in ("SUMIFS", "AVERAGEIFS"):
        return name, _conditions(args[1:]), _unquoted(args[0]), end
    if name in ("SUMIF", "AVERAGEIF") and len(args) == 3:
        return name, _conditions(args[:2]), _unquoted(args[2]), end
    inner = _FUNCTION.match(args[0]) if len(args) == 1 else None
    if name in _OVER_IF and inner is not None and inner.group(1).upper() == "IF":
        cond, column = _arguments(args[0][inner.end():_close(args[0], inner.end()) - 1])[:2]
        return name, _if_conditions(cond), _unquoted(column), end
    raise _Unread(name)


def _said(name: str, conditions: list[str], column: str | None) -> str:
    who = "、".join(conditions) + "的" if conditions else "全行"
    if name in ("COUNTIFS", "COUNTIF", "COUNTA", "COUNT"):
        return f"{who}客户数"
    if name in ("SUMIFS", "SUMIF"):
        return f"{who}{column}合计"
    if name in ("AVERAGEIFS", "AVERAGEIF"):
        return f"{who}平均{column}"
    return f"{who}{column}{_OVER_IF[name]}"


def _formula(text: str, at: int) -> tuple[str, int]:
    """One formula from `at`: a call, or a count over a count (a share), said in words; and where it ends."""
    name, conditions, column, end = _call(text, at)
    ratio = re.match(r"\s*/\s*", text[end:])
    if ratio is None:
        return _said(name, conditions, column), end
    below, below_conditions, _, end = _call(text, end + ratio.end())
    counts = ("COUNTIFS", "COUNTIF", "COUNTA", "COUNT")
    extra = [c for c in conditions if c not in below_conditions]
    if name not in counts or below not in counts or not set(below_conditions) <= set(conditions) or not extra:
        raise _Unread(text[at:end])
    within = "、".join(below_conditions) + "的客户中" if below_conditions else "全行客户中"
    return f"{within}{'、'.join(extra)}的客户占比", end


def _formula_end(text: str, at: int) -> int:
    """Where a formula this module cannot read ends: the last closing parenthesis before words resume."""
    depth, end = 0, at
    for i in range(at, len(text)):
        c = text[i]
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == ")" and depth == 0:
            end = i + 1
        elif depth == 0 and _CJK.match(c) and not re.match(r"[^()]*\(", text[i:i + 12]):
            break
    return end


def _formulas_said(text: str) -> str:
    out, pos, dropped = [], 0, False
    while (m := _STARTS.search(text, pos)) is not None:
        out.append(text[pos:m.start()])
        try:
            if m.group("arithmetic"):
                raise _Unread(m.group())   # =(A-B)/B: arithmetic over calls
            said, end = _formula(text, m.start())
        except _Unread:
            end = max(_formula_end(text, m.start()), m.end())
            said = text[m.start():end]
            rest = text[:m.start()] + text[end:]
            if len(_CJK.findall(re.sub(r"公式|数组|结果|说白了|也就是|就是|挨个比", "", rest))) >= 6:
                said, dropped = "", True   # the question says in words what the formula computes
        out.append(f" {said} " if said else " ")
        pos = end
    text = "".join(out) + text[pos:]
    return re.sub(r"说白了\s*[:：,，]?\s*", "", text) if dropped else text


#: 透视表 / 筛选 words: 行=X (列=Y) 值=Z, 求和/计数, 降序取前N行, 筛完几行
_PIVOT = ((re.compile(r"(?:数据)?透视表?\s*[:：]?\s*|(?:先)?筛选(?![器条])\s*[:：]?\s*"), ""),
          (re.compile(r"行\s*[=＝]\s*(?:统计)?月份\s*[（(]([^（）()]+?)(?:共\d+个月)?[）)]"), r"\1每月"),
          (re.compile(r"值\s*[=＝]\s*(?:客户号|客户ID|客户数|客户|customer_id)?\s*(?:计数|个数|数量)"), "客户数"),
          (re.compile(r"值(?:字段)?\s*[=＝]\s*"), ""), (re.compile(r"值(?:字段)?\s*(换成|改成)\s*"), r"\1"),
          (re.compile(r"(按[^，,（(]{2,10}?)\s*[（(][^（）()]*/[^（）()]*[）)]"), r"\1"),   # 行=年龄段（30岁以下/…）: the groups again
          (re.compile(r"求和"), "合计"), (re.compile(r"[，,]?\s*行不变"), ""),
          (re.compile(r"(?:降序|从大到小)[，,]?\s*(?:取)?前\s*(\d+)\s*行"), r"从高到低前\1"),
          (re.compile(r"(?:升序|从小到大)[，,]?\s*(?:取)?前\s*(\d+)\s*行"), r"从低到高前\1"),
          (re.compile(r"(?:取)?前\s*(\d+)\s*行"), r"前\1"),
          (re.compile(r"筛完(?:以后|之后|后)?"), ""), (re.compile(r"(?:一共)?几行\s*[（(]\s*(几个客户|多少客户|多少人)\s*[）)]"), r"一共\1"),
          (re.compile(r"(?:一共)?(?:几|多少)行"), "一共几个客户"))


def spreadsheet_said(text: str) -> str:
    """The question with its formulas and pivot-table words said in words."""
    if _STARTS.search(text):
        text = _formulas_said(text)
        # 这个公式现在跑出来是多少 / 数组公式，结果给我一个数: the formula's own words
        text = re.sub(r"(?:这个)?公式(?:现在)?(?:跑|算)出来(?:的结果)?", "", text)
        text = re.sub(r"(?:数组)?公式\s*[，,]?\s*|[，,]?\s*结果给我(?:一|1)个数", "", text)
    if re.search(r"透视|筛选|筛完|行\s*[=＝]|值\s*[=＝]|值字段|前\s*\d+\s*行|几行", text):
        if re.search(r"列\s*[=＝]", text):   # 行=婚姻状况 列=性别: a cross table
            text = re.sub(r"([行列])\s*[=＝]\s*([^，,\s]+)\s*[，,\s]?", r"\1是\2，", text)
        else:
            text = re.sub(r"行\s*[=＝]\s*(?=[^，,\s]+\s*[，,\s])(?!(?:统计)?月份)", "按", text)
        for pattern, plain in _PIVOT:
            text = pattern.sub(plain, text)
    return text
