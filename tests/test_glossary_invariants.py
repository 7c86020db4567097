"""The glossary's definitions hold in the built database (checked with independent pandas)."""
import numpy as np
import pandas as pd

from tests.conftest import read

BALANCES = ["deposit_balance", "financial_balance", "fund_balance", "insurance_balance"]
FLAGS = ["deposit_flag", "financial_flag", "fund_flag", "insurance_flag"]


def _all_rows(db):
    return read(db, "SELECT * FROM customer_behavior_assets")


def test_total_assets_is_the_sum_of_the_four_balances(small_db):
    rows = _all_rows(small_db)
    assert np.allclose(rows["total_assets"], rows[BALANCES].sum(axis=1), atol=0.011)
    assert (rows[BALANCES] >= 0).all().all()


def test_flags_are_one_exactly_when_the_balance_is_positive(small_db):
    rows = _all_rows(small_db)
    for flag, balance in zip(FLAGS, BALANCES):
        assert ((rows[balance] > 0).astype(int) == rows[flag]).all(), flag


def test_product_count_is_the_sum_of_the_flags(small_db):
    rows = _all_rows(small_db)
    assert (rows["product_count"] == rows[FLAGS].sum(axis=1)).all()


def test_asset_level_follows_total_assets_with_inclusive_lower_bounds(small_db):
    rows = _all_rows(small_db)
    expected = pd.cut(rows["total_assets"], [-np.inf, 1e5, 3e5, 5e5, 8e5, 1e6, np.inf], right=False,
                      labels=["10万以下", "10-30万", "30-50万", "50-80万", "80-100万", "100万+"])
    assert (rows["asset_level"] == expected.astype(str)).all()


def test_snapshot_tier_and_age_band_follow_the_glossary(small_db, asof):
    snap = read(small_db, "SELECT * FROM customer_snapshot").set_index("customer_id")
    a = asof.set_index("customer_id")
    tier = pd.cut(a["total_assets"], [-np.inf, 5e5, 8e5, 1e6, np.inf], right=False,
                  labels=["普通", "潜力", "临界", "高净值"]).astype(str)
    assert (snap.loc[a.index, "customer_tier"] == tier).all()
    base = read(small_db, "SELECT customer_id, age FROM customer_base").set_index("customer_id")
    band = pd.cut(base["age"], [-np.inf, 30, 40, 50, 60, np.inf], right=False,
                  labels=["30岁以下", "30-39岁", "40-49岁", "50-59岁", "60岁及以上"]).astype(str)
    assert (snap.loc[base.index, "age_band"] == band).all()


def test_snapshot_has_one_row_per_customer_with_as_of_values(small_db, asof):
    snap = read(small_db, "SELECT * FROM customer_snapshot").set_index("customer_id")
    customers = read(small_db, "SELECT COUNT(*) n FROM customer_base")["n"][0]
    assert len(snap) == customers and snap.index.is_unique
    a = asof.set_index("customer_id")
    assert np.allclose(snap.loc[a.index, "total_assets"], a["total_assets"])
    assert set(snap.index[snap["in_asof"] == 0]).isdisjoint(a.index)
    assert snap.loc[snap["in_asof"] == 0, "total_assets"].isna().all()
    assert "name" not in snap.columns


def test_monthly_summary_matches_the_monthly_rows(small_db):
    rows = _all_rows(small_db)
    summary = read(small_db, "SELECT * FROM monthly_summary").set_index("stat_month")
    by_month = rows.groupby("stat_month")
    assert np.allclose(summary["total_assets"], by_month["total_assets"].sum())
    assert (summary["customers"] == by_month.size()).all()
    assert (summary["active_customers"] == by_month["app_login_count"].apply(lambda s: (s >= 1).sum())).all()


def test_values_stay_in_their_domains(small_db):
    base = read(small_db, "SELECT * FROM customer_base")
    assert base["age"].between(18, 85).all()
    assert set(base["gender"]) == {"男", "女"}
    assert set(base["city_level"]) == {"一线城市", "二线城市", "三线城市"}
    assert set(base["lifecycle_stage"]) <= {"新客户", "成长客户", "成熟客户", "价值客户", "忠诚客户",
                                            "流失预警客户", "流失客户"}
    assert base["customer_id"].str.fullmatch(r"CUST\d{6}").all()
    rows = _all_rows(small_db)
    assert set(rows["contact_result"]) <= {"成功", "未接通", "拒绝", "待跟进"}
    assert rows["stat_month"].str.fullmatch(r"\d{4}-\d{2}").all()
    dates = rows["last_transaction_date"].dropna()
    assert pd.to_datetime(dates, format="%Y-%m-%d", errors="coerce").notna().all()
