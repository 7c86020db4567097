"""Customer segmentation: k-means on standardised asset and behaviour features.

k is chosen by the mean silhouette over a range, computed on a sample (the
criterion is stored in the model card with the scores and the elbow curve).
Each cluster gets a Chinese name and a strategy from its own profile: every
candidate name scores each cluster by z-scores of the traits that define it,
and names are matched to clusters by the best total score. Nothing is tied to
a cluster number.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from db.definitions import HIGH_VALUE_ASSETS, WAN

SEGMENT_FEATURES = {
    "log_assets": "总资产(对数)", "deposit_share": "存款占比", "financial_share": "理财占比",
    "fund_share": "基金占比", "insurance_share": "保险占比", "product_count": "持有产品数",
    "log_app_logins": "手机银行登录(对数)", "log_card_spend": "信用卡消费(对数)",
    "financial_repurchase_count": "理财复购次数", "log_investments": "月投资次数(对数)",
    "branch_visit_count": "网点到访次数", "age": "年龄",
}
SNAPSHOT_COLUMNS = ("customer_id", "age", "total_assets", "deposit_balance", "financial_balance",
                    "fund_balance", "insurance_balance", "product_count", "app_login_count",
                    "credit_card_monthly_expense", "financial_repurchase_count",
                    "investment_monthly_count", "branch_visit_count", "insurance_flag",
                    "financial_flag", "fund_flag")

#: How each segment name is recognised: trait z-score weights (profile columns below).
NAME_TRAITS = {
    "高净值稳健": {"log_assets": 2.0, "age": 0.5},
    "高复购理财": {"financial_repurchase_count": 2.0, "financial_share": 1.0},
    "年轻高消费": {"age": -1.5, "log_card_spend": 1.0, "log_app_logins": 1.0},
    "保守存款型": {"age": 1.0, "deposit_share": 1.0, "branch_visit_count": 1.0, "log_app_logins": -1.0},
    "低活跃长尾": {"log_assets": -1.5, "log_app_logins": -1.0, "log_investments": -1.0},
    "中产家庭": {"insurance_share": 1.5, "product_count": 0.5, "age": 0.3},
}
#: The weighted z-score a cluster needs for a name (about one standard deviation on its traits).
MIN_NAME_SCORE = 1.0
#: What each name claims of a member, as a rule a branch manager can check on one customer. A cluster
#: keeps a name only when at least NAME_FIT_MIN of its members satisfy the rule; otherwise it gets a
#: neutral name from its strongest traits. `bank` holds the whole bank's medians (stated in the rule).
NAME_RULES = {
    "高净值稳健": ("总资产 ≥ 100万", lambda s, bank: s["total_assets"] >= HIGH_VALUE_ASSETS),
    "高复购理财": ("持有理财且当月理财复购 ≥ 1 次",
                   lambda s, bank: (s["financial_flag"] == 1) & (s["financial_repurchase_count"] >= 1)),
    "年轻高消费": ("40岁以下且信用卡月消费高于全行中位数（{card}）",
                   lambda s, bank: (s["age"] < 40) & (s["credit_card_monthly_expense"] > bank["credit_card_monthly_expense"])),
    "保守存款型": ("存款占总资产 ≥ 60%",
                   lambda s, bank: s["deposit_balance"].clip(lower=0) >= 0.6 * s["total_assets"].clip(lower=1)),
    "低活跃长尾": ("总资产低于全行中位数（{assets}）且手机银行月登录 ≤ 2 次",
                   lambda s, bank: (s["total_assets"] < bank["total_assets"]) & (s["app_login_count"] <= 2)),
    "中产家庭": ("持有保险", lambda s, bank: s["insurance_flag"] == 1),
}
NAME_FIT_MIN = 0.7
STRATEGY_TEMPLATES = {
    "高净值稳健": "配置专属客户经理与私行级服务，做资产配置检视与家族财富规划；平均资产 {assets}，重在留存与提升钱包份额。",
    "高复购理财": "理财复购活跃（持有理财客户复购率 {repurchase}），到期前提醒续作，推荐同风险等级新品与基金定投，交叉销售提升产品数（当前 {products}）。",
    "年轻高消费": "信用卡月均消费 {card}，以手机银行为主阵地推送消费分期、权益活动和小额基金定投，培养储蓄与投资习惯。",
    "保守存款型": "以存款为主（存款占比 {deposit}），平均 {age} 岁，网点到访较多；在网点推荐保本型理财、大额存单与养老规划，注意适当性。",
    "低活跃长尾": "资产与活跃度都低（平均资产 {assets}），用低成本线上触达唤醒，避免高频人工营销；关注流失预警。",
    "中产家庭": "保险持有率 {insurance}，关注家庭保障、子女教育与养老规划，推荐保险+理财的家庭资产组合。",
}
#: Words for a cluster's most distinctive traits, by trait and direction (for clusters
#: beyond the named ones).
TRAIT_WORDS = {
    ("age", -1): "年轻", ("age", 1): "年长", ("log_assets", 1): "高资产", ("log_assets", -1): "低资产",
    ("log_app_logins", 1): "线上活跃", ("log_app_logins", -1): "线上沉默",
    ("log_card_spend", 1): "高消费", ("deposit_share", 1): "存款为主", ("financial_share", 1): "偏好理财",
    ("fund_share", 1): "偏好基金", ("insurance_share", 1): "重保障", ("branch_visit_count", 1): "常到网点",
    ("financial_repurchase_count", 1): "高复购", ("product_count", 1): "多产品", ("product_count", -1): "单一产品",
    ("log_investments", 1): "投资活跃",
}
GENERIC_STRATEGY = "该客群平均资产 {assets}、持有 {products} 个产品，按需求做常规维护，针对其突出特征做交叉销售。"


def segment_features(snapshot: pd.DataFrame) -> pd.DataFrame:
    s = snapshot
    total = s["total_assets"].clip(lower=0)
    share = lambda col: (s[col].clip(lower=0) / total.where(total > 0)).fillna(0.0)
    return pd.DataFrame({
        "log_assets": np.log1p(total),
        "deposit_share": share("deposit_balance"),
        "financial_share": share("financial_balance"),
        "fund_share": share("fund_balance"),
        "insurance_share": share("insurance_balance"),
        "product_count": s["product_count"],
        "log_app_logins": np.log1p(s["app_login_count"].clip(lower=0)),
        "log_card_spend": np.log1p(s["credit_card_monthly_expense"].clip(lower=0)),
        "financial_repurchase_count": s["financial_repurchase_count"],
        "log_investments": np.log1p(s["investment_monthly_count"].clip(lower=0)),
        "branch_visit_count": s["branch_visit_count"],
        "age": s["age"],
    }, index=s.index).astype(float)


def _wan(x: float) -> str:
    return f"{x / WAN:,.1f}万"


def name_scores(profiles: pd.DataFrame) -> pd.DataFrame:
    """Clusters × candidate names: the weighted z-scores of each name's traits."""
    return pd.DataFrame({name: sum(w * profiles[f"z_{t}"] for t, w in traits.items())
                         for name, traits in NAME_TRAITS.items()}, index=profiles.index)


def _trait_name(profile: pd.Series) -> str:
    z = {t: profile[f"z_{t}"] for t in SEGMENT_FEATURES}
    words = [TRAIT_WORDS[(t, int(np.sign(v)))] for t, v in sorted(z.items(), key=lambda kv: -abs(kv[1]))
             if (t, int(np.sign(v))) in TRAIT_WORDS][:2]
    return "".join(words) + "客群" if words else "均衡型客群"


class Segmenter:
    def __init__(self, k_range=range(4, 9), sample_size: int = 5000, random_state: int = 0):
        self.k_range = k_range
        self.sample_size = sample_size
        self.random_state = random_state

    def fit(self, snapshot: pd.DataFrame) -> "Segmenter":
        """snapshot: as-of rows with SNAPSHOT_COLUMNS (customers with a row in the as-of month)."""
        x = segment_features(snapshot)
        self.fill_values_ = x.median()
        self.scaler_ = StandardScaler().fit(x.fillna(self.fill_values_))
        z = self.scaler_.transform(x.fillna(self.fill_values_))
        rng = np.random.default_rng(self.random_state)
        sample = z[rng.choice(len(z), min(len(z), self.sample_size), replace=False)]
        self.selection_ = []
        for k in self.k_range:
            km = KMeans(k, n_init=4, random_state=self.random_state).fit(sample)
            self.selection_.append({"k": k, "silhouette": float(silhouette_score(sample, km.labels_)),
                                    "inertia": float(km.inertia_)})
        self.k_ = max(self.selection_, key=lambda r: r["silhouette"])["k"]
        # Full data: mini-batch k-means past a few hundred thousand rows keeps this in seconds.
        algo = KMeans(self.k_, n_init=4, random_state=self.random_state) if len(z) <= 200_000 else \
            MiniBatchKMeans(self.k_, n_init=4, batch_size=8192, random_state=self.random_state)
        self.kmeans_ = algo.fit(z)
        labels = self.kmeans_.labels_
        self.profiles_ = self._profiles(snapshot, x, labels)
        self.bank_medians_ = snapshot[["total_assets", "credit_card_monthly_expense"]].median()
        self.names_, self.strategies_ = self._name(self.profiles_, self._name_fit(snapshot, labels))
        self.profiles_["name"] = self.profiles_.index.map(self.names_)
        self.profiles_["strategy"] = self.profiles_.index.map(self.strategies_)
        return self

    def stability(self, snapshot: pd.DataFrame, seeds=(1, 2, 3), size: int = 20_000) -> float:
        """Mean adjusted Rand index between this model's clusters and k-means refitted with other seeds, on a
        sample: 1 = the same segments whatever the seed."""
        from sklearn.metrics import adjusted_rand_score
        rows = np.random.default_rng(self.random_state).choice(len(snapshot), min(len(snapshot), size), replace=False)
        z = self.scaler_.transform(segment_features(snapshot.iloc[rows]).fillna(self.fill_values_))
        mine = self.kmeans_.predict(z)
        return float(np.mean([adjusted_rand_score(mine, KMeans(self.k_, n_init=4, random_state=seed).fit_predict(z))
                              for seed in seeds]))

    def name_rule(self, name: str) -> str | None:
        """The rule a segment name claims of its members, in words (None for a neutral name)."""
        if name not in NAME_RULES:
            return None
        return NAME_RULES[name][0].format(assets=_wan(self.bank_medians_["total_assets"]),
                                          card=f"{self.bank_medians_['credit_card_monthly_expense']:,.0f}元")

    def fits_name(self, name: str, rows: pd.DataFrame) -> pd.Series:
        """Does each row (snapshot columns) satisfy the rule its segment's name claims?"""
        return NAME_RULES[name][1](rows, self.bank_medians_).fillna(False).astype(bool)

    def _name_fit(self, snapshot: pd.DataFrame, labels) -> pd.DataFrame:
        """Clusters × names: the share of each cluster's members satisfying each name's rule."""
        return pd.DataFrame({name: self.fits_name(name, snapshot).groupby(labels).mean() for name in NAME_RULES})

    def predict(self, snapshot: pd.DataFrame) -> np.ndarray:
        x = segment_features(snapshot).fillna(self.fill_values_)
        return self.kmeans_.predict(self.scaler_.transform(x))

    def segment_names(self, labels) -> np.ndarray:
        return np.array([self.names_[int(c)] for c in labels], dtype=object)

    @staticmethod
    def _profiles(snapshot, x, labels) -> pd.DataFrame:
        s = snapshot.assign(cluster=labels)
        g = s.groupby("cluster")
        profile = pd.DataFrame({
            "customers": g.size(),
            "share": g.size() / len(s),
            "mean_assets": g["total_assets"].mean(),
            "median_assets": g["total_assets"].median(),
            "mean_age": g["age"].mean(),
            "product_count": g["product_count"].mean(),
            "financial_rate": g["financial_flag"].mean(),
            "fund_rate": g["fund_flag"].mean(),
            "insurance_rate": g["insurance_flag"].mean(),
            "repurchase_rate": s[s["financial_flag"] == 1].assign(r=lambda d: d["financial_repurchase_count"] >= 1)
            .groupby("cluster")["r"].mean(),
            "app_logins": g["app_login_count"].mean(),
            "card_spend": g["credit_card_monthly_expense"].mean(),
            "branch_visits": g["branch_visit_count"].mean(),
        }).fillna(0.0)
        traits = x.assign(cluster=labels).groupby("cluster").mean()
        z = (traits - x.mean()) / x.std(ddof=0).replace(0, 1)
        return profile.join(traits[["deposit_share", "financial_share", "fund_share",
                                    "insurance_share"]]).join(z.add_prefix("z_"))

    def _name(self, profiles: pd.DataFrame, fit: pd.DataFrame) -> tuple[dict, dict]:
        names = list(NAME_TRAITS)
        score = name_scores(profiles)[names].to_numpy()
        rows, cols = linear_sum_assignment(-score)
        # A name must be earned twice: by the cluster's profile (the best overall matching can still pair
        # a leftover name with a cluster that has none of its traits) and by most of its members.
        chosen = {profiles.index[r]: names[c] for r, c in zip(rows, cols) if score[r, c] >= MIN_NAME_SCORE}
        self.name_fit_ = {int(c): {"name": n, "rule": self.name_rule(n), "members_fit": float(fit.at[c, n]),
                                   "kept": bool(fit.at[c, n] >= NAME_FIT_MIN)} for c, n in chosen.items()}
        chosen = {c: n for c, n in chosen.items() if self.name_fit_[int(c)]["kept"]}
        cluster_names, strategies = {}, {}
        for cluster in profiles.index:
            p = profiles.loc[cluster]
            values = {"assets": _wan(p["mean_assets"]), "products": f"{p['product_count']:.1f}",
                      "repurchase": f"{p['repurchase_rate']:.0%}", "card": f"{p['card_spend']:,.0f}元",
                      "deposit": f"{p['deposit_share']:.0%}",
                      "age": f"{p['mean_age']:.0f}", "insurance": f"{p['insurance_rate']:.0%}"}
            name = chosen.get(cluster)
            if name is None:  # no name earned (or more clusters than names): its two strongest traits
                name = _trait_name(p)
            while name in cluster_names.values():   # two clusters with the same strongest traits
                name = f"{name}（{sum(n.startswith(name) for n in cluster_names.values()) + 1}）"
            cluster_names[int(cluster)] = name
            strategies[int(cluster)] = STRATEGY_TEMPLATES.get(name, GENERIC_STRATEGY).format(**values)
        return cluster_names, strategies
