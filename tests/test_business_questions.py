"""Every question of the glossary's section 3, answered offline, checked against pandas.

The expected numbers are computed here from the raw tables with pandas, not by
the pipeline under test.
"""
import numpy as np
import pandas as pd
import pytest

from agents.assistant import Assistant
from tests.conftest import read


@pytest.fixture(scope="module")
def assistant(default_db, trained_artifacts):
    return Assistant(default_db, trained_artifacts)


@pytest.fixture(scope="module")
def raw(default_db):
    base = read(default_db, "SELECT * FROM customer_base")
    rows = read(default_db, "SELECT * FROM customer_behavior_assets")
    as_of = rows["stat_month"].max()
    now = rows[rows["stat_month"] == as_of].merge(base, on="customer_id")
    return {"base": base, "now": now, "as_of": as_of}


def table(answer, i=0) -> pd.DataFrame:
    return answer.tables[i].to_frame()


def tier_of(assets):
    return pd.cut(assets, [-np.inf, 5e5, 8e5, 1e6, np.inf], right=False, labels=["普通", "潜力", "临界", "高净值"]).astype(str)


def test_customer_count_and_aum(assistant, raw):
    a = assistant.ask("我行目前有多少客户？总资产管理规模是多少？")
    assert a.route == "sql" and a.ok
    assert f"{len(raw['base']):,}" in a.text
    aum = raw["now"]["total_assets"].sum()
    assert f"{aum / 1e8:,.2f}亿元" in a.text
    assert a.sql and "口径" in table(a).columns


def test_average_assets_and_hnw_share(assistant, raw):
    a = assistant.ask("客户的平均资产是多少？高净值客户的占比如何？")
    now = raw["now"]
    assert f"{now['total_assets'].mean() / 1e4:,.2f}万元" in a.text
    assert f"{(now['total_assets'] >= 1e6).mean():.1%}" in a.text


def test_age_distribution_names_the_largest_band(assistant, raw):
    a = assistant.ask("客户年龄分布情况如何？哪个年龄段客户最多？")
    bands = pd.cut(raw["base"]["age"], [-np.inf, 30, 40, 50, 60, np.inf], right=False,
                   labels=["30岁以下", "30-39岁", "40-49岁", "50-59岁", "60岁及以上"]).astype(str).value_counts()
    got = table(a).set_index("年龄段")["客户数"]
    assert got.to_dict() == bands.to_dict()
    assert f"“{bands.idxmax()}”" in a.text and a.charts


def test_tier_distribution(assistant, raw):
    a = assistant.ask("不同客户等级（普通、潜力、临界、高净值）的分布情况怎样？")
    expected = tier_of(raw["now"]["total_assets"]).value_counts()
    got = table(a).set_index("客户等级")["客户数"]
    assert got.to_dict() == expected.to_dict()
    assert list(got.index) == ["普通", "潜力", "临界", "高净值"]


def test_tier_asset_share_and_counts(assistant, raw):
    a = assistant.ask("不同客户等级的资产占比及客户数量是多少？")
    now = raw["now"].assign(tier=tier_of(raw["now"]["total_assets"]))
    share = now.groupby("tier")["total_assets"].sum() / now["total_assets"].sum()
    got = table(a).set_index("客户等级")
    assert np.allclose(got["资产占比"], share.loc[got.index])
    assert (got["客户数"] == now.groupby("tier").size().loc[got.index]).all()


def test_city_level_distribution(assistant, raw):
    a = assistant.ask("客户在不同城市等级（一线、二线、三线）的分布如何？")
    got = table(a).set_index("城市等级")["客户数"]
    assert got.to_dict() == raw["base"]["city_level"].value_counts().to_dict()


def test_product_preference_by_occupation(assistant, raw):
    a = assistant.ask("不同职业客户的产品偏好有什么差异？")
    rates = raw["now"].groupby("occupation")[["financial_flag", "fund_flag"]].mean()
    got = table(a).set_index("职业")
    assert np.allclose(got["理财持有率"], rates.loc[got.index, "financial_flag"])
    assert np.allclose(got["基金持有率"], rates.loc[got.index, "fund_flag"])


def test_login_and_branch_visit_distributions(assistant, raw):
    a = assistant.ask("客户的网银登录次数和网点访问次数分布情况如何？")
    logins = raw["now"]["app_login_count"]
    assert len(a.tables) == 2
    got = table(a, 0).set_index("手机银行登录次数")["客户数"]
    assert got["0次"] == (logins == 0).sum() and got["1-5次"] == logins.between(1, 5).sum()
    assert got["30次以上"] == (logins > 30).sum()
    visits = table(a, 1).set_index("网点到访次数")["客户数"]
    assert visits["4次及以上"] == (raw["now"]["branch_visit_count"] >= 4).sum()


def test_age_and_mobile_banking_correlation(assistant, raw):
    a = assistant.ask("年龄与手机银行使用频率有何关联？")
    now = raw["now"]
    corr = np.corrcoef(now["age"], now["app_login_count"])[0, 1]
    assert f"{corr:.2f}" in a.text
    assert a.provenance["correlation"] == pytest.approx(corr)


def test_customers_without_transactions_in_three_months(assistant, raw):
    a = assistant.ask("多少客户在过去三个月内没有任何交易行为？")
    now = raw["now"]
    cutoff = str((pd.Timestamp(raw["as_of"]).to_period("M").end_time.normalize() - pd.DateOffset(months=3)).date())
    date = now["last_transaction_date"]
    expected = (date.isna() | (date < cutoff)).sum()
    assert f"{expected:,} 位" in a.text
    assert f"其中 {date.isna().sum():,} 位没有有效的交易日期" in a.text


def test_probability_of_a_customer_with_reasons(assistant):
    a = assistant.ask('客户"CUST000172"成为高价值客户的概率是多少？')
    assert a.route == "prediction" and a.ok and "CUST000172" in a.text and "%" in a.text
    assert a.tool_calls[0]["args"]["customer_id"] == "CUST000172"
    assert "影响" in table(a).columns and a.charts[0].kind == "barh"
    assert a.provenance["model"].startswith("高价值客户预测") and a.provenance["trained_at"]


def test_most_important_value_drivers(assistant):
    a = assistant.ask("影响客户价值的最重要因素有哪些？")
    assert a.route == "prediction" and "平均|SHAP|" in table(a).columns
    assert "AUC" in a.text


def test_recommendation_leaves_out_held_products(assistant, raw):
    a = assistant.ask('基于客户"CUST000116"的现有产品持有情况，应该向其推荐什么产品？')
    row = raw["now"].set_index("customer_id").loc["CUST000116"]
    held = {n for f, n in (("deposit_flag", "存款"), ("financial_flag", "理财"), ("fund_flag", "基金"),
                           ("insurance_flag", "保险")) if row[f] == 1}
    assert a.route == "basket" and set(table(a)["产品"]).isdisjoint(held)


def test_most_common_combination_among_hnw(assistant, raw):
    a = assistant.ask("在高净值客户中，最常见的产品组合是什么？")
    hnw = raw["now"][raw["now"]["total_assets"] >= 1e6]
    names = hnw.apply(lambda r: "+".join(n for f, n in (("deposit_flag", "存款"), ("financial_flag", "理财"),
                                                        ("fund_flag", "基金"), ("insurance_flag", "保险")) if r[f] == 1),
                      axis=1).value_counts()
    got = table(a)
    assert got["产品组合"].iloc[0] == names.index[0] and got["客户数"].iloc[0] == names.iloc[0]


def test_a_customer_asset_trend(assistant):
    a = assistant.ask('客户"CUST000055"的资产在未来可能呈现什么样的趋势？')
    assert a.route == "forecast" and "CUST000055" in a.text
    assert a.charts[0].kind == "line" and a.charts[0].band == ("下限", "上限")


def test_customers_likely_to_decline_with_interventions(assistant):
    a = assistant.ask("未来6个月内，可能出现资产下降的客户有哪些？如何提前进行干预？")
    assert a.route == "forecast" and "干预" in a.text
    frame = table(a)
    assert (frame["6个月后预测（万元）"] < 0.95 * frame["当前总资产（万元）"] + 0.01).all()   # shown rounded to 0.01万


def test_who_will_and_will_not_reach_100w(assistant):
    a = assistant.ask("哪些客户未来3个月资产容易提升至100万+，哪些不容易？后续经营策略是什么？")
    assert a.route == "prediction" and len(a.tables) == 2 and "策略" in a.text
    high, low = table(a, 0), table(a, 1)
    assert high.iloc[:, 2].min() >= low.iloc[:, 2].max()


def test_segments_with_features_and_strategies(assistant, trained_artifacts):
    a = assistant.ask("客户可以分成哪几类？每一类有什么特征、适合什么策略？")
    from models.registry import load_artifact
    k = load_artifact(trained_artifacts, "segmentation").card["metrics"]["k"]
    assert a.route == "segmentation" and len(table(a)) == k and table(a)["策略"].str.len().gt(10).all()


def test_aum_outlook_for_four_quarters(assistant):
    a = assistant.ask("全行未来4个季度的AUM走势如何？")
    frame = table(a)
    assert a.route == "forecast" and list(frame["季度"]) == ["2026Q4", "2027Q1", "2027Q2", "2027Q3"]
    assert (frame["下限"] <= frame["预测AUM"]).all()


def test_variants_with_filters_grouping_and_top_n(assistant, raw):
    now = raw["now"]
    a = assistant.ask("一线城市四十岁以上已婚客户的平均资产是多少")
    sel = now[(now["city_level"] == "一线城市") & (now["age"] >= 40) & (now["marriage_status"] == "已婚")]
    assert f"{sel['total_assets'].mean() / 1e4:,.2f}万元" in a.text
    b = assistant.ask("客户数最多的前三个網點")
    top = now["branch_name"].value_counts().head(3)
    assert list(table(b)["网点"]) == list(top.index) and list(table(b)["客户数"]) == list(top)


def test_follow_up_keeps_the_customer(assistant):
    from agents.planner import Context
    context = Context()
    assistant.ask("客户CUST000172成为高价值客户的概率是多少？", context)
    a = assistant.ask("那他的资产趋势呢？", context)
    assert a.route == "forecast" and "CUST000172" in a.text


def test_an_ambiguous_question_states_its_reading_and_offers_the_other(assistant):
    a = assistant.ask("高价值客户有哪些")
    assert a.reading and "100万+" in a.reading
    assert a.alternative and "高净值" in a.alternative and a.alternative in a.text
