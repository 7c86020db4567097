"""Latent customer personas of the demo data and the product rules planted in it.

Every per-persona parameter is one list in PERSONAS order, so the generator can
index them with a persona array (vectorised). These are the generator's hidden
truth: the database never sees them; the truth file does, for evaluation only.
"""
from __future__ import annotations

import numpy as np

PERSONAS = ("年轻高消费", "中产家庭", "高复购理财", "高净值稳健", "保守存款型", "低活跃长尾")

OCCUPATIONS_BY_TYPE = {
    "专业人士": ("律师", "会计师", "医生"),
    "私营业主": ("个体经营者", "企业主"),
    "企业高管": ("企业CFO", "总经理"),
    "事业单位": ("教师", "事业单位职工", "公务员"),
    "传统行业": ("行政人员", "销售经理", "工人"),
    "互联网从业者": ("程序员", "产品经理"),
    "金融从业者": ("银行职员", "基金经理"),
}
#: Income multiplier per occupation type (same order as OCCUPATIONS_BY_TYPE).
OCCUPATION_INCOME = (1.3, 1.2, 1.8, 0.9, 0.8, 1.3, 1.4)

BRANCHES_BY_CITY_LEVEL = {
    "一线城市": ("北京朝阳支行", "北京海淀支行", "上海浦东支行", "上海静安支行",
             "深圳南山支行", "广州天河支行"),
    "二线城市": ("杭州西湖支行", "南京鼓楼支行", "成都高新支行", "武汉江汉支行", "西安雁塔支行"),
    "三线城市": ("绍兴越城支行", "洛阳涧西支行", "桂林七星支行", "宜昌西陵支行"),
}

_W = 10_000
# One row per persona, columns named; read as arrays by `param`.
_TABLE = {
    "share":          (0.18, 0.25, 0.12, 0.07, 0.20, 0.18),
    "age_mu":         (28, 40, 45, 52, 62, 38),
    "age_sd":         (4, 6, 8, 9, 8, 14),
    "income":         (15000, 18000, 22000, 50000, 9000, 6000),
    "income_sd":      (0.45, 0.40, 0.45, 0.55, 0.40, 0.50),
    "assets":         (4 * _W, 22 * _W, 38 * _W, 120 * _W, 18 * _W, 1 * _W),
    "assets_sd":      (0.8, 0.6, 0.55, 0.45, 0.7, 1.0),
    "drift":          (0.006, 0.004, 0.007, 0.002, 0.001, -0.002),
    "p_deposit":      (0.93, 0.98, 0.97, 0.99, 0.995, 0.90),
    "p_financial":    (0.25, 0.35, 0.95, 0.80, 0.15, 0.05),
    "p_fund":         (0.45, 0.20, 0.50, 0.50, 0.05, 0.05),
    "p_insurance":    (0.10, 0.65, 0.30, 0.60, 0.25, 0.05),
    "app_rate":       (22, 12, 15, 8, 3, 1.5),
    "view_minutes":   (15, 10, 35, 20, 3, 1),
    "compare_rate":   (1.5, 1.0, 3.0, 1.5, 0.2, 0.1),
    "p_card":         (0.95, 0.85, 0.80, 0.95, 0.45, 0.35),
    "card_spend":     (9000, 5000, 6000, 20000, 1500, 800),
    "invest_rate":    (2.0, 1.0, 4.0, 3.0, 0.3, 0.1),
    "repurchase_rate": (0.15, 0.25, 1.2, 0.5, 0.05, 0.02),
    "txn_rate":       (35, 20, 15, 18, 6, 0.8),
    "branch_rate":    (0.2, 0.5, 0.6, 0.8, 2.0, 0.3),
    "p_decline":      (0.05, 0.05, 0.04, 0.04, 0.10, 0.35),
    "intent_rate":    (0.006, 0.012, 0.016, 0.016, 0.004, 0.001),
    "p_married":      (0.25, 0.85, 0.70, 0.80, 0.80, 0.45),
}
#: Share of each asset across held products: deposit, financial, fund, insurance.
SHARE_WEIGHTS = np.array([
    (0.50, 0.15, 0.30, 0.05),
    (0.45, 0.20, 0.10, 0.25),
    (0.20, 0.55, 0.15, 0.10),
    (0.30, 0.35, 0.20, 0.15),
    (0.85, 0.08, 0.02, 0.05),
    (0.90, 0.05, 0.03, 0.02),
])
#: Occupation type mix per persona (OCCUPATIONS_BY_TYPE order).
OCCUPATION_MIX = np.array([
    (0.15, 0.08, 0.02, 0.10, 0.15, 0.40, 0.10),
    (0.20, 0.10, 0.05, 0.30, 0.25, 0.05, 0.05),
    (0.25, 0.15, 0.10, 0.15, 0.10, 0.05, 0.20),
    (0.25, 0.30, 0.30, 0.05, 0.02, 0.03, 0.05),
    (0.05, 0.10, 0.02, 0.40, 0.40, 0.00, 0.03),
    (0.05, 0.15, 0.00, 0.20, 0.50, 0.08, 0.02),
])
#: City level mix per persona (一线, 二线, 三线).
CITY_MIX = np.array([
    (0.45, 0.40, 0.15),
    (0.30, 0.45, 0.25),
    (0.40, 0.40, 0.20),
    (0.65, 0.28, 0.07),
    (0.20, 0.40, 0.40),
    (0.20, 0.35, 0.45),
])

#: Planted product rules on top of the persona mix: holding the antecedent
#: multiplies the probability of holding the consequent by `factor`.
PLANTED_RULES = (
    {"antecedent": "理财", "consequent": "基金", "factor": 2.0, "direction": "positive"},
    {"antecedent": "基金", "consequent": "保险", "factor": 0.4, "direction": "negative"},
)


def param(name: str) -> np.ndarray:
    return np.asarray(_TABLE[name], dtype=float)
