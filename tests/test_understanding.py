"""Understanding questions the parser was not written from, checked against pandas (issue 11)."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3

import numpy as np
import pandas as pd
import pytest

from agents.assistant import Assistant
from agents.lexicon import IdPattern, branch_aliases, cities_from_branches
from agents.planner import Context
from agents.text import normalize
from db.query import Agg, And, Cmp, Contains, Eq, Not, Order, Query, Share, Time
from db.query_sql import compile_query
from evaluation.check import check
from evaluation.reference import evaluate
from evaluation.run import HANDWRITTEN, load_cases, run_case, score
from tests.conftest import read


@pytest.fixture(scope="module")
def assistant(default_db, tmp_path_factory):
    return Assistant(default_db, tmp_path_factory.mktemp("no_models"))


@pytest.mark.parametrize("name, floor", [("handwritten_a", 0.97), ("handwritten_b", 0.95), ("handwritten_c", 0.95),
                                         ("handwritten_d", 0.97), ("handwritten_e", 0.97), ("handwritten_f", 0.97),
                                         ("handwritten_g", 0.97), ("handwritten_h", 0.95), ("handwritten_i", 0.95),
                                         ("handwritten_j", 0.95), ("handwritten_k", 0.93), ("handwritten_l", 0.95),
                                         ("handwritten_m", 0.9), ("handwritten_n", 0.95), ("handwritten_o", 0.95),
                                         ("handwritten_p", 0.95), ("handwritten_q", 0.95), ("handwritten_r", 0.93),
                                         ("handwritten_s", 0.95), ("handwritten_t", 0.95), ("handwritten_u", 0.95),
                                         ("handwritten_v", 0.95), ("handwritten_w", 0.95), ("handwritten_x", 0.95),
                                         ("handwritten_y", 0.95), ("handwritten_z", 0.93), ("handwritten_aa", 0.95),
                                         ("handwritten_ab", 0.95), ("handwritten_ac", 0.95), ("handwritten_ad", 0.93),
                                         ("handwritten_ae", 0.95), ("handwritten_af", 0.93),
                                         ("handwritten_ag", 0.95), ("handwritten_ah", 0.93),
                                         ("handwritten_ai", 0.95), ("handwritten_aj", 0.93),
                                         ("handwritten_ak", 0.95), ("handwritten_al", 0.95),
                                         ("handwritten_am", 0.95), ("handwritten_an", 0.95),
                                         ("handwritten_ao", 0.93), ("handwritten_ap", 0.95),
                                         ("handwritten_aq", 0.95), ("handwritten_ar", 0.95),
                                         ("handwritten_as", 0.95), ("handwritten_at", 0.95),
                                         ("handwritten_au", 0.75), ("handwritten_av", 0.95),
                                         ("handwritten_aw", 0.95), ("handwritten_ax", 0.93),
                                         ("handwritten_ay", 0.95), ("handwritten_az", 0.95),
                                         ("handwritten_ba", 0.95), ("handwritten_bb", 0.93),
                                         ("handwritten_bc", 0.95), ("handwritten_bd", 0.95),
                                         ("handwritten_be", 0.95), ("handwritten_bf", 0.95),
                                         ("handwritten_bg", 0.95), ("handwritten_bh", 0.95),
                                         ("handwritten_bi", 0.95), ("handwritten_bj", 0.95),
                                         ("handwritten_bk", 0.95), ("handwritten_bl", 0.95),
                                         ("handwritten_bm", 0.95), ("handwritten_bn", 0.95),
                                         ("unanswerable", 1.0)])
def test_handwritten_questions_are_answered_right_or_honestly_refused(assistant, default_db, name, floor):
    # model questions (category I: routes, 客群) need trained artifacts: test_model_questions_… runs them
    cases = [c for c in load_cases(name) if c["expect"].get("route") is None and c["category"] != "I"]
    results = [run_case(assistant, c, default_db) for c in cases]
    rate = sum(r["passed"] for r in results) / len(results)
    failed = [f"{r['id']} {r['question']}: {r['why']}" for r in results if not r["passed"]]
    assert rate >= floor, f"{name}: {rate:.1%} < {floor:.0%}\n" + "\n".join(failed)
    assert sum(r["wrong_figure"] for r in results) <= 1, "answers that stated a wrong figure:\n" + "\n".join(failed)


def test_generated_corpus_held_out_half_is_scored_separately(assistant, default_db):
    corpus = pytest.importorskip("evaluation.corpus")
    cases = corpus.generate(default_db)
    assert len(cases) >= 2000
    families = {c["family"]: c["split"] for c in cases}
    assert {"dev", "heldout"} <= set(families.values())
    for split, floor in (("heldout", 0.95), ("heldout2", 0.95)):
        held = [c for c in cases if c["split"] == split][::4]   # a quarter keeps the test fast; the bench runs all
        results = [run_case(assistant, c, default_db) for c in held]
        rate = sum(r["passed"] for r in results) / len(results)
        assert rate >= floor, (split, score(results))
        # what is not understood is said so: a miss never states another question's figure
        assert not [r["question"] for r in results if r["wrong_figure"]]


@pytest.mark.parametrize("said, means", [("月入过一万五的", "月入过15000的"), ("1万5千元", "15000元"),
                                         ("三万五的", "35000的"), ("岁数超过五十、西安", "岁数超过50、西安"),
                                         ("两万五个客户", "2万5个客户"), ("第一、", "第一、")])
def test_chinese_numerals_are_read_as_staff_write_them(said, means):
    # 一万五 is 15000 (not 1万 and a stray 5); 五十 before a pause is a number; 5个客户 stays a count
    assert normalize(said) == means


@pytest.mark.parametrize("question", ["八线城市的客户平均资产是多少", "月球支行有多少客户", "客户的房贷余额合计多少",
                                      "理财收益率最高的网点", "2019年3月的总资产"])
def test_a_word_not_understood_gives_no_figure(assistant, question):
    answer = assistant.ask(question, Context())
    assert not answer.provenance.get("facts"), answer.text
    assert answer.understood is not None and answer.understood["status"] != "ok"


def test_an_unknown_value_is_named_with_closest_readings(assistant):
    answer = assistant.ask("八线城市的客户数", Context())
    assert "八线" in answer.text
    assert answer.suggestions and all("线城市" in s for s in answer.suggestions)


def test_every_answer_carries_what_was_understood(assistant):
    answer = assistant.ask("二线和三线城市的已婚女性客户平均资产", Context())
    u = answer.understood
    assert u["status"] == "ok" and u["confidence"] == "high"
    assert u["filters"] == "二线城市或三线城市、已婚、女性" and u["measures"] == ["平均资产"]
    assert u["words_not_used"] == []


def test_follow_ups_change_only_what_they_mention(assistant, default_db):
    context = Context()
    assistant.ask("三线城市的潜力客户有几个", context)
    swapped = assistant.ask("换成一线城市呢", context)
    narrowed = assistant.ask("其中女性呢", context)
    measure = assistant.ask("人均资产呢", context)
    snap = read(default_db, "SELECT city_level, customer_tier, gender, total_assets FROM customer_snapshot")
    first = snap[(snap.city_level == "一线城市") & (snap.customer_tier == "潜力")]
    assert swapped.provenance["facts"][0]["value"] == len(first)
    assert narrowed.provenance["facts"][0]["value"] == (first.gender == "女").sum()
    assert measure.provenance["facts"][0]["value"] == pytest.approx(first[first.gender == "女"].total_assets.mean())


def _snapshot(db):
    return read(db, "SELECT * FROM customer_snapshot WHERE in_asof = 1")


@pytest.mark.parametrize("question, expected", [
    # two negations cancel: 并非没有理财 = holds 理财
    ("并非没有理财的女客户有几位", lambda s: ((s.financial_flag == 1) & (s.gender == "女")).sum()),
    # English an analyst mixes in: case-free, whole words only
    ("AVG monthly_income of 已婚 customers", lambda s: s[s.marriage_status == "已婚"].monthly_income.mean()),
    ("Total AUM 三线城市", lambda s: s[s.city_level == "三线城市"].total_assets.sum()),
    # 每月 after a per-month flow is its period, not a series
    ("手机银行每月登录超过20次的客户有多少", lambda s: (s.app_login_count > 20).sum()),
    # 占 … 多少: a share without the word 占比
    ("高净值客户的资产占全行资产多少", lambda s: s[s.customer_tier == "高净值"].total_assets.sum() / s.total_assets.sum()),
    # a tier said short
    ("高净户有多少", lambda s: (s.customer_tier == "高净值").sum()),
    # an exclusion said after what it excludes
    ("高净值客户不算，二线城市的客户平均资产多少",
     lambda s: s[(s.customer_tier != "高净值") & (s.city_level == "二线城市")].total_assets.mean()),
    # a negated threshold keeps its complement
    ("排除年龄不到40岁的客户后，教师有多少", lambda s: ((s.age >= 40) & (s.occupation == "教师")).sum()),
    # a place leading a share is where the share is taken
    ("深圳南山支行高净值客户占比", lambda s: (s[s.branch_name == "深圳南山支行"].customer_tier == "高净值").mean()),
    # an explicit denominator wins over 全部客户 inside it
    ("以三线城市的全部客户为分母，计算其中持有基金的客户所占比例",
     lambda s: (s[s.city_level == "三线城市"].fund_flag == 1).mean()),
    # customers whose value is missing are left out
    ("剔除月收入缺失的客户后，已婚客户有多少", lambda s: ((s.marriage_status == "已婚") & s.monthly_income.notna()).sum()),
    # two cities side by side are either; a city before its own branch only qualifies it
    ("北京上海的客户有多少", lambda s: s.branch_name.str.contains("北京|上海").sum()),
    ("广州天河的客户有多少", lambda s: (s.branch_name == "广州天河支行").sum()),
    # 一个月 before a per-month flow is its period, with 平均 between
    ("做医生的一个月平均挣多少钱", lambda s: s[s.occupation == "医生"].monthly_income.mean()),
    # a memo's formal register: 兹/烦请/请予 ask nothing, 之 is 的, 若干 is 多少
    ("兹请统计二线城市已婚客户之存款余额合计，烦请核报。",
     lambda s: s[(s.city_level == "二线城市") & (s.marriage_status == "已婚")].deposit_balance.sum()),
    ("截至本月为止，持有保险之女性客户共计若干？", lambda s: ((s.insurance_flag == 1) & (s.gender == "女")).sum()),
    # a purpose clause chooses nothing, but the population it names is what 其中 refers to
    ("拟对教师群体做一次理财推介，请统计其中女性客户的平均资产",
     lambda s: s[(s.occupation == "教师") & (s.gender == "女")].total_assets.mean()),
    # 离100万不远 is 临界 in words
    ("离100万不远的女性客户有多少", lambda s: ((s.customer_tier == "临界") & (s.gender == "女")).sum()),
    # products listed then 一样都没有: none of those (not: no product at all)
    ("基金保险一样都没有的已婚客户有几个",
     lambda s: ((s.fund_flag == 0) & (s.insurance_flag == 0) & (s.marriage_status == "已婚")).sum()),
    # a named group beside explicit numbers only describes them
    ("60到70岁（两头都算）的老年客户占全行的份额", lambda s: ((s.age >= 60) & (s.age <= 70)).mean()),
    # 到过网点 is a visit that happened, a condition (not the average of visits)
    ("到过网点的女性客户有多少", lambda s: ((s.branch_visit_count >= 1) & (s.gender == "女")).sum()),
    # SQL said in a sentence, flags by their column names
    ("count customers where deposit_flag = 1 and insurance_flag = 0",
     lambda s: ((s.deposit_flag == 1) & (s.insurance_flag == 0)).sum()),
    # a yes-or-no on a share is answered with the share that decides it
    ("已婚客户里有保险的有没有超过三成", lambda s: (s[s.marriage_status == "已婚"].insurance_flag == 1).mean()),
    # a share whose measure is said again after 占全行, with a particle after 多少
    ("二线城市的存款余额占全行存款余额多少呀",
     lambda s: s[s.city_level == "二线城市"].deposit_balance.sum() / s.deposit_balance.sum()),
    # 以…为准 / 按…合起来算 / 限定在…: how to count, said in a clause of its own
    ("女性客户的人均资产，以基准月为准", lambda s: s[s.gender == "女"].total_assets.mean()),
    ("按北京两家支行合起来算，高净值客户有多少",
     lambda s: (s.branch_name.str.contains("北京") & (s.customer_tier == "高净值")).sum()),
    ("限定在西安，持有保险的客户有多少", lambda s: (s.branch_name.str.contains("西安") & (s.insurance_flag == 1)).sum()),
    # dictated: fillers, a self-correction (the word before 不对 is withdrawn), 周岁, "X和X以上"
    ("嗯 杭州的 不对 西安的 然后 已婚客户 有多少", lambda s: (s.branch_name.str.contains("西安") & (s.marriage_status == "已婚")).sum()),
    ("满45周岁未满55周岁的女性客户有多少", lambda s: ((s.age >= 45) & (s.age < 55) & (s.gender == "女")).sum()),
    ("资产50万和50万以上的男客户有几个", lambda s: ((s.total_assets >= 500000) & (s.gender == "男")).sum()),
    # written Cantonese, traditional characters
    ("上海嘅客戶入面，有幾多個係已婚嘅？", lambda s: (s.branch_name.str.contains("上海") & (s.marriage_status == "已婚")).sum()),
    ("廣州啲客戶冇買保險嘅有幾多", lambda s: (s.branch_name.str.contains("广州") & (s.insurance_flag == 0)).sum()),
    # 任何 before a product negates that product only; 什么产品都没 is no product at all
    ("没有购买任何理财产品的男性客户有多少", lambda s: ((s.financial_flag == 0) & (s.gender == "男")).sum()),
    ("什么产品都没买的女客户有几个", lambda s: ((s.product_count == 0) & (s.gender == "女")).sum()),
    # a negation reaches its value through the dimension's own name; 在…的前提下 is a condition
    ("剔除职业为教师的客户后，已婚客户有多少", lambda s: ((s.occupation != "教师") & (s.marriage_status == "已婚")).sum()),
    ("在不含已婚客户的前提下，二线城市客户有多少",
     lambda s: ((s.marriage_status != "已婚") & (s.city_level == "二线城市")).sum()),
    # 客数 is a head count
    ("三线城市女性客数是多少", lambda s: ((s.city_level == "三线城市") & (s.gender == "女")).sum()),
    # 这两种产品 counts the products just named, it adds no product-count condition
    ("同时买了基金和保险这两种产品的客户有多少", lambda s: ((s.fund_flag == 1) & (s.insurance_flag == 1)).sum()),
    # a city and a branch's place said together are the branch
    ("除北京朝阳以外，北京的客户有多少",
     lambda s: (s.branch_name.str.contains("北京") & (s.branch_name != "北京朝阳支行")).sum()),
    # a branch left out of its own city: the city and not the branch (neither a list nor either-or)
    ("北京的客户中除北京朝阳以外有多少",
     lambda s: (s.branch_name.str.contains("北京") & (s.branch_name != "北京朝阳支行")).sum()),
    ("除了上海浦东，上海的已婚客户有多少", lambda s: (s.branch_name.str.contains("上海") & (s.branch_name != "上海浦东支行")
                                          & (s.marriage_status == "已婚")).sum()),
    # a bracket that restricts nothing
    ("持有理财的客户占比（有没有基金不限）", lambda s: (s.financial_flag == 1).mean()),
    # northern speech: 搁 在, 那旮旯 那边, 刨去 除去, 仨 三个, 光 只, 往上 及以上, 老师 教师
    ("搁上海那旮旯的已婚客户有多少", lambda s: (s.branch_name.str.contains("上海") & (s.marriage_status == "已婚")).sum()),
    ("刨去北京，一线城市的客户有多少", lambda s: ((s.city_level == "一线城市") & ~s.branch_name.str.contains("北京")).sum()),
    ("存款余额最高的仨客户", lambda s: s.deposit_balance.max()),
    ("光买了基金的客户有几个", lambda s: ((s.fund_flag == 1) & (s.product_count == 1)).sum()),
    ("五十岁往上的女客户有多少", lambda s: ((s.age >= 50) & (s.gender == "女")).sum()),
    ("当老师的客户平均资产多少", lambda s: s[s.occupation == "教师"].total_assets.mean()),
    # half-SQL: + between values is either, an aggregate's argument is its measure, <> and like
    ("成长客户+成熟客户有多少人", lambda s: s.lifecycle_stage.isin(["成长客户", "成熟客户"]).sum()),
    ("已婚客户的 avg(product_count)", lambda s: s[s.marriage_status == "已婚"].product_count.mean()),
    ("occupation <> '教师' 的已婚客户数", lambda s: ((s.occupation != "教师") & (s.marriage_status == "已婚")).sum()),
    ("branch_name like '%西湖%' 的客户数", lambda s: (s.branch_name == "杭州西湖支行").sum()),
    # 人均有几种产品 is the average product count; 各自 over listed products counts each one's holders
    ("女客户平均一个人有几种产品", lambda s: s[s.gender == "女"].product_count.mean()),
    ("基金和保险各自有多少人持有", lambda s: (s.fund_flag == 1).sum()),
    # X的客户是不是最多: the groups of X's dimension, the largest first
    ("上海的客户是不是最多", lambda s: s.branch_name.str[:2].value_counts().max()),
])
def test_concepts_from_fresh_authors_answer_new_phrasings(assistant, default_db, question, expected):
    answer = assistant.ask(question, Context())
    assert answer.provenance.get("facts"), answer.text
    assert answer.provenance["facts"][0]["value"] == pytest.approx(float(expected(_snapshot(default_db)))), answer.text


def test_how_much_stronger_one_group_is_is_their_difference_and_a_rhetorical_aside_adds_nothing(assistant, default_db):
    answer = assistant.ask("已婚客户的人均资产比未婚客户强多少？差得挺远吧", Context())
    snap = _snapshot(default_db)
    gap = snap[snap.marriage_status == "已婚"].total_assets.mean() - snap[snap.marriage_status == "未婚"].total_assets.mean()
    difference = [f["value"] for f in answer.provenance["facts"] if f["measure"] == "difference"]
    assert difference == [pytest.approx(gap)], answer.text


def test_grouping_said_with_an_excluded_group_keeps_the_other_groups(assistant, default_db):
    answer = assistant.ask("按城市等级分组，剔除城市等级为三线城市的，看一下客户平均资产", Context())
    snap = _snapshot(default_db)
    kept = snap[snap.city_level != "三线城市"].groupby("city_level").total_assets.mean()
    got = {f["group"]["city_level"]: f["value"] for f in answer.provenance["facts"]}
    assert got == pytest.approx(kept.to_dict()), answer.text


def test_a_follow_up_with_nothing_before_it_is_not_answered(assistant):
    for question in ("换成武汉江汉呢", "那女性呢", "改成按城市看呢"):
        answer = assistant.ask(question, Context())
        assert not answer.provenance.get("facts") and "前面没有可以接着的问题" in answer.text, answer.text


def test_which_of_two_named_groups_is_larger_names_the_larger(assistant, default_db):
    s = _snapshot(default_db)
    means = {c: s[s.branch_name.str.contains(c)].total_assets.mean() for c in ("杭州", "成都")}
    answer = assistant.ask("杭州和成都，谁的人均资产高", Context())
    assert max(means, key=means.get) in answer.text.split("最高")[1][:8], answer.text


@pytest.mark.parametrize("question, first, second", [
    ("女性客户和男性客户的平均月收入相差多少", "女", "男"),
    ("男客户比女客户人均资产高多少", "男", "女"),
])
def test_a_difference_between_two_named_groups_is_stated_first_minus_second(assistant, default_db, question, first,
                                                                            second):
    s = _snapshot(default_db)
    column = "monthly_income" if "收入" in question else "total_assets"
    want = s[s.gender == first][column].mean() - s[s.gender == second][column].mean()
    answer = assistant.ask(question, Context())
    gaps = [f["value"] for f in answer.provenance.get("facts", []) if f["measure"] == "difference"]
    assert gaps == [pytest.approx(want)], answer.text
    assert f"{first}比{second}" in answer.text


def test_a_count_said_after_a_shares_numerator_counts_the_numerator(assistant, default_db):
    s = _snapshot(default_db)
    answer = assistant.ask("有存款的客户里，同时也有保险的有多少人？占有存款客户的比例多少？", Context())
    facts = {f["measure"]: f["value"] for f in answer.provenance["facts"]}
    both = s[(s.deposit_flag == 1) & (s.insurance_flag == 1)]
    assert facts["customers"] == len(both), answer.text
    assert facts["share"] == pytest.approx(len(both) / (s.deposit_flag == 1).sum()), answer.text


def test_a_share_of_the_population_named_before_takes_the_last_answer_as_numerator(assistant, default_db):
    s = _snapshot(default_db)
    context = Context()
    for turn in ("已婚客户有多少", "其中有理财的呢"):
        assistant.ask(turn, context)
    answer = assistant.ask("占已婚客户的比例", context)
    want = (s[s.marriage_status == "已婚"].financial_flag == 1).mean()
    assert answer.provenance["facts"][0]["value"] == pytest.approx(want), answer.text
    alone = assistant.ask("占已婚客户的比例", Context())   # no question before: no numerator to take
    assert not alone.provenance.get("facts"), alone.text


def test_more_than_a_month_ago_is_a_change_over_time(assistant, default_db):
    months = read(default_db, "SELECT stat_month, SUM(total_assets >= 1000000) AS n FROM customer_behavior_assets "
                              "GROUP BY stat_month ORDER BY stat_month").set_index("stat_month").n
    answer = assistant.ask("比三个月前，高净值客户多了几位", Context())
    shown = {f["measure"]: f["value"] for f in answer.provenance["facts"]}
    assert shown["difference"] == months.iloc[-1] - months.iloc[-4], answer.text


def test_this_month_against_last_month_after_a_question_about_last_month(assistant, default_db):
    months = read(default_db, "SELECT stat_month, SUM(total_assets) AS aum FROM customer_behavior_assets "
                              "GROUP BY stat_month ORDER BY stat_month").set_index("stat_month").aum
    context = Context()
    assistant.ask("上个月全行AUM是多少", context)
    answer = assistant.ask("那这个月比上个月多了多少", context)
    shown = {f["measure"]: f["value"] for f in answer.provenance["facts"]}
    assert shown["difference"] == pytest.approx(months.iloc[-1] - months.iloc[-2]), answer.text


def test_a_holding_rate_without_its_product(assistant, default_db):
    s = _snapshot(default_db)
    context = Context()
    assistant.ask("各城市等级的基金持有率", context)
    answer = assistant.ask("其中持有率最低的是哪个", context)   # the rate asked before
    rates = s.groupby("city_level").fund_flag.apply(lambda f: (f == 1).mean())
    assert rates.idxmin() in answer.text.split("最低")[1][:12], answer.text
    every = assistant.ask("各产品的持有率", Context())   # every product's
    shown = {f["label"]: f["value"] for f in every.provenance["facts"]}
    assert shown["保险持有率"] == pytest.approx((s.insurance_flag == 1).mean()) and len(shown) == 4, every.text
    alone = assistant.ask("持有率最高的是哪个网点", Context())   # which product's? not said: no figure
    assert not alone.provenance.get("facts"), alone.text


def test_comparing_with_another_value_after_a_question_sets_the_two_side_by_side(assistant, default_db):
    s = _snapshot(default_db)
    context = Context()
    assistant.ask("已婚客户的平均资产", context)
    answer = assistant.ask("跟未婚比呢", context)
    shown = {f["group"]["marriage_status"]: f["value"] for f in answer.provenance["facts"]}
    assert shown == pytest.approx(s[s.marriage_status.isin(["已婚", "未婚"])].groupby("marriage_status")
                                  .total_assets.mean().to_dict()), answer.text
    alone = assistant.ask("上个月呢", Context())   # nothing asked before: no figure for everyone
    assert not alone.provenance.get("facts"), alone.text


def test_a_measure_the_data_lacks_is_not_taken_for_background(assistant):
    answer = assistant.ask("帮我查下咱们行客户的微信绑定率，分城市等级看", Context())
    assert not answer.provenance.get("facts") and "微信" in answer.text, answer.text


@pytest.mark.parametrize("first, then, expected", [
    # another product replaces the product held
    ("深圳南山支行持有保险的客户有多少", "那基金呢", lambda s: ((s.branch_name == "深圳南山支行") & (s.fund_flag == 1)).sum()),
    # 改为 swaps the tier, the branch stays
    ("成都高新支行潜力客户数", "改为临界客户", lambda s: ((s.branch_name == "成都高新支行") & (s.customer_tier == "临界")).sum()),
])
def test_follow_ups_replace_what_they_name(assistant, default_db, first, then, expected):
    context = Context()
    assistant.ask(first, context)
    answer = assistant.ask(then, context)
    assert answer.provenance["facts"][0]["value"] == expected(_snapshot(default_db)), answer.text


def test_a_select_group_by_sentence_is_a_grouping(assistant, default_db):
    s = _snapshot(default_db)
    answer = assistant.ask("select 城市等级, sum(total_assets) from 基准月 group by 城市等级 order by sum(total_assets) desc",
                           Context())
    shown = {f["group"]["city_level"]: f["value"] for f in answer.provenance["facts"]}
    assert shown == pytest.approx(s.groupby("city_level").total_assets.sum().to_dict()), answer.text


def test_higher_or_lower_between_two_groups_states_both(assistant, default_db):
    s = _snapshot(default_db)
    answer = assistant.ask("教师的理财持有率比医生高还是低？两个数都给我", Context())
    shown = {f["group"].get("occupation"): f["value"] for f in answer.provenance["facts"] if f["measure"] == "share"}
    for job in ("教师", "医生"):
        assert shown[job] == pytest.approx((s[s.occupation == job].financial_flag == 1).mean()), answer.text


def test_a_narrowing_follow_up_keeps_the_measure(assistant, default_db):
    s = _snapshot(default_db)
    context = Context()
    assistant.ask("离异女性客户的平均月收入", context)
    answer = assistant.ask("如果再限定为50岁以上呢", context)
    want = s[(s.marriage_status == "离异") & (s.gender == "女") & (s.age >= 50)].monthly_income.mean()
    assert answer.provenance["facts"][0]["value"] == pytest.approx(want), answer.text


def test_branch_visits_said_as_trips_to_the_bank_are_a_threshold_on_visits(assistant, default_db):
    s = _snapshot(default_db)
    answer = assistant.ask("每个月去银行三次以上的客户有几位", Context())
    assert answer.provenance["facts"][0]["value"] == (s.branch_visit_count >= 3).sum(), answer.text


@pytest.mark.parametrize("question, route", [
    # a why beside a recommendation asks for the recommendation's reasons, not a probability
    ("根据CUST000116手里的产品，该给他推荐点啥？理由依据是什么", "basket"),
    ("CUST000116为什么会被模型看好", "prediction"),
    # 往后 looks ahead as 未来 does
    ("往后半年全行AUM会怎样", "forecast"),
    # a fall is the forecast's question; a chance to reach 100万 and segmenting in other words
    ("CUST000055接下来几个月资产会不会下降", "forecast"),
    ("杭州西湖支行哪些客户最有机会在三个月内升到100万", "prediction"),
    ("帮我把客户分个群，说说每群的特点", "segmentation"),
])
def test_the_specialist_asked_for_answers(model_assistant, question, route):
    assert model_assistant.ask(question, Context()).route == route


def test_english_words_are_read_whole_and_without_case(assistant):
    kinds = lambda text: [(t.kind, t.text) for t in assistant.planner.understander.tokens(text)]
    assert kinds("AVG aum") == [("agg", "AVG"), ("numeric", "aum")]
    # "summary" holds "sum", "this" holds "is", "topic" holds "top": none of them is read
    assert all(kind == "unknown" for kind, _ in kinds("summary this topic"))


def test_reads_are_not_refused_as_writes(assistant):
    answer = assistant.ask("数据更新到哪个月了", Context())
    assert answer.ok and "2026-10" in answer.text
    assert assistant.ask("把张三的资产改成100万", Context()).error == "拒绝写操作"


def test_a_longer_model_term_wins_over_the_stage_inside_it(assistant):
    answer = assistant.ask("高价值客户有多少", Context())
    assert answer.route == "prediction"   # not lifecycle 价值客户


def test_typed_queries_compile_for_every_dialect_without_sqlite_idioms():
    query = Query([Agg("count"), Share(Cmp("fund_flag", "=", 1, "基金"), Eq("marriage_status", ("已婚",), "已婚"))],
                  And((Contains("branch_name", "广州", "广州"), Not(Eq("customer_tier", ("高净值",), "高净值")))),
                  ["city_level"], time=Time("month", "2026-03"))
    for dialect in ("sqlite", "postgres", "mysql"):
        sql = compile_query(query, dialect).sql
        assert "CASE WHEN" in sql and "SUM(s.fund_flag = 1" not in sql
        assert "'2026-03'" in sql


def test_id_patterns_are_learned_from_the_data():
    demo = IdPattern.learn(["CUST000001", "CUST000172"])
    assert [v for v, _, _ in demo.find("客户cust172的概率")] == ["CUST000172"]
    hexes = [hashlib.md5(str(i).encode()).hexdigest() for i in range(5)]
    bank = IdPattern.learn(hexes)
    assert [v for v, _, _ in bank.find(f"客户{hexes[3].upper()}三个月内的概率")] == [hexes[3]]


def test_cities_and_short_branch_names_come_from_branch_names():
    branches = ["招商银行上海分行外滩支行", "招商银行上海分行陆家嘴支行", "招商银行杭州分行西湖支行"]
    cities = cities_from_branches(branches)
    assert set(cities) == {"上海", "杭州"}
    assert {"外滩支行", "外滩"} <= set(branch_aliases(branches[0], cities))


@pytest.fixture(scope="module")
def bank_export_db(small_db, tmp_path_factory):
    """The small demo rewritten into a bank export's form: 32-hex ids, long branch names, no 三线城市."""
    path = tmp_path_factory.mktemp("bank_export") / "bank.db"
    shutil.copy(small_db, path)
    conn = sqlite3.connect(path)
    conn.create_function("hexid", 1, lambda s: hashlib.md5(s.encode()).hexdigest())
    conn.create_function("long_branch", 1, lambda b: f"招商银行{b[:2]}分行{b[2:]}")
    with conn:
        for table in ("customer_base", "customer_behavior_assets", "customer_snapshot"):
            conn.execute(f"UPDATE {table} SET customer_id = hexid(customer_id)")
        for table in ("customer_base", "customer_snapshot"):
            conn.execute(f"UPDATE {table} SET branch_name = long_branch(branch_name), "
                         "city_level = REPLACE(city_level, '三线', '二线')")
    conn.close()
    return path


def test_bank_export_cities_branches_and_ids_are_understood(bank_export_db, tmp_path):
    bot = Assistant(bank_export_db, tmp_path)
    base = read(bank_export_db, "SELECT customer_id, branch_name FROM customer_base")
    shanghai = bot.ask("上海的客户有多少", Context())
    assert shanghai.provenance["facts"][0]["value"] == base.branch_name.str.contains("上海").sum()
    branch = bot.ask("浦东支行有多少客户", Context())
    assert branch.provenance["facts"][0]["value"] == (base.branch_name == "招商银行上海分行浦东支行").sum()
    customer = base.customer_id.iloc[5]
    assets = read(bank_export_db, "SELECT total_assets FROM customer_snapshot WHERE customer_id = ?", (customer,))
    answer = bot.ask(f"{customer.upper()}的总资产是多少", Context())
    assert answer.provenance["facts"][0]["value"] == pytest.approx(assets.total_assets.iloc[0])
    assert "没有找到客户" in bot.ask(f"{'0' * 32}的总资产", Context()).text


def test_checks_are_tied_to_labels(assistant, default_db):
    """A distribution check fails when the right numbers sit next to the wrong groups."""
    answer = assistant.ask("各城市等级的客户数", Context())
    expect = {"groups": {"measure": "customers", "pandas": "asof.groupby('city_level').size()"}}
    assert check(answer, expect, default_db)[0]
    for fact in answer.provenance["facts"]:   # swap the labels: same numbers, wrong groups
        fact["group"] = {"city_level": {"一线城市": "三线城市", "三线城市": "一线城市"}.get(
            fact["group"]["city_level"], fact["group"]["city_level"])}
    assert not check(answer, expect, default_db)[0]
    assert evaluate("len(base)", default_db) == 10000


@pytest.mark.parametrize("query", [
    Query([Agg("sum", "total_assets"), Agg("count"), Agg("avg", "total_assets")], time=Time("month", "2026-03")),
    Query([Share(Cmp("app_login_count", ">=", 1, "活跃"))], time=Time("series", "2026-10", "2026-05")),
    Query([Share(Cmp("financial_repurchase_count", ">=", 1, "复购"), Cmp("financial_flag", "=", 1, "理财"))],
          time=Time("month", "2025-12")),
])
def test_monthly_summary_answers_exactly_what_the_monthly_table_answers(default_db, query):
    from db.query_sql import summary_plan
    from db.readonly import run_select
    fast = run_select(default_db, summary_plan(query).sql).frame
    slow = run_select(default_db, compile_query(query).sql).frame
    assert "monthly_summary" in summary_plan(query).sql
    values = lambda f: f.drop(columns=[c for c in f if c.startswith("g")]).to_numpy().ravel().tolist()
    assert values(fast) == pytest.approx(values(slow), rel=1e-9)


@pytest.mark.parametrize("query", [
    Query([Agg("count"), Agg("sum", "total_assets"), Agg("avg", "app_login_count"), Agg("avg", "age")],
          Eq("gender", ("女",), "女"), time=Time("series", "2026-10", "2025-11")),
    Query([Share(Cmp("financial_flag", "=", 1, "持有理财"))], Contains("branch_name", "北京", "北京"),
          time=Time("series", "2026-10", "2026-05")),
    Query([Share(Eq("customer_tier", ("高净值",), "高净值"))], Not(Eq("city_level", ("一线城市",), "一线城市")),
          ["marriage_status"], time=Time("month", "2026-03")),
    Query([Share(None, None, "total_assets", "资产占比")], None, ["age_band"], time=Time("month", "2025-12")),
    Query([Share(Cmp("financial_repurchase_count", ">=", 1, "复购"), Cmp("financial_flag", "=", 1, "理财"))],
          Eq("lifecycle_stage", ("成熟客户", "价值客户"), "成熟或价值"), time=Time("series", "2026-10", "2026-07")),
    Query([Agg("avg", "total_assets")], And((Eq("gender", ("男",), "男"), Eq("customer_tier", ("潜力",), "潜力"))),
          ["branch_name"], Order(0, True, 3), time=Time("month", "2026-06")),
])
def test_the_monthly_cube_answers_exactly_what_the_monthly_table_answers(default_db, query):
    from db.monthly_cube import cube_plan
    from db.readonly import build_info, run_select
    from agents.lexicon import lexicon_from_database
    from db.database import open_database
    city_of = lexicon_from_database(open_database(default_db)).city_of
    assert build_info(default_db)["monthly_cube"] == "1"
    fast_plan = cube_plan(query, city_of=city_of)
    assert fast_plan is not None and "monthly_cube" in fast_plan.sql
    fast = run_select(default_db, fast_plan.sql).frame
    slow = run_select(default_db, compile_query(query, city_of=city_of).sql).frame
    assert fast.shape == slow.shape
    assert fast.iloc[:, :len(query.group_by) + (query.time.kind == "series")].astype(str).to_numpy().tolist() == \
        slow.iloc[:, :len(query.group_by) + (query.time.kind == "series")].astype(str).to_numpy().tolist()
    values = lambda f: f[[c for c in f if c.startswith("m")]].to_numpy(dtype=float).ravel().tolist()
    assert values(fast) == pytest.approx(values(slow), rel=1e-9)


def test_what_the_cube_cannot_answer_goes_to_the_monthly_table():
    from db.monthly_cube import cube_plan
    month = Time("month", "2026-03")
    assert cube_plan(Query([Agg("count")], Cmp("total_assets", ">", 500000, "资产>50万"), time=month)) is None
    assert cube_plan(Query([Agg("count")], Eq("segment", ("保守存款型",), "保守存款型"), time=month)) is None
    assert cube_plan(Query([Agg("count")], None, ["product_count"], time=month)) is None
    assert cube_plan(Query([Agg("count")])) is None   # the 基准月 reads the snapshot


# -- segments (客群) as filters and groups; model questions against the models' own outputs ----------
@pytest.fixture(scope="module")
def model_assistant(default_db, trained_artifacts):
    return Assistant(default_db, trained_artifacts)


def _segments(trained_artifacts):
    from evaluation.reference import model_outputs
    return model_outputs(str(trained_artifacts))["seg"]


def test_a_segment_name_filters_like_any_value(model_assistant, default_db, trained_artifacts):
    seg = _segments(trained_artifacts)
    name = seg.value_counts().index[-1]   # the smallest segment: a bank-wide figure would not pass
    answer = model_assistant.ask(f"{name}客群里女性占比多少", Context())
    want = f"asof[asof.customer_id.map(seg) == {name!r}].gender.eq('女').mean()"
    assert check(answer, {"value": {"measure": "share", "pandas": want}}, default_db, trained_artifacts)[0], \
        answer.text
    assert any("客群" in d for d in answer.provenance["definitions"])


def test_figures_by_segment_cover_every_segment(model_assistant, default_db, trained_artifacts):
    answer = model_assistant.ask("各客群的理财持有率分别是多少", Context())
    want = "asof.assign(g=asof.customer_id.map(seg)).groupby('g').financial_flag.mean()"
    passed, why = check(answer, {"groups": {"measure": "share", "pandas": want}}, default_db, trained_artifacts)
    assert passed, why


def test_the_segment_overview_still_answers_what_kinds_of_customers_there_are(model_assistant):
    assert model_assistant.ask("客户可以分成哪几类", Context()).route == "segmentation"


def test_segments_computed_from_other_data_are_not_used(default_db, trained_artifacts, tmp_path):
    from db.model_outputs import SEGMENTS_FILE, segments_path
    stale = tmp_path / "artifacts"
    shutil.copytree(trained_artifacts, stale)
    assert segments_path(stale, "another-database") is None
    name = _segments(trained_artifacts).value_counts().index[0]
    (stale / SEGMENTS_FILE).unlink()
    answer = Assistant(default_db, stale).ask(f"{name}客群的平均资产是多少", Context())
    assert not answer.provenance.get("facts"), answer.text


def test_model_questions_state_the_models_own_figures(model_assistant, default_db, trained_artifacts):
    cases = [c for name in ("handwritten_a", "handwritten_e", "handwritten_f", "handwritten_g") for c in load_cases(name)
             if c["category"] == "I"]
    results = [run_case(model_assistant, c, default_db, trained_artifacts) for c in cases]
    failed = [f"{r['id']} {r['question']}: {r['why']}" for r in results if not r["passed"]]
    assert len(failed) <= len(cases) // 10, "\n".join(failed)


def test_the_cube_summed_while_loading_equals_the_cube_summed_by_sql(default_db):
    from db.monthly_cube import CUBE_SCHEMA, CUBE_TABLE, cube_insert_sql
    from tests.conftest import read
    conn = sqlite3.connect(":memory:")
    conn.execute(f"ATTACH DATABASE 'file:{default_db}?mode=ro' AS src")
    for table in ("customer_base", "customer_behavior_assets"):
        conn.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM src.{table}")
    conn.execute(f"CREATE TEMP TABLE {CUBE_TABLE} ({', '.join(CUBE_SCHEMA.names)})")
    conn.execute(cube_insert_sql())
    keys = ["stat_month", "branch_name", "city_level", "gender", "marriage_status", "occupation_type",
            "lifecycle_stage", "age_band", "customer_tier"]
    by_sql = pd.read_sql_query(f"SELECT * FROM {CUBE_TABLE}", conn).sort_values(keys).reset_index(drop=True)
    loaded = read(default_db, f"SELECT * FROM {CUBE_TABLE}").sort_values(keys).reset_index(drop=True)
    assert len(by_sql) == len(loaded) > 1000
    assert by_sql[keys].astype(str).equals(loaded[keys].astype(str))
    measures = [c for c in CUBE_SCHEMA.names if c not in keys]
    assert np.allclose(by_sql[measures].astype(float), loaded[measures].astype(float), rtol=1e-9, equal_nan=True)


def test_rewording_a_question_never_changes_its_figures(assistant):
    from evaluation import metamorphic
    cases = [c for name in HANDWRITTEN if name != "unanswerable" for c in load_cases(name)][::4]
    rows = metamorphic.run(assistant, cases)
    assert len(rows) >= 6 * 200
    other = [f"{r['id']} [{r['rewrite']}] {r['question']}" for r in rows if r["outcome"] == "other figures"]
    assert not other, "\n".join(other)


def _in_month(s):
    return s[s.in_asof.eq(1)]


def _opened_before(s, years=0, months=0):
    """The day N years/months before the 基准月's last day, computed here from the data."""
    end = pd.Period(s.stat_month.dropna().max(), "M").end_time.normalize()
    return (end - pd.DateOffset(years=years, months=months)).strftime("%Y-%m-%d")


@pytest.mark.parametrize("question, expected", [
    # the account-opening date: tenure at the 基准月's end, years before/after, recent openings
    ("开户超过8年的客户有几位", lambda s: [(s.open_account_date < _opened_before(s, years=8)).sum()]),
    ("2019年之前开的户，平均资产多少", lambda s: [s[s.in_asof.eq(1) & (s.open_account_date < "2019-01-01")].total_assets.mean()]),
    ("开户时间晚于2022年的女客户有多少", lambda s: [((s.open_account_date > "2022-12-31") & (s.gender == "女")).sum()]),
    ("近6个月新开户的客户数", lambda s: [(s.open_account_date > _opened_before(s, months=6)).sum()]),
    # a 口径 that opens the question is its scope; 分母/分子 each name their customers
    ("口径：已婚且年龄40岁以上。请出平均资产。",
     lambda s: [s[s.in_asof.eq(1) & (s.marriage_status == "已婚") & (s.age >= 40)].total_assets.mean()]),
    ("分母取二线城市客户，分子取其中持有基金的，占比多少",
     lambda s: [s[s.in_asof.eq(1) & (s.city_level == "二线城市")].fund_flag.mean()]),
    # how many of a dimension's members, not customers
    ("上海有几个网点", lambda s: [s[s.branch_name.str.contains("上海")].branch_name.nunique()]),
    # a later clause with customers of its own: its measure over them, the first keeps everyone
    ("全行客户数多少，再看看已婚客户的人均存款",
     lambda s: [len(s), s[s.in_asof.eq(1) & (s.marriage_status == "已婚")].deposit_balance.mean()]),
    ("女性客户有多少个，平均多少岁", lambda s: [(s.gender == "女").sum(), s[s.gender == "女"].age.mean()]),
    # 人均 before a product is its average balance
    ("一线城市的客户，人均基金多少", lambda s: [s[s.in_asof.eq(1) & (s.city_level == "一线城市")].fund_balance.mean()]),
    ("总资产排名最后两位的网点", lambda s: [s[s.in_asof.eq(1)].groupby("branch_name").total_assets.sum().min()]),
    ("理财客户中复购过的比例",
     lambda s: [(s[s.in_asof.eq(1) & (s.financial_flag == 1)].financial_repurchase_count >= 1).mean()]),
    # an inspector's wording around a count
    ("请核实：是否存在年龄80岁以上（不含80岁）的女性客户？如有，请给出数量。",
     lambda s: [((s.age > 80) & (s.gender == "女")).sum()]),
    # 分母为… then the numerator in its own clause
    ("分母为全部客户，高净值客户占比多少", lambda s: [_in_month(s).customer_tier.eq("高净值").mean()]),
    # at least once is having done it; at least one of the products named is either
    ("已婚客户里网点至少去过1次的比例", lambda s: [(_in_month(s)[_in_month(s).marriage_status == "已婚"]
                                                .branch_visit_count >= 1).mean()]),
    ("存款和保险至少持有其中一种的女客户有几位",
     lambda s: [(s.gender.eq("女") & (s.deposit_flag.eq(1) | s.insurance_flag.eq(1))).sum()]),
    # one measure over another, within each group; the share of a value inside its own group
    ("各城市等级的理财余额占该组总资产的比重",
     lambda s: [(lambda g: g.financial_balance.sum() / g.total_assets.sum())(_in_month(s)[_in_month(s).city_level == "一线城市"])]),
    ("哪个网点已婚客户在本网点客户中的占比最低",
     lambda s: [_in_month(s).groupby("branch_name").marriage_status.apply(lambda v: v.eq("已婚").mean()).min()]),
    ("城市等级维度：女性客户平均年龄最大的是哪一级城市", lambda s: [s[s.gender == "女"].groupby("city_level").age.mean().max()]),
    # a BI spec, a drill-down, an exclusion said after the values
    ("筛选器：职业类型=传统行业；指标：客户数", lambda s: [(s.occupation_type == "传统行业").sum()]),
    ("二线城市的AUM，下钻到支行", lambda s: [_in_month(s)[_in_month(s).city_level == "二线城市"]
                                         .groupby("branch_name").total_assets.sum().sort_values(ascending=False).iloc[0]]),
    ("一线城市客户数，新客户和成长客户这两个阶段都剔掉",
     lambda s: [(s.city_level.eq("一线城市") & ~s.lifecycle_stage.isin(["新客户", "成长客户"])).sum()]),
    # a difference asked of two groups, or of one population against everyone
    ("三线城市客户的平均年龄比全行高多少", lambda s: [s[s.city_level == "三线城市"].age.mean(), s.age.mean(),
                                               s[s.city_level == "三线城市"].age.mean() - s.age.mean()]),
    # a part of a population's AUM; a range written as a chain of inequalities; Bottom N
    ("三线城市客户的资产构成中，存款余额占比多少",
     lambda s: [(lambda g: g.deposit_balance.sum() / g.total_assets.sum())(_in_month(s)[_in_month(s).city_level == "三线城市"])]),
    ("30≤年龄<40的客户有多少", lambda s: [((s.age >= 30) & (s.age < 40)).sum()]),
    ("Bottom 2：客户数最少的城市", lambda s: [s.branch_name.str[:2].value_counts().min()]),
])
def test_concepts_from_authors_s_to_v_answer_new_phrasings(assistant, default_db, question, expected):
    answer = assistant.ask(question, Context())
    facts = answer.provenance.get("facts")
    assert facts, answer.text
    want = expected(read(default_db, "SELECT * FROM customer_snapshot"))
    assert [f["value"] for f in facts[:len(want)]] == pytest.approx([float(v) for v in want]), answer.text


def test_a_follow_up_that_changes_the_scope_keeps_the_measure(assistant, default_db):
    context = Context()
    assistant.ask("一线城市客户的平均资产", context)
    answer = assistant.ask("口径改为三线城市，其余不变", context)
    s = _snapshot(default_db)
    assert answer.provenance["facts"][0]["value"] == pytest.approx(s[s.city_level == "三线城市"].total_assets.mean())


def test_how_many_products_without_a_population_word_is_asked_back(assistant):
    answer = assistant.ask("客户有多少种产品", Context())
    assert not answer.provenance.get("facts") and "人均持有几种产品" in answer.text


def test_a_tenure_without_a_bound_offers_both_readings_and_no_made_up_word(assistant):
    # 开户3年: a tenure said without 满/以上 is not guessed; 年 alone is near every word holding it
    answer = assistant.ask("开户3年的客户有多少", Context())
    assert not answer.provenance.get("facts")
    assert not any(w in s for s in answer.suggestions for w in ("老年", "年龄", "年轻")), answer.suggestions
    assert answer.suggestions[:2] == ["开户满3年的客户有多少", "开户不满3年的客户有多少"]   # both readings offered


def test_a_difference_asked_as_fewer_is_stated_as_the_larger_minus_the_smaller(assistant, default_db):
    answer = assistant.ask("北京朝阳的已婚客户比上海浦东少几个", Context())
    s = read(default_db, "SELECT * FROM customer_snapshot")
    married = lambda branch: (s.branch_name.eq(branch) & s.marriage_status.eq("已婚")).sum()   # noqa: E731
    gap = [f["value"] for f in answer.provenance["facts"] if f["measure"] == "difference"]
    assert gap == [married("上海浦东支行") - married("北京朝阳支行")], answer.text


def test_a_named_branch_gets_its_place_in_the_ranking_of_all_branches(assistant, default_db):
    answer = assistant.ask("南京鼓楼支行的客户数在所有支行里排第几", Context())
    counts = read(default_db, "SELECT branch_name, COUNT(*) AS n FROM customer_snapshot GROUP BY 1")
    counts = counts.sort_values(["n", "branch_name"], ascending=[False, True]).branch_name.tolist()
    place = [f for f in answer.provenance["facts"] if f["measure"] == "rank"]
    assert place and place[0]["value"] == counts.index("南京鼓楼支行") + 1, answer.text
    assert len([f for f in answer.provenance["facts"] if f["measure"] == "customers"]) == len(counts)


@pytest.mark.parametrize("question, expected", [
    # 四川话: 好多 asked is 多少, 没得 没有, 支行头 支行里
    ("杭州西湖支行头没得基金的客户有好多", lambda s: (s.branch_name.eq("杭州西湖支行") & s.fund_flag.eq(0)).sum()),
    # values counted right after their list are the groups
    ("一线、二线、三线城市这三类客户，人均月收入", lambda s: s[s.city_level == "一线城市"].monthly_income.mean()),
    # a gloss that says the bound includes itself; a tier's definition restated
    ("月收入不低于3万（正好3万也算）的客户有几个", lambda s: (s.monthly_income >= 30000).sum()),
    ("临界客户（总资产80万含、到100万不含）里女性的比例",
     lambda s: _in_month(s)[_in_month(s).customer_tier == "临界"].gender.eq("女").mean()),
    # only one product, said as 除…以外没有任何其他产品; a combination named
    ("除基金以外没有任何其他产品的客户有多少", lambda s: (s.fund_flag.eq(1) & s.product_count.eq(1)).sum()),
    ("组合是存款+保险的客户有多少人", lambda s: (s.deposit_flag.eq(1) & s.insurance_flag.eq(1) & s.product_count.eq(2)).sum()),
    # two values and 多还是…多: which is larger
    ("老年客户里已婚的多还是未婚的多", lambda s: s[s.age >= 60].marriage_status.value_counts()[["已婚", "未婚"]].max()),
    # 前N of a customer's figure with nothing to group is a customer list
    ("私营业主 存款余额前3", lambda s: _in_month(s)[_in_month(s).occupation_type == "私营业主"].deposit_balance.max()),
    # a quarter's end, glossed with its month
    ("2季度末（2026年6月）的高净值客户数", None),
])
def test_concepts_from_authors_w_and_x_answer_new_phrasings(assistant, default_db, question, expected):
    answer = assistant.ask(question, Context())
    facts = answer.provenance.get("facts")
    assert facts, answer.text
    if expected is None:   # a month other than the 基准月: read that month's rows
        month = read(default_db, "SELECT total_assets FROM customer_behavior_assets WHERE stat_month = '2026-06'")
        want = (month.total_assets >= 1_000_000).sum()
    else:
        want = expected(read(default_db, "SELECT * FROM customer_snapshot"))
    assert facts[0]["value"] == pytest.approx(float(want)), answer.text


def _month_rows(db, month):
    return read(db, f"SELECT * FROM customer_behavior_assets WHERE stat_month = '{month}'")


@pytest.mark.parametrize("question, expected", [
    # a slash between conditions on different columns lists them all; & is and; 登录0次 is none
    ("上海静安支行/女/年龄≥40 → 客户数",
     lambda s, db: (s.branch_name.eq("上海静安支行") & s.gender.eq("女") & (s.age >= 40)).sum()),
    ("APP登录0次 & 女 人数", lambda s, db: (s.gender.eq("女") & s.app_login_count.eq(0)).sum()),
    # a product's balance said with 配置
    ("基金配置的余额合计，只看已婚", lambda s, db: s[s.marriage_status == "已婚"].fund_balance.sum()),
    # missing values are conditions too
    ("月收入没填的客户有几个", lambda s, db: s.monthly_income.isna().sum()),
    ("开户日期是空的客户有多少", lambda s, db: s.open_account_date.isna().sum()),
    # one month named after 相比 is the base of a change to the 基准月
    ("相比2026年1月，当前全行客户数变化了多少",
     lambda s, db: s.in_asof.eq(1).sum() - len(_month_rows(db, "2026-01"))),
    # the tier said as AUM分层; 客均 is per customer
    ("按资产分层看客均资产", lambda s, db: _in_month(s)[_in_month(s).customer_tier == "普通"].total_assets.mean()),
    # 上半年各月 and Q-notation are spans of months
    ("上半年各月的AUM", lambda s, db: _month_rows(db, "2026-01").total_assets.sum()),
    ("2026 Q2~Q3 逐月 存款余额合计", lambda s, db: _month_rows(db, "2026-04").deposit_balance.sum()),
])
def test_concepts_from_authors_y_and_z_answer_new_phrasings(assistant, default_db, question, expected):
    answer = assistant.ask(question, Context())
    facts = answer.provenance.get("facts")
    assert facts, answer.text
    want = expected(read(default_db, "SELECT * FROM customer_snapshot"), default_db)
    value = [f["value"] for f in facts if f["measure"] == "difference"] if "变化" in question else [facts[0]["value"]]
    assert value[0] == pytest.approx(float(want)), answer.text


def _now(s):
    return _in_month(s)


def _first_fact_is(assistant, default_db, question, measure, expected):
    """The answer's first figure of `measure` is what pandas computes (expected(snapshot, db))."""
    answer = assistant.ask(question, Context())
    facts = [f for f in answer.provenance.get("facts") or [] if f["measure"] == measure]
    assert facts, answer.text
    want = expected(read(default_db, "SELECT * FROM customer_snapshot"), default_db)
    assert facts[0]["value"] == pytest.approx(float(want)), answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # how to write the answer is no condition
    ("请问一线城市客户的平均资产是多少？结果保留一位小数", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).city_level == "一线城市"].total_assets.mean()),
    # 活跃 defined by the asker otherwise than the glossary is counted as defined
    ("活跃客户（手机银行登录10次及以上）有几位", "customers", lambda s, db: (_now(s).app_login_count >= 10).sum()),
    # a product followed by a bound is that product's balance
    ("存款低于3万的客户有几个", "customers", lambda s, db: (_now(s).deposit_balance < 30000).sum()),
    # missing values left out of a share's denominator too
    ("教师里月收入超过2万的比例，没填收入的教师不算进分母", "share",
     lambda s, db: (lambda t: (t.monthly_income > 20000).mean())(_now(s)[(_now(s).occupation == "教师")
                                                                       & _now(s).monthly_income.notna()])),
    # 占…全部客户: that population is the denominator
    ("上海静安支行的客户数占一线城市全部客户的比例", "share",
     lambda s, db: (_now(s).branch_name == "上海静安支行").sum() / (_now(s).city_level == "一线城市").sum()),
    # visits asked with the place after them
    ("已婚客户平均去几趟网点", "avg:branch_visit_count",
     lambda s, db: _now(s)[_now(s).marriage_status == "已婚"].branch_visit_count.mean()),
    # two months side by side, compared
    ("2026年3月和4月的客户数对比", "difference",
     lambda s, db: len(_month_rows(db, "2026-04")) - len(_month_rows(db, "2026-03"))),
    # two populations on different columns set against each other, the smaller one asked for
    ("持有保险的客户比持有基金的客户少多少人", "difference",
     lambda s, db: _now(s).fund_flag.eq(1).sum() - _now(s).insurance_flag.eq(1).sum()),
    # a multiple
    ("男性客户的平均资产是女性客户的几倍", "ratio",
     lambda s, db: _now(s)[_now(s).gender == "男"].total_assets.mean() / _now(s)[_now(s).gender == "女"].total_assets.mean()),
    # 把…排除 is an exclusion
    ("潜力客户里把流失预警的排除，还剩多少人", "customers",
     lambda s, db: (_now(s).customer_tier.eq("潜力") & _now(s).lifecycle_stage.ne("流失预警客户")).sum()),
    # a share's change over time, in points
    ("理财持有率比上个月高了几个百分点", "difference",
     lambda s, db: _now(s).financial_flag.mean() - _month_rows(db, "2026-09").financial_flag.mean()),
])
def test_concepts_from_authors_aa_to_ac_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


@pytest.mark.parametrize("question, measure, expected", [
    # the last contact's outcome is a condition and a grouping
    ("上次联系结果是未接通的女性客户有几个", "customers",
     lambda s, db: (_now(s).contact_result.eq("未接通") & _now(s).gender.eq("女")).sum()),
    # a remark about the data (a balance is 0 without the product anyway) restricts nothing
    ("持有基金的客户平均保险余额，没买保险的按0算", "avg:insurance_balance",
     lambda s, db: _now(s)[_now(s).fund_flag == 1].insurance_balance.mean()),
    # a time word the asker pins to a month is that month
    ("年末就是2025年12月，那时候二线城市的客户数", "customers",
     lambda s, db: _month_rows(db, "2025-12").customer_id.isin(s[s.city_level == "二线城市"].customer_id).sum()),
    # the tier by that month's assets, said with 那个月
    ("2026年3月的潜力客户数，等级按那个月的总资产算", "customers",
     lambda s, db: _month_rows(db, "2026-03").total_assets.between(500000, 800000, inclusive="left").sum()),
    # a scope said in its own clause, then the share
    ("只看已婚客户，持有保险的比例是多少", "share",
     lambda s, db: _now(s)[_now(s).marriage_status == "已婚"].insurance_flag.mean()),
    # each listed product's rate
    ("医生的存款、理财的持有率", "share", lambda s, db: _now(s)[_now(s).occupation == "医生"].deposit_flag.mean()),
    # one branch beside all the others: every branch ranked
    ("把静安和其它网点放在一起比，平均资产最低的是哪家", "avg:total_assets",
     lambda s, db: _now(s).groupby("branch_name").total_assets.mean().min()),
    # the last day of a month is the month
    ("截至2026年9月30日的客户数", "customers", lambda s, db: len(_month_rows(db, "2026-09"))),
])
def test_concepts_from_authors_ad_and_ae_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def _tier_in(db, month, low, high=float("inf")):
    rows = _month_rows(db, month)
    return set(rows[(rows.total_assets >= low) & (rows.total_assets < high)].customer_id)


@pytest.mark.parametrize("question, measure, expected", [
    # a month's tier as who the customers were, beside what they are now
    ("2026年2月还是潜力客户、现在已经升到临界的有几位", "customers",
     lambda s, db: len(_tier_in(db, "2026-02", 500000, 800000) & _tier_in(db, "2026-10", 800000, 1000000))),
    ("2026年7月是高净值的客户里，到现在已经掉出高净值的平均资产", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).customer_id.isin(_tier_in(db, "2026-07", 1000000))
                           & (_now(s).total_assets < 1000000)].total_assets.mean()),
    # pandas notation said in a sentence
    ("gender=='男' & city_level=='二线城市' 的客户 total_assets 的 mean", "avg:total_assets",
     lambda s, db: _now(s)[(_now(s).gender == "男") & (_now(s).city_level == "二线城市")].total_assets.mean()),
    ("按 occupation_type 汇总 deposit_balance，sort desc，head 1", "sum:deposit_balance",
     lambda s, db: _now(s).groupby("occupation_type").deposit_balance.sum().max()),
    # a list held, then the others not held
    ("只持有存款和理财、基金和保险都没有的客户数", "customers",
     lambda s, db: (_now(s).deposit_flag.eq(1) & _now(s).financial_flag.eq(1) & _now(s).fund_flag.eq(0)
                    & _now(s).insurance_flag.eq(0)).sum()),
    # 没…的不算 leaves them out
    ("没买基金的不算，已婚客户有多少", "customers",
     lambda s, db: (_now(s).fund_flag.eq(1) & _now(s).marriage_status.eq("已婚")).sum()),
    # a self-correction: the word withdrawn is not a condition
    ("女性客户的平均月收入，不是女性，是男性客户的", "avg:monthly_income",
     lambda s, db: _now(s)[_now(s).gender == "男"].monthly_income.mean()),
    # with one year named, a bare month is of that year
    ("2026年5月和7月对比，7月的潜力客户比5月多了几个", "difference",
     lambda s, db: len(_tier_in(db, "2026-07", 500000, 800000)) - len(_tier_in(db, "2026-05", 500000, 800000))),
])
def test_concepts_from_authors_af_and_ag_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


@pytest.mark.parametrize("question, measure, expected", [
    # a guess is checked by the figure, never a condition
    ("离异客户难道还不到一千人吗", "customers", lambda s, db: _now(s).marriage_status.eq("离异").sum()),
    ("女性客户的平均月收入恐怕连两万都不到吧", "avg:monthly_income", lambda s, db: _now(s)[_now(s).gender == "女"].monthly_income.mean()),
    ("资产最高的网点，该不会是上海浦东支行吧？", "sum:total_assets", lambda s, db: _now(s).groupby("branch_name").total_assets.sum().max()),
    ("医生的人均资产难道是工人的三倍以上？到底几倍", "ratio",
     lambda s, db: _now(s)[_now(s).occupation == "医生"].total_assets.mean() / _now(s)[_now(s).occupation == "工人"].total_assets.mean()),
    # two relative months, each its own
    ("今年9月比去年9月的客户数变化", "difference", lambda s, db: len(_month_rows(db, "2026-09")) - len(_month_rows(db, "2025-09"))),
    # a second share of the same base, its part named
    ("已婚客户占比多少？其中已婚女性占全部客户的比例又是多少？", "share", lambda s, db: _now(s).marriage_status.eq("已婚").mean()),
    # 贵行, 约为, 所占的份额
    ("贵行二线城市客户的资产在全行总资产中所占的份额约为多少", "share",
     lambda s, db: _now(s)[_now(s).city_level == "二线城市"].total_assets.sum() / _now(s).total_assets.sum()),
])
def test_concepts_from_authors_ah_and_ai_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


@pytest.mark.parametrize("question, measure, expected", [
    # the measure's column named again in a note on missing values stays the measure
    ("已婚男性客户的平均月收入（缺失的不计入）", "avg:monthly_income",
     lambda s, db: _now(s)[(_now(s).marriage_status == "已婚") & (_now(s).gender == "男")].monthly_income.mean()),
    # a group's count and its rate, asked together
    ("活跃的客户有几位，活跃率又是多少", "customers", lambda s, db: _now(s).app_login_count.ge(1).sum()),
    # 持基金 is holding it; the denominator as each group's own customers
    ("持保险的男性有几个", "customers", lambda s, db: (_now(s).insurance_flag.eq(1) & _now(s).gender.eq("男")).sum()),
    ("分城市等级看基金持有率，分母用各等级自己的客户数", "share",
     lambda s, db: _now(s)[_now(s).city_level == "一线城市"].fund_flag.mean()),
])
def test_concepts_from_author_aj_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_a_second_share_whose_base_is_unclear_is_not_answered(assistant):
    answer = assistant.ask("潜力客户占比是多少？其中女性的占比呢？", Context())
    assert not answer.provenance.get("facts"), answer.text


def test_a_follow_up_naming_another_month_moves_the_cohort_not_the_question(assistant, default_db):
    context = Context()
    assistant.ask("2026年2月是临界、现在成为高净值的客户有几个", context)
    again = assistant.ask("换成2026年5月呢", context)
    want = len(_tier_in(default_db, "2026-05", 800000, 1000000) & _tier_in(default_db, "2026-10", 1000000))
    assert again.provenance["facts"][0]["value"] == want, again.text


def test_conditions_no_customer_can_meet_together_are_not_answered_as_zero(assistant):
    answer = assistant.ask("上海的客户，不要上海的，平均资产多少", Context())
    assert not answer.provenance.get("facts") and "矛盾" in answer.text, answer.text


def test_a_question_then_everyones_figure_asked_after_it_gives_both(assistant, default_db):
    answer = assistant.ask("教师客户的平均月收入是多少？全行的平均呢？", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    values = sorted(f["value"] for f in answer.provenance["facts"] if f["measure"] == "avg:monthly_income")
    assert values == pytest.approx(sorted([s[s.occupation == "教师"].monthly_income.mean(), s.monthly_income.mean()]))


def test_a_ranking_asked_again_in_the_other_order_keeps_its_measure_and_groups(assistant):
    context = Context()
    assistant.ask("按网点看存款余额合计，前4名", context)
    again = assistant.ask("那倒数2名呢", context)
    ranked = [f["group"]["branch_name"] for f in again.provenance["facts"]]
    assert len(ranked) == 2 and "存款余额" in again.text and "从低到高" in again.text, again.text


def test_quarter_ends_of_a_year_are_those_four_months_only(assistant, default_db):
    answer = assistant.ask("2025年四个季度末的存款余额合计", Context())
    by_month = {f["group"]["month"]: f["value"] for f in answer.provenance["facts"]}
    assert sorted(by_month) == ["2025-03", "2025-06", "2025-09", "2025-12"], answer.text
    assert by_month["2025-09"] == pytest.approx(_month_rows(default_db, "2025-09").deposit_balance.sum())


def test_two_populations_set_against_each_other_on_two_measures_are_not_answered_as_everyone(assistant):
    answer = assistant.ask("持有保险的客户比持有理财的客户平均年龄和平均资产高多少", Context())
    assert not answer.provenance.get("facts"), answer.text


def test_a_gap_or_multiple_between_parts_not_recognised_is_not_answered(assistant):
    answer = assistant.ask("月光族比别人多多少", Context())
    assert not answer.provenance.get("facts"), answer.text


@pytest.mark.parametrize("question, said", [
    ("收入缺失的客户平均资产", "月收入为空"),
    ("没有开户日期的客户有几个", "开户日期为空"),
])
def test_an_answer_names_a_missing_value_filter_as_empty_not_as_a_double_negative(assistant, question, said):
    text = assistant.ask(question, Context()).text
    assert said in text and "非空" not in text, text


def test_a_follow_up_to_a_question_not_understood_is_asked_again_not_answered(assistant):
    context = Context()
    first = assistant.ask("月球支行的AUM是多少", context)
    second = assistant.ask("那存款余额呢", context)
    assert not first.provenance.get("facts") and not second.provenance.get("facts")
    assert "完整的问题" in second.text


@pytest.mark.parametrize("question, column, how", [
    ("按城市看平均月收入", "monthly_income", "mean"),     # an average with missing values: sum ÷ count of the known
    ("各城市的存款余额合计", "deposit_balance", "sum"),
    ("各城市的客户数", None, "size"),
])
def test_city_groupings_read_through_branches_give_pandas_figures(assistant, default_db, question, column, how):
    answer = assistant.ask(question, Context())
    assert "GROUP BY branch_name" in answer.sql[0], answer.sql[0]   # the two-step plan ran
    s = read(default_db, "SELECT * FROM customer_snapshot")
    s = s if column in (None, "monthly_income") else _in_month(s)
    groups = s.groupby(s.branch_name.str[:2])
    want = groups.size() if column is None else getattr(groups[column], how)()
    have = {f["group"]["city"]: f["value"] for f in answer.provenance["facts"] if f["measure"] != "share"}
    assert have == pytest.approx(want.to_dict())


def test_a_suggestion_for_an_unknown_value_offers_values_of_the_column_it_names(assistant):
    # 月球支行: the word before 支行 is a branch, so only branches are offered (not 月薪, a measure)
    answer = assistant.ask("月球支行的客户有多少", Context())
    assert not answer.provenance.get("facts")
    assert answer.suggestions and all(s.endswith("支行的客户有多少") and "月薪" not in s for s in answer.suggestions)


@pytest.mark.parametrize("question, measure, expected", [
    # an exclusion said after the question, after 的 or after the places' own noun
    ("女性客户的平均月收入是多少？企业主的不算", "avg:monthly_income",
     lambda s, db: _now(s)[_now(s).gender.eq("女") & _now(s).occupation.ne("企业主")].monthly_income.mean()),
    ("二线城市有多少客户，南京、武汉两地的网点不包括在内", "customers",
     lambda s, db: (_now(s).city_level.eq("二线城市") & ~_now(s).branch_name.str.contains("南京|武汉")).sum()),
    ("潜力客户有多少，流失客户不含在内", "customers",
     lambda s, db: (_now(s).customer_tier.eq("潜力") & _now(s).lifecycle_stage.ne("流失客户")).sum()),
    # the share of what is left after an exclusion
    ("去掉流失客户以后，女性占剩余客户的比例", "share",
     lambda s, db: _now(s)[_now(s).lifecycle_stage.ne("流失客户")].gender.eq("女").mean()),
    # a gap asked with its direction and unit (低了多少钱 / 高出了多少元)
    ("已婚客户的平均月收入比未婚客户高出了多少元", "difference",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚")].monthly_income.mean()
     - _now(s)[_now(s).marriage_status.eq("未婚")].monthly_income.mean()),
    # a date compared with a day stays that day (not its month)
    ("最近联系日期早于2026年9月30日的客户有几个", "customers",
     lambda s, db: (pd.to_datetime(_now(s).last_contact_time) < "2026-09-30").sum()),
    # no date recorded is a missing date
    ("没有联系日期记录的客户有多少", "customers", lambda s, db: _now(s).last_contact_time.isna().sum()),
    # a month named with 环比 is that month's own change
    ("2026年8月高净值客户数环比增加了多少", "difference",
     lambda s, db: (_month_rows(db, "2026-08").total_assets >= 1e6).sum()
     - (_month_rows(db, "2026-07").total_assets >= 1e6).sum()),
    # a bare month is the latest such month
    ("8月的活跃客户数是多少", "customers", lambda s, db: (_month_rows(db, "2026-08").app_login_count >= 1).sum()),
    # a relative month with the month in brackets is that month
    ("全行AUM与上年同月（2025年10月）相比增加了多少", "difference",
     lambda s, db: _month_rows(db, "2026-10").total_assets.sum() - _month_rows(db, "2025-10").total_assets.sum()),
    # a cohort said with 今年 and 那会儿, and 成了 for what they are now
    ("今年5月那会儿还是潜力客户、现在成了临界的有几个", "customers",
     lambda s, db: len(_tier_in(db, "2026-05", 500000, 800000) & _tier_in(db, "2026-10", 800000, 1000000))),
    # northern speech: 多老少, 拿着, 甭算, 往上 after an amount
    ("手里拿着基金的客户有多老少个？新客户甭算", "customers",
     lambda s, db: (_now(s).fund_flag.eq(1) & _now(s).lifecycle_stage.ne("新客户")).sum()),
    ("资产五十万往上的女客户有几个", "customers",
     lambda s, db: (_now(s).total_assets.ge(500000) & _now(s).gender.eq("女")).sum()),
])
def test_concepts_from_authors_ak_and_al_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_one_populations_share_then_the_same_share_for_everyone_gives_both(assistant, default_db):
    answer = assistant.ask("南京鼓楼支行的客户里潜力客户占多少？全行这个占比呢", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    values = sorted(f["value"] for f in answer.provenance["facts"] if f["measure"] == "share")
    assert values == pytest.approx(sorted([s[s.branch_name == "南京鼓楼支行"].customer_tier.eq("潜力").mean(),
                                           s.customer_tier.eq("潜力").mean()])), answer.text


@pytest.mark.parametrize("question, ascending, size", [
    ("存款余额合计后三名的网点", True, 3),
    ("理财余额合计前四的网点是哪四家？", False, 4),
])
def test_a_ranking_said_as_back_n_or_with_its_count_restated_lists_that_many(assistant, default_db, question,
                                                                             ascending, size):
    answer = assistant.ask(question, Context())
    column = "deposit_balance" if "存款" in question else "financial_balance"
    want = _now(read(default_db, "SELECT * FROM customer_snapshot")).groupby("branch_name")[column].sum() \
        .sort_values(ascending=ascending).head(size)
    got = [f["group"]["branch_name"] for f in answer.provenance["facts"] if f["group"]]
    assert got == list(want.index), answer.text


def test_a_name_guessed_for_the_top_group_is_checked_by_the_ranking(assistant, default_db):
    answer = assistant.ask("人均理财余额最高的职业类型该不会是企业高管吧？", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    top = s.groupby("occupation_type").financial_balance.mean().idxmax()
    assert answer.provenance["facts"][0]["group"] == {"occupation_type": top}, answer.text


@pytest.mark.parametrize("question", ["高净值客户最多的是哪个？", "女性客户最少的是不是北京？"])
def test_most_customers_with_no_grouping_named_is_asked_back_not_listed(assistant, question):
    answer = assistant.ask(question, Context())
    assert not answer.provenance.get("facts") and "分组" in answer.text, answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # a negation over products said one after another
    ("没有基金保险的已婚客户有多少", "customers",
     lambda s, db: (_now(s).fund_flag.eq(0) & _now(s).insurance_flag.eq(0) & _now(s).marriage_status.eq("已婚")).sum()),
    # 有消费 / 有交易 defined in brackets by a bound, and said alone
    ("信用卡本月有消费（金额大于0）的女性客户有几个", "customers",
     lambda s, db: (_now(s).credit_card_monthly_expense.gt(0) & _now(s).gender.eq("女")).sum()),
    ("当月有交易的高净值客户有多少", "customers",
     lambda s, db: (_now(s).monthly_transaction_count.ge(1) & _now(s).customer_tier.eq("高净值")).sum()),
    # 笔均交易金额: one sum over the other, for the population
    ("高净值客户的笔均交易金额是多少", "ratio",
     lambda s, db: (lambda t: t.monthly_transaction_amount.sum() / t.monthly_transaction_count.sum())(
         _now(s)[_now(s).customer_tier.eq("高净值")])),
    # a range with a note on its ends
    ("月收入在1万到2万之间（含1万、不含2万）的客户有几个", "customers",
     lambda s, db: (_now(s).monthly_income.ge(10000) & _now(s).monthly_income.lt(20000)).sum()),
    ("资产在50万(不含)到80万(含)之间的客户有几个", "customers",
     lambda s, db: (_now(s).total_assets.gt(500000) & _now(s).total_assets.le(800000)).sum()),
    ("手机银行登录次数严格大于10次的客户有几个", "customers", lambda s, db: _now(s).app_login_count.gt(10).sum()),
    # one customer's balance of a product, said as 存款多少
    ("CUST000123现在理财多少", "sum:financial_balance",
     lambda s, db: _now(s).set_index("customer_id").financial_balance["CUST000123"]),
])
def test_concepts_from_authors_am_and_an_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_a_cross_table_by_a_dimension_and_holding_labels_every_cell(assistant, default_db):
    answer = assistant.ask("按婚姻状况和是否持有理财交叉统计客户数", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    want = s.groupby(["marriage_status", s.financial_flag.map({1: "持有理财", 0: "未持有理财"})]).size()
    got = {(f["group"]["marriage_status"], f["group"]["financial_flag"]): f["value"]
           for f in answer.provenance["facts"] if f["measure"] == "customers"}
    assert got == {k: float(v) for k, v in want.items()}, answer.text


def test_two_branches_listed_then_the_top_people_are_customers_not_branches(assistant, default_db):
    answer = assistant.ask("南京鼓楼和武汉江汉两家支行的客户里，存款余额最高的5位", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    want = s[s.branch_name.isin(["南京鼓楼支行", "武汉江汉支行"])].nlargest(5, "deposit_balance").customer_id.tolist()
    assert [f["group"].get("customer_id") for f in answer.provenance["facts"]] == want, answer.text


def test_a_share_asked_after_a_count_over_the_place_pointed_back_to(assistant, default_db):
    context = Context()
    assistant.ask("南京鼓楼支行持有基金的客户有几个", context)
    answer = assistant.ask("占这家支行全部客户的比例呢", context)
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    assert answer.provenance["facts"][0]["value"] == pytest.approx(
        s[s.branch_name == "南京鼓楼支行"].fund_flag.eq(1).mean()), answer.text


def test_one_customers_figure_now_and_last_month_gives_both_and_follow_ups_stay_on_the_data(assistant, default_db):
    answer = assistant.ask("CUST000123的存款余额现在多少、上个月多少", Context())
    values = sorted(f["value"] for f in answer.provenance["facts"] if f["measure"] == "sum:deposit_balance")
    want = sorted(_month_rows(default_db, m).set_index("customer_id").deposit_balance["CUST000123"]
                  for m in ("2026-09", "2026-10"))
    assert values == pytest.approx(want), answer.text
    context = Context()
    assistant.ask("CUST000123的总资产是多少", context)
    again = assistant.ask("那两个月前呢", context)
    assert again.provenance["facts"][0]["value"] == pytest.approx(
        _month_rows(default_db, "2026-08").set_index("customer_id").total_assets["CUST000123"]), again.text


def test_a_measure_the_data_lacks_for_one_customer_is_refused_not_answered_with_a_model(assistant):
    answer = assistant.ask("客户CUST000123的信用评分是多少？", Context())
    assert not answer.provenance.get("facts") and "没有" in answer.text, answer.text


def _moved(db, column, then, op):
    now, old = _month_rows(db, "2026-10"), _month_rows(db, then)
    both = now.merge(old[["customer_id", column]], on="customer_id", suffixes=("", "_then"))
    return both[both[column] < both[f"{column}_then"]] if op == "<" else both[both[column] > both[f"{column}_then"]]


@pytest.mark.parametrize("question, measure, expected", [
    # a customer's own value now against another month
    ("存款余额比上个月减少的客户有几个", "customers", lambda s, db: len(_moved(db, "deposit_balance", "2026-09", "<"))),
    ("跟去年同期比，基金余额增加的女性客户有多少", "customers",
     lambda s, db: len(_moved(db, "fund_balance", "2025-10", ">").merge(
         s[s.gender == "女"][["customer_id"]], on="customer_id"))),
    # a cohort said with a relative month, and the share of it that moved
    ("两个月前还是潜力客户、现在跌出潜力的有多少", "customers",
     lambda s, db: len(_tier_in(db, "2026-08", 500000, 800000) - _tier_in(db, "2026-10", 500000, 800000)
                       & set(_month_rows(db, "2026-10").customer_id))),
    ("上个月还是临界客户的那批人，现在有百分之多少已经升到高净值", "share",
     lambda s, db: len(_tier_in(db, "2026-09", 800000, 1000000) & _tier_in(db, "2026-10", 1000000))
     / len(_tier_in(db, "2026-09", 800000, 1000000) & set(_month_rows(db, "2026-10").customer_id))),
    # a name defined in brackets; comparisons counted around the words 产品对比
    ("重度用户（手机银行登录不少于25次）有多少", "customers", lambda s, db: _now(s).app_login_count.ge(25).sum()),
    ("做过2次及以上产品对比的已婚客户有多少", "customers",
     lambda s, db: (_now(s).app_product_compare_count.ge(2) & _now(s).marriage_status.eq("已婚")).sum()),
    ("一次产品对比都没做的高净值客户有几个", "customers",
     lambda s, db: (_now(s).app_product_compare_count.eq(0) & _now(s).customer_tier.eq("高净值")).sum()),
    # amounts as a teller types them; a condition framed as an assumption
    ("总资产2,000,000元以上的客户有几个", "customers", lambda s, db: _now(s).total_assets.gt(2000000).sum()),
    ("资产30W以下的男客户有几个", "customers",
     lambda s, db: (_now(s).total_assets.lt(300000) & _now(s).gender.eq("男")).sum()),
    ("假设只看已婚客户，平均月收入多少", "avg:monthly_income",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚")].monthly_income.mean()),
    # an exclusion taken back (…武汉的算) keeps those customers, it adds no condition
    ("二线城市的客户，南京的不算，武汉的也不算…不对，武汉的算，一共多少人", "customers",
     lambda s, db: (_now(s).city_level.eq("二线城市") & ~_now(s).branch_name.str.contains("南京")).sum()),
])
def test_concepts_from_authors_ao_and_ap_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_groups_ranked_by_their_change_between_months(assistant, default_db):
    answer = assistant.ask("哪个城市等级AUM环比跌幅最大", Context())
    level = read(default_db, "SELECT customer_id, city_level FROM customer_base")
    now, old = (_month_rows(default_db, m).merge(level, on="customer_id").groupby("city_level").total_assets.sum()
                for m in ("2026-10", "2026-09"))
    assert answer.provenance["facts"][0]["group"] == {"city_level": ((now - old) / old).idxmin()}, answer.text


def test_a_count_by_a_known_list_of_values_says_the_empty_ones(assistant, default_db):
    answer = assistant.ask("当月登录30次及以上的客户按生命周期阶段各有多少人", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    want = s[s.app_login_count >= 30].lifecycle_stage.value_counts()
    got = {f["group"]["lifecycle_stage"]: f["value"] for f in answer.provenance["facts"] if f["measure"] == "customers"}
    assert set(got) == set(s.lifecycle_stage.dropna()) and all(got[k] == want.get(k, 0) for k in got), answer.text


def test_holders_and_non_holders_asked_together_are_two_groups(assistant, default_db):
    answer = assistant.ask("持有基金的和没持有基金的客户，平均年龄各是多少", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    got = {f["group"]["fund_flag"]: f["value"] for f in answer.provenance["facts"] if f["measure"] == "avg:age"}
    assert got == pytest.approx({"持有基金": s[s.fund_flag == 1].age.mean(), "未持有基金": s[s.fund_flag == 0].age.mean()})


def test_each_customers_own_change_ranked_is_refused_not_answered_with_the_banks(assistant):
    answer = assistant.ask("和上个月比，存款余额减少最多的3位客户是谁", Context())
    assert not answer.provenance.get("facts") and "暂不支持" in answer.text, answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # 单一产品客户 / 交叉持有率 as the product team names them
    ("单一产品客户里女性有多少", "customers", lambda s, db: (_now(s).product_count.eq(1) & _now(s).gender.eq("女")).sum()),
    ("已婚客户的交叉持有率", "share",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚")].product_count.ge(2).mean()),
    # the last contact's outcome with the asker's lead-in; a date on or after a day
    ("上次联系被客户拒绝的女性客户有几位", "customers",
     lambda s, db: (_now(s).contact_result.eq("拒绝") & _now(s).gender.eq("女")).sum()),
    ("最近一次联系日期在2026年8月1日或之后的客户有多少", "customers",
     lambda s, db: (pd.to_datetime(_now(s).last_contact_time) >= "2026-08-01").sum()),
    ("处在冷静期的高净值客户有几个", "customers",
     lambda s, db: (_now(s).marketing_cool_period.gt(0) & _now(s).customer_tier.eq("高净值")).sum()),
    # a product's rate said around the population
    ("基金在不同城市等级客户里的渗透率", "share",
     lambda s, db: _now(s)[_now(s).city_level.eq("一线城市")].fund_flag.eq(1).mean()),
])
def test_concepts_from_authors_aq_and_ar_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


@pytest.mark.parametrize("question, column, keep", [
    ("理财持有率低于全行平均的网点有哪些", "branch_name", "below overall"),
    ("客户数超过700的网点有哪些", "branch_name", "count > 700"),
])
def test_groups_kept_by_their_own_figure(assistant, default_db, question, column, keep):
    answer = assistant.ask(question, Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    if keep == "below overall":
        rate = s.groupby(column).financial_flag.apply(lambda f: f.eq(1).mean())
        want = set(rate[rate < s.financial_flag.eq(1).mean()].index)
    else:
        size = s.groupby(column).size()
        want = set(size[size > 700].index)
    got = {f["group"][column] for f in answer.provenance["facts"] if f["group"]}
    assert got == want, answer.text


def test_only_these_narrows_a_customer_list_keeping_its_conditions(assistant):
    context = Context()
    assistant.ask("广州天河支行资产最高的10位客户", context)
    answer = assistant.ask("只留已婚的", context)
    assert answer.understood["filters"] == "广州天河支行、已婚" and "10 位客户" in answer.text, answer.text


def _cohort_then_now(db, s, month, then_tier, now_tier, gender):
    bounds = {"潜力": (500000, 800000), "临界": (800000, 1000000), "高净值": (1000000, float("inf"))}
    then = _month_rows(db, month)
    low, high = bounds[then_tier]
    ids = set(then[(then.total_assets >= low) & (then.total_assets < high)].customer_id)
    now = _now(s)
    return (now.customer_id.isin(ids) & now.customer_tier.eq(now_tier) & now.gender.eq(gender)).sum()


@pytest.mark.parametrize("question, measure, expected", [
    # the capital numerals of a financial document, and 人民币
    ("总资产贰拾万元（含）以上的教师有几位", "customers",
     lambda s, db: (_now(s).total_assets.ge(200000) & _now(s).occupation.eq("教师")).sum()),
    ("月收入人民币叁万元以上的已婚客户有多少", "customers",
     lambda s, db: (_now(s).monthly_income.ge(30000) & _now(s).marriage_status.eq("已婚")).sum()),
    ("年龄肆拾岁及以上的客户有多少人", "customers", lambda s, db: _now(s).age.ge(40).sum()),
    # 登陆 is a verb, not the capital numeral 陆
    ("女客户手机银行登陆次数平均多少", "avg:app_login_count",
     lambda s, db: _now(s)[_now(s).gender.eq("女")].app_login_count.mean()),
    # 银发族, and the cooling-off period over
    ("银发族里持有保险的有几位", "customers", lambda s, db: (_now(s).age.ge(60) & _now(s).insurance_flag.eq(1)).sum()),
    ("营销冷静期已经结束的女性客户有几个", "customers",
     lambda s, db: (_now(s).marketing_cool_period.eq(0) & _now(s).gender.eq("女")).sum()),
    ("出了冷静期的高净值客户有多少", "customers",
     lambda s, db: (_now(s).marketing_cool_period.eq(0) & _now(s).customer_tier.eq("高净值")).sum()),
    # a claim to check: its guessed figure, or its subject, is no condition
    ("听说三线城市客户的人均存款已经超过20万了，核实一下", "avg:deposit_balance",
     lambda s, db: _now(s)[_now(s).city_level.eq("三线城市")].deposit_balance.mean()),
    ("据说已婚的男性客户大多不买保险，他们的保险持有率是多少", "share",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚") & _now(s).gender.eq("男")].insurance_flag.eq(1).mean()),
    ("我觉得年轻人都不爱去网点，对不对？30岁以下客户平均到访网点几次", "avg:branch_visit_count",
     lambda s, db: _now(s)[_now(s).age.lt(30)].branch_visit_count.mean()),
    # what the figure is for, said after the question
    ("冷静期内的临界客户有几个？这些人营销名单里要先排除。", "customers",
     lambda s, db: (_now(s).marketing_cool_period.gt(0) & _now(s).customer_tier.eq("临界")).sum()),
    # a cohort with the tier's bounds in brackets and a further condition on the same customers
    ("2026年5月时还是潜力客户（50万到80万）的男性，现在已经升成临界的有几位", "customers",
     lambda s, db: _cohort_then_now(db, s, "2026-05", "潜力", "临界", "男")),
    # the count of a ranking after 最, and a ranking of 前N家
    ("人均资产最高的是哪两类职业类型", "avg:total_assets",
     lambda s, db: _now(s).groupby("occupation_type").total_assets.mean().max()),
    ("客户数最多的前两家支行", "customers", lambda s, db: _now(s).groupby("branch_name").size().max()),
])
def test_concepts_from_authors_as_and_at_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


@pytest.mark.parametrize("question", [
    "高净值客户里已婚的更多？",          # more than whom is not said: no ranking of customers
    "2026年5月时还是潜力客户（60万到80万）的男性，现在已经升成临界的有几位",   # a gloss that is not the tier's bounds
])
def test_a_comparison_or_gloss_not_understood_gives_no_figure(assistant, question):
    answer = assistant.ask(question, Context())
    assert not answer.provenance.get("facts"), answer.text


@pytest.mark.parametrize("question, column, descending", [
    ("2025年哪个月的理财余额合计最高", "financial_balance", True),
    ("2025年全年基金余额合计最低的是哪个月", "fund_balance", False),
])
def test_the_month_of_a_year_with_the_highest_figure_is_named(assistant, default_db, question, column, descending):
    rows = read(default_db, f"SELECT stat_month, {column} FROM customer_behavior_assets WHERE stat_month LIKE '2025-%'")
    sums = rows.groupby("stat_month")[column].sum()
    month = sums.idxmax() if descending else sums.idxmin()
    answer = assistant.ask(question, Context())
    first = answer.provenance["facts"][0]
    assert first["group"]["month"] == month and first["value"] == pytest.approx(sums[month]), answer.text
    assert f"“{month}”" in answer.text


def test_months_ranked_are_listed_in_the_order_said(assistant):
    answer = assistant.ask("近6个月的总资产从低到高排一下", Context())
    values = [f["value"] for f in answer.provenance["facts"]]
    assert len(values) == 6 and values == sorted(values), answer.text



@pytest.mark.parametrize("question", [
    "北京客户总资产的众数是多少",
    "各网点月收入的方差",
    "已婚客户存款余额的75分位数",
    "各网点资产最高的客户分别是谁",
])
def test_a_statistic_not_computed_is_said_so_never_answered_with_the_sum(assistant, question):
    answer = assistant.ask(question, Context())
    assert not answer.provenance.get("facts") and "暂不支持" in answer.text, answer.text


def test_a_follow_up_after_a_refused_question_is_not_answered_on_its_own(assistant):
    context = Context()
    assistant.ask("各城市等级客户的月收入众数是多少", context)
    answer = assistant.ask("只看已婚的呢", context)
    assert not answer.provenance.get("facts") and "接不上" in answer.text, answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # 想看一下… asks; it is no purpose clause to drop with its population
    ("想看一下宜昌西陵支行的成熟客户，平均资产多少", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).branch_name.eq("宜昌西陵支行") & _now(s).lifecycle_stage.eq("成熟客户")].total_assets.mean()),
    # 一次没登录 without 都, and 整月
    ("这个月一次没登录手机银行的男客户有几个", "customers",
     lambda s, db: (_now(s).app_login_count.eq(0) & _now(s).gender.eq("男")).sum()),
    # 在所有…的客户当中: those customers are the denominator
    ("在所有持有保险的客户当中，也持有基金的比例", "share",
     lambda s, db: _now(s)[_now(s).insurance_flag.eq(1)].fund_flag.eq(1).mean()),
    # the month said inside the measure's name is no second measure
    ("信用卡本月消费超过8000元的客户有多少", "customers", lambda s, db: _now(s).credit_card_monthly_expense.gt(8000).sum()),
])
def test_concepts_from_authors_au_and_av_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_holders_and_non_holders_said_without_de_are_two_groups(assistant, default_db):
    answer = assistant.ask("持有基金和没持有基金的客户平均年龄各是多少", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    got = {f["group"]["fund_flag"]: f["value"] for f in answer.provenance["facts"]}
    assert got == pytest.approx({"持有基金": s[s.fund_flag == 1].age.mean(), "未持有基金": s[s.fund_flag == 0].age.mean()})


def test_an_example_of_the_groups_is_no_filter(assistant, default_db):
    answer = assistant.ask("按婚姻状况和性别交叉统计客户数，例如已婚女性有几个，所有组合都要", Context())
    cells = {(f["group"]["marriage_status"], f["group"]["gender"]) for f in answer.provenance["facts"]}
    assert len(cells) == 6, answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # a name this bank does not use, defined by the asker in words it does
    ("财富管理户（即临界客户）有多少位", "customers", lambda s, db: _now(s).customer_tier.eq("临界").sum()),
    ("上海的\"贵宾客户\"有几位？我说的贵宾客户就是我们的高净值", "customers",
     lambda s, db: (_now(s).branch_name.str.contains("上海") & _now(s).customer_tier.eq("高净值")).sum()),
    ("以前我们叫\"沉睡户\"，在这里我按手机银行登录次数为0的客户来算。已婚的沉睡户有几个", "customers",
     lambda s, db: (_now(s).app_login_count.eq(0) & _now(s).marriage_status.eq("已婚")).sum()),
    # a bracket that only restates what is said is a gloss
    ("当月一次都没登录手机银行的女客户（登录次数为0）有多少", "customers",
     lambda s, db: (_now(s).app_login_count.eq(0) & _now(s).gender.eq("女")).sum()),
    # the branches left out, listed in a bracket after their count
    ("一线城市客户，把北京的两家支行（朝阳、海淀）去掉，平均资产多少", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).city_level.eq("一线城市") & ~_now(s).branch_name.isin(["北京朝阳支行", "北京海淀支行"])]
     .total_assets.mean()),
    # two groups compared, said X和Y比，…差多少
    ("已婚客户和未婚客户比，平均月收入差多少", "difference",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚")].monthly_income.mean()
     - _now(s)[_now(s).marriage_status.eq("未婚")].monthly_income.mean()),
    # a heading that says what the figure is for
    ("季度汇报用：理财持有率是多少", "share", lambda s, db: _now(s).financial_flag.eq(1).mean()),
])
def test_concepts_from_authors_aw_and_ax_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_a_name_defined_in_a_bracket_by_a_bound_counts_that_bound(assistant, default_db):
    answer = assistant.ask("贵宾客户（总资产30万以上）有多少位", Context())
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    assert answer.provenance["facts"][0]["value"] == s.total_assets.ge(300000).sum(), answer.text
    assert any("贵宾客户" in a for a in answer.understood["assumptions"]), answer.understood



@pytest.mark.parametrize("question, measure, expected", [
    # a column's distribution: median, sample standard deviation, largest and smallest value
    ("杭州西湖支行客户总资产的中位数", "median:total_assets",
     lambda s, db: _now(s)[_now(s).branch_name.eq("杭州西湖支行")].total_assets.median()),
    ("已婚女性月收入的中位数是多少", "median:monthly_income",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚") & _now(s).gender.eq("女")].monthly_income.median()),
    ("二线城市客户存款余额的标准差", "std:deposit_balance",
     lambda s, db: _now(s)[_now(s).city_level.eq("二线城市")].deposit_balance.std()),
    ("教师客户年龄的最大值", "max:age", lambda s, db: _now(s)[_now(s).occupation.eq("教师")].age.max()),
    ("高净值客户总资产的最小值是多少", "min:total_assets",
     lambda s, db: _now(s)[_now(s).customer_tier.eq("高净值")].total_assets.min()),
])
def test_a_columns_distribution_is_answered(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_medians_by_group_and_the_group_with_the_highest(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    medians = s.groupby("occupation_type").total_assets.median()
    answer = assistant.ask("各职业类型客户总资产的中位数", Context())
    got = {f["group"]["occupation_type"]: f["value"] for f in answer.provenance["facts"]}
    assert got == pytest.approx(medians.to_dict()), answer.text
    top = assistant.ask("总资产中位数最高的是哪个职业类型", Context())
    assert top.provenance["facts"][0]["group"]["occupation_type"] == medians.idxmax(), top.text


def test_a_statistic_asked_after_a_measure_is_of_its_column(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    context = Context()
    assistant.ask("一线城市客户的平均资产", context)
    answer = assistant.ask("那中位数呢", context)
    assert answer.provenance["facts"][0]["value"] == pytest.approx(s[s.city_level == "一线城市"].total_assets.median())


def test_two_months_asked_each_give_each_months_figure(assistant, default_db):
    answer = assistant.ask("2026年3月和现在各有多少高净值客户", Context())
    got = {f["group"]["month"]: f["value"] for f in answer.provenance["facts"]}
    march = _month_rows(default_db, "2026-03")
    now = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    assert got == {"2026-03": (march.total_assets >= 1_000_000).sum(), "2026-10": (now.total_assets >= 1_000_000).sum()}


def test_each_groups_oldest_customer_is_the_groups_largest_age(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("每个城市等级里，年纪最大的客户各是多少岁", Context())
    got = {f["group"]["city_level"]: f["value"] for f in answer.provenance["facts"]}
    assert got == s.groupby("city_level").age.max().to_dict(), answer.text


def test_a_saying_not_known_then_said_again_in_known_words_keeps_who_it_is_about(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("哪个城市等级的客户收入差距最悬殊，也就是月收入标准差最大", Context())
    assert answer.provenance["facts"][0]["group"]["city_level"] == s.groupby("city_level").monthly_income.std().idxmax()


@pytest.mark.parametrize("question, measure, expected", [
    # Shanghainese: 阿拉 我们, 搭 和, 几钿 多少, 里向 里, 伐 吗
    ("阿拉静安支行搭浦东支行加起来，离异客户的总资产几钿？", "sum:total_assets",
     lambda s, db: _now(s)[_now(s).branch_name.isin(["上海静安支行", "上海浦东支行"])
                           & _now(s).marriage_status.eq("离异")].total_assets.sum()),
    ("金融从业者里向有几个女客户伐？", "customers",
     lambda s, db: (_now(s).occupation_type.eq("金融从业者") & _now(s).gender.eq("女")).sum()),
    # chat shorthand: rs 人数, zb 占比, emoji
    ("深圳南山支行 已婚 rs", "customers",
     lambda s, db: (_now(s).branch_name.eq("深圳南山支行") & _now(s).marriage_status.eq("已婚")).sum()),
    ("全行持有理财的 zb 多少 😂", "share", lambda s, db: _now(s).financial_flag.eq(1).mean()),
    # an annual report's 报告期末 is the latest month
    ("截至报告期末，三线城市客户的存款余额合计是多少", "sum:deposit_balance",
     lambda s, db: _now(s)[_now(s).city_level.eq("三线城市")].deposit_balance.sum()),
    # a guess said after the question, someone else's claim, a name guessed for the top one
    ("二线城市已婚客户平均月收入多少？我估计也就一万出头吧", "avg:monthly_income",
     lambda s, db: _now(s)[_now(s).city_level.eq("二线城市") & _now(s).marriage_status.eq("已婚")].monthly_income.mean()),
    ("宜昌西陵支行有多少客户？听同事说有六百多，是不是真的", "customers",
     lambda s, db: _now(s).branch_name.eq("宜昌西陵支行").sum()),
    ("领导说北京的高净值客户差不多有两百个，实际是多少？", "customers",
     lambda s, db: (_now(s).branch_name.str.startswith("北京") & _now(s).total_assets.ge(1_000_000)).sum()),
    ("客户数最多的网点是哪家？是不是上海静安支行？", "customers", lambda s, db: _now(s).groupby("branch_name").size().max()),
    # how branches fall into cities, said in brackets
    ("按城市看（海淀、朝阳都算北京），存款余额合计最高的是哪个城市", "sum:deposit_balance",
     lambda s, db: _now(s).groupby(_now(s).branch_name.str[:2]).deposit_balance.sum().max()),
    # the youngest customer's age, a figure's spread
    ("律师当中年纪最小的客户多少岁", "min:age", lambda s, db: _now(s)[_now(s).occupation.eq("律师")].age.min()),
    ("教师的总资产有多分散", "std:total_assets", lambda s, db: _now(s)[_now(s).occupation.eq("教师")].total_assets.std()),
    # a share named before the change is the figure compared
    ("潜力客户占比较三个月前变化了多少", "share", lambda s, db: _now(s).customer_tier.eq("潜力").mean()),
    # a comma before another dimension ends the list left out
    ("三线城市，忠诚客户不算，平均资产多少", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).city_level.eq("三线城市") & _now(s).lifecycle_stage.ne("忠诚客户")].total_assets.mean()),
    ("持有保险的客户是几成", "share", lambda s, db: _now(s).insurance_flag.eq(1).mean()),
    ("活跃客户有多少位？手机银行登过一次就算", "customers", lambda s, db: _now(s).app_login_count.ge(1).sum()),
])
def test_concepts_from_authors_ay_and_az_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


@pytest.mark.parametrize("question, column, measure", [
    # what a meeting needs is background; the figures asked follow it
    ("支行例会要讲年龄差异，各年龄段客户的平均存款余额是多少", "age_band", "deposit_balance"),
    # 潜力 in a list of tiers is the tier (no model list); each tier's count, laid out as asked
    ("列出普通、潜力、临界、高净值四档客户各有多少人", "customer_tier", None),
    ("各职业类型的基金持有率 各报一个", "occupation_type", "fund_flag"),
])
def test_groups_asked_with_chat_layout_words_are_each_groups_figure(assistant, default_db, question, column, measure):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask(question, Context())
    facts = [f for f in answer.provenance.get("facts") or [] if f["measure"] != "share" or measure == "fund_flag"]
    got = {f["group"][column]: f["value"] for f in facts if f.get("group")}
    if measure is None:
        want = s.groupby(column).size()
    elif measure == "fund_flag":
        want = s.groupby(column).fund_flag.mean()
    else:
        want = s.groupby(column)[measure].mean()
    assert got == pytest.approx(want.to_dict()), answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # 湘鄂 speech: 冇得 没有, 好多 / 好大 asked
    ("绍兴越城支行冇得基金的客户有好多个？", "customers",
     lambda s, db: (_now(s).branch_name.eq("绍兴越城支行") & _now(s).fund_flag.eq(0)).sum()),
    ("宜昌西陵支行的客户平均年纪好大？", "avg:age", lambda s, db: _now(s)[_now(s).branch_name.eq("宜昌西陵支行")].age.mean()),
    # a reporting form's labels, and its 统计口径 naming the numerator and denominator
    ("指标名称：未婚男性客户数；统计口径：基准月；填报值保留整数。", "customers",
     lambda s, db: (_now(s).marriage_status.eq("未婚") & _now(s).gender.eq("男")).sum()),
    ("统计口径：分母为全行基准月客户数，分子为二线城市持有保险的客户数，请填报该占比。", "share",
     lambda s, db: (_now(s).city_level.eq("二线城市") & _now(s).insurance_flag.eq(1)).mean()),
    ("深圳南山支行只有一种产品的客户有多少", "customers",
     lambda s, db: (_now(s).branch_name.eq("深圳南山支行") & _now(s).product_count.eq(1)).sum()),
    # the one customer's figure is the largest value; a month's figure over another's
    ("广州天河支行总资产最高的那位客户有多少钱", "max:total_assets",
     lambda s, db: _now(s)[_now(s).branch_name.eq("广州天河支行")].total_assets.max()),
    ("高净值客户数是2025年12月的几倍", "ratio",
     lambda s, db: _now(s).total_assets.ge(1_000_000).sum() / _month_rows(db, "2025-12").total_assets.ge(1_000_000).sum()),
    # a private banker's words
    ("一线城市AUM盘子合计多大", "sum:total_assets", lambda s, db: _now(s)[_now(s).city_level.eq("一线城市")].total_assets.sum()),
    ("理财和基金双持的女客户有多少", "customers",
     lambda s, db: (_now(s).financial_flag.eq(1) & _now(s).fund_flag.eq(1) & _now(s).gender.eq("女")).sum()),
    ("已婚客户的客单是多少", "avg:total_assets", lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚")].total_assets.mean()),
    # a voice transcript: words apart, the question said again, a same-sound slip without tones
    ("宜昌 西陵 支行 的 客户 有 多少 宜昌西陵支行", "customers", lambda s, db: _now(s).branch_name.eq("宜昌西陵支行").sum()),
    ("买了 几金的 女 客户 有 多少", "customers", lambda s, db: (_now(s).fund_flag.eq(1) & _now(s).gender.eq("女")).sum()),
    # two populations, each one's figure
    ("持有保险的客户和持有理财的客户平均月收入各是多少", "avg:monthly_income",
     lambda s, db: _now(s)[_now(s).insurance_flag.eq(1)].monthly_income.mean()),
    ("月收入1万以下和3万以上的客户平均资产各是多少", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).monthly_income.lt(10_000)].total_assets.mean()),
    ("单一产品客户和持有3种及以上产品的客户的户均AUM各是多少", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).product_count.eq(1)].total_assets.mean()),
    ("未婚客户和已婚客户，平均资产后者是前者的几倍", "ratio",
     lambda s, db: _now(s).groupby("marriage_status").total_assets.mean().pipe(lambda g: g["已婚"] / g["未婚"])),
    # another value asked the same in a second sentence
    ("高净值客户的资产占全行多少？潜力客户又占多少？", "share",
     lambda s, db: _now(s)[_now(s).customer_tier.eq("高净值")].total_assets.sum() / _now(s).total_assets.sum()),
    # a gap in visits, said with the verb
    ("已婚客户比未婚客户人均多跑几趟网点", "difference",
     lambda s, db: _now(s).groupby("marriage_status").branch_visit_count.mean().pipe(lambda g: g["已婚"] - g["未婚"])),
])
def test_concepts_from_authors_ba_and_bb_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_another_value_asked_in_a_second_sentence_gives_both_groups(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("一线城市客户的平均存款是多少？三线城市呢？", Context())
    got = {f["group"]["city_level"]: f["value"] for f in answer.provenance["facts"]}
    want = s[s.city_level.isin(["一线城市", "三线城市"])].groupby("city_level").deposit_balance.mean()
    assert got == pytest.approx(want.to_dict()), answer.text


def test_a_follow_up_comparing_two_groups_states_their_difference(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    context = Context()
    assistant.ask("成长客户的人均资产是多少？", context)
    answer = assistant.ask("那价值客户的人均资产比成长客户高多少？", context)
    diff = [f["value"] for f in answer.provenance["facts"] if f["measure"] == "difference"]
    means = s.groupby("lifecycle_stage").total_assets.mean()
    assert diff == [pytest.approx(means["价值客户"] - means["成长客户"])], answer.text


def test_two_values_of_one_column_on_the_same_customers_are_refused_not_answered_0(assistant):
    answer = assistant.ask("普通客户里高净值客户的资产占比是多少", Context())   # was 资产占比 0.0%
    assert not answer.provenance.get("facts") and "矛盾" in answer.text, answer.text


def _women_aum_change(s, db):
    now = pd.Period(s.stat_month.dropna().max(), "M")
    sums = read(db, "SELECT a.stat_month m, SUM(a.total_assets) v FROM customer_behavior_assets a JOIN customer_base b "
                    "USING (customer_id) WHERE b.gender = '女' GROUP BY a.stat_month").set_index("m").v
    return sums[str(now)] / sums[str(now - 1)] - 1


@pytest.mark.parametrize("question, measure, expected", [
    # 占<population>客户多少: a share of that population, not a count
    ("一线城市的已婚客户占全行客户多少", "share",
     lambda s, db: (_now(s).city_level.eq("一线城市") & _now(s).marriage_status.eq("已婚")).mean()),
    # Cantonese typed: 嗰边 there, 而家 now, 几多 how many, 列晒 all of them
    ("杭州西湖支行嗰边而家有几多个已婚客户", "customers",
     lambda s, db: (_now(s).branch_name.eq("杭州西湖支行") & _now(s).marriage_status.eq("已婚")).sum()),
    # 东北: 咱家 our bank, 娘们儿 women, 多少个儿 how many
    ("咱家上海那旮旯的老娘们儿有多少个儿", "customers",
     lambda s, db: (_now(s).branch_name.str.contains("上海") & _now(s).gender.eq("女")).sum()),
    # pseudo-SQL: the month in stat_month, a bound restated in symbols, a figure's formula restated
    ("sum(deposit_balance) where gender='男' and stat_month='2026-03'", "sum:deposit_balance",
     lambda s, db: read(db, "SELECT SUM(a.deposit_balance) v FROM customer_behavior_assets a JOIN customer_base b "
                            "USING (customer_id) WHERE a.stat_month = '2026-03' AND b.gender = '男'").v[0]),
    ("登录次数不少于10次（>=10）的男客户有几位", "customers",
     lambda s, db: (_now(s).app_login_count.ge(10) & _now(s).gender.eq("男")).sum()),
    ("女客户的AUM环比 = (本月AUM - 上月AUM) / 上月AUM", "change", lambda s, db: _women_aum_change(s, db)),
    ("教师月收入的样本标准差", "std:monthly_income", lambda s, db: _now(s)[_now(s).occupation.eq("教师")].monthly_income.std()),
    # one customer's extreme count, asked as how many times
    ("程序员里到访次数最多的那位到访了几次", "max:branch_visit_count",
     lambda s, db: _now(s)[_now(s).occupation.eq("程序员")].branch_visit_count.max()),
])
def test_concepts_from_authors_bc_and_bd_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


@pytest.mark.parametrize("question, column, ascending", [
    ("信用卡消费大于0但信用卡消费最少的3个客户", "credit_card_monthly_expense", True),   # was ranked by 总资产
    ("教师里花钱最多的3个客户", "credit_card_monthly_expense", False),            # spending is the card spend
    ("select customer_id, age from customer_base where gender='女' order by age desc limit 3", "age", False),
])
def test_a_customer_list_is_ranked_by_the_figure_said(assistant, default_db, question, column, ascending):
    answer = assistant.ask(question, Context())
    assert answer.provenance.get("facts"), answer.text
    assert all(f["measure"].endswith(column) for f in answer.provenance["facts"]), answer.text


def test_a_figure_asked_again_of_another_group_in_a_follow_up_keeps_the_figure(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    context = Context()
    assistant.ask("女客户的基金持有率是多少", context)
    answer = assistant.ask("男客户又是多少？", context)
    assert [f["measure"] for f in answer.provenance["facts"]] == ["share"], answer.text
    assert answer.provenance["facts"][0]["value"] == pytest.approx(s[s.gender.eq("男")].fund_flag.eq(1).mean())


def test_the_top_n_asked_again_as_which_n_is_a_ranking(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("平均存款最高的两个城市是哪两个？从高到低排", Context())
    named = [f["group"]["city"] for f in answer.provenance.get("facts") or [] if f.get("group")]
    means = s.assign(city=s.branch_name.str[:2]).groupby("city").deposit_balance.mean()
    assert named == list(means.sort_values(ascending=False).index[:2]), answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # a spreadsheet formula, said as the question it computes
    ('=COUNTIFS(性别,"女",月收入,">=30000")', "customers",
     lambda s, db: (_now(s).gender.eq("女") & _now(s).monthly_income.ge(30_000)).sum()),
    ('=AVERAGEIFS(存款余额,城市级别,"三线城市")', "avg:deposit_balance",
     lambda s, db: _now(s)[_now(s).city_level.eq("三线城市")].deposit_balance.mean()),
    ('=COUNTIFS(城市级别,"一线城市",理财持有标志,1)/COUNTIFS(城市级别,"一线城市")', "share",
     lambda s, db: _now(s)[_now(s).city_level.eq("一线城市")].financial_flag.eq(1).mean()),
    ('=MEDIAN(IF(性别="男",月收入))', "median:monthly_income", lambda s, db: _now(s)[_now(s).gender.eq("男")].monthly_income.median()),
    # a work group's message: a mention, thanks and why around it; a reply narrowing the quoted question
    ("@数据助手 教师里持有保险的有多少人？谢啦，周报要用", "customers",
     lambda s, db: (_now(s).occupation.eq("教师") & _now(s).insurance_flag.eq(1)).sum()),
    ("「回复 小李：一线城市客户的平均月收入是多少？」+1，不过我只要女客户的", "avg:monthly_income",
     lambda s, db: _now(s)[_now(s).city_level.eq("一线城市") & _now(s).gender.eq("女")].monthly_income.mean()),
    # Taiwanese 几趴 and a classical register
    ("高淨值客戶佔全行幾趴？", "share", lambda s, db: _now(s).customer_tier.eq("高净值").mean()),
    ("年届五十及以上之女客户，凡几人？", "customers", lambda s, db: (_now(s).age.ge(50) & _now(s).gender.eq("女")).sum()),
    ("月入逾三万（不含三万）之男客户几人", "customers",
     lambda s, db: (_now(s).monthly_income.gt(30_000) & _now(s).gender.eq("男")).sum()),
    # plain phrasings these authors showed were missed or answered wrong
    ("60岁及以上的客户里，持有保险的占他们多少", "share", lambda s, db: _now(s)[_now(s).age.ge(60)].insurance_flag.eq(1).mean()),
    ("至少登录过5次手机银行的女客户有多少", "customers",
     lambda s, db: (_now(s).app_login_count.ge(5) & _now(s).gender.eq("女")).sum()),
    ("不是「公务员」的客户平均资产多少", "avg:total_assets", lambda s, db: _now(s)[_now(s).occupation.ne("公务员")].total_assets.mean()),
    ("已婚男客户的平均年龄是几岁", "avg:age",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚") & _now(s).gender.eq("男")].age.mean()),
    ("持有产品3种及以上的客户平均资产是多少", "avg:total_assets", lambda s, db: _now(s)[_now(s).product_count.ge(3)].total_assets.mean()),
])
def test_concepts_from_authors_be_and_bf_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_which_of_all_n_branches_is_the_top_one_not_a_top_n_list(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("十五家支行中，理财持有率哪家最高", Context())   # was a list of the top 15
    top = s.groupby("branch_name").financial_flag.apply(lambda f: f.eq(1).mean())
    assert f"最高的网点是“{top.idxmax()}”" in answer.text and "前 15 名" not in answer.text, answer.text


def test_a_pivot_table_asked_for_is_the_grouped_figure(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("透视表：行=婚姻状况，值=基金余额求和", Context())
    got = {f["group"]["marriage_status"]: f["value"] for f in answer.provenance.get("facts") or [] if f.get("group")}
    assert got == pytest.approx(s.groupby("marriage_status").fund_balance.sum().to_dict()), answer.text


def test_a_follow_up_adding_a_condition_after_a_missed_question_is_not_answered_alone(assistant):
    context = Context()
    assistant.ask("=VLOOKUP(客户号,A:B,2,0)", context)
    answer = assistant.ask('再加一个条件：性别="女"', context)   # was the count of every woman
    assert not answer.provenance.get("facts") and "上一个问题没有得到回答" in answer.text, answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # a trader's shorthand and pinyin initials
    ("NJ HNW# ?", "customers", lambda s, db: (_now(s).branch_name.str.contains("南京") & _now(s).customer_tier.eq("高净值")).sum()),
    ("CD M ≥30w 的 #", "customers",
     lambda s, db: (_now(s).branch_name.str.contains("成都") & _now(s).gender.eq("男") & _now(s).total_assets.ge(300_000)).sum()),
    ("XA avg AUM", "avg:total_assets", lambda s, db: _now(s)[_now(s).branch_name.str.contains("西安")].total_assets.mean()),
    ("教师里gjz的khs", "customers", lambda s, db: (_now(s).occupation.eq("教师") & _now(s).customer_tier.eq("高净值")).sum()),
    ("买了jj没买bx的rj资产", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).fund_flag.eq(1) & _now(s).insurance_flag.eq(0)].total_assets.mean()),
    # an older clerk's measures
    ("一线城市的保险余额拢共多大一坨钱", "sum:insurance_balance", lambda s, db: _now(s)[_now(s).city_level.eq("一线城市")].insurance_balance.sum()),
    # plain phrasings these authors showed were answered wrong
    ("在扣除年龄60岁及以上的客户之后，教师的存款余额合计为多少元", "sum:deposit_balance",   # was only those 60 and over
     lambda s, db: _now(s)[_now(s).occupation.eq("教师") & _now(s).age.lt(60)].deposit_balance.sum()),
    ("年龄在50岁及以上的女客户里，理财余额最高的那位有多少理财", "max:financial_balance",
     lambda s, db: _now(s)[_now(s).age.ge(50) & _now(s).gender.eq("女")].financial_balance.max()),
    ("已婚客户的月交易笔数的人均值为多少", "avg:monthly_transaction_count",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚")].monthly_transaction_count.mean()),
])
def test_concepts_from_authors_bg_and_bh_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_narrowing_the_scope_in_a_follow_up_is_a_question_not_a_write(assistant):
    context = Context()
    assistant.ask("已婚客户的基金持有率是多少", context)
    answer = assistant.ask("若将范围改为离异客户，结论又如何？", context)   # was refused as a request to change data
    assert "不能修改" not in answer.text, answer.text


def test_groups_split_by_holding_a_product_said_as_two_lots_are_both_answered(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("按有没有买保险分成两拨人，每拨人的平均资产各是多少", Context())   # was only the holders
    values = sorted(f["value"] for f in answer.provenance.get("facts") or [] if f["measure"] == "avg:total_assets")
    assert values == pytest.approx(sorted(s.groupby(s.insurance_flag.eq(1)).total_assets.mean())), answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # an internet-style operations lead's and a statistician's words
    ("圈一个人群包：教师、已婚，样本量多大", "customers",
     lambda s, db: (_now(s).occupation.eq("教师") & _now(s).marriage_status.eq("已婚")).sum()),
    ("盘一下私营业主沉淀的存款余额合计，人群圈在二线城市", "sum:deposit_balance",
     lambda s, db: _now(s)[_now(s).occupation_type.eq("私营业主") & _now(s).city_level.eq("二线城市")].deposit_balance.sum()),
    ("月收入的中位数，样本只取已婚女性", "median:monthly_income",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚") & _now(s).gender.eq("女")].monthly_income.median()),
    ("长尾客户有多少位？长尾我这里指普通客户，只看女性", "customers",
     lambda s, db: (_now(s).customer_tier.eq("普通") & _now(s).gender.eq("女")).sum()),
    ("律师们的平均年龄多少来着", "avg:age", lambda s, db: _now(s)[_now(s).occupation.eq("律师")].age.mean()),
    ("一季度各月高净值客户数", "customers",
     lambda s, db: len(_tier_in(db, f"{pd.Period(s.stat_month.dropna().max(), 'M').year}-01", 1_000_000))),
    # a gloss in brackets that says what a word means, in the words of the question
    ("在营销冷静期内（这里指冷静期剩余天数大于零）的男客户有几位", "customers",
     lambda s, db: (_now(s).marketing_cool_period.gt(0) & _now(s).gender.eq("男")).sum()),
    ("离异客户的保险持有率（此处持有系指保险持有标志为1）", "share",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("离异")].insurance_flag.eq(1).mean()),
    ("职业类型属传统行业的客户中，持有理财者的比例为何", "share",
     lambda s, db: _now(s)[_now(s).occupation_type.eq("传统行业")].financial_flag.eq(1).mean()),
    ("两个条件同时满足：未婚、三线城市，这些客户有多少", "customers",
     lambda s, db: (_now(s).marriage_status.eq("未婚") & _now(s).city_level.eq("三线城市")).sum()),
    # "outliers" left out, and then said which
    ("教师的人均资产，要剔除异常值——总资产300万及以上的先去掉", "avg:total_assets",
     lambda s, db: _now(s)[_now(s).occupation.eq("教师") & _now(s).total_assets.lt(3_000_000)].total_assets.mean()),
    # a threshold left out by words said after it (was applied as the filter: a wrong figure)
    ("律师的平均月收入，年龄50岁以上的不算", "avg:monthly_income",
     lambda s, db: _now(s)[_now(s).occupation.eq("律师") & _now(s).age.lt(50)].monthly_income.mean()),
    ("已婚客户的平均存款，资产200万以上的除外", "avg:deposit_balance",
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚") & _now(s).total_assets.lt(2_000_000)].deposit_balance.mean()),
    # two populations set against each other, who both are said after the question
    ("持有保险的客户比没持有保险的客户平均月收入高多少？只看三线城市", "difference",
     lambda s, db: (lambda t: t[t.insurance_flag.eq(1)].monthly_income.mean() - t[t.insurance_flag.eq(0)].monthly_income.mean())(
         _now(s)[_now(s).city_level.eq("三线城市")])),
])
def test_concepts_from_authors_bi_and_bj_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_a_column_named_then_limited_to_a_value_filters_a_customer_list(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("存款余额最高的3位客户，职业限定医生", Context())   # was the 医生 group's total
    ids = [f["group"].get("customer_id") for f in answer.provenance.get("facts") or []]
    assert ids == list(s[s.occupation.eq("医生")].nlargest(3, "deposit_balance").customer_id), answer.text


def test_going_back_a_month_in_a_follow_up_is_the_month_before_the_one_asked(assistant, default_db):
    context = Context()
    assistant.ask("上个月女客户的活跃率", context)
    answer = assistant.ask("再往前推一个月呢？", context)   # 再前一个月 was the 基准月 alone
    month = str(pd.Period(read(default_db, "SELECT MAX(stat_month) AS m FROM customer_behavior_assets").m[0], "M") - 2)
    rows = _month_rows(default_db, month).merge(read(default_db, "SELECT customer_id, gender FROM customer_base"))
    assert [f["value"] for f in answer.provenance["facts"]] == pytest.approx(
        [rows[rows.gender.eq("女")].app_login_count.ge(1).mean()]), answer.text


@pytest.mark.parametrize("question", ["长尾客户有多少位", "优质客户有多少"])
def test_a_name_of_customers_not_defined_is_not_answered_as_everyone(assistant, question):
    answer = assistant.ask(question, Context())   # was the count of all customers
    assert not answer.provenance.get("facts") and "没有完全理解" in answer.text, answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # a trainee's internet slang around a plain question
    ("家人们，三线城市的离异客户有几个？速速", "customers",
     lambda s, db: (_now(s).city_level.eq("三线城市") & _now(s).marriage_status.eq("离异")).sum()),
    ("律师的平均月收入是多少？不能说不高吧", "avg:monthly_income", lambda s, db: _now(s)[_now(s).occupation.eq("律师")].monthly_income.mean()),
    # two negations over a list: all of it
    ("理财、基金两样没有一样不持有的客户有多少", "customers",
     lambda s, db: (_now(s).financial_flag.eq(1) & _now(s).fund_flag.eq(1)).sum()),
    # the verb after the channel, a value then the word for its kind
    ("手机银行登录过的男客户有几个", "customers", lambda s, db: (_now(s).app_login_count.ge(1) & _now(s).gender.eq("男")).sum()),
    ("企业高管类型的客户平均资产", "avg:total_assets", lambda s, db: _now(s)[_now(s).occupation_type.eq("企业高管")].total_assets.mean()),
    # a start said as months ago, then 到现在
    ("从两个月前到现在，北京客户的总资产增加了多少", "difference",
     lambda s, db: (lambda a, b: a[a.branch_name.str.contains("北京")].total_assets.sum()
                    - b[b.branch_name.str.contains("北京")].total_assets.sum())(*[
         _month_rows(db, str(pd.Period(s.stat_month.dropna().max(), "M") - k)).merge(
             read(db, "SELECT customer_id, branch_name FROM customer_base")) for k in (0, 2)])),
    # set notation
    ("设 P = {x | x 的性别为女}，Q = {x | x 的城市级别为一线城市}，求 card(P ∩ Q)", "customers",
     lambda s, db: (_now(s).gender.eq("女") & _now(s).city_level.eq("一线城市")).sum()),
    ("card({持有理财} ∖ {持有基金}) 是多少", "customers", lambda s, db: (_now(s).financial_flag.eq(1) & _now(s).fund_flag.eq(0)).sum()),
    ("card(北京 ∩ 高净值) / card(北京)", "share",
     lambda s, db: _now(s)[_now(s).branch_name.str.contains("北京")].customer_tier.eq("高净值").mean()),
    ("¬{婚姻状况 = 已婚} 的客户平均年龄", "avg:age", lambda s, db: _now(s)[_now(s).marriage_status.ne("已婚")].age.mean()),
    ("argmin_{c ∈ 职业类型} 平均资产(c) 是哪个", "avg:total_assets",
     lambda s, db: _now(s).groupby("occupation_type").total_assets.mean().min()),
    # a message in numbered points
    ("两个条件：\n1. 范围：深圳的客户\n2. 指标：保险余额合计", "sum:insurance_balance",
     lambda s, db: _now(s)[_now(s).branch_name.str.contains("深圳")].insurance_balance.sum()),
    ("一是只看三线城市，二是只要女性，三是人均存款", "avg:deposit_balance",
     lambda s, db: _now(s)[_now(s).city_level.eq("三线城市") & _now(s).gender.eq("女")].deposit_balance.mean()),
    ("①离异 ②保险持有率", "share", lambda s, db: _now(s)[_now(s).marriage_status.eq("离异")].insurance_flag.eq(1).mean()),
])
def test_concepts_from_authors_bk_and_bl_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_an_example_of_the_groups_in_brackets_is_no_filter(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("职业类型和性别交叉，每个组合（例如传统行业的男客户）各多少人", Context())   # was one group
    got = {tuple(f["group"].values()): f["value"] for f in answer.provenance["facts"] if f["measure"] == "customers"}
    assert got == s.groupby(["occupation_type", "gender"]).size().to_dict(), answer.text


@pytest.mark.parametrize("question, who", [
    # the column's word then its value, then a ranking by another figure (was grouped by 婚姻状况, 离异 lost)
    ("潜力客户，婚姻状况离异，按总资产从高到低给我前3位", lambda s: s.customer_tier.eq("潜力") & s.marriage_status.eq("离异")),
    # two values, then the word for their kind, then customers ranked (was grouped by 职业类型)
    ("教师和律师这两种职业里，存款最多的前3位客户是哪些", lambda s: s.occupation.isin(["教师", "律师"])),
])
def test_customers_ranked_within_values_named_are_a_list_of_them(assistant, default_db, question, who):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask(question, Context())
    ids = [f["group"].get("customer_id") for f in answer.provenance.get("facts") or []]
    column = "total_assets" if "总资产" in question else "deposit_balance"
    assert ids == list(s[who(s)].nlargest(3, column).customer_id), answer.text


def test_values_listed_after_their_column_are_all_groups(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("婚姻状况已婚、未婚、离异的客户各有多少", Context())   # 已婚 was dropped
    got = {f["group"]["marriage_status"]: f["value"] for f in answer.provenance["facts"] if f["measure"] == "customers"}
    assert got == s.marriage_status.value_counts().to_dict(), answer.text


@pytest.mark.parametrize("question, measure, expected", [
    # a user story: the role (and its 本支行), the purpose, the acceptance criteria, the expected output
    ("作为广州天河支行行长，我想知道本支行离异男客户有多少位，以便安排回访。验收标准：只统计离异、男性。期望输出：一个客户数。", "customers",
     lambda s, db: (_now(s).branch_name.eq("广州天河支行") & _now(s).marriage_status.eq("离异") & _now(s).gender.eq("男")).sum()),
    ("作为基金产品经理，我需要已婚客户的基金持有率，以便做推广。期望输出：一个百分比。", "share",   # 产品经理 is no filter here
     lambda s, db: _now(s)[_now(s).marriage_status.eq("已婚")].fund_flag.eq(1).mean()),
    # either-or, and a figure set against a bound
    ("是深圳的客户多，还是广州的客户多？", "customers",
     lambda s, db: max(_now(s).branch_name.str.contains(c).sum() for c in ("深圳", "广州"))),
    ("律师的平均月收入是高于3万还是低于3万？", "avg:monthly_income", lambda s, db: _now(s)[_now(s).occupation.eq("律师")].monthly_income.mean()),
    # a definition after the question, as the glossary has it
    ("杭州西湖支行有多少临界客户？临界指总资产80万到100万（不含100万）", "customers",
     lambda s, db: (_now(s).branch_name.eq("杭州西湖支行") & _now(s).customer_tier.eq("临界")).sum()),
    # two populations counted each
    ("持有保险的客户和持有存款的客户各有多少", "customers", lambda s, db: _now(s).insurance_flag.eq(1).sum()),
    # a headline's words, a value then the word for its kind
    ("揭秘：三线城市的高净值客户竟然有多少位？", "customers",
     lambda s, db: (_now(s).city_level.eq("三线城市") & _now(s).customer_tier.eq("高净值")).sum()),
    ("私营业主这一职业类型里，已婚的占多大比例", "share", lambda s, db: _now(s)[_now(s).occupation_type.eq("私营业主")].marriage_status.eq("已婚").mean()),
    # a month's tier with its bounds in brackets, 之间 included
    ("2026年4月还是潜力客户（总资产50万到80万之间），到基准月已经升为临界的有多少人", "customers",
     lambda s, db: len(_tier_in(db, "2026-04", 500_000, 800_000) & _tier_in(
         db, str(pd.Period(s.stat_month.dropna().max(), "M")), 800_000, 1_000_000))),
])
def test_concepts_from_authors_bm_and_bn_answer_new_phrasings(assistant, default_db, question, measure, expected):
    _first_fact_is(assistant, default_db, question, measure, expected)


def test_each_ones_value_after_a_ranking_of_customers_is_a_list(assistant, default_db):
    s = _now(read(default_db, "SELECT * FROM customer_snapshot"))
    answer = assistant.ask("医生里总资产最高的4位，各有多少资产？", Context())   # was grouped by 资产等级
    ids = [f["group"].get("customer_id") for f in answer.provenance.get("facts") or []]
    assert ids == list(s[s.occupation.eq("医生")].nlargest(4, "total_assets").customer_id), answer.text
