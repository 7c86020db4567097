"""The offline planner: understands the business questions without an LLM.

It reads a normalised question for meaning — metrics, dimensions and filter
values from the semantic layer and the data's own category values, customer
ids, horizons, top-N, and the intent words of each specialist — and returns a
Plan. Filters match any value present in the data (a branch, an occupation, a
tier), and combine freely with any metric and grouping.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.text import normalize
from agents.understand import COMBINATION_IS, Understander
from db.definitions import PRODUCTS
from db.query import Or, Query, conjoin, describe, leaves
from db.query_sql import population_sql
from db.semantic import DIMENSIONS, METRICS, PRODUCT_RATES, Filter, QuerySpec

ROUTES = ("sql", "prediction", "segmentation", "basket", "forecast", "marketing", "help")
PRODUCT_NAMES = tuple(PRODUCTS.values())
#: Which route answers each customer-level intent (a plan's `also` lists intents).
INTENT_ROUTE = {"customer_probability": "prediction", "customer_forecast": "forecast",
                "recommend": "basket", "customer_segment": "segmentation"}

WRITE_WORDS = ("删除", "删掉", "清空", "插入", "写入", "篡改", "drop ", "delete ", "update ", "insert ", "truncate",
               "alter ")
#: 修改/更新/覆盖 ask for a write only with an object to change ("把…改成", "更新一下数据");
#: "数据更新到哪个月了" and a follow-up "换成一线城市呢" are reads.
SOFT_WRITE = re.compile(r"(把|将|给我|帮我|请)(?!范围|条件|口径|分母|分子|维度|时间|月份|问题|人群|客群|对象).{0,20}"
                        r"(修改|更新|改成|改为|覆盖|重置|设为|设置为)|"
                        # 口径改为二线城市: the question's terms change, not the data
                        r"(?<!口径)(?<!条件)(?<!范围)(?<!指标)(?<!维度)(修改|更新|改|调整|设置)(一下)?.{0,20}(为|成)\s*[\d一二三四五六七八九十零]|"
                        r"(修改|更新|覆盖|重置)(一下)?(数据|记录|客户|余额|资产|表|字段|信息)(?!.{0,4}(到|至|时间|日期|哪|什么|几))")
DATA_RANGE = re.compile(r"(数据|基准月|统计).{0,8}(更新|截至|截止|覆盖|到)(到)?(哪|什么|几)|"
                        r"(基准月|最新月份|数据月份|统计月份)(是|为)?(哪个月|哪一个月|几月|什么时候|多少)|数据(从|是从)?(哪|什么时候)(开始|到)")
PRONOUNS = ("他", "她", "该客户", "这位客户", "这个客户", "此客户", "这位", "那位", "它")

# Intent vocabulary of the specialists (checked on the normalised text).
PROB_WORDS = ("概率", "可能性", "几率", "机率", "机会", "能不能", "会不会", "成为高价值", "升到100万", "达到100万",
              "提升至100万", "晋升", "高价值")
#: "CUST… 三个月内资产能做到100万吗": whether a customer will reach 100万 is the model's question.
REACH = re.compile(r"(能|会|可以|有望|能否|可能|能不能|会不会|可不可以).{0,8}(到|达到|突破|升到|升至|做到|涨到|上|过|进入?)\s*"
                   r"(100|一百)\s*万|([\d一二两三四五六]+个?月(内|之内|以内|后|里)).{0,12}(100|一百)\s*万")
FALL = re.compile(r"(会不会|会|可能|是否).{0,6}(跌|下降|下滑|减少|缩水|掉|变少|流失)")
WHY_WORDS = ("为什么", "原因", "为何", "依据", "解释", "因素", "驱动")
IMPORTANCE = re.compile(r"(影响|决定|驱动).{0,8}(价值|高价值|资产|100万).{0,6}(因素|特征|变量)|"
                        r"(哪些|什么)(因素|特征|变量).{0,10}(影响|决定|驱动)|"
                        r"(重要|关键|主要)(的)?(因素|特征|变量)|特征重要性")
MODEL_QUALITY = re.compile(r"模型.{0,6}(准|效果|表现|评估|对比|比较|靠谱|AUC|auc|指标|系数|规则)|"
                           r"(AUC|auc|ROC|roc|决策树|逻辑回归|LightGBM|lightgbm)")
#: 潜力 in a list of tiers (普通、潜力、临界、高净值) is the tier, not a chance of reaching 100万
_POTENTIAL = r"(?<![、，,和与及])潜力(?![、，,和与及])"
POTENTIAL_LIST = re.compile(rf"(哪些|哪类|什么样的?|名单|列出).{{0,32}}(容易|可能|有望|有希望|有机会|{_POTENTIAL}|不容易|难以).{{0,16}}"
                            r"(100万|高价值|高净值)|"
                            rf"(容易|可能|有望|有机会|{_POTENTIAL}|不容易|难以).{{0,16}}(100万|高价值|高净值).{{0,10}}(哪些|名单|有谁|是谁)|"
                            r"高潜(力)?客户|潜力客户名单")
SEGMENT_WORDS = ("分成哪几类", "分为哪几类", "分几类", "分为几类", "分成几类", "哪几类", "分群", "客群", "聚类", "分类", "细分", "属于哪一类",
                 "什么类型的客户", "哪些类型", "几种类型", "画像")
BASKET_WORDS = ("推荐", "推什么", "推点什么", "推哪", "该买什么", "卖点什么", "交叉销售", "适合什么产品", "买什么", "卖什么", "配置什么", "营销什么")
COMBO_WORDS = ("产品组合", "组合", "搭配", "一起买", "一起持有")
RULE_WORDS = ("关联规则", "关联性", "购买关联")
TREND_WORDS = ("趋势", "走势", "未来", "预测", "展望", "会怎样", "变化", "怎么走", "走向", "后面几个月", "接下来几个月")
#: Words that make a trend a forecast; without them "近一年的走势" is history, asked of the data.
FUTURE_WORDS = ("未来", "预测", "展望", "会怎样", "将会", "接下来", "明年", "来年", "下一年", "下个季度", "下季度", "后续",
                "以后", "今后", "往后", "向后看", "预计", "预期", "之后", "下个月", "下月")
DECLINE_WORDS = ("资产下降", "下降", "下滑", "减少", "往下掉", "下跌", "缩水", "掉", "流失风险", "资产流失", "流失资产")
AUM_WORDS = ("全行", "AUM", "aum", "总资产", "资产规模", "管理规模", "整体")
#: 精准营销 (models.campaign): a list to contact, the lists' backtested conversion, what needs attention.
#: A list is asked for with its noun (挽留名单, 电话外呼名单) or, for cross-selling, a picking verb; "…，我们准备
#:上门挽留" after a data list is the asker's plan, not a request for a campaign list.
CAMPAIGN_LIST = re.compile(r"(外呼|营销|推广|挽留|交叉销售|触达|回访|弹窗)(的)?(客户)?(名单|清单)|"
                           r"交叉销售.{0,10}(挑|筛|选|拉|找)|(挑|筛|选|拉|找)(出|一下|一批|一份)?.{0,10}交叉销售")
#: The words of the analyses with their own shape (no transactions, age × mobile banking, activity, preference).
ANALYSIS_WORDS = re.compile(r"(近|过去|最近)?\s*\d+\s*个?月(内|里|以来)?|(没有|无|未|没)(任何)?(发生)?(过)?交易(的)?|"
                            r"(1|一)\s*笔\s*(交易)?\s*(都|也)\s*(没有|没)|交易\s*(都|也|全)\s*(没有|没|无)|"
                            r"年龄|年纪|岁数|手机银行|登录|APP|app|网银|线上|使用|关联|关系|相关|有什么|有没有|之间|和|与|"
                            r"活跃度?|网点访问|网点到访|到访|次数|分布|偏好|产品|有多少|多少|几位|几个|占比|比例|情况|如何|怎样|"
                            r"客户数?|哪些|的")
CONVERSION = re.compile(r"(名单|营销|外呼|活动).{0,8}(转化率|转化|效果|命中率)|转化率")
ALERTS = re.compile(r"(需要关注|值得关注|有什么|有哪些|最新的?|近期).{0,6}预警|预警(信息|提示|情况|有哪些)")
CHANNELS = (("电话外呼", ("电话", "外呼")), ("APP弹窗", ("弹窗", "APP", "app", "推送")))
#: What a campaign request says besides its population: taken out before the population is read as a filter.
CAMPAIGN_WORDS = re.compile(r"本周|这周|下周|本月|今天|明天|电话外呼|电话|外呼|APP弹窗|弹窗|推送|营销|推广|交叉销售|挽留|"
                            r"名单|清单|挑选?|筛选?|选出|拉一份|出一份|拉个|出个|给我|给|帮我|一批|一份|"
                            r"\d+\s*(个|位|名|户|人)|前\s*\d+")
HELP_WORDS = ("你能做什么", "能做什么", "帮助", "怎么用", "怎么使用", "如何使用", "使用说明", "你是谁", "功能", "help")
#: 您好，请问… opens a question: only a greeting said alone asks what the assistant can do.
GREETING = re.compile(r"^\s*(?:你好|您好|hi|hello|在吗)[\s,，.。!！~～?？]*$", re.IGNORECASE)


#: Metrics whose words ("客户有多少") are too generic to take away from filters
#: ("流失预警客户有多少" still filters on 流失预警客户).
GENERIC_METRICS = {"customers"}
#: A turn that only makes sense after the previous one ("为什么？", "那么趋势呢").
FOLLOW_UP = re.compile(r"^(那|那么|为什么|为何|原因|然后|还有|再|继续|其中|这些|在这些|这里面|他们|她们)")
SHARE_WORDS = re.compile(r"占比|比例|比重|占多少|占几成|多大比例|百分之几")


@dataclass
class Plan:
    route: str
    intent: str
    reason: str
    customer_id: str | None = None
    specs: list[QuerySpec] = field(default_factory=list)
    slots: dict = field(default_factory=dict)
    also: list[str] = field(default_factory=list)     # further intents answered together
    reading: str | None = None                        # the reading chosen for an ambiguous question
    alternative: str | None = None                    # the other reading, offered as a question


@dataclass
class Context:
    """What a conversation remembers between turns."""
    customer_id: str | None = None
    route: str | None = None
    intent: str | None = None
    query: Query | None = None      # the last typed query, for follow-ups that change one part
    missed: bool = False            # the last question was not understood: a follow-up has nothing to follow


def _has(text: str, words) -> bool:
    return any(w in text for w in words)


def _top_n(text: str) -> int | None:
    m = re.search(r"(?:前|top\s*|TOP\s*|排名前|最[多高大少低小]的?)(\d+)", text)
    return int(m.group(1)) if m else None


def _months(text: str, default: int) -> int:
    m = re.search(r"(\d+)\s*个?月", text)
    if m:
        return int(m.group(1))
    q = re.search(r"(\d+)\s*个?季度", text)
    return int(q.group(1)) * 3 if q else default


class Planner:
    def __init__(self, understander: Understander):
        self.understander = understander
        #: snapshot column -> category values present in the data (read once, by the lexicon)
        self.vocabulary = understander.lex.values

    # -- slots -------------------------------------------------------------
    def filters(self, text: str) -> tuple[list[Filter], str]:
        """Filters found, and the text with their words blanked out for later stages."""
        found: list[Filter] = []
        blank = lambda t, s: t.replace(s, "|" * len(s))
        for m in re.finditer(r"(\d+)\s*(?:岁)?\s*(?:到|至|-|~)\s*(\d+)\s*岁", text):
            found.append(Filter("age", "between", (int(m.group(1)), int(m.group(2))), f"{m.group(1)}-{m.group(2)}岁"))
            text = blank(text, m.group(0))
        if not found:
            for pattern, op, fmt in ((r"(\d+)\s*岁(?:及)?以上|(?:大于|超过|高于|年满)\s*(\d+)\s*岁", ">=", "{}岁及以上"),
                                     (r"(\d+)\s*岁以下|(?:小于|低于|不到|未满)\s*(\d+)\s*岁", "<", "{}岁以下")):
                m = re.search(pattern, text)
                if m:
                    age = int(m.group(1) or m.group(2))
                    strict = m.group(0).startswith(("大于", "超过", "高于"))
                    found.append(Filter("age", ">" if strict else op, age,
                                        f"{age}岁以上" if strict else fmt.format(age)))
                    text = blank(text, m.group(0))
        if re.search(r"男(性|客户|士)|男的", text):
            found.append(Filter("gender", "=", "男", "男性"))
        elif re.search(r"女(性|客户|士)|女的", text):
            found.append(Filter("gender", "=", "女", "女性"))
        for column in ("branch_name", "occupation_type", "occupation", "lifecycle_stage", "city_level",
                       "marriage_status", "customer_tier"):
            for value in sorted(self.vocabulary.get(column, []), key=len, reverse=True):
                aliases = [value]
                if column == "city_level":
                    aliases.append(value.replace("城市", ""))
                if column == "branch_name" and len(value) > 4:
                    aliases.append(value[2:])          # 上海浦东支行 -> 浦东支行
                if column == "customer_tier":
                    aliases = [f"{value}客户", f"{value}等级"]
                hit = next((a for a in aliases if a in text), None)
                if hit:
                    text = blank(text, hit)
                    found.append(Filter(column, "=", value, value))
                    break
        return found, text

    def metrics(self, text: str) -> tuple[list[str], str]:
        """Metric keys in order of mention, and the text with their words blanked out."""
        hits: list[tuple[int, str]] = []
        spans: list[tuple[int, int]] = []
        pairs = sorted(((s, m.key) for m in METRICS.values() for s in m.synonyms), key=lambda p: -len(p[0]))
        for synonym, key in pairs:
            for m in re.finditer(re.escape(synonym), text):
                if any(a <= m.start() < b for a, b in spans):
                    continue
                spans.append((m.start(), m.end()))
                hits.append((m.start(), key))
        ordered = []
        for _, key in sorted(hits):
            if key not in ordered:
                ordered.append(key)
        for (a, b), (_, key) in zip(spans, hits):
            if key not in GENERIC_METRICS:
                text = text[:a] + "|" * (b - a) + text[b:]
        return ordered, text

    def dimension(self, text: str) -> str | None:
        best = None
        for d in DIMENSIONS.values():
            for s in d.synonyms:
                pos = text.find(s)
                if pos >= 0 and (best is None or len(s) > best[1]):
                    best = (d.key, len(s))
        return best[0] if best else None

    # -- routing -------------------------------------------------------------
    def plan(self, question: str, context: Context | None = None) -> Plan:
        context = context or Context()
        # Same-sound typos are read as the lexicon word they sound like (no list of memorised typos).
        # a clause saying why the question is asked (兹拟开展交叉销售，…) does not choose who answers
        text = self.understander.without_background(self.understander.correct(normalize(question)))
        lower = text.lower()
        if not text:   # 😀😀😀 reads as nothing, but it was not an empty question
            return (Plan("help", "not_chinese", "问题里没有中文") if (question or "").strip()
                    else Plan("help", "empty", "问题为空"))
        # the question as typed too: SQL read into words (select … from customer_base) may no longer show its DELETE
        if _has(lower, WRITE_WORDS) or _has(f"{question} ".lower(), WRITE_WORDS) or SOFT_WRITE.search(text):
            return Plan("help", "refuse_write", "要求修改或删除数据：本助手只读")
        if DATA_RANGE.search(text):
            return Plan("sql", "data_range", "问数据的时间范围")
        ids = self.understander.customer_ids(text)
        customer = ids[0] if ids else None
        if ids and not self._model_words(text) and (self.understander.mentions_measure(text)
                                                    or self.understander.unknown_words(text)):
            # CUST000172的总资产: a data question about one customer; CUST…的征信评分: one it cannot answer
            return self._data_plan(text, context, typed=question)
        if customer is None and context.customer_id and (_has(text, PRONOUNS) or FOLLOW_UP.match(text)):
            if context.route == "sql" and context.query is not None and context.query.uses("customer_id") \
                    and not self._model_words(text):
                return self._data_plan(text, context, typed=question)   # CUST…的总资产 → 那三个月前呢: the same figure, moved
            customer = context.customer_id
        follow = customer is not None and not ids

        if customer:
            return self._customer_plan(text, customer, follow, context)
        if ALERTS.search(text):
            return Plan("marketing", "alerts", "问需要关注的预警（名单转化、流失）")
        if CONVERSION.search(text):
            return Plan("marketing", "conversion", "问营销名单的转化率（回测）")
        if CAMPAIGN_LIST.search(text):
            return self._campaign_plan(text)
        if MODEL_QUALITY.search(text):
            return Plan("prediction", "model_insights", "问模型效果：留出集指标、系数、重要性与规则")
        if IMPORTANCE.search(text):
            return Plan("prediction", "importance", "问影响客户价值的因素：读取模型的 SHAP 全局重要性")
        if POTENTIAL_LIST.search(text):
            return Plan("prediction", "potential_lists", "问哪些客户容易/不容易在3个月内升至100万+",
                        slots={"top_n": _top_n(text) or 20})
        if re.search(r"高价值客户(有哪些|是谁|名单|都有谁|列表)", text):
            return Plan("prediction", "potential_lists", "“高价值客户”按口径指 3 个月内可能升至 100万+ 的客户",
                        slots={"top_n": _top_n(text) or 20},
                        reading="按口径把“高价值客户”理解为：未来3个月资产可能升至100万+的客户（模型预测）。",
                        alternative="如果您指的是当前总资产已达100万+的高净值客户，可以问：“高净值客户有多少？按网点分布如何？”")
        # 老年客群里活跃率多少: 客群 as a plain word for a group of customers asks for no segmentation
        said = [w for w in SEGMENT_WORDS if w in text]
        # 七类职业类型里，基金持有率最高的前三名是哪几类: 类 of a dimension named, asked with a measure
        named_dimension = any(t.kind == "dim" and t.payload[0] != "segment" for t in self.understander.tokens(text))
        generic = (said == ["客群"] or (named_dimension and set(said) <= {"哪几类", "分类"})) \
            and self.understander.mentions_measure(text)
        if _has(text, SEGMENT_WORDS) and not generic and not self._about_segments(text, context):
            return Plan("segmentation", "segments_overview", "问客户可分成哪几类")
        # 组合是存款+理财的客户: one combination named is a filter, not the combinations overview
        if (_has(text, COMBO_WORDS) and not COMBINATION_IS.search(text)) or _has(text, RULE_WORDS):
            return Plan("basket", "rules" if _has(text, RULE_WORDS) else "combinations", "问产品组合/关联",
                        specs=[QuerySpec(["customers"], filters=self.filters(text)[0])],
                        slots={"top_n": _top_n(text) or 10})
        if _has(text, BASKET_WORDS):
            return Plan("basket", "rules", "问产品推荐，但没有指定客户：给出全行的产品关联规则",
                        slots={"top_n": _top_n(text) or 10},
                        alternative="要给某位客户推荐，请带上客户号，例如：“给CUST000116推荐什么产品？”")
        plain = self._without_values(text)   # 去掉流失预警客户: a stage's name and 去掉 ask about no decline
        if _has(plain, DECLINE_WORDS) and _has(plain, ("未来", "可能", "预警", "将", "会", "哪些", "名单", "干预")):
            return Plan("forecast", "decline_list", "问未来可能资产下降的客户", slots={"top_n": _top_n(text) or 20})
        if _has(text, TREND_WORDS) and (_has(text, AUM_WORDS) or "季度" in text) and _has(text, FUTURE_WORDS):
            return Plan("forecast", "aum_outlook", "问全行 AUM 的未来走势",
                        slots={"quarters": max(1, min(_months(text, 12) // 3, 8)) if "季度" in text else 4})
        if _has(lower, HELP_WORDS) or GREETING.match(text):
            return Plan("help", "help", "询问助手能做什么")
        return self._data_plan(text, context, typed=question)

    def _campaign_plan(self, text: str) -> Plan:
        """本周天河支行电话外呼名单 / 给理财交叉销售挑100个客户: goal, product, size, channel and the population
        (the data's values named in the question: a branch, a city, a tier, a 客群 …)."""
        product = next((p for p in PRODUCT_NAMES if p in text), None)
        if "挽留" in text or "流失" in text:
            goal, reading = "retain", None
        elif "交叉销售" in text or (product and re.search(r"营销|推广|推|卖", text)):
            goal, reading = "cross_sell", None
        else:
            goal, reading = "upgrade", "未说明营销目标，按“升级到100万+”生成名单。"
        size = re.search(r"(\d+)\s*(个|位|名|户|人)", text)
        size = min(int(size.group(1)) if size else (_top_n(text) or 100), 1000)
        channel = next((c for c, words in CHANNELS if _has(text, words)), None)
        where = self._population(text.replace(product, " ") if product and goal == "cross_sell" else text,
                                 CAMPAIGN_WORDS) or self._named_values(text)
        if goal == "cross_sell" and product is None:
            return Plan("help", "campaign_product", "交叉销售未指定产品")
        return Plan("marketing", "campaign_list", f"生成营销名单（{goal}）", reading=reading,
                    slots={"goal": goal, "product": product if goal == "cross_sell" else None, "size": size,
                           "channel": channel, "where": where, "population": describe(where) or "全部客户",
                           "city_of": self.understander.lex.city_of})

    def _population(self, text: str, words: re.Pattern):
        """Who a request is about, as the typed query reads it once its own words (`words`) are taken out:
        杭州50岁以上的女性客户. None when the rest names no one or does not parse."""
        rest = words.sub(" ", text).strip(" ，,的？?")
        understanding = self.understander.parse(rest, None) if rest else None
        if understanding is not None and understanding.status == "ok" and understanding.query is not None:
            return understanding.query.where
        return None

    def _named_values(self, text: str):
        """The data's values a request names (a branch, a city, a tier …), OR within a column, AND across."""
        nodes = [t.payload[2][0] for t in self.understander.tokens(text) if t.kind == "value"]
        by_column: dict[str, list] = {}
        for node in nodes:
            by_column.setdefault(leaves(node)[0].column, []).append(node)
        return conjoin(*[n[0] if len(n) == 1 else Or(tuple(n)) for n in by_column.values()]) if nodes else None

    def _without_values(self, text: str) -> str:
        """The question without the data's values (stage names like 流失预警客户) and 去掉/扣掉/除掉."""
        for t in sorted(self.understander.tokens(text), key=lambda t: -t.start):
            if t.kind == "value":
                text = text[:t.start] + " " + text[t.end:]
        return re.sub(r"[去扣除剔]掉", " ", text)

    def _about_segments(self, text: str, context: Context) -> bool:
        """各客群的理财持有率, 保守存款型客群里女性占比: a figure by or within 客群 is a data question
        (the segments are a table the query reads); 客户分成哪几类 and 客群策略 are the overview."""
        if re.search(r"策略|画像|特征|怎么(营销|经营|做)|哪几类|几类", text):
            return False
        understanding = self.understander.parse(text, context.query)
        if understanding.status != "ok":
            return False
        return understanding.query.uses("segment")

    @staticmethod
    def _model_words(text: str) -> bool:
        return bool(REACH.search(text)) or any(_has(text, words) for words in (PROB_WORDS, WHY_WORDS, SEGMENT_WORDS, BASKET_WORDS, TREND_WORDS,
                                                    ("画像", "概况", "情况", "怎么样", "分析")))

    def _special_analysis(self, text: str) -> Plan | None:
        """无交易, 年龄×手机银行, 活跃度分布, 产品偏好: the analyses with their own shape. Their
        filters are read (with the older vocabulary reader) only when one of them is asked. The words that
        ask are looked for outside the data's values: a 客群 named 偏好理财多产品客群 asks for no analysis."""
        bare = self._without_values(text)
        # 最近三个月一笔交易都没有 says 近3个月无交易 too; without a span of months it is one month's count
        # (没有交易日期 is a missing date, a condition of the typed query)
        # (read on the whole text: 有交易 is itself a value, a named condition)
        no_txn = re.search(r"(没有|无|未|没)(任何)?(发生)?交易(?!\s*(?:日期|时间))", text) or (
            re.search(r"交易\s*(都|也|全)\s*(没有|没|无)|(1|一)\s*笔\s*(交易)?\s*(都|也)\s*(没有|没)", text)
            and re.search(r"(近|最近|过去)\s*\S{0,3}个?月|个月(内|里|以来)", text))
        age_app = re.search(r"关联|关系|相关", bare) and re.search(r"年龄|年纪|岁数", bare) and \
            re.search(r"手机银行|登录|APP|app|网银|线上", bare)
        activity = "分布" in bare and re.search(r"登录|网银|手机银行|网点访问|网点到访|到访", bare) and \
            not re.search(r"按|各|不同|哪个|哪些", bare)
        preference = "偏好" in bare
        if not (no_txn or age_app or activity or preference):
            return None
        _, rest = self.metrics(text)
        filters, rest = self.filters(rest)
        where = self._population(text, ANALYSIS_WORDS)
        if where is not None:   # 杭州的客户…: the typed query reads every filter the older reader missed
            filters = [Filter("", "sql", population_sql(where, self.understander.lex.city_of), describe(where))]
        dimension = self.dimension(rest)
        if dimension:   # "按城市等级（一线、二线、三线）": listing the groups is not filtering
            filters = [f for f in filters if f"s.{f.column}" != DIMENSIONS[dimension].column]
        if no_txn:
            return Plan("sql", "no_transaction", "问一段时间内无交易的客户数",
                        slots={"months": _months(text, 3)}, specs=[QuerySpec([], filters=filters)])
        if age_app:
            return Plan("sql", "age_app", "问年龄与手机银行使用的关系", specs=[QuerySpec(
                ["customers", "avg_app_logins", "active_rate"], "age_band", filters)])
        if activity:
            measures = [m for m, pat in (("app_login_count", r"登录|网银|手机银行"),
                                         ("branch_visit_count", r"网点访问|网点到访|到访|网点"))
                        if re.search(pat, text)]
            return Plan("sql", "activity_distribution", "问登录/到访次数的分布",
                        slots={"measures": measures}, specs=[QuerySpec([], filters=filters)])
        ascending = bool(re.search(r"最少|最低|最小|倒数", text))
        return Plan("sql", "product_preference", "问不同群体的产品偏好",
                    specs=[QuerySpec(list(PRODUCT_RATES), dimension or "occupation", filters, _top_n(text), ascending)])

    def _customer_plan(self, text: str, customer: str, follow: bool, context: Context) -> Plan:
        why = "沿用上一轮的客户" if follow else "问题中有客户号"
        wants = {
            # 资产会不会跌: a fall is the forecast's question, not the chance of reaching 100万
            "prediction": (_has(text, PROB_WORDS) and not (FALL.search(text) and "100万" not in text))
            or bool(REACH.search(text)),
            "forecast": _has(text, TREND_WORDS) or _has(text, ("资产会", "资产将")),
            "basket": _has(text, BASKET_WORDS) or "产品" in text,
            "segmentation": _has(text, SEGMENT_WORDS),
        }
        # "推荐哪类产品？请说明依据": a why asks for the reasons of what else is asked; alone, of the prediction
        wants["prediction"] = wants["prediction"] or (_has(text, WHY_WORDS) and not any(wants.values()))
        chosen = [r for r, wanted in wants.items() if wanted]
        # "那他呢？" or "CUST000002呢？": the same question as the last turn, about this customer.
        if not chosen and (follow or len(text) <= 16) and context.route in wants:
            chosen = [context.route]
        if not chosen:
            chosen = ["prediction", "segmentation", "basket"]   # an id alone: a short customer overview
        intents = {route: intent for intent, route in INTENT_ROUTE.items()}
        return Plan(chosen[0], intents[chosen[0]], f"{why}（{customer}）", customer_id=customer,
                    slots={"months": _months(text, 6)}, also=[intents[r] for r in chosen[1:]])

    def _data_plan(self, text: str, context: Context, typed: str) -> Plan:
        """`typed`: the question as the user wrote it, before normalising."""
        # 那存款余额呢 right after a question that was not understood: it would follow an older one, or none
        if context.missed and (FOLLOW_UP.match(text) or re.search(r"呢[？?。.!！\s]*$", text)):
            return Plan("help", "follow_missed", "追问的上一句没有被理解")
        # The analyses with their own shape first; every other data question is a typed query.
        special = self._special_analysis(text)
        if special is not None:
            return special
        understanding = self.understander.parse(text, context.query)
        if understanding.status == "model":
            return Plan("prediction", "potential_lists", understanding.message, slots={"top_n": _top_n(text) or 20},
                        reading="按口径把“高价值客户”理解为：未来3个月资产可能升至100万+的客户（模型预测）。",
                        alternative="如果您指的是当前总资产已达100万+的高净值客户，可以问：“高净值客户有多少？”")
        if understanding.status != "ok":
            # no Chinese as typed (count(*) reads as 客户数 once normalised): ask for Chinese
            if not re.search(r"[\u4e00-\u9fff]", typed) and understanding.status == "not_understood":
                return Plan("help", "not_chinese", "问题里没有中文")
            if understanding.status == "not_understood" and not understanding.used:
                return Plan("help", "unknown", "没有识别出任何数据相关的词")
            return Plan("sql", "not_understood", understanding.message, slots={"understanding": understanding})
        return Plan("sql", "query", "按问题组合条件、指标、分组与时间（类型化查询）",
                    customer_id=understanding.customer_id,
                    slots={"understanding": understanding, "city_of": self.understander.lex.city_of})
