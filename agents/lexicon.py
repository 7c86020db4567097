"""The lexicon: every word the parser knows, with its role — from the semantic layer and the data.

Values (branches and their short names, cities found inside branch names,
occupations, stages, tiers, segments) are read from the loaded database, so a
bank export's 招商银行上海分行外滩支行 is known as 外滩支行, 外滩 and 上海. Words
for measures come from db.semantic, once. `scan` segments a question by longest
match; a run no entry covers is tried by sound (pypinyin) against the lexicon,
and otherwise reported as not understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from db.definitions import labels, AGE_BANDS, ASSET_LEVELS
from db.query import Contains, Eq, Share
from db.semantic import (DIMENSIONS, EXTRA_DIMENSIONS, HOLDING_RATE_WORDS, NAMED_CONDITIONS, NAMED_RATES, NUMERIC, PER_UNIT,
                         PRODUCT_FLAGS)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    payload: tuple = ()
    heard: str = ""          # the lexicon word a same-sound typo was read as


# Grammar words. Each tuple: (kind, payload, words).
GRAMMAR: list[tuple[str, tuple, tuple[str, ...]]] = [
    ("count", (), ("有多少客户", "有多少位客户", "有多少个客户", "有多少名客户", "有多少人", "有几位客户", "有几个客户",
                   "客户有多少", "客户有几个", "有多少个", "有多少位", "有多少名", "有几位", "有几名", "客户有几位", "客户有多少位", "客户有多少个", "客户多少", "客户数", "客户数量", "客户总数", "客户总量", "客数", "人数", "户数", "多少客户", "多少位客户", "多少个客户",
                   "多少名客户", "多少人", "几位", "几个人", "几个客户", "几名", "几人", "几户", "多少户", "多少位",
                   "多少名", "有几个", "数量", "总人数", "客户量", "多少个", "几个", "几多", "多少号人", "有多少号人", "几号人", "还剩多少人",
                   "剩多少人", "剩下多少人", "计数", "去重计数", "分组计数", "计个数", "多少个人", "有多少个人")),
    # 有多少家网点 / 几种职业: how many members of a dimension (used only beside one)
    ("members", (), ("有多少家", "有多少种", "多少家", "多少种", "有几家", "有几种")),
    ("count", (), ("客户一共多少", "客户一共有多少", "客户总共多少", "客户总共有多少", "一共多少客户", "总共多少客户",
                   "一共有多少客户", "总共有多少客户")),
    ("agg", ("avg",), ("平均", "人均", "户均", "客均", "均值", "平均值", "平均每人", "平均每位", "每人平均", "平均每个客户", "月均",
                       "平均每月", "每月平均", "平均每个月", "每人每月", "平均每人每月")),
    ("agg", ("sum",), ("加拢来", "加拢", "拢共", "总", "合计", "总计", "总额", "总和", "加总", "累计", "汇总", "总共", "一共", "总量", "加起来", "加一起",
                       "加在一起", "总次数", "总笔数", "总金额", "共计")),
    ("change_word", (), ("增量", "净增量", "增加量", "减少量", "增持", "增持了", "减持", "减持了", "增长率", "增幅", "增速", "变化幅度", "变化率", "增长", "增加", "涨了", "涨幅", "下降了", "变动", "变化",
                         "减少了", "增长了", "变化了", "增减", "涨跌", "升降", "变了", "变动了", "跌了", "降了", "升了", "上升了", "上升", "下滑了", "是增是减",
                         "增减幅度", "幅度", "多了", "少了", "净增", "净增了", "净增加", "净减少", "净减")),
    ("share", (), ("占比", "比例", "比重", "份额", "百分比", "占多少", "占几成", "多大比例", "几成", "比率", "占了多少",
                   "占多大", "是几成", "占有率", "所占比例", "所占比重", "所占的比例", "所占份额", "占的比例", "百分之多少", "百分之几", "占百分之几", "占百分之多少", "能占到", "占到多少", "几成",
                   "百分比")),
    # Scope words: what follows limits the population (限洛阳的客户 / 只看已婚的); never a numerator.
    ("scope", (), ("单看", "范围是", "范围限于", "限", "限定", "限定在", "限定为", "只看", "只算", "只统计", "仅看", "仅统计", "只考虑", "只要", "仅限", "只针对", "限于", "仅算")),
    ("zai", (), ("在", "位于", "处在", "拿", "以")),
    ("of", (), ("占", "占到", "占据")),
    # 分母用三线城市的客户: the denominator follows the word
    ("denom_lead", (), ("分母", "分母仅限", "分母只算", "分母用", "分母是", "分母为", "分母取", "分母按", "分母就用", "分母拿", "基数用", "基数是", "基数为")),
    # 分子为北京的高净值客户: the numerator follows the word
    ("num_lead", (), ("分子", "分子为", "分子是", "分子用", "分子取", "分子按", "分子只算")),
    ("denom", (), ("当分母", "作为分母", "为分母", "做分母", "里", "中", "当中", "之中", "里面", "中间", "里头", "其中的", "中的", "当中的", "里的")),
    ("all", (), ("全行", "所有客户", "全部客户", "总体", "整体", "全体客户", "全体", "全部", "所有", "全量客户", "总客户")),
    ("neg", (), ("零", "非", "不是", "没有", "没", "未", "无", "不", "除了", "除去", "除", "排除", "不含", "不包括", "剔除", "去掉", "扣除",
                 "剔掉", "除掉", "刨掉", "拿掉", "排掉", "去除", "除开", "还没到", "没到", "未到", "尚未达到", "未达到", "没达到", "还没达到",
                 "不在", "不属于", "不是在", "不住在", "并非", "而非", "而不是")),
    # Said after what they exclude (新客户不算), whatever follows them
    ("neg", ("after",), ("不在统计范围内", "不在统计范围", "不计入统计", "不计入", "不统计在内", "不参与统计", "不算",
                         "不计", "除外", "不考虑", "不要", "不用算", "不用管", "不看", "不统计", "别算", "不用计",
                         # 不算在内 / 不含在内 / 不包括进来: left out, however the 在内 is said
                         *[verb + rest for verb in ("不算", "不含", "不包含", "不包括", "不计", "不纳入", "别算", "不用算")
                           for rest in ("在内", "进来", "进去", "在里面", "在里头")])),
    ("except", (), ("以外", "之外", "外")),
    ("or", (), ("或", "或者", "或是", "还是", "/")),
    ("and", (), ("&", "＆", "和", "与", "及", "以及", "加", "+", "＋", "并且", "且", "、", "跟", "同", "加上", "并", ",", "，", "但", "但是", "可是", "却",
                 "而且", "而")),
    ("group", (), ("按", "各", "每个", "每一个", "每", "不同", "分", "分布", "分别", "各个", "构成", "结构", "各自", "按照",
                   "拆分", "细分", "分组", "分档", "分段", "分档统计", "分段统计",
                   "逐个", "逐一", "下钻到", "下钻", "钻取到", "细分到", "拆到", "切片", "切一下", "切开", "切个片", "切块", "划分", "区分", "切分", "每家", "每一家", "各家", "逐家", "逐个网点", "逐个支行", "维度", "各组", "每组", "每一组", "每档", "各档", "每一档", "每个段", "各段", "每段", "每一段",
                   "每类", "各类", "每一类", "每种", "每一种", "各个类别", "拆一下", "拆开", "拆", "分开", "分列", "逐项",
                   "各级", "每级", "每一级")),
    ("which", (), ("哪个月份", "哪个月", "哪一个月", "哪月", "哪个", "哪家", "哪种", "哪类", "哪一个", "哪一类", "哪一种", "哪一家", "哪些", "哪几个", "哪几家", "哪", "啥", "谁",
                   "哪边", "谁家", "哪一段")),
    ("most", ("desc",), ("最多", "最高", "最大", "最长", "最久", "最", "最年长", "最老", "第一", "最好", "最活跃", "最频繁", "最有钱", "最富", "最强", "最常",
                         "最勤", "更爱", "最爱", "更喜欢", "最喜欢", "高一点", "更高", "高一些", "多一点", "更多", "多一些", "最靠前", "居首", "领先",
                         "从高到低", "由高到低", "降序", "从多到少", "由多到少", "从高往低", "由高往低", "从最高往下",
                         "最勤快", "勤快", "最重", "高→低", "从高→低", "由高→低", "按高到低", "高到低", "做得更好", "做得好", "做得最好", "更好", "表现更好", "干得更好", "干得好", "更优", "最优",
                         # 北京和上海哪个多: the larger of the groups named
                         *[w + m for w in ("哪个", "哪边", "哪家", "谁", "哪") for m in ("多", "更多", "更高", "更大", "高", "大")])),
    # 跌得最厉害 / 降幅最大: the largest fall is the lowest change; 涨幅最大 the highest
    # (payload "moved": the ranking is of a change, so a month said with it is the base of one)
    ("most", ("asc", "moved"), tuple(f"{fall}{most}" for fall in ("跌得", "降得", "掉得", "下降", "减少", "跌幅", "降幅", "下跌")
                                     for most in ("最多", "最厉害", "最大", "最狠", "最凶"))),
    ("most", ("desc", "moved"), tuple(f"{rise}{most}" for rise in ("涨得", "增得", "增长", "增加", "涨幅", "增幅", "上涨", "升得")
                                      for most in ("最多", "最厉害", "最大", "最快"))),
    ("most", ("asc",), ("最少", "最低", "最小", "最短", "最差", "最年轻", "倒数", "最弱", "最不活跃", "垫底", "低一点", "更低", "少一点", "更少",
                        "最不", "最靠后", "从低到高", "由低到高", "升序", "从少到多", "由少到多",
                        "按低到高", "低到高", "低→高", "从低→高", "从低往高", "由低往高", "从最低往上", "拖后腿", "最拖后腿", "最落后", "落后", "做得最差", "更差",
                        *[w + m for w in ("哪个", "哪边", "哪家", "谁", "哪") for m in ("少", "更少", "更低", "更小", "低", "小")])),
    ("rank", (), ("全排", "全部排", "全排一下", "排第几", "排名第几", "第几名", "排在第几", "排到第几", "能排到第几", "能排第几", "名列第几", "位列第几",
                  "第几位", "排老几", "排名", "排行", "排序", "榜", "排列", "排前", "靠前", "top", "rank", "ranking", "排", "排一排",
                 "排个序", "排下序", "排一下序", "排一下")),
    ("cmp", (">=",), ("上了", "以上", "及以上", "或以上", "不低于", "不少于", "至少", "起", "以上的", "≥", ">=", "大于等于", "满", "年满",
                      "达到", "达", "达到了", "够")),
    ("cmp", (">",), ("超过", "大于", "高于", "多于", "超", "过", "以上不含", ">", "超出")),
    ("cmp", ("<",), ("以下", "低于", "小于", "少于", "不到", "不足", "未满", "<", "不满", "以内")),
    ("cmp", ("=",), ("等于", "恰好", "正好", "刚好", "恰好等于", "正好等于", "刚好等于", "恰好为", "正好为", "刚好为", "恰好是")),
    ("balance_word", (), ("余额", "金额", "规模", "持仓金额")),
    ("cmp", ("<=",), ("不超过", "至多", "≤", "<=", "小于等于", "不高于", "及以下", "或以下")),
    ("range", (), ("到", "至", "~", "-", "—", "之间", "介于", "区间")),
    ("compare", (), ("对比", "比较", "相比", "相对", "相对于", "比", "差异", "区别", "差别", "vs", "相较", "较", "versus", "比一比", "比比")),
    # A difference asked for: between two named groups it is stated, the first named minus the second
    ("compare", ("difference",), ("差多少", "差了多少", "相差", "相差多少", "差距", "差距多大", "差值", "差额", "减去", "相减",
                                  "增加了多少钱", "年长多少", "年轻多少", "相差几个百分点",
                                  # 高多少 / 低了多少钱 / 多出几位 / 少了几个百分点: a direction, then an amount
                                  *[way + aspect + amount + unit for way in "高低多少大小差" for aspect in ("", "了", "出", "出了")
                                    for amount in ("多少", "几") for unit in ("", "钱", "个", "位", "人", "户", "种", "岁", "次", "趟", "笔",
                                                                              "个百分点", "元", "块", "块钱")
                                    if not (amount == "几" and unit in ("", "钱", "元", "块", "块钱"))])),
    # A multiple asked for (是…的几倍, said 比…几倍 by the grammar): the first named over the second
    ("compare", ("ratio",), ("几倍", "多少倍", "倍数", "几倍多")),
    ("list", (), ("名单", "小名单", "是谁", "都有谁", "明细", "清单", "有谁", "哪几位", "哪些人", "是哪些", "哪些客户",
                  "哪几个客户", "分别是谁", "客户名单", "客户明细", "有哪些", "找出", "找一下", "找找", "挑出", "筛出",
                  "拉出来", "调出来", "导出来", "导出", "筛出来", "找出来", "挑出来", "拎出来", "拉个单子", "拉单子", "单子", "出个名单", "拉个名单")),
    # Display verbs: show the table; they ask for no customer list by themselves.
    ("show", (), ("列出", "列一下", "列举", "列表", "列示", "列下", "列出来", "展示一下", "列", "挨个列", "一个一个列")),
    ("only", (), ("只", "仅", "只有", "仅有", "单一", "只买了", "只持有", "仅持有", "单纯")),
    ("both", (), ("既", "又", "同时", "都", "均", "全都", "全部都", "全")),
    ("hold", (), ("持有", "有", "买了", "购买", "买过", "配置", "持仓", "买", "购买了", "配置了", "持有了", "配了", "配", "开通", "拥有",
                  "办了", "签约", "手里有", "名下有", "手上有", "手里持有", "碰", "碰过", "沾", "存了", "存有", "做了",
                  "配齐", "配全", "配齐了", "都配了", "齐了", "齐全", "都齐了", "一样不落", "一个不落", "样样都有",
                  "拿着", "手上拿着", "手里拿着", "攥着", "手里攥着")),
    ("any", (), ("任何", "任一", "一个", "一种", "一样")),
    ("product_word", (), ("产品", "种产品", "类产品", "个产品", "样产品")),
    ("customer", (), ("客户", "用户", "客群", "客户群", "人群", "人", "户", "位客户", "名客户", "个客户", "类客户", "群体", "者")),
    ("change", ("mom",), ("环比", "较上月", "比上月", "比上个月", "较上个月", "相比上月", "相比上个月", "上月相比",
                          "与上月相比", "月环比")),
    ("change", ("yoy",), ("同比", "较去年同期", "比去年同期", "去年同期相比", "与去年同期相比")),
    ("change", ("qoq",), ("较上季度末", "比上季度末", "较上季末", "比上季末", "环比上季度")),
    ("change", ("ytd",), ("今年以来", "年初以来", "较年初", "比年初", "较去年底", "比去年底", "较去年末", "年初至今")),
    ("series", (), ("每月", "每个月", "月度", "逐月", "各月", "按月", "每月的", "历月", "走势", "趋势", "变化趋势", "月度变化",
                    "变化情况", "历史", "stat_month", "序列", "月度序列", "时间序列")),
    ("asof", (), ("基准月", "当前月", "当前月份", "本月份", "当前", "目前", "现在", "当月", "本月", "最新", "最新一个月", "最新1个月", "最新的月份", "最新月份", "最近1个月",
                  "最新那个月", "最近一个月", "截至目前", "至今", "眼下", "如今", "这个月",
                  "截至基准月", "基准月末")),
    ("de", (), ("的", "之")),
    ("follow", (), ("换", "换成", "换为", "改成", "改为", "换个", "改看", "如果是", "要是", "假如是", "再看", "再看看", "那么",
                    "那", "其中", "这些客户", "这部分客户", "这里面", "他们", "她们", "同样", "也看看", "那如果", "若是",
                    # 若进一步限定为40至49岁: the last question narrowed
                    *[lead + step + verb for lead in ("", "若", "如果", "要是") for step in ("进一步", "再进一步", "再")
                      for verb in ("限定为", "限定在", "限定", "限制为", "限制在", "筛选为", "缩小到", "缩小为")],
                    "进一步", "若进一步", "如果进一步", "结果是多少", "结果如何", "结果会是多少")),
    # The model's term (db.definitions): longer than the lifecycle stage 价值客户 inside it, so it wins.
    ("model", (), ("高价值客户", "高价值", "成为高价值", "潜在高价值")),
    # The specialists' words: known (so a same-sound typo of them is corrected), never a data measure.
    ("intent", (), ("概率", "可能性", "预测", "推荐", "趋势", "走势", "分群", "聚类", "画像", "关联规则", "交叉销售",
                    "因素", "原因", "为什么", "策略", "建议", "干预", "未来", "展望", "往后看", "往后", "今后", "接下来", "明年")),
    ("known", (), ("非空", "不为空", "有值", "已填写", "不缺失")),
    # 月收入缺失的客户: the value is missing (a condition, unlike 缺失的不计入, which leaves them out)
    ("missing", (), ("缺失", "为空", "是空的", "是空", "空缺", "没填", "未填", "没有填", "空值", "为空值", "没有值", "无值", "不详",
                     "没登记", "未登记", "没有登记")),
    # 按具体职业（律师、教师这种）: the values before it are examples of a grouping, not a filter
    ("example", (), ("这种", "这类", "这样的", "之类的", "之类", "这些之类")),
    ("write", (), ("删除", "删掉", "清空", "篡改", "写入", "插入", "drop", "delete", "truncate", "insert", "alter")),
    # The English a head-office analyst mixes in (AUM, avg, MoM, top10); matched without case, as whole words.
    ("agg", ("avg",), ("avg", "average", "mean")),
    ("agg", ("sum",), ("sum", "total")),
    # a column's distribution: 总资产的中位数, 月收入标准差, 年龄的最大值
    ("agg", ("median",), ("中位数", "中位值", "median")),
    ("agg", ("std",), ("标准差", "std", "stddev")),
    ("agg", ("max",), ("最大值", "最高值", "max")),
    ("agg", ("min",), ("最小值", "最低值", "min")),
    ("count", (), ("headcount", "count", "how many", "number of customers", "# of customers")),
    ("share", (), ("share", "ratio", "pct", "percentage", "proportion", "percent")),
    ("group", (), ("by", "breakdown", "per", "split by", "group by")),
    ("most", ("desc",), ("max", "highest", "most", "largest", "desc", "descending")),
    ("most", ("asc",), ("min", "lowest", "least", "smallest", "bottom", "asc", "ascending")),
    # SQL said in a sentence: select … from … where … group by … order by
    ("rank", (), ("order by", "sort by", "sorted by", "ordered by")),
    ("and", (), ("and",)),
    ("customer", (), ("customers", "customer", "clients", "client")),
    ("change", ("mom",), ("mom", "m/m", "month over month")),
    ("change", ("yoy",), ("yoy", "y/y", "year over year")),
    ("change", ("ytd",), ("ytd",)),
    ("or", (), ("or",)),
    ("which", (), ("which",)),
]

#: The dimensions said in English (the data dictionary's column names, with a space, are added from the columns).
ENGLISH_DIMENSIONS = {
    "branch_name": ("branch", "branches", "outlet", "outlets"),
    "lifecycle_stage": ("lifecycle", "lifecycle stages", "stage", "stages"),
    "occupation": ("occupation", "occupations", "job", "jobs"),
    "occupation_type": ("occupation types", "industry", "industries"),
    "city_level": ("city tier", "city tiers", "city levels"),
    "city": ("city", "cities"),
    "age_band": ("age group", "age groups", "age bands"),
    "customer_tier": ("tier", "tiers", "customer tiers"),
    "gender": ("gender", "sex"),
    "marriage_status": ("marital status",),
}

#: Function words: used by no role, never "not understood".
FILLER = tuple(sorted(set("""
了 是 吗 呢 吧 啊 呀 哈 嘛 么 哦 喔 诶 唉 么样 吖 咧 哇
请 请问 麻烦 烦请 帮我 帮忙 给我 我想 我要 想 想知道 想了解 了解 看看 看下 看一下 查 查一下 查查 查询 统计 统计一下 计算 算 算一下 算算
一下 下 告诉 告诉我 说说 说一下 问 问一下 能否 能不能 可以 可否 是否 请给出 给出 提供 展示 显示 输出 汇报 整理 分析 分析一下
我行 本行 咱行 我们 我们行 咱们 咱们行 银行 行里 全行的 我 你 您 大家 这边 那边 我们银行
多少 几 多 如何 怎么样 怎样 怎么 什么 情况 情况如何 怎么回事 多大 多高 多少钱 为多少 是多少 有多少 合共 几个百分点 时 的时候 那时
数据 信息 指标 数 数字 数值 金额 规模 水平 表现 状况 程度 结果 具体 大概 大约 左右 大致 目前的 当前的
是不是 有没有 是否有 对吧 对不对 吗？ 在 在于 为 于 之 其 该 这 那 这个 那个 这些 那些 此 各位 相关 有关 关于 对于
上 给 把 被 让 用 以 从 由 以及其 及其 其他 其它 另外 还有 再 也 还 就 都是 分别为 为止 截至 截止 截止到 截至到
个 位 名 人次 元 块 次 趟 笔 万 亿 天 月份 统计月 口径 按口径 看 瞧 瞅 呗 罢 而 并且是 且是 等 等等 之类 什么的
放在一起 放到一起 算在一起 合在一起 放一块 如果 假如 我想知道 想知道 知道 针对 方面 这群 那群 群 那会儿 会儿 那时候 手里 能 一份 贡献了 贡献 去了 来了 做的 只需 共有 共 拉一下 帮我拉一下 拉个 拉 老 来 开户 开的户 开了户 开户的 那批 这批 那批人 这批人 全市 全省 这几档 这几类 几档 几家 这几家 那几家 几种 这几种 几样 这几样 几类 的话 模型分出来的 模型划分的 模型分的 分出来的 划分出来的 分出的 主要 大多 大多数 多数 大部分 主要是 一般 通常 找 处于 属于 地方 其他 其他地方 其余 时候 的时候 那边 这边 列一列 所属 所在 含两端 含 包含 两端 刷得 用得 刷 用
次数 笔数 一点 好 好不好 来看 看一看 各是 做 从事 干 是做 哪边 哪一边 这样 比如 例如 类似
区间内 有多少钱 一共有多少钱 条件 where 单子出来 拉个单子出来 出来
对 进行 进行一下 做一下 做个 取 只取 取出 求 求出 计算出 凡是 凡 但凡 够得上 够得着 也就是 即 我说的是 说的是 我是说 我指的是 指的是
贵行 约 约为 大约为 说下 对应 对应的 区间 多少岁 几岁 为多少岁 是多少岁 喂 哦等一下 等一下 得是 内部 之后 就是说 比如说 也就是说 我理解 我理解的 我理解的是 我理解就是 我的理解是 我的理解 想对标一下 对标一下 对标 那一档 这一档 那几个
咋样 咋 挨个 挨个儿 依次 先筛出 先筛选 先筛 筛出 筛选出 筛选 再算 再求 再计算 先 落在 一段 那一段 这一段 那段 这段 这块 那块 这一块 那一块
is what the of please pls me give show a an for in are was how much whats what's select from where distinct customer_id
回到 回看 管着 管理着 管了 那帮 这帮 那帮人 这帮人 那一类 这一类 这一群 那一群 这一批 那一批 这一档 那一档 结果 辛苦 辛苦了 发我 发给我 发我一下 发一下 要 加一起 为多少 是几 予以 给出来 情况下 条件下 名下 整个 合起来 两地 三地 几地
一半 1半 半数 过半 嗯 嗯嗯 呃 额 然后 然后呢 就是 就是说 那个那个 这个嘛 哦 噢
最近 最近的 按这个顺序给 按这个顺序 按顺序给 按此顺序 还停在 停在 仍停在 完全 我管的 我管 我负责的 我负责 我名下的 根本 压根 压根儿 琢磨着 琢磨 寻思着 寻思 说个 说一下 就行 就好 就可以 那点 这点 那点儿 带上 也带上 都带上 一并带上 瞅一眼 看一眼 瞄一眼 瞅一下 瞄一下 瞅瞅 到底 究竟 整个数 给个数 给我个数 一个数 个数 拉一下呗 往上 分钟
两边 两头 账上 干干净净 减 减去 当 咱 咱们这 整 报出来 报 剩下 剩下那些 剩下的 剩 剩余 剩余的 全列 都列 出 每组都要 每组 该组 指出 并指出 若 上述 基础上 上述口径 上述条件 前提 前提下 的前提下 所辖 辖内 范围内 如下 归并 归并口径 将 仍 仍然 依然 测算 排查 需要 不作限制 不做限制 不限
筛选器 筛选条件 过滤条件 选 放 出一张表 一张表 出张表 出表 一些 不用排序 不排序 无需排序 不需要排序 论 就 而言 那个月 那1个月 时间切到 切到 时间点切到
完整名次 完整排序 完整的排名 完整排名 完整的名次 全部名次 名次 完整
基本信息 客户基本信息 数据质量检查 质量检查 数据质量 从数据质量角度看 数据质量角度 质量角度 角度 数据核查 核查 核查一下 核一遍 核对一遍 过一遍 对一遍 换个问法 换个问法核对一下 核对一下 核对 做个
这个客户 这位客户 存量 一层 这一层 那一层 集中度 手头 那种 这种的 那阵 那阵子 嘞 噻 哈 晓得 要得 搞 登得 是多少岁 有多少岁 下面 下面的 下属 下辖 旗下 KPI kpi KPI要报 KPI要看 要报 要看 到现在 都还 还 挽留重点 做挽留重点名单 重点名单
核实 请核实 是否存在 存在 如有 如有的话 若有 如果有 请给出 已经 已 作为对照组 对照组 作为对照 便于对比 便于比较 以便对比 以便比较 方便对比
客户号 客户编号 客户ID 客户id 姓名 客户姓名 编号 看得 浏览得 停留得 待得
本身 它 它的 其余不变 其他不变 其它不变 其余条件不变 其他条件不变 其它条件不变 别的不变 别的都不变 其余口径不变 其他口径不变
总结 年终总结 年终 讲 讲一下 开会 例会 晨会 周会 进去 算进去 我指 我说的
期末 时点 月末 期末时点 时点数 符合条件的 符合条件 满足条件的 认定 谢谢 谢谢您 多谢 感谢 您好 你好 想请您 请您 咱们这边 我们这边
只留 只保留 仅保留 只取 光要 仅要 登记 没登记 未登记 范围 维度 手上 差不多 差不多是 是多少钱 大概是多少钱 那部分人 这部分人 那部分 这部分 部分人 同年 当年 又如何 又怎样 共计 列示 具体
""".split()), key=len, reverse=True))

#: Words a bank's data cannot answer; a question using one gets "not available", never another figure.
NOT_IN_DATA = ("房贷", "贷款", "逾期", "收益率", "满意度", "利率", "信用评分", "评分", "学历", "籍贯", "星座", "身高", "体重",
               "NPS", "nps", "负债", "征信", "违约", "不良", "利润", "成本", "手续费", "佣金", "投诉", "车贷", "存款利率",
               "理财收益", "收益", "回报率", "净值率", "血型", "民族", "宗教", "户籍", "学校", "毕业", "身份证", "手机号",
               "电话", "地址", "邮箱", "家庭住址", "资产负债", "风险等级", "风险承受", "KYC", "信用卡额度", "额度", "授信",
               "积分", "生日", "星级", "外汇", "黄金", "股票", "债券", "子女", "孩子", "小孩", "有车", "车辆", "房产", "房子", "汽车", "婚龄", "工龄",
               "渠道", "抖音", "微信", "风险测评", "测评", "客户经理数", "员工", "管户")

#: Statistics of a distribution the answers do not compute (counts, sums, averages, shares, medians,
#: standard deviations and extremes they do): a question asking one is told so, never given another figure.
STATISTICS_NOT_OFFERED = ("分位数", "分位值", "分位点", "百分位", "四分位", "方差", "极差", "众数", "离散度", "离散程度",
                          "变异系数", "偏度", "峰度")

_BRANCH_TAIL = re.compile(r"([\u4e00-\u9fff]{2,6}?)(支行|营业部|分理处|网点)$")


def branch_aliases(branch: str, cities: tuple[str, ...]) -> list[str]:
    """The short names staff use for a branch: 招商银行上海分行外滩支行 -> 外滩支行, 外滩, 上海外滩支行, 上海外滩."""
    aliases = {branch}
    m = _BRANCH_TAIL.search(branch)
    if m:
        core = m.group(1)
        for city in cities:   # 上海浦东 -> 浦东
            if core.startswith(city) and len(core) > len(city):
                core = core[len(city):]
        core = re.sub(r"^.*(分行|银行)", "", core)
        if len(core) >= 2:   # staff name a branch by its place and any of the usual suffixes
            aliases |= {core + m.group(2), core, core + "营业部", core + "网点", core + "分理处", core + "支行"}
            for city in cities:
                if city in branch:   # 上海浦东支行, and 上海浦东 (city and place said together are the branch)
                    aliases |= {city + core + m.group(2), city + core}
    return sorted(aliases, key=len, reverse=True)


def cities_from_branches(branches) -> tuple[str, ...]:
    """City names found inside branch names: the 2–3 characters before 分行, or a leading city.

    招商银行上海分行外滩支行 -> 上海; 上海浦东支行 -> 上海 (a 2-character head shared by several
    branches, or standing alone elsewhere as a 分行)."""
    found = set()
    for b in branches:
        m = re.match(r"([\u4e00-\u9fff]{2,4}?)分行", b.split("银行")[-1])
        if m:
            found.add(m.group(1))
    heads = {}
    for b in branches:
        if "分行" not in b:
            heads.setdefault(b[:2], set()).add(b)
    for head, group in heads.items():
        if len(head) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", head):
            found.add(head)
    return tuple(sorted(found, key=len, reverse=True))


@dataclass
class IdPattern:
    """The form the data's customer ids take, learned from the ids themselves."""
    regex: re.Pattern
    prefix: str = ""
    digits: int = 0

    @classmethod
    def learn(cls, ids: list[str]) -> "IdPattern":
        ids = [str(i) for i in ids if i]
        m = [re.fullmatch(r"([A-Za-z]+)(\d+)", i) for i in ids]
        if ids and all(m):
            prefix = m[0].group(1)
            if all(x.group(1).upper() == prefix.upper() for x in m):
                digits = max(len(x.group(2)) for x in m)
                return cls(re.compile(rf"(?i)(?<![a-z0-9]){re.escape(prefix)}[\s_-]?(\d{{1,{digits + 1}}})(?![0-9])"),
                           prefix.upper(), min(len(x.group(2)) for x in m))
        if ids and all(re.fullmatch(r"[0-9a-fA-F]{16,64}", i) for i in ids):
            n = sorted({len(i) for i in ids})
            return cls(re.compile(rf"(?i)(?<![0-9a-f])([0-9a-f]{{{n[0]},{n[-1]}}})(?![0-9a-f])"))
        # Any other text id: letters, digits, _ and -, of the lengths seen.
        lengths = sorted({len(i) for i in ids}) or [6]
        return cls(re.compile(rf"(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{{{lengths[0]},{lengths[-1]}}})(?![A-Za-z0-9_-])"))

    def find(self, text: str) -> list[tuple[str, int, int]]:
        out = []
        for m in self.regex.finditer(text):
            raw = m.group(1)
            if self.prefix:
                if not re.search(r"[A-Za-z]", m.group(0)):
                    continue
                value = f"{self.prefix}{raw.zfill(self.digits)}"
            else:
                if not re.search(r"\d", raw):   # a plain English word is not an id
                    continue
                value = raw.lower() if re.fullmatch(r"[0-9a-fA-F]+", raw) else raw
            out.append((value, m.start(), m.end()))
        return out


_NO_TONES = str.maketrans("", "", "12345")


@lru_cache(maxsize=20000)
def sound(text: str) -> str:
    """Pinyin with tones: 客护 and 客户 sound alike; 易升 (yi4) and 医生 (yi1) do not."""
    from pypinyin import Style, lazy_pinyin
    return " ".join(lazy_pinyin(text, style=Style.TONE3))


@dataclass
class Lexicon:
    entries: dict[str, list[tuple[str, tuple]]] = field(default_factory=dict)
    cities: tuple[str, ...] = ()
    city_of: dict[str, str] = field(default_factory=dict)   # branch name -> the city inside it
    id_pattern: IdPattern | None = None
    values: dict[str, list[str]] = field(default_factory=dict)   # column -> values in the data
    as_of_month: str = ""
    first_month: str = ""
    digit_words: list[str] = field(default_factory=list)   # values with digits (30-39岁, 100万+): before numbers

    def add(self, word: str, kind: str, payload: tuple = ()):
        word = word.lower() if word.isascii() else word   # English is looked up without case (_longest)
        if word:
            senses = self.entries.setdefault(word, [])
            if (kind, payload) not in senses:
                senses.append((kind, payload))

    @classmethod
    def build(cls, values: dict[str, list[str]], ids: list[str], as_of_month: str, first_month: str,
              segments: list[str] = ()) -> "Lexicon":
        lex = cls(values=values, as_of_month=as_of_month, first_month=first_month)
        lex.id_pattern = IdPattern.learn(ids)
        for kind, payload, words in GRAMMAR:
            for w in words:
                lex.add(w, kind, payload)
        for w in FILLER:
            lex.add(w, "filler")
        for d in {**DIMENSIONS, **EXTRA_DIMENSIONS}.values():   # 在本网点客户中: the group itself
            for w in d.synonyms:
                if len(w) <= 3:
                    for this in ("本", "该", "这家", "那家", "该家"):   # 除以这家支行的客户数: the one named
                        lex.add(this + w, "filler")
        for w in NOT_IN_DATA:
            lex.add(w, "absent")
        for w in STATISTICS_NOT_OFFERED:
            lex.add(w, "statistic")
        for c in NUMERIC.values():
            for w in c.words:
                lex.add(w, "numeric", (c.column,))
        for name, flag in PRODUCT_FLAGS.items():
            lex.add(name, "product", (name,))
            for suffix in ("产品", "类产品"):
                lex.add(name + suffix, "product", (name,))
        lex.add("理财产品", "product", ("理财",))
        lex.add("保险产品", "product", ("保险",))
        _values(lex, values)
        for s in segments:   # the segmentation model's 客群 names: 保守存款型, 保守存款型客群, 保守存款型客户
            core = s[:-2] if s.endswith("客群") else s
            node = (Eq("segment", (s,), core + "客群"),)
            for w in (core, core + "客群", core + "客户", core + "群体", core + "的客群"):
                lex.add(w, "value", ("segment", s, node))
        lex.digit_words = sorted((w for w, senses in lex.entries.items()
                                  if re.search(r"\d", w) and senses[0][0] == "value"), key=len, reverse=True)
        return lex

    # -- scanning ----------------------------------------------------------------------------
    @cached_property
    def _longest_word(self) -> int:
        return max(map(len, self.entries), default=1)

    def _longest(self, text: str, i: int, stop: int | None = None) -> str | None:
        """The longest lexicon word at i. English words match without case and only whole (sum is not in
        summary, is not in this)."""
        for n in range(min(self._longest_word, (stop if stop is not None else len(text)) - i), 0, -1):
            piece = text[i:i + n]
            if piece.isascii():
                if piece.lower() in self.entries and not _inside_word(text, i, i + n):
                    return piece
            elif piece in self.entries:
                return piece
        return None

    def senses(self, word: str) -> list[tuple[str, tuple]]:
        return self.entries.get(word) or self.entries[word.lower()]

    @cached_property
    def _sounds(self) -> dict[str, str]:
        """Sound (with tones) -> the first lexicon word with it; built on first use, after build()."""
        index: dict[str, str] = {}
        for word, senses in self.entries.items():
            if 2 <= len(word) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", word) and \
                    any(k not in ("filler",) for k, _ in senses):
                index.setdefault(sound(word), word)
        return index

    @cached_property
    def _toneless(self) -> dict[str, str]:
        """Sounds without tones -> the one lexicon word with that sound (ambiguous sounds left out)."""
        groups: dict[str, set] = {}
        for tone, word in self._sounds.items():
            groups.setdefault(tone.translate(_NO_TONES), set()).add(word)
        return {k: next(iter(v)) for k, v in groups.items() if len(v) == 1}

    def _heard_token(self, written: str, start: int, heard: str) -> Token:
        kind, payload = self.entries[heard][0]
        return Token(kind, written, start, start + len(written), payload, heard=heard)

    def _crosses(self, text: str, start: int, end: int) -> bool:
        """Does a known word begin inside [start, end) and run past it (最有潜|力: 潜力 is real)?"""
        for k in range(start + 1, end):
            word = self._longest(text, k)
            if word and len(word) >= 2 and k + len(word) > end:
                return True
        return False

    def _not_crossing(self, text: str, i: int, word: str) -> str:
        """按月交易金额: when a longer word starts inside `word` and runs past it (月交易金额), the part before
        it is the word (按), not the longest match (按月)."""
        for k in range(i + 1, i + len(word)):
            other = self._longest(text, k)
            if other and len(other) > len(word) and k + len(other) > i + len(word) and text[i:k] in self.entries:
                return text[i:k]
        return word

    def by_sound(self, text: str, i: int) -> str | None:
        """A lexicon word that sounds like text[i:i+n] (a same-sound typo), longest first."""
        for n in range(min(6, len(text) - i), 1, -1):
            piece = text[i:i + n]
            if not re.fullmatch(r"[\u4e00-\u9fff]+", piece):
                continue
            word = self._sounds.get(sound(piece))
            if word and word != piece:
                return word
        return None

    def scan(self, text: str, special: list[Token]) -> list[Token]:
        """Longest-match tokens; `special` (numbers, months, ids found by pattern) go first."""
        taken = {}
        for t in special:
            taken[t.start] = t
        out, i, unknown_start = [], 0, None

        def flush(end):
            nonlocal unknown_start
            if unknown_start is not None:
                run = text[unknown_start:end]
                heard = self._toneless.get(sound(run).translate(_NO_TONES)) if 2 <= len(run) <= 4 else None
                if heard and re.fullmatch(r"[\u4e00-\u9fff]+", run):   # 年令 -> 年龄: a whole unknown word
                    out.append(self._heard_token(run, unknown_start, heard))
                else:
                    out.append(Token("unknown", run, unknown_start, end))
                unknown_start = None

        while i < len(text):
            if i in taken:
                flush(i)
                out.append(taken[i])
                i = taken[i].end
                continue
            ch = text[i]
            if ch.isspace() or ch in "？?！!。.；;：:“”\"'‘’（）()《》【】[]{}…—–":
                flush(i)
                i += 1
                continue
            stop = min((s for s in taken if s > i), default=len(text))
            word = self._longest(text, i, stop)
            heard = self.by_sound(text, i)
            if not heard and word and len(word) == 1 and i + 2 <= stop and self._longest(text, i + 1, stop) is None \
                    and re.fullmatch(r"[\u4e00-\u9fff]{2}", text[i:i + 2]):
                # 几金 -> 基金: a one-character word and a character that starts nothing, heard without tones as a
                # product (the words a voice slip most often lands on; 单一 from 但一 would be a condition)
                heard = self._toneless.get(sound(text[i:i + 2]).translate(_NO_TONES))
                heard = heard if heard and self.entries[heard][0][0] == "product" else None
            if word and len(word) >= 2:
                word = self._not_crossing(text, i, word)
            exact_fits = bool(word) and i + len(word) <= stop
            # A same-sound word is read where no exact word fits, or where it is longer than the exact
            # one without cutting into a real word (城市等极 sounds like 城市等级, longer than 城市;
            # 最有潜|力 is not 最有钱).
            if heard and i + len(heard) <= stop and (not exact_fits or (
                    text[i:i + len(heard)] not in self.entries and len(heard) > len(word)
                    and (len(heard) >= 3 or len(word) <= 1) and not self._crosses(text, i, i + len(heard)))):
                flush(i)
                out.append(self._heard_token(text[i:i + len(heard)], i, heard))
                i += len(heard)
                continue
            if exact_fits:
                flush(i)
                kind, payload = self.senses(word)[0]   # the first sense: grammar before filler before values
                if out and out[-1].kind == "agg":   # avg(product_count): after an aggregate, the measure
                    kind, payload = next(((k, p) for k, p in self.senses(word) if k == "numeric"), (kind, payload))
                out.append(Token(kind, word, i, i + len(word), payload))
                i += len(word)
                continue
            if unknown_start is None:
                unknown_start = i
            i += 1
        flush(len(text))
        return out

    def closest(self, word: str, limit: int = 3, column: str | None = None) -> list[str]:
        """Lexicon values nearest to an unknown word, for "您是不是想问". A single character has none: any word
        holding it would be "near" (2020年以前 must not become 2020老年以前). `column`: the word names a value of
        that column (月球支行: a branch), so only that column's values are offered."""
        import difflib
        if len(word) < 2:
            return []
        pool = [w for w, senses in self.entries.items()
                if any(k in ("value", "city", "numeric", "product") and (column is None or (k == "value" and p[0] == column))
                       for k, p in senses) and len(w) >= 2]
        by_text = difflib.get_close_matches(word, pool, n=limit, cutoff=0.5)
        by_sound = difflib.get_close_matches(sound(word), [sound(w) for w in pool], n=limit, cutoff=0.6)
        sounds = {sound(w): w for w in pool}
        out = list(dict.fromkeys(by_text + [sounds[s] for s in by_sound]))
        return out[:limit]


def _inside_word(text: str, start: int, end: int) -> bool:
    """Is text[start:end] part of a longer English word?"""
    letter = lambda k: 0 <= k < len(text) and text[k].isascii() and text[k].isalpha()
    return (letter(start) and letter(start - 1)) or (letter(end - 1) and letter(end))


def _values(lex: Lexicon, values: dict[str, list[str]]):
    """Words for each value in the data, with the condition they mean."""
    def eq(column, value, label=None):
        return (Eq(column, (value,), label or value),)

    branches = values.get("branch_name", [])
    lex.cities = cities_from_branches(branches)
    lex.city_of = {b: next(c for c in lex.cities if c in b) for b in branches if any(c in b for c in lex.cities)}
    for city in lex.cities:
        node = (Contains("branch_name", city, city),)
        for w in (city, city + "市", city + "地区", city + "分行"):
            lex.add(w, "value", ("city", city, node))
    for b in branches:
        for alias in branch_aliases(b, lex.cities):
            if alias not in lex.cities:
                lex.add(alias, "value", ("branch_name", b, eq("branch_name", b)))
    for level in values.get("city_level", []):
        short = level.replace("城市", "")
        for w in (level, short, short + "地区", short + "城市客户"):
            lex.add(w, "value", ("city_level", level, eq("city_level", level)))
    for column in ("occupation", "occupation_type", "marriage_status"):
        for v in values.get(column, []):
            lex.add(v, "value", (column, v, eq(column, v)))
    for v in values.get("occupation_type", []):   # 互联网从业者 -> 互联网, 做互联网的
        for tail in ("从业者", "从业人员", "人员", "人士"):
            if v.endswith(tail) and len(v) - len(tail) >= 2:
                for w in (v[:-len(tail)], v[:-len(tail)] + "行业", v[:-len(tail)] + "业"):
                    lex.add(w, "value", ("occupation_type", v, eq("occupation_type", v)))
    everyday = {"教师": ("老师",), "医生": ("大夫",), "程序员": ("码农",), "律师": ("大律师",),   # 当老师的, 大夫
                "个体经营者": ("个体经营", "个体户", "个体工商户")}
    for value, words in everyday.items():
        if value in values.get("occupation", []):
            for w in words:
                lex.add(w, "value", ("occupation", value, eq("occupation", value)))
    marriage = {"已婚": ("结婚", "已结婚", "结了婚", "结过婚", "成家"), "未婚": ("没结婚", "未结婚", "还没结婚", "单身", "没有结婚"),
                "离异": ("离婚", "离过婚", "已离婚", "离了婚", "离婚了", "离异的", "离了的")}
    # 最近一次联系结果为“拒绝” / 联系被拒的: the answer names it as the last contact's outcome
    contact = {"成功": ("最近联系成功", ("成功", "联系成功", "触达成功", "外呼成功")),
               "拒绝": ("最近联系被拒绝", ("拒绝", "被拒绝", "被拒", "明确拒绝", "联系被拒", "联系被拒绝", "被客户拒绝",
                                          "联系被客户拒绝")),
               "未接通": ("最近联系未接通", ("未接通", "没接通", "没有接通", "没打通", "未打通", "联系未接通")),
               "待跟进": ("最近联系待跟进", ("待跟进", "待跟踪", "需跟进", "待回访", "联系待跟进"))}
    for value, (label, words) in contact.items():
        if value in values.get("contact_result", []):
            for w in words:
                lex.add(w, "value", ("contact_result", value, eq("contact_result", value, label)))
    for value, words in marriage.items():
        if value in values.get("marriage_status", []):
            for w in words:
                lex.add(w, "value", ("marriage_status", value, eq("marriage_status", value)))
    for v in values.get("lifecycle_stage", []):
        lex.add(v, "value", ("lifecycle_stage", v, eq("lifecycle_stage", v)))
        if v.endswith("客户") and len(v) > 3:
            for w in (v[:-2], v[:-2] + "阶段", v[:-2] + "期", v + "阶段"):
                lex.add(w, "value", ("lifecycle_stage", v, eq("lifecycle_stage", v)))
    for v in values.get("customer_tier", []):
        # 高净值 is said 高净 as often as not
        for name in (v, v[:-1]) if v.endswith("值") else (v,):
            for w in (name, name + "客户", name + "等级", name + "级", name + "户", name + "级别", name + "层", name + "层客户", name + "层级",
                      name + "档"):
                lex.add(w, "value", ("customer_tier", v, eq("customer_tier", v)))
    for w in ("有钱的客户", "有钱客户", "有钱人", "富裕客户", "高端客户", "大户"):
        lex.add(w, "value", ("customer_tier", "高净值", eq("customer_tier", "高净值", "高净值")))
    for w, g in (("男", "男"), ("男性", "男"), ("男士", "男"), ("男客户", "男"), ("男的", "男"), ("男生", "男"),
                 ("先生", "男"), ("女", "女"), ("女性", "女"), ("女士", "女"), ("女客户", "女"), ("女的", "女"),
                 ("女生", "女"), ("男客", "男"), ("女客", "女"), ("male", "男"), ("men", "男"), ("female", "女"),
                 ("women", "女")):
        lex.add(w, "value", ("gender", g, eq("gender", g, "男性" if g == "男" else "女性")))
    lex.add("男女", "dim", ("gender",))
    for band in labels(AGE_BANDS):
        lex.add(band, "value", ("age_band", band, eq("age_band", band)))
    for level in labels(ASSET_LEVELS):
        lex.add(level, "value", ("asset_level", level, eq("asset_level", level)))
    for words, node in NAMED_CONDITIONS.items():
        for w in words:
            lex.add(w, "value", (node.column, node.label, (node,)))
    for words, rate in NAMED_RATES.items():
        label = rate.label if isinstance(rate, Share) else PER_UNIT[rate.column, rate.per][0]
        for w in words:
            lex.add(w, "rate", ("named", label, (rate,)))
    for w in HOLDING_RATE_WORDS:
        lex.add(w, "rate", ("hold", "持有率", ()))
    for key, d in {**DIMENSIONS, **EXTRA_DIMENSIONS}.items():
        for w in d.synonyms:
            lex.add(w, "dim", (key,))
    # the data dictionary's column names are words too (by city_level, avg monthly_income)
    for key in {**DIMENSIONS, **EXTRA_DIMENSIONS}:
        for w in (key, key.replace("_", " "), *ENGLISH_DIMENSIONS.get(key, ())):
            lex.add(w, "dim", (key,))
    for c in NUMERIC.values():
        for w in (c.column, c.column.replace("_", " ")):
            lex.add(w, "numeric", (c.column,))


VALUE_COLUMNS = ("branch_name", "occupation_type", "occupation", "lifecycle_stage", "city_level",
                 "marriage_status", "customer_tier", "contact_result")


def lexicon_from_database(database, segments: list[str] = ()) -> Lexicon:
    """The lexicon for one database (db.database: SQLite or a server): its values, its id form, its months."""
    values = {}
    for column in VALUE_COLUMNS:
        frame = database.select(f"SELECT DISTINCT {column} AS v FROM customer_snapshot WHERE {column} IS NOT NULL",
                                max_rows=5000).frame
        values[column] = sorted(frame["v"].astype(str))   # one order whatever the server's collation
    ids = database.select("SELECT customer_id FROM customer_base ORDER BY customer_id LIMIT 2000", max_rows=2000).frame
    info = database.build_info()
    return Lexicon.build(values, ids["customer_id"].astype(str).tolist(), info.get("as_of_month", ""),
                         info.get("first_month", ""), segments)
