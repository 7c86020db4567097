"""Product-basket rules (Apriori, mlxtend) and recommendations.

Transactions are the as-of month's holdings of the four products, with the
customer's age band, tier and segment as extra items that may appear only in a
rule's antecedent. A recommendation ranks products the customer does not hold
by the best rule whose antecedent the customer satisfies, and says why.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from mlxtend.frequent_patterns import apriori, association_rules

from db.definitions import AGE_BANDS, CUSTOMER_TIERS, PRODUCTS, band_of

PRODUCT_NAMES = tuple(PRODUCTS.values())
ATTRIBUTES = {"age_band": "年龄段", "customer_tier": "客户等级", "segment": "客群"}


def holdings(snapshot: pd.DataFrame) -> pd.DataFrame:
    """Boolean product columns named 存款/理财/基金/保险."""
    return pd.DataFrame({name: snapshot[f"{key}_flag"].to_numpy() == 1
                         for key, name in PRODUCTS.items()}, index=snapshot.index)


def transactions(snapshot: pd.DataFrame) -> pd.DataFrame:
    items = [holdings(snapshot)]
    for column, label in ATTRIBUTES.items():
        if column in snapshot:
            items.append(pd.get_dummies(snapshot[column].astype(str), prefix=label, prefix_sep="=")
                         .astype(bool))
    return pd.concat(items, axis=1)


def customer_items(row: pd.Series) -> set[str]:
    held = {name for key, name in PRODUCTS.items() if row.get(f"{key}_flag") == 1}
    return held | {f"{label}={row[col]}" for col, label in ATTRIBUTES.items() if col in row}


def combination_counts(snapshot: pd.DataFrame) -> pd.DataFrame:
    """How many customers hold each exact product combination, most common first."""
    h = holdings(snapshot)
    counts = _combination_names(h).value_counts()
    return pd.DataFrame({"combination": counts.index, "customers": counts.to_numpy(),
                         "share": (counts / max(len(h), 1)).to_numpy()})


def _combination_names(h: pd.DataFrame) -> pd.Series:
    # Encode the four flags as a 4-bit number so naming is a lookup, not a row loop.
    code = sum(h[n].to_numpy().astype(int) << k for k, n in enumerate(PRODUCT_NAMES))
    names = {c: "+".join(n for k, n in enumerate(PRODUCT_NAMES) if c >> k & 1) or "无产品"
             for c in range(16)}
    return pd.Series(code, index=h.index).map(names)


class BasketRules:
    def __init__(self, min_support: float = 0.01, min_confidence: float = 0.1,
                 max_rows: int = 200_000, random_state: int = 0):
        self.min_support = min_support
        self.min_confidence = min_confidence
        self.max_rows = max_rows
        self.random_state = random_state

    def fit(self, snapshot: pd.DataFrame) -> "BasketRules":
        data = transactions(snapshot)
        if len(data) > self.max_rows:  # support and lift are proportions: a sample estimates them
            data = data.sample(self.max_rows, random_state=self.random_state)
        self.base_rates_ = data[list(PRODUCT_NAMES)].mean().to_dict()
        frequent = apriori(data, min_support=self.min_support, use_colnames=True, max_len=3)
        rules = association_rules(frequent, num_itemsets=len(data), metric="confidence",
                                  min_threshold=self.min_confidence)
        single = rules["consequents"].apply(len) == 1
        rules = rules[single].copy()
        rules["consequent"] = rules["consequents"].apply(lambda s: next(iter(s)))
        rules = rules[rules["consequent"].isin(PRODUCT_NAMES)]
        rules["antecedent"] = rules["antecedents"].apply(lambda s: tuple(sorted(s)))
        self.rules_ = rules[["antecedent", "consequent", "support", "confidence", "lift"]] \
            .sort_values(["lift", "confidence"], ascending=False).reset_index(drop=True)
        self.product_rules_ = self.rules_[self.rules_["antecedent"].apply(
            lambda a: all(i in PRODUCT_NAMES for i in a))].reset_index(drop=True)
        return self

    def recommend(self, items: set[str], top_n: int = 3) -> pd.DataFrame:
        """Products not in `items`, best first, each with the rule behind it."""
        held = items & set(PRODUCT_NAMES)
        rules = self.rules_[~self.rules_["consequent"].isin(held).to_numpy()]
        # Boolean numpy masks: an empty object Series would select columns, not rows.
        satisfied = np.fromiter((set(a) <= items for a in rules["antecedent"]), bool, len(rules))
        applicable = rules[satisfied & (rules["lift"].to_numpy() > 1.0)]
        best = applicable.sort_values(["confidence", "lift"], ascending=False) \
            .drop_duplicates("consequent")
        rows = [{"product": r.consequent, "by_rule": True, "score": r.confidence, "lift": r.lift,
                 "reason": f"与该客户情况相同（{'、'.join(r.antecedent)}）的客户中 {r.confidence:.0%} 持有"
                           f"{r.consequent}，是全体客户的 {r.lift:.1f} 倍"}
                for r in best.itertuples()]
        # Products no rule supports rank below any rule, by how common they are.
        for product in PRODUCT_NAMES:
            if product not in held and product not in set(best["consequent"]):
                rows.append({"product": product, "by_rule": False, "score": self.base_rates_[product],
                             "lift": 1.0,
                             "reason": f"全体客户中 {self.base_rates_[product]:.0%} 持有{product}（无更强的关联规则）"})
        out = pd.DataFrame(rows, columns=["product", "by_rule", "score", "lift", "reason"])
        return out.sort_values(["by_rule", "score"], ascending=False).head(top_n).reset_index(drop=True)

    def lift(self, antecedent: str, consequent: str) -> float:
        r = self.product_rules_
        match = r[(r["antecedent"] == (antecedent,)) & (r["consequent"] == consequent)]
        return float(match["lift"].iloc[0]) if len(match) else float("nan")


def pair_lift(snapshot: pd.DataFrame, a: str, b: str) -> float:
    """Lift of holding products a and b together (also for pairs below min_confidence)."""
    h = holdings(snapshot)
    both = (h[a] & h[b]).mean()
    return float(both / max(h[a].mean() * h[b].mean(), 1e-12)) if len(h) else float("nan")



def backtest_recommendations(panel, horizon: int = 3, months: int = 3) -> dict:
    """Would the recommendations have named the product customers went on to buy? For each of the last
    `months` months whose next `horizon` months are known: rules fitted on that month's holdings (age band
    and tier as context; the 客群 is left out, it is assigned from later data), each customer's
    recommendation drawn from that month's holdings, and scored on the customers who took up a product they
    did not hold within the horizon: hit@k = one of the top k is a product they took up. Baseline: the
    products most held bank-wide, in that order (popularity)."""
    flags = {name: panel.values[f"{key}_flag"] for key, name in PRODUCTS.items()}
    last = len(panel.months) - 1
    hits = {"model@1": 0, "model@2": 0, "popular@1": 0, "popular@2": 0}
    takers = 0
    for t in range(max(0, last - horizon - months + 1), last - horizon + 1):
        now = ~np.isnan(panel.values["total_assets"][:, t])
        snap = pd.DataFrame({f"{key}_flag": np.nan_to_num(flags[name][now, t]) for key, name in PRODUCTS.items()})
        snap["age_band"] = band_of(panel.static["age"].to_numpy(float)[now], AGE_BANDS)
        snap["customer_tier"] = band_of(panel.values["total_assets"][now, t], CUSTOMER_TIERS)
        later = {name: np.nanmax(np.nan_to_num(flags[name][now, t + 1:t + horizon + 1]), axis=1) == 1
                 for name in PRODUCT_NAMES}
        took = pd.DataFrame({name: (snap[f"{key}_flag"].to_numpy() != 1) & later[name]
                             for key, name in PRODUCTS.items()})
        rules = BasketRules().fit(snap)
        popular = sorted(PRODUCT_NAMES, key=lambda n: -rules.base_rates_[n])
        keys = list(snap.columns)
        for values, group in snap[took.any(axis=1).to_numpy()].groupby(keys, dropna=False, sort=False):
            items = customer_items(pd.Series(dict(zip(keys, values))))
            ranked = list(rules.recommend(items, top_n=len(PRODUCT_NAMES))["product"])
            baseline = [p for p in popular if p not in items]
            taken = took.loc[group.index]
            for k in (1, 2):
                hits[f"model@{k}"] += int(taken[ranked[:k]].any(axis=1).sum()) if ranked else 0
                hits[f"popular@{k}"] += int(taken[baseline[:k]].any(axis=1).sum()) if baseline else 0
        takers += int(took.any(axis=1).sum())
    return {"customers_who_took_up": takers, "months": months, "horizon": horizon,
            **{k: v / max(takers, 1) for k, v in hits.items()}}
