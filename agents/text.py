"""Normalising a Chinese question before planning: width, traditional characters, numerals."""
from __future__ import annotations

import re
import unicodedata

from opencc import OpenCC

# Traditional -> simplified by OpenCC's dictionaries (not a hand table of the characters we thought of).
_T2S = OpenCC("t2s")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# "哪一类", "某一位", "统一": after these characters 一 is part of a word, not a number.
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千]+(?=[个名位岁年月季天条家类%万以之到至\-~种笔次趟大的强成户人块元]|$)"
                      # 超过五十、西安的: a numeral of two or more characters before a pause is a number too
                      r"|[零〇一二两三四五六七八九十百千]{2,}(?=[、，,。？?！!；;\s])")
#: 一万五 / 1万5 / 三万五千: the digit after 万 counts thousands (15000), it is not a second number.
_WAN_TAIL = re.compile(r"([一二两三四五六七八九十]+|\d+)万([一二两三四五六七八九]|[1-9])千?(?![\d十百千万个种位名])")
#: After these characters a lone 一 is part of a word (哪一类, 统一, 第一, 那一类, 最新一个月), not a number.
_WORD_BEFORE_ONE = set("哪某统单唯同第这那新")


def chinese_number(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def _number(text: str) -> int:
    return int(text) if text.isdigit() else chinese_number(text)


#: 一二三线城市 -> 一线、二线、三线城市: a run of levels written once.
_LEVELS = re.compile(r"([一二三四五六七八九])([一二三四五六七八九])([一二三四五六七八九])?线")


def _apart(text: str, start: int) -> str:
    """CUST000756三个月内: a numeral right after digits starts a new number (a space keeps the id whole)."""
    return " " if start and text[start - 1].isdigit() else ""


def normalize(question: str) -> str:
    text = _T2S.convert(unicodedata.normalize("NFKC", question or ""))
    text = _LEVELS.sub(lambda m: "、".join(f"{c}线" for c in m.groups() if c), text)
    text = text.replace("半年", "6个月").replace("一年", "12个月")
    text = re.sub(r"([上下])一个?月", r"\1个月", text)   # 上一个月 is last month, not a count of months
    text = _WAN_TAIL.sub(lambda m: str(_number(m.group(1)) * 10000 + _number(m.group(2)) * 1000), text)
    text = _NUMERAL.sub(lambda m: m.group() if m.group() == "一" and m.start() and text[m.start() - 1] in _WORD_BEFORE_ONE
                        else _apart(text, m.start()) + str(chinese_number(m.group())), text)
    text = re.sub(r"(为|是|等于)零", r"\g<1>0", text)   # 登录次数为零
    return re.sub(r"\s+", " ", text).strip()

