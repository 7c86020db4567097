"""The semantic layer: metrics, dimensions and filters defined once, from the glossary.

A QuerySpec (metrics, an optional dimension, filters, top-N) compiles into one
parameterised SELECT over customer_snapshot (alias s). Chat, dashboard and
question suites all compile through here, so one question gets one answer.
Each metric carries its 口径 so an answer can state the definition it used.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from db.definitions import AGE_BANDS, ASSET_LEVELS, CUSTOMER_TIERS, PRODUCTS, labels
from db.query import Agg, Cmp, Moved, Share
from db.schema import CITY_LEVELS, CONTACT_RESULTS, LIFECYCLE_STAGES


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    sql: str
    fmt: str                   # count | money | pct | number
    definition: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    column: str
    synonyms: tuple[str, ...]
    order: tuple[str, ...] = ()   # natural order of values (bands); else by metric


_ASOF = "SUM(s.in_asof)"
METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("customers", "客户数", "COUNT(*)", "count", "客户数：客户表中的客户（不去掉基准月无记录者）",
           ("客户总数", "客户数量", "客户数", "多少客户", "多少位客户", "多少个客户", "客户有多少", "人数", "几位客户")),
    Metric("aum", "总资产(AUM)", "SUM(s.total_assets)", "money", "总资产 AUM：基准月 total_assets 之和",
           ("资产管理规模", "管理规模", "总资产", "AUM", "资产规模", "资产总额", "资产总量")),
    Metric("avg_assets", "平均资产", "SUM(s.total_assets) * 1.0 / NULLIF(" + _ASOF + ", 0)", "money",
           "平均资产：AUM ÷ 基准月有记录的客户数", ("平均资产", "人均资产", "户均资产", "平均总资产", "资产平均")),
    Metric("hnw_count", "高净值客户数", "SUM(CASE WHEN s.customer_tier = '高净值' THEN 1 ELSE 0 END)", "count",
           "高净值客户：基准月总资产 ≥ 100万", ("高净值客户数", "高净值人数", "多少高净值", "高净值客户有多少")),
    Metric("hnw_share", "高净值占比", "SUM(CASE WHEN s.customer_tier = '高净值' THEN 1 ELSE 0 END) * 1.0 / NULLIF(" + _ASOF + ", 0)", "pct",
           "高净值占比：高净值客户数 ÷ 基准月客户数", ("高净值占比", "高净值比例", "高净值客户占比", "高净值的占比", "高净值客户的占比", "高净值客户比例")),
    Metric("active_count", "活跃客户数", "SUM(CASE WHEN s.app_login_count >= 1 THEN 1 ELSE 0 END)", "count",
           "活跃客户：基准月手机银行登录次数 ≥ 1", ("活跃客户数", "活跃客户", "活跃用户")),
    Metric("active_rate", "活跃率", "SUM(CASE WHEN s.app_login_count >= 1 THEN 1 ELSE 0 END) * 1.0 / NULLIF(" + _ASOF + ", 0)", "pct",
           "活跃率：活跃客户 ÷ 基准月客户数", ("活跃率", "活跃比例", "活跃占比")),
    Metric("repurchase_rate", "理财复购率",
           "SUM(CASE WHEN s.financial_flag = 1 AND s.financial_repurchase_count >= 1 THEN 1 ELSE 0 END) * 1.0 / NULLIF(SUM(CASE WHEN s.financial_flag = 1 THEN 1 ELSE 0 END), 0)",
           "pct", "理财复购率：基准月持有理财的客户中，理财复购次数 ≥ 1 的比例", ("复购率", "理财复购", "产品复购")),
    Metric("avg_app_logins", "平均手机银行登录次数", "AVG(s.app_login_count)", "number",
           "手机银行登录次数：基准月 app_login_count 的平均",
           ("手机银行使用频率", "手机银行登录", "网银登录", "登录次数", "APP登录", "app登录", "手机银行使用")),
    Metric("avg_branch_visits", "平均网点到访次数", "AVG(s.branch_visit_count)", "number",
           "网点到访次数：基准月 branch_visit_count 的平均", ("网点访问", "网点到访", "到访次数", "到店")),
    Metric("avg_products", "平均持有产品数", "AVG(s.product_count)", "number",
           "持有产品数：存款、理财、基金、保险四类中持有的个数", ("产品数", "持有产品数量", "持有几个产品")),
    Metric("deposit_rate", "存款持有率", "AVG(s.deposit_flag)", "pct", "持有率：基准月持有该产品（余额>0）的客户比例",
           ("存款持有率",)),
    Metric("financial_rate", "理财持有率", "AVG(s.financial_flag)", "pct", "持有率：基准月持有该产品（余额>0）的客户比例",
           ("理财持有率",)),
    Metric("fund_rate", "基金持有率", "AVG(s.fund_flag)", "pct", "持有率：基准月持有该产品（余额>0）的客户比例",
           ("基金持有率",)),
    Metric("insurance_rate", "保险持有率", "AVG(s.insurance_flag)", "pct", "持有率：基准月持有该产品（余额>0）的客户比例",
           ("保险持有率",)),
    Metric("avg_card_spend", "平均信用卡月消费", "AVG(s.credit_card_monthly_expense)", "money",
           "信用卡月消费：基准月平均", ("信用卡消费", "信用卡月消费", "刷卡消费")),
    Metric("avg_income", "平均月收入", "AVG(s.monthly_income)", "money", "月收入：不含收入缺失的客户",
           ("月收入", "平均收入", "收入水平", "月入")),
    Metric("avg_age", "平均年龄", "AVG(s.age)", "number", "年龄：客户表中的年龄", ("平均年龄",)),
    Metric("customer_share", "客户占比", "COUNT(*) * 1.0 / SUM(COUNT(*)) OVER ()", "pct",
           "客户占比：该组客户数 ÷ 各组合计", ("客户占比", "人数占比", "数量占比")),
    Metric("aum_share", "资产占比", "SUM(s.total_assets) * 1.0 / SUM(SUM(s.total_assets)) OVER ()", "pct",
           "资产占比：该组 AUM ÷ 各组 AUM 合计", ("资产占比", "资产份额", "规模占比", "AUM占比")),
)}
PRODUCT_RATES = ("deposit_rate", "financial_rate", "fund_rate", "insurance_rate")

DIMENSIONS: dict[str, Dimension] = {d.key: d for d in (
    Dimension("age_band", "年龄段", "s.age_band", ("年龄段", "年龄分布", "年龄层", "年龄区间", "年龄组"),
              tuple(labels(AGE_BANDS))),
    Dimension("customer_tier", "客户等级", "s.customer_tier", ("客户等级", "等级", "客户层级", "层级", "分层", "客户分层", "档次"),
              tuple(labels(CUSTOMER_TIERS))),
    Dimension("city_level", "城市等级", "s.city_level", ("城市等级", "城市级别", "几线城市", "城市线级", "线级", "哪一级城市",
                                                        "哪级城市", "哪一线城市", "哪线城市", "哪类城市", "哪一类城市"),
              CITY_LEVELS),
    Dimension("occupation_type", "职业类型", "s.occupation_type", ("职业类型", "职业类别", "行业", "职业大类")),
    Dimension("occupation", "职业", "s.occupation", ("职业", "工作", "职位")),
    Dimension("gender", "性别", "s.gender", ("性别", "男女")),
    Dimension("marriage_status", "婚姻状况", "s.marriage_status", ("婚姻状况", "婚姻", "婚否", "婚姻状态", "已婚未婚")),
    Dimension("lifecycle_stage", "生命周期阶段", "s.lifecycle_stage", ("生命周期阶段", "生命周期", "阶段", "客户阶段"),
              LIFECYCLE_STAGES),
    Dimension("branch_name", "网点", "s.branch_name", ("网点", "支行", "分行", "营业网点", "营业厅", "分支机构", "机构")),
    Dimension("asset_level", "资产等级", "s.asset_level", ("资产等级", "资产区间", "资产段", "资产分布", "资产档位", "资产分档"),
              tuple(labels(ASSET_LEVELS))),
    # the month's last marketing contact and how it ended (最近一次联系结果为“拒绝”)
    Dimension("contact_result", "最近联系结果", "s.contact_result",
              ("联系结果", "最近联系结果", "最近联系的结果", "上次联系结果", "触达结果", "外呼结果", "营销联系结果"),
              CONTACT_RESULTS),
)}
#: Dimensions that exist only for customers with a row in the as-of month.
AS_OF_DIMENSIONS = {"customer_tier", "asset_level", "contact_result", *(f"{p}_flag" for p in PRODUCTS)}


@dataclass(frozen=True)
class Filter:
    column: str          # snapshot column
    op: str              # = | >= | > | < | <= | between | sql (value: a condition the typed-query compiler wrote)
    value: object
    label: str           # how the answer states it, e.g. "一线城市" or "40岁及以上"

    def sql(self) -> tuple[str, list]:
        if self.op == "sql":
            return f"({self.value})", []
        if self.op == "between":
            low, high = self.value
            return f"s.{self.column} BETWEEN ? AND ?", [low, high]
        return f"s.{self.column} {self.op} ?", [self.value]


def filter_clauses(filters) -> tuple[list[str], list]:
    """The WHERE clauses (on snapshot alias s) and parameters of a list of filters."""
    clauses, params = [], []
    for f in filters:
        clause, values = f.sql()
        clauses.append(clause)
        params += values
    return clauses, params


def filter_labels(filters) -> str:
    """How an answer names the filters: "一线城市、40岁及以上"."""
    return "、".join(f.label for f in filters)


@dataclass
class QuerySpec:
    metrics: list[str]
    dimension: str | None = None
    filters: list[Filter] = field(default_factory=list)
    top_n: int | None = None
    ascending: bool = False


def compile_spec(spec: QuerySpec) -> tuple[str, list]:
    """One parameterised SELECT for the spec."""
    metrics = [METRICS[m] for m in spec.metrics]
    select = [f"{m.sql} AS {m.key}" for m in metrics]
    where, params = filter_clauses(spec.filters)
    group = order = ""
    if spec.dimension:
        d = DIMENSIONS[spec.dimension]
        select.insert(0, f"{d.column} AS {d.key}")
        where.append(f"{d.column} IS NOT NULL")
        group = " GROUP BY 1"
        if spec.top_n or not d.order:
            order = f" ORDER BY {metrics[0].key} {'ASC' if spec.ascending else 'DESC'}"
        else:
            cases = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(d.order))
            order = f" ORDER BY CASE {d.column} {cases} ELSE {len(d.order)} END"
    sql = f"SELECT {', '.join(select)} FROM customer_snapshot s"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += group + order
    if spec.top_n and spec.dimension:
        sql += f" LIMIT {int(spec.top_n)}"
    return sql, params


# -- the typed query's vocabulary (db.query) -----------------------------------------------
# Numeric columns: what a threshold, a sum, an average or a customer ranking can be on.
@dataclass(frozen=True)
class NumericColumn:
    column: str
    label: str                 # how an answer names it: 总资产
    fmt: str                   # money | count | number
    words: tuple[str, ...]     # how staff name it
    default: str = "sum"       # the aggregation when the question names none
    monthly: bool = True       # a column of the monthly table (False: customer_base)
    unit: str = "元"
    #: How the measure reads the source (alias s): the column itself unless a definition says otherwise.
    sql: str = ""

    @property
    def expression(self) -> str:
        return self.sql or f"s.{self.column}"


#: 跑几趟网点 / 去了多少次网点: the visits asked with the place after them (not a grouping by 网点)
_VISITS_SAID = tuple(f"{verb}{aspect}{many}{unit}网点" for verb in "跑去来到" for aspect in ("", "了", "过")
                     for many in ("几", "多少") for unit in "趟次回")

NUMERIC: dict[str, NumericColumn] = {c.column: c for c in (
    NumericColumn("total_assets", "总资产", "money",
                  ("总资产", "资产", "AUM", "资产规模", "管理规模", "资产管理规模", "资产总额", "资产总量", "金融资产",
                   "资产余额", "总资产规模", "资产总规模", "管理资产规模", "管理资产", "资产管理总额")),
    NumericColumn("deposit_balance", "存款余额", "money", ("存款余额", "存款金额", "存款规模", "存款总额", "储蓄余额")),
    NumericColumn("financial_balance", "理财余额", "money", ("理财余额", "理财金额", "理财规模", "理财总额", "理财产品余额")),
    NumericColumn("fund_balance", "基金余额", "money", ("基金余额", "基金金额", "基金规模", "基金持仓", "基金总额", "基金市值")),
    NumericColumn("insurance_balance", "保险余额", "money", ("保险余额", "保险金额", "保险规模", "保费规模", "保险总额", "保单价值")),
    NumericColumn("monthly_income", "月收入", "money", ("月收入", "收入", "月入", "月薪", "工资", "薪资", "薪水", "收入水平",
                                                        "挣", "赚", "挣钱", "赚钱", "挣多少钱", "赚多少钱", "挣的钱", "赚的钱"),
                  "avg", monthly=False),
    NumericColumn("age", "年龄", "number", ("年龄", "岁数", "年纪", "多少岁", "几岁", "多大年纪", "年纪多大", "多大岁数"),
                  "avg", monthly=False, unit="岁"),
    NumericColumn("app_login_count", "手机银行登录次数", "number",
                  ("手机银行登录次数", "手机银行登录", "登录次数", "网银登录次数", "网银登录", "APP登录次数", "APP登录",
                   "app登录次数", "app登录", "登录", "手机银行使用频率", "手机银行使用次数", "手机银行使用", "登陆次数", "登陆",
                   "手机银行", "网银", "APP", "app", "手机app", "登了", "登过", "登了几次", "登过几次", "登了多少次",
                   "登几次", "登多少次", "登几回", "登陆几次", "登录几次"),
                  "avg", unit="次"),
    NumericColumn("branch_visit_count", "网点到访次数", "number",
                  ("网点到访次数", "网点访问次数", "到访次数", "网点到访", "网点访问", "到店次数", "来网点", "到网点", "到访",
                   "网点拜访", "到访网点次数", "到访网点", "访问网点次数", "到网点次数", "到网点的次数", "网点来访次数", "进网点", "去网点", "跑网点",
                   "几趟网点", "去网点的次数", "跑了几趟", "跑几趟",
                   "跑了多少趟", "来了几趟", "来几趟", "多少次网点", "几次网点", "往网点跑", "往网点去", "往网点", "上网点",
                   "跑银行", "去银行", "来银行", "到银行", "去柜台", "到柜台", "跑柜台", *_VISITS_SAID), "avg",
                  unit="次"),
    NumericColumn("monthly_transaction_count", "交易笔数", "number",
                  ("交易笔数", "交易次数", "月交易次数", "月交易笔数", "交易量", "交易频次", "交易数", "交易"), "sum", unit="笔"),
    NumericColumn("monthly_transaction_amount", "交易金额", "money",
                  ("交易金额", "月交易金额", "交易额", "交易总额", "流水", "交易多少钱", "交易了多少钱", "交易的金额",
                   "交易总金额", "交易金额总计", "月交易额", "交易的钱")),
    NumericColumn("credit_card_monthly_expense", "信用卡月消费", "money",
                  ("信用卡月消费", "信用卡消费", "信用卡消费额", "刷卡消费", "刷卡金额", "卡消费", "信用卡支出", "信用卡", "刷卡",
                   "信用卡月均消费", "月均消费", "消费额", "消费", "消费金额", "月消费", "刷的钱", "刷了多少钱", "刷卡的钱"),
                  "avg"),
    NumericColumn("product_count", "持有产品数", "number",
                  ("持有产品数", "持有产品数量", "产品数", "产品数量", "产品个数", "持有产品个数", "几个产品", "几种产品",
                   "持有几个产品", "持有几种产品", "产品种数", "产品种类数"), "avg", unit="个"),
    NumericColumn("investment_monthly_count", "月投资次数", "number", ("月投资次数", "投资次数"), "avg", unit="次"),
    NumericColumn("financial_repurchase_count", "理财复购次数", "number", ("理财复购次数", "复购次数"), "avg", unit="次"),
    NumericColumn("app_financial_view_time", "理财浏览时长", "number", ("理财浏览时长", "浏览时长", "手机银行理财浏览时长", "APP理财浏览时长", "app理财浏览时长", "理财页面浏览时长",
                                                                   "理财页面", "理财页面停留时长", "理财页面时长", "浏览理财",
                                                                   "理财浏览", "手机银行理财页面", "APP理财页面",
                                                                   "app理财页面"), "avg", unit="分钟"),
    NumericColumn("app_product_compare_count", "产品对比次数", "number", ("产品对比次数", "对比次数"), "avg", unit="次"),
    NumericColumn("marketing_cool_period", "营销冷静期天数", "number", ("营销冷静期", "冷静期", "营销冷静期剩余天数", "冷静期剩余天数", "冷静期天数",
                                                                         "剩余天数"), "avg", unit="天"),
)}

#: Flows counted per month: 每月 / 一个月 said right after one restates its period (信用卡每月刷超过5000),
#: it asks for no month-by-month series.
PER_MONTH = frozenset({"monthly_income", "app_login_count", "branch_visit_count", "monthly_transaction_count",
                       "monthly_transaction_amount", "credit_card_monthly_expense", "investment_monthly_count",
                       "financial_repurchase_count", "app_financial_view_time", "app_product_compare_count"})

#: The four products by their Chinese names (db.definitions.PRODUCTS): holding flag and balance column.
PRODUCT_FLAGS = {name: f"{prefix}_flag" for prefix, name in PRODUCTS.items()}
PRODUCT_BALANCES = {name: f"{prefix}_balance" for prefix, name in PRODUCTS.items()}

#: Columns a customer's value can be compared across months on (总资产比三个月前下降): the monthly ones as stored.
MOVABLE = tuple(c.column for c in NUMERIC.values() if c.monthly and not c.sql)


def movement(column: str, month: str, fell: bool) -> Moved:
    """总资产比2026-07下降: the customer's value now below (or above) their own in `month`."""
    return Moved(column, month, "<" if fell else ">", f"{NUMERIC[column].label}比{month}{'下降' if fell else '增加'}")


#: Grouping keys beyond DIMENSIONS: SQL over the query's source (alias s).
EXTRA_DIMENSIONS = {
    # the city inside the branch name (found in the data at load); 城市等级 is city_level
    "city": Dimension("city", "城市", "s.branch_name", ("城市", "所在城市", "网点所在城市", "地区", "地域", "哪座城市")),
    "product_count": Dimension("product_count", "持有产品数", "s.product_count",
                               ("产品数量分布", "持有产品数分布"), ("0", "1", "2", "3", "4")),
    # 按开户年份: the year of open_account_date (ISO text in every dialect), in the years' order
    "open_year": Dimension("open_year", "开户年份", "SUBSTR(s.open_account_date, 1, 4)",
                           ("开户年份", "开户年度", "开户年", "每年开户", "各年开户", "历年开户", "每年新开户", "各年新开户",
                            "逐年开户", "开户年份分布")),
    "combination": Dimension("combination", "产品组合", "", ("产品组合", "持有组合", "组合", "产品搭配")),
    # the segmentation model's 客群, read from its output table (db.model_outputs)
    "segment": Dimension("segment", "客群", "", ("客群", "客户群", "各客群", "每个客群", "细分客群", "客户分群", "哪个客群",
                                                "哪类客群", "哪一类客群", "按客群", "分客群", "按客户群", "各群", "各个客群",
                                                "每一个客群", "每类客群")),
    # 按是否持有基金分: holders and the others, one grouping per product (labels: 持有基金 / 未持有基金)
    **{flag: Dimension(flag, f"是否持有{name}", f"s.{flag}",
                       (*(f"{lead}{name}" for lead in ("是否持有", "是否买了", "是否购买", "是否有")),
                        f"{name}持有与否", f"持有{name}与否"), ("1", "0"))
       for name, flag in PRODUCT_FLAGS.items()},
}


def holding_label(flag: str, value) -> str:
    """持有理财 / 未持有理财 for a product flag's group value."""
    name = next(n for n, f in PRODUCT_FLAGS.items() if f == flag)
    return f"持有{name}" if value is not None and int(value) == 1 else f"未持有{name}"


#: Dimensions whose members can be counted (北京有几个网点 / 几种职业): COUNT(DISTINCT …), named in the answer.
COUNTABLE_MEMBERS = ("branch_name", "city", "occupation", "occupation_type")
#: The account-opening date: ISO text, compared as text in every dialect (agents.date_conditions reads it).
OPENING_DATE = "open_account_date"


def dimension(key: str) -> Dimension:
    return DIMENSIONS.get(key) or EXTRA_DIMENSIONS[key]


#: Named conditions and rates: the words of the 口径, defined once (the lexicon reads them).
ACTIVE = Cmp("app_login_count", ">=", 1, "活跃")
REPURCHASED = Cmp("financial_repurchase_count", ">=", 1, "理财复购")
HOLDS_FINANCIAL = Cmp("financial_flag", "=", 1, "持有理财")
CROSS_HOLDING = Cmp("product_count", ">=", 2, "持有2种及以上产品")
NAMED_CONDITIONS: dict[tuple[str, ...], Cmp] = {
    ("活跃客户", "活跃用户", "活跃的客户", "活跃", "活跃的", "登录过手机银行", "登录过", "用过手机银行", "登录了手机银行",
     "登过手机银行"): ACTIVE,
    ("年轻客户", "年轻人", "年轻"): Cmp("age", "<", 30, "30岁以下"),
    # 到过网点的客户: the visit happened (at least once that month), as 登录过手机银行 is 活跃
    ("到过网点", "来过网点", "去过网点", "到访过网点", "跑过网点", "来过银行", "去过银行", "到过银行", "进过网点"):
        Cmp("branch_visit_count", ">=", 1, "到访过网点"),
    # 当月有记录的客户: customers with a row in the month asked about (every row of a past month has one)
    ("当月有记录", "当月有记录的", "有记录的", "有记录", "基准月有记录", "当期有记录", "有月度记录", "有当月记录"):
        Cmp("in_asof", "=", 1, "当月有记录"),
    ("有复购", "有过复购", "复购过", "复购了", "有理财复购", "理财复购过", "有复购的客户"): REPURCHASED,
    # 单一产品客户 / 交叉持有: one product held, or two and more
    ("单一产品客户", "单产品客户", "单一产品", "单一产品的客户", "只持有一种产品的客户"):
        Cmp("product_count", "=", 1, "持有1种产品"),
    ("交叉持有", "交叉持有的客户", "交叉持有客户", "多产品客户", "交叉持有的"): CROSS_HOLDING,
    # 当月有交易 / 信用卡有消费: a transaction or a card spend in the month asked about
    ("有交易", "有过交易", "发生过交易", "发生了交易", "当月有交易", "本月有交易", "有交易的"):
        Cmp("monthly_transaction_count", ">=", 1, "当月有交易"),
    ("信用卡有消费", "有信用卡消费", "信用卡当月有消费", "有刷卡消费", "刷过信用卡", "刷过卡", "有消费", "有消费的"):
        Cmp("credit_card_monthly_expense", ">", 0, "信用卡有消费"),
    ("老年客户", "老年人", "老人", "老人家", "银发客户", "老年", "老年客群", "银发族", "银发群体", "银发人群", "银发一族", "银发"):
        Cmp("age", ">=", 60, "60岁及以上"),
    # 营销冷静期剩余天数 > 0: the customer may not be marketed to now (models.campaign leaves them out)
    tuple(lead + period + tail for lead in ("", "在", "处于", "正处于", "还在", "处在", "正处在", "仍在", "仍处于")
          for period in ("营销冷静期", "冷静期")
          for tail in ("内", "中", "里") + (("",) if lead else ())):
        Cmp("marketing_cool_period", ">", 0, "营销冷静期内"),
    # 冷静期已过 / 出了冷静期: no days left, the customer may be marketed to
    tuple(period + tail for period in ("营销冷静期", "冷静期")
          for tail in ("已过", "已经过了", "过了", "已结束", "已经结束", "结束了", "已满", "已到期", "到期了")) +
    tuple(lead + period for lead in ("过了", "出了", "已过", "已出") for period in ("营销冷静期", "冷静期")) +
    ("可营销", "可以营销", "能营销"):
        Cmp("marketing_cool_period", "=", 0, "冷静期已过（可营销）"),
}
#: One sum over another, each over the population (not the average of each customer's quotient).
PER_UNIT: dict[tuple[str, str], tuple[str, str]] = {
    ("monthly_transaction_amount", "monthly_transaction_count"): ("笔均交易金额", "money"),
}
NAMED_RATES: dict[tuple[str, ...], Share | Agg] = {
    ("活跃率", "活跃度", "活跃比例", "活跃占比"): Share(ACTIVE, None, None, "活跃率"),
    ("复购率", "理财复购率", "产品复购率", "复购比例"): Share(REPURCHASED, HOLDS_FINANCIAL, None, "理财复购率"),
    ("交叉持有率", "交叉持有比例", "交叉持有占比", "多产品持有率"): Share(CROSS_HOLDING, None, None, "交叉持有率"),
    ("笔均交易金额", "笔均交易额", "笔均金额", "笔均", "平均每笔交易金额", "每笔平均交易金额", "单笔平均交易金额",
     "平均每笔金额", "每笔交易平均金额", "平均单笔交易金额", "平均每笔交易额"):
        Agg("sum", "monthly_transaction_amount", per="monthly_transaction_count"),
}
#: 持有率 of a product named before it (基金持有率): the numerator is holding that product.
HOLDING_RATE_WORDS = ("持有率", "渗透率", "覆盖率", "持仓率")
