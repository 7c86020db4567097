"""The data contract: every table and column, its type, Chinese meaning and domain.

This module is where the metadata tables in the database come from
(``meta_tables`` / ``meta_columns``); the SQL layer, the UI and the generated
data dictionary read those tables, not this file.
"""
from __future__ import annotations

from dataclasses import dataclass

from db.definitions import AGE_BANDS, ASSET_LEVELS, CUSTOMER_TIERS, labels

# Column kinds drive type coercion in cleaning.
TEXT, CATEGORY, INT, MONEY, NUMBER, DATE, MONTH, FLAG = (
    "text", "category", "int", "money", "number", "date", "month", "flag")
_SQL_TYPES = {TEXT: "TEXT", CATEGORY: "TEXT", DATE: "TEXT", MONTH: "TEXT",
              INT: "INTEGER", FLAG: "INTEGER", MONEY: "REAL", NUMBER: "REAL"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    label: str
    description: str = ""
    values: tuple[str, ...] = ()
    required: bool = True
    #: For optional columns: the answers that need it (reported when missing).
    affects: str = ""
    #: Other headers bank exports use for this column (besides its name and Chinese label).
    aliases: tuple[str, ...] = ()
    #: Personal data: the read-only executor reads it as NULL (db.personal is the one way to show it).
    personal: bool = False

    @property
    def sql_type(self) -> str:
        return _SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


OCCUPATION_TYPES = ("专业人士", "私营业主", "企业高管", "事业单位", "传统行业",
                    "互联网从业者", "金融从业者")
LIFECYCLE_STAGES = ("新客户", "成长客户", "成熟客户", "价值客户", "忠诚客户",
                    "流失预警客户", "流失客户")
CHURN_STAGES = ("流失预警客户", "流失客户")
CONTACT_RESULTS = ("成功", "未接通", "拒绝", "待跟进")
CITY_LEVELS = ("一线城市", "二线城市", "三线城市")

CUSTOMER_BASE = Table(
    "customer_base", "客户基本信息", "每位客户一行：人口属性、职业、开户与生命周期。",
    (
        Column("customer_id", TEXT, "客户唯一标识", "生成数据为 CUST+6位数字；行方导出可为任意文本",
               aliases=("客户ID", "客户编号", "客户号", "客户编码", "客户代码", "客户标识", "cust_id", "custid", "client_id")),
        Column("name", TEXT, "客户姓名", "个人信息：对话回答中须脱敏；脱敏导出可不含此列", required=False,
               affects="客户名单中的（脱敏）姓名", aliases=("姓名", "客户名称", "名字", "户名"), personal=True),
        Column("age", INT, "年龄", "18–85 岁", aliases=("客户年龄", "年纪")),
        Column("gender", CATEGORY, "性别", values=("男", "女"), aliases=("客户性别", "sex")),
        Column("occupation", TEXT, "职业", "如 律师、教师、程序员", aliases=("职业名称", "工作")),
        Column("occupation_type", CATEGORY, "职业类型", values=OCCUPATION_TYPES, aliases=("职业类别", "职业分类")),
        Column("monthly_income", MONEY, "月收入（元）", "可能缺失", aliases=("月收入", "收入", "月薪")),
        Column("open_account_date", DATE, "开户日期", "YYYY-MM-DD；无效日期清洗为空", aliases=("开户时间", "开户日")),
        Column("lifecycle_stage", CATEGORY, "生命周期阶段", values=LIFECYCLE_STAGES, aliases=("生命周期", "客户生命周期", "生命周期状态")),
        Column("marriage_status", CATEGORY, "婚姻状况", values=("已婚", "未婚", "离异"), aliases=("婚姻", "婚姻状态", "婚否")),
        Column("city_level", CATEGORY, "城市级别", values=CITY_LEVELS, aliases=("城市等级", "城市层级")),
        Column("branch_name", TEXT, "所属网点", "如 上海浦东支行",
               aliases=("网点", "支行", "网点名称", "所属支行", "开户网点", "机构名称", "所属机构", "归属网点")),
    ),
)

_TXN_AFFECTS = "近三个月无交易客户、交易次数与金额统计"
CUSTOMER_BEHAVIOR = Table(
    "customer_behavior_assets", "客户月度资产与行为",
    "每位客户每月一行：各产品余额、持有标志、手机银行与交易行为、客户经理联系。",
    (
        Column("id", INT, "记录唯一标识", required=False, affects="无（仅作记录编号）", aliases=("记录ID", "记录编号", "序号")),
        Column("customer_id", TEXT, "客户唯一标识",
               aliases=("客户ID", "客户编号", "客户号", "客户编码", "客户代码", "客户标识", "cust_id", "custid", "client_id")),
        Column("total_assets", MONEY, "总资产（AUM，元）", "= 存款+理财+基金+保险余额",
               aliases=("总资产", "资产总额", "AUM", "资产合计", "总资产余额", "金融资产")),
        Column("deposit_balance", MONEY, "存款余额（元）", aliases=("存款", "存款余额")),
        Column("financial_balance", MONEY, "理财余额（元）", aliases=("理财", "理财余额")),
        Column("fund_balance", MONEY, "基金余额（元）", aliases=("基金", "基金余额")),
        Column("insurance_balance", MONEY, "保险余额（元）", aliases=("保险", "保险余额")),
        Column("asset_level", CATEGORY, "资产等级区间", "按总资产划分，下限含",
               values=tuple(labels(ASSET_LEVELS)), aliases=("资产等级", "资产区间", "资产层级")),
        Column("deposit_flag", FLAG, "是否持有存款", "余额>0 时为 1", aliases=("持有存款", "存款标志")),
        Column("financial_flag", FLAG, "是否持有理财", "余额>0 时为 1", aliases=("持有理财", "理财标志")),
        Column("fund_flag", FLAG, "是否持有基金", "余额>0 时为 1", aliases=("持有基金", "基金标志")),
        Column("insurance_flag", FLAG, "是否持有保险", "余额>0 时为 1", aliases=("持有保险", "保险标志")),
        Column("product_count", INT, "持有产品数量", "= 四个持有标志之和", aliases=("产品数", "持有产品数", "产品数量")),
        Column("financial_repurchase_count", INT, "理财复购次数（当月）", aliases=("理财复购次数", "复购次数")),
        Column("credit_card_monthly_expense", MONEY, "信用卡月消费（元）", aliases=("信用卡月消费", "信用卡消费", "信用卡月消费额")),
        Column("investment_monthly_count", INT, "月投资次数"),
        Column("app_login_count", INT, "手机银行登录次数（当月）", aliases=("手机银行登录次数", "APP登录次数", "登录次数")),
        Column("app_financial_view_time", NUMBER, "手机银行理财浏览时长（分钟）", aliases=("理财浏览时长", "手机银行理财浏览时长")),
        Column("app_product_compare_count", INT, "手机银行产品对比次数", aliases=("产品对比次数",)),
        Column("last_app_login_time", DATE, "最近一次手机银行登录日期", aliases=("最近登录日期", "最后登录时间", "最近一次登录时间")),
        Column("last_contact_time", DATE, "最近一次客户经理联系日期", aliases=("最近联系日期", "最后联系时间", "最近联系时间")),
        Column("contact_result", CATEGORY, "最近一次联系结果", values=CONTACT_RESULTS, aliases=("联系结果",)),
        Column("marketing_cool_period", INT, "营销冷静期剩余天数", "0 = 可营销", aliases=("营销冷静期", "冷静期")),
        Column("stat_month", MONTH, "统计月份", "YYYY-MM", aliases=("月份", "统计月", "数据月份", "账期", "统计期")),
        Column("monthly_transaction_count", INT, "月交易次数", required=False, aliases=("交易次数", "交易笔数"),
               affects=_TXN_AFFECTS),
        Column("monthly_transaction_amount", MONEY, "月交易金额（元）", required=False, aliases=("交易金额", "月交易金额"),
               affects=_TXN_AFFECTS),
        Column("last_transaction_date", DATE, "最近交易日期", required=False, aliases=("最后交易日期", "最近一次交易日期"),
               affects="近三个月无交易客户"),
        Column("branch_visit_count", INT, "网点到访次数（当月）", required=False, aliases=("网点到访次数", "到店次数"),
               affects="网点访问次数分布"),
    ),
)

RAW_TABLES = (CUSTOMER_BASE, CUSTOMER_BEHAVIOR)
#: (table, column) pairs of personal data.
PERSONAL_COLUMNS = frozenset((t.name, c.name) for t in RAW_TABLES for c in t.columns if c.personal)

# Derived tables written by the build. Their columns are described here so the
# metadata covers everything a question can touch.
_SNAPSHOT_EXTRA = (
    Column("age_band", CATEGORY, "年龄段", values=tuple(labels(AGE_BANDS))),
    Column("customer_tier", CATEGORY, "客户等级", "按基准月总资产：普通<50万≤潜力<80万≤临界<100万≤高净值",
           values=tuple(labels(CUSTOMER_TIERS))),
    Column("in_asof", FLAG, "基准月是否有记录", "1 = 基准月有资产行为记录"),
)
_SNAPSHOT_BASE = tuple(c for c in CUSTOMER_BASE.columns if c.name != "name")
_SNAPSHOT_BEHAVIOR = tuple(c for c in CUSTOMER_BEHAVIOR.columns
                           if c.name not in ("id", "customer_id"))
CUSTOMER_SNAPSHOT = Table(
    "customer_snapshot", "基准月客户快照",
    "每位客户一行：基本信息（不含姓名）+ 基准月（数据中最新统计月份）的资产与行为，"
    "附年龄段与客户等级。基准月无记录的客户 in_asof=0，资产字段为空。",
    _SNAPSHOT_BASE[:3] + (_SNAPSHOT_EXTRA[0],) + _SNAPSHOT_BASE[3:]
    + (_SNAPSHOT_EXTRA[2],) + _SNAPSHOT_BEHAVIOR + (_SNAPSHOT_EXTRA[1],),
)

MONTHLY_SUMMARY = Table(
    "monthly_summary", "全行月度汇总", "每个统计月份一行，按口径预先汇总，供趋势与预测使用。",
    (
        Column("stat_month", MONTH, "统计月份"),
        Column("customers", INT, "当月有记录客户数"),
        Column("total_assets", MONEY, "总资产 AUM（元）"),
        Column("deposit_balance", MONEY, "存款余额合计（元）"),
        Column("financial_balance", MONEY, "理财余额合计（元）"),
        Column("fund_balance", MONEY, "基金余额合计（元）"),
        Column("insurance_balance", MONEY, "保险余额合计（元）"),
        Column("active_customers", INT, "活跃客户数", "手机银行登录次数≥1"),
        Column("financial_holders", INT, "理财持有客户数"),
        Column("financial_repurchasers", INT, "理财复购客户数", "持有理财且复购次数≥1"),
    ),
)

DATA_QUALITY = Table(
    "data_quality", "数据质量报告", "构建时发现并处理的每一类问题：影响行数、处理方式与示例。",
    (
        Column("table_name", TEXT, "表名"),
        Column("column_name", TEXT, "字段名"),
        Column("check_name", TEXT, "检查项"),
        Column("rows", INT, "影响行数"),
        Column("action", TEXT, "处理方式"),
        Column("examples", TEXT, "示例（行号: 原值）"),
    ),
)

BUILD_INFO = Table(
    "build_info", "构建信息", "数据来源、基准月、行数、数据指纹与构建时间。",
    (Column("key", TEXT, "项"), Column("value", TEXT, "值")),
)

ALL_TABLES = RAW_TABLES + (CUSTOMER_SNAPSHOT, MONTHLY_SUMMARY, DATA_QUALITY, BUILD_INFO)
