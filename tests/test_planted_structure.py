"""The demo data carries the structure the models are meant to find."""
import sqlite3

import pandas as pd

from tests.conftest import read


def _lift(flags: pd.DataFrame, a: str, b: str) -> float:
    both = (flags[a].astype(bool) & flags[b].astype(bool)).mean()
    return both / (flags[a].mean() * flags[b].mean())


def test_one_product_pair_has_lift_above_1_3_and_another_below_0_8(asof):
    assert _lift(asof, "financial_flag", "fund_flag") >= 1.3
    assert _lift(asof, "fund_flag", "insurance_flag") <= 0.8


def _with_personas(small_build, asof):
    with sqlite3.connect(small_build.truth_path) as conn:
        truth = pd.read_sql_query("SELECT * FROM persona", conn)
    base = read(small_build.db_path, "SELECT customer_id, monthly_income FROM customer_base")
    return asof.merge(truth, on="customer_id").merge(base, on="customer_id")


def test_personas_separate_on_age_assets_spending_and_repurchase(small_build, asof):
    means = _with_personas(small_build, asof).groupby("persona").mean(numeric_only=True)
    assert means.loc["保守存款型", "age"] > means.loc["年轻高消费", "age"] + 20
    others = means.drop(index="高净值稳健")
    assert means.loc["高净值稳健", "total_assets"] > 2 * others["total_assets"].max()
    assert means.loc["年轻高消费", "app_login_count"] > 3 * means.loc["保守存款型", "app_login_count"]
    assert means["financial_repurchase_count"].idxmax() == "高复购理财"
    assert means["total_assets"].idxmin() == "低活跃长尾"


def test_declining_customers_lose_assets_over_the_last_six_months(small_build):
    with sqlite3.connect(small_build.truth_path) as conn:
        truth = pd.read_sql_query("SELECT customer_id, declining FROM persona", conn)
    rows = read(small_build.db_path, """
        SELECT customer_id, stat_month, total_assets FROM customer_behavior_assets
        WHERE stat_month IN ((SELECT MAX(stat_month) FROM monthly_summary),
                             (SELECT stat_month FROM monthly_summary ORDER BY stat_month DESC LIMIT 1 OFFSET 6))""")
    wide = rows.pivot(index="customer_id", columns="stat_month", values="total_assets").dropna()
    growth = (wide.iloc[:, 1] / wide.iloc[:, 0].clip(lower=1)).rename("growth").reset_index()
    by = growth.merge(truth, on="customer_id").groupby("declining")["growth"].median()
    assert by[1] < 0.8 < by[0]


def test_the_hidden_truth_stays_out_of_the_database(small_build):
    conn = sqlite3.connect(small_build.db_path)
    try:
        columns = {r[0] for r in conn.execute(
            "SELECT ti.name FROM sqlite_master m JOIN pragma_table_info(m.name) ti WHERE m.type='table'")}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert "persona" not in columns and "monthly_drift" not in columns
    assert "planted_rules" not in tables and "persona" not in tables
    assert small_build.truth_path != small_build.db_path and small_build.truth_path.exists()
