"""Set notation typed as a question, said as the Chinese question it spells.

设 A = {x | x 的城市级别为二线城市}，B = {x | x 的婚姻状况为离异}，求 card(A ∩ B) is 城市级别为二线城市且婚姻状况为离异的客户数;
card(上海 ∩ 高净值) / card(上海) is 上海中上海且高净值的比例; {持有保险} ∖ ({持有存款} ∪ {持有理财}) is 持有保险、未持有存款、未持有理财;
¬{职业类型 = 传统行业} is 职业类型不是传统行业; argmax_{b ∈ 网点} 平均资产(b) is 网点里平均资产最高的. Names a question uses
but never defines (card(A ∪ B) with no 设 A = …) stay as they are, for the parser to refuse.
"""
from __future__ import annotations

import re

_SIGNS = re.compile(r"[∩∪∖¬∈∉{}]|(?<![A-Za-z])card\s*\(|argm(?:ax|in)|元素|等价类|集合|(?:设|记|令)\s*[A-Z]\s*(?:=|为)",
                    re.IGNORECASE)
#: 设 A = … / 记 S = … / 令 A 为 … (and B = … after it): a name given to a set
_DEFINED = re.compile(r"(?:(?P<lead>设|记|令)\s*|(?<=[，,；;\s])|^)\s*(?P<name>[A-Z])\s*(?:=|为|是)\s*")
#: 令 f(t) = 职业类型为 t 的客户的平均月收入: a figure of each member of a dimension
_FUNCTION = re.compile(r"(?:设|记|令)\s*(?P<f>[a-z])\s*\(\s*(?P<v>[a-z])\s*\)\s*(?:=|为)\s*(?P<body>[^，,；;。]+)[，,；;。]?\s*")
_ARGEXTREME = re.compile(r"arg(?P<how>max|min)\s*_?\s*(?:\{\s*(?P<v>[a-z])\s*∈\s*(?P<among>[^{}]+?)\s*\}|(?P<v2>[a-z]))\s*"
                         r"(?P<f>[^\s(（]+?)\s*\(\s*[a-z]\s*\)", re.IGNORECASE)
_CARD = re.compile(r"(?<![A-Za-z])card\s*\(", re.IGNORECASE)


def _close(text: str, start: int, opening: str = "(", closing: str = ")") -> int:
    """The index just after the bracket closing the one opened just before `start` (the end if it never closes)."""
    depth = 1
    for i in range(start, len(text)):
        depth += {opening: 1, closing: -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return len(text)


def _clause_end(text: str, start: int) -> int:
    """Where a definition ends: the first ，；。 outside braces and brackets."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        depth += 1 if c in "{(（" else -1 if c in "})）" else 0
        if depth <= 0 and (c in "，,；;。" or c == "." and not text[i + 1:i + 2].isdigit()):   # }.S 中…: a full stop typed as .
            return i
    return len(text)


def _members(said: str) -> str:
    """2026年3月时属于临界等级的客户集合 -> 2026年3月时属于临界等级的客户: what a set holds, said as customers."""
    return re.sub(r"(?:的)?(?:客户|元素)?\s*(?:的)?集合$", "的客户", said.strip())


def _definitions(text: str) -> tuple[str, dict[str, str]]:
    names: dict[str, str] = {}
    while (m := next((m for m in _DEFINED.finditer(text) if m.group("lead") or names), None)) is not None:
        end = _clause_end(text, m.end())
        names[m.group("name")] = _members(text[m.end():end])
        text = text[:m.start()] + text[end + 1:]
    return text, names


def _negated(said: str) -> str:
    """持有理财 -> 未持有理财; 性别 = 男 -> 性别不是男; 高净值 -> 不是高净值."""
    said = said.strip()
    if said.startswith("持有"):
        return "未" + said
    if (m := re.fullmatch(r"(.+?)\s*(?:=|为|是)\s*(.+)", said)) is not None:
        return f"{m.group(1)}不是{m.group(2)}"
    return "不是" + said


def _set_words(text: str) -> str:
    """{x | P} / ¬{P} / A ∖ (B ∪ C) / ∩ ∪ ∈ ∉: the conditions in words."""
    text = re.sub(r"\{\s*[a-z]\s*[|｜:：]\s*", "{", text)   # {x | …}: the member's name
    text = re.sub(r"(?<![A-Za-z])[a-z]\s*的\s*|(?<=[{∩∪∖(])\s*[a-z]\s+(?=[\u4e00-\u9fff])", "", text)
    # A ∖ ({B} ∪ {C}) / A ∖ {B} / ¬{B}: the sets taken away, each negated
    def without(m: re.Match) -> str:
        inner = m.group(1) or m.group(2)
        return "、" + "、".join(_negated(p) for p in re.findall(r"\{([^{}]*)\}", inner) or [inner])
    text = re.sub(r"\s*∖\s*(?:\(([^()]*)\)|(\{[^{}]*\}))", without, text)
    text = re.sub(r"¬\s*\{([^{}]*)\}", lambda m: _negated(m.group(1)), text)
    text = re.sub(r"\s*∉\s*\{?([^{}，,。？?\s]+)\}?", r"不是\1", text)
    text = re.sub(r"(?<![\u4e00-\u9fff])\s*[a-z]?\s*∈\s*", "", text)
    text = re.sub(r"\s*∈\s*", "", text)
    text = re.sub(r"\s*∩\s*", "且", text)
    text = re.sub(r"\s*∪\s*", "或", text)
    text = re.sub(r"(?<![A-Za-z])[a-z](?![A-Za-z(])", "客户", text)   # 给前3个 x: the members
    return text.replace("{", "").replace("}", "")


def _cards(text: str) -> str:
    """card(A) / card(B) is a share, card(A) 比 card(B) 多多少 / card(A) − card(B) a difference, card(A) a count."""
    spans = []
    for m in _CARD.finditer(text):
        end = _close(text, m.end())
        spans.append((m.start(), end, text[m.end():end - 1]))
    if not spans:
        return text
    if len(spans) == 2 and re.fullmatch(r"\s*[/÷]\s*", text[spans[0][1]:spans[1][0]]):
        said = f"{spans[1][2]}中{spans[0][2]}的比例"
    elif len(spans) == 2 and (months := [re.search(r"@\s*(\S+?)\s*$", s[2]) for s in spans]) and all(months) \
            and re.fullmatch(r"\s*(?:[-−–]|比)\s*", text[spans[0][1]:spans[1][0]]):
        # card(活跃客户 @2026年10月) − card(活跃客户 @2025年10月): one set in two months
        who = spans[0][2][:months[0].start()].strip()
        said = f"{who}的客户数{months[0].group(1)}比{months[1].group(1)}多多少"
    elif len(spans) == 2 and re.fullmatch(r"\s*(?:[-−–]|比)\s*", text[spans[0][1]:spans[1][0]]):
        said = f"{spans[0][2]}的客户比{spans[1][2]}的客户多多少"
    else:
        for start, end, inner in reversed(spans):
            text = text[:start] + f"{inner}的客户数" + text[end:]
        return re.sub(r"的客户数\s*(?:=\s*\?|=\s*？|等于多少|等于几)", "的客户数是多少", text)
    rest = re.sub(r"^\s*(?:多多少|相差多少|差多少)", "", text[spans[1][1]:])
    return text[:spans[0][0]] + said + rest


def _argextremes(text: str, functions: dict[str, tuple[str, str]]) -> str:
    """argmax_{b ∈ 网点} 平均资产(b) -> 网点里平均资产最高的; argmin_t f(t), f(t) = 职业类型为 t 的…平均月收入 -> 按职业类型，
    平均月收入最低的."""
    def said(m: re.Match) -> str:
        most = "最高" if m.group("how").lower() == "max" else "最低"
        if m.group("f") in functions:
            among, figure = functions[m.group("f")]
            return f"按{among}，{figure}{most}的是哪个"
        return f"{m.group('among') or ''}里{m.group('f')}{most}的"
    return _ARGEXTREME.sub(said, text)


def set_notation_said(text: str) -> str:
    """The question with its set notation said in words (unchanged when it has none)."""
    if not _SIGNS.search(text):
        return text
    functions = {}
    for m in reversed(list(_FUNCTION.finditer(text))):
        # 职业类型为 t 的客户的平均月收入: the dimension named before 为 t, the figure after it
        parts = re.fullmatch(rf"(.+?)\s*(?:为|是|=)\s*{m.group('v')}\s*的(?:客户的?)?(.+)", m.group("body").strip())
        if parts is not None:
            functions[m.group("f")] = (parts.group(1), parts.group(2))
            text = text[:m.start()] + text[m.end():]
    text = _argextremes(text, functions)
    text, names = _definitions(text)
    for name, said in names.items():
        text = re.sub(rf"(?<![A-Za-z]){name}(?![A-Za-z])", said.removesuffix("的客户") if "card" in text.lower()
                      or re.search(rf"{name}\s*[∩∪∖]|[∩∪∖]\s*{name}", text) else said, text)
    text = re.sub(r"(?<=[\u4e00-\u9fffA-Za-z])\s*\(\s*[a-z]\s*\)", "", text)   # AUM(b): the figure of each
    text = re.sub(r"把\s*[∩∪]\s*(?:右边|左边|后面|前面)的?(?:那个)?集合换成", "换成", text)
    text = re.sub(r"(?:集合)?(?:里|中)?的?每个元素\s*[a-z]?", "每个", text)   # 网点集合里的每个元素 b: each branch
    text = _cards(text)
    text = _set_words(text)
    text = re.sub(r"满足\s*(?=\S)", "", text)   # 满足 持有产品数 ≥ 2 的元素: the members meeting a condition
    text = re.sub(r"元素个数|元素数", "客户数", text)
    text = re.sub(r"元素", "客户", text)
    text = re.sub(r"每个等价类", "每组", text).replace("等价类", "组")
    text = re.sub(r"(?:这个|该)?集合(?:里|中)?的?", "", text)
    return re.sub(r"(?<![A-Za-z])求\s*", "", text)
