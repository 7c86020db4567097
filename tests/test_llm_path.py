"""The LLM path, end to end, with LangChain's scripted fake chat model (no network).

The fake plays the model's part only: routing by structured output, writing
SQL, calling tools. Everything else — router, guard, SQL agent, create_agent,
tools, models — is the real code.
"""
from typing import ClassVar

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage

from agents.assistant import Assistant
from agents.planner import Context
from tests.conftest import file_hash, read


class ScriptedModel(FakeMessagesListChatModel):
    """The fake answers in order; bind_tools keeps it (tools are real, the model is scripted)."""

    def bind_tools(self, tools, **kwargs):
        return self


def route(name, customer_id=None, also=()):
    return AIMessage("", tool_calls=[{"name": "RouteDecision", "id": "r1",
                                      "args": {"route": name, "customer_id": customer_id,
                                               "reason": "脚本", "also": list(also)}}])


def sql(text):
    return AIMessage(f"```sql\n{text}\n```")


def typed(**spec):
    return AIMessage("", tool_calls=[{"name": "TypedQuerySpec", "id": "t1", "args": spec}])


#: The model gives no typed query (no tool call): the guarded free-SQL agent answers instead.
NO_TYPED_QUERY = AIMessage("这个问题无法用类型化查询表达。")


def call(tool, **args):
    return AIMessage("", tool_calls=[{"name": tool, "args": args, "id": f"c-{tool}"}])


@pytest.fixture()
def make(default_db, trained_artifacts):
    def build(*responses):
        model = ScriptedModel(responses=list(responses))
        return Assistant(default_db, trained_artifacts, model, provider="fake")
    return build


def test_routing_by_structured_output_then_sql_generation(make, default_db):
    a = make(route("sql"), NO_TYPED_QUERY, sql("SELECT COUNT(*) AS n FROM customer_base"),
             AIMessage("我行共有 10,000 位客户。")).ask("我行有多少客户")
    assert a.route == "sql" and a.ok and a.provenance["planner"] == "llm" and a.provenance["sql_path"] == "free_sql"
    assert a.sql == ["SELECT COUNT(*) AS n FROM customer_base"]
    assert a.tables[0].to_frame()["n"][0] == read(default_db, "SELECT COUNT(*) n FROM customer_base")["n"][0]
    assert a.text == "我行共有 10,000 位客户。"


def test_the_sql_agent_repairs_a_failing_statement(make):
    a = make(route("sql"), NO_TYPED_QUERY, sql("SELECT COUNT(*) AS n FROM customers"),          # no such table
             sql("SELECT COUNT(*) AS n FROM customer_base"), AIMessage("共 10,000 位。")).ask("有多少客户")
    assert a.ok and a.tool_calls[0]["args"]["attempts"] == 2
    assert a.sql == ["SELECT COUNT(*) AS n FROM customer_base"]


def test_hostile_sql_from_the_model_never_runs_and_the_offline_path_answers(make, default_db):
    before = file_hash(default_db)
    a = make(route("sql"), NO_TYPED_QUERY, sql("DELETE FROM customer_base"), sql("SELECT 1; DROP TABLE customer_base"),
             sql(f"ATTACH DATABASE '{default_db}.x' AS x")).ask("我行目前有多少客户？")
    assert a.ok and a.provenance["planner"] == "offline" and "10,000" in a.text
    assert file_hash(default_db) == before
    assert not (default_db.parent / f"{default_db.name}.x").exists()


def test_a_specialist_agent_calls_the_model_tool(make):
    a = make(route("prediction", "CUST000172"), call("customer_probability", customer_id="CUST000172"),
             AIMessage("CUST000172 升至100万+的概率很低，主要因为近期没有产品对比。")).ask(
        "客户CUST000172成为高价值客户的概率是多少？")
    assert a.route == "prediction" and a.ok
    assert a.tool_calls == [{"tool": "customer_probability", "args": {"customer_id": "CUST000172"}}]
    assert "影响" in a.tables[0].columns and a.charts
    assert a.text.startswith("CUST000172 升至100万+的概率很低")


def test_a_question_needing_two_specialists_gets_both(make):
    a = make(route("prediction", "CUST000172", also=["forecast"]),
             call("customer_probability", customer_id="CUST000172"), AIMessage("概率很低。"),
             call("customer_forecast", customer_id="CUST000172", months=6), AIMessage("资产基本平稳。")).ask(
        "CUST000172成为高价值客户的概率和资产趋势")
    assert [c["tool"] for c in a.tool_calls] == ["customer_probability", "customer_forecast"]
    assert "概率很低。" in a.text and "资产基本平稳。" in a.text and len(a.charts) == 2


def test_an_unknown_customer_from_a_tool_gives_a_clear_message(make):
    a = make(route("prediction", "CUST999999"), call("customer_probability", customer_id="CUST999999"),
             AIMessage("没有找到这位客户。")).ask("CUST999999的概率")
    assert "找不到客户 CUST999999" in a.text and not a.tables


def test_follow_ups_keep_the_customer_on_the_llm_path(make):
    assistant = make(route("prediction", "CUST000172"), call("customer_probability", customer_id="CUST000172"),
                     AIMessage("概率很低。"), route("forecast"),
                     call("customer_forecast", customer_id="CUST000172"), AIMessage("平稳。"))
    context = Context()
    assistant.ask("CUST000172成为高价值客户的概率", context)
    a = assistant.ask("那他的资产趋势呢？", context)
    assert a.route == "forecast" and context.customer_id == "CUST000172"


def test_a_failing_model_falls_back_to_offline_and_says_so(default_db, trained_artifacts):
    class Broken(ScriptedModel):
        def _generate(self, *args, **kwargs):
            raise ConnectionError("endpoint unreachable")
    assistant = Assistant(default_db, trained_artifacts, Broken(responses=[]), provider="openai")
    a = assistant.ask("我行目前有多少客户？")
    assert a.ok and "10,000" in a.text and "离线" in a.provenance["notice"]
    assert assistant.notice is None   # the notice is about that answer; the next question tries again


def test_a_missing_key_falls_back_to_offline_with_a_message(monkeypatch, default_db, trained_artifacts):
    from config import settings
    monkeypatch.setenv("BANK_LLM", "dashscope")
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    monkeypatch.setenv("BANK_DB", str(default_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(trained_artifacts))
    assistant = Assistant.from_settings(settings())
    a = assistant.ask("我行目前有多少客户？")
    assert assistant.llm is None and "DASHSCOPE_API_KEY" in a.provenance["notice"] and a.ok


def test_no_data_rows_go_into_the_sql_prompt(default_db):
    from agents.prompts import sql_system_prompt
    from db.database import open_database
    prompt = sql_system_prompt(open_database(default_db))
    names = read(default_db, "SELECT name FROM customer_base LIMIT 50")["name"]
    assert "customer_snapshot" in prompt and "高净值" in prompt
    assert not any(name in prompt for name in names if len(name) >= 3)


def test_the_llm_fills_the_typed_query_and_the_semantic_layer_answers(make, default_db):
    a = make(route("sql"), typed(measures=[{"kind": "avg", "column": "total_assets"}],
                                 filters=[{"column": "city", "op": "=", "values": ["广州"]},
                                          {"column": "marriage_status", "op": "=", "values": ["已婚"]}])).ask(
        "广州已婚客户的平均资产")
    snap = read(default_db, "SELECT branch_name, marriage_status, total_assets FROM customer_snapshot")
    want = snap[snap.branch_name.str.contains("广州") & (snap.marriage_status == "已婚")].total_assets.mean()
    assert a.ok and a.provenance["sql_path"] == "typed_query"
    assert a.provenance["facts"][0]["value"] == pytest.approx(want)
    assert a.understood["filters"] == "广州、已婚" and "口径" in a.text


def test_the_llm_can_say_opening_dates_and_member_counts_in_the_typed_query(make, default_db):
    a = make(route("sql"), typed(measures=[{"kind": "count"}, {"kind": "distinct", "column": "branch_name"}],
                                 filters=[{"column": "open_account_date", "op": "<", "values": ["2019-01-01"]},
                                          {"column": "city_level", "op": "=", "values": ["二线城市"]}])).ask(
        "2019年以前开户的二线城市客户有多少，分布在几个网点")
    snap = read(default_db, "SELECT branch_name, city_level, open_account_date FROM customer_snapshot")
    mine = snap[(snap.open_account_date < "2019-01-01") & (snap.city_level == "二线城市")]
    assert a.provenance["sql_path"] == "typed_query"
    assert [f["value"] for f in a.provenance["facts"]] == [len(mine), mine.branch_name.nunique()]


def test_the_llm_can_say_a_quotient_of_two_sums_grouped_by_holding_a_product(make, default_db):
    a = make(route("sql"), typed(measures=[{"kind": "per", "column": "monthly_transaction_amount",
                                            "per": "monthly_transaction_count"}], group_by=["fund_flag"])).ask(
        "持有和未持有基金的客户，笔均交易金额各是多少")
    snap = read(default_db, "SELECT fund_flag, monthly_transaction_amount a, monthly_transaction_count n "
                            "FROM customer_snapshot WHERE in_asof = 1")
    held = snap[snap.fund_flag == 1]
    facts = {f["group"]["fund_flag"]: f["value"] for f in a.provenance["facts"]}
    assert a.provenance["sql_path"] == "typed_query"
    assert facts["持有基金"] == pytest.approx(held.a.sum() / held.n.sum()), a.text


def test_the_llm_can_say_a_customers_own_change_and_groups_kept_by_their_figure(make, default_db):
    a = make(route("sql"), typed(measures=[{"kind": "count"}], group_by=["city_level"],
                                 moved=[{"column": "total_assets", "month": "2026-07", "direction": "down"}],
                                 having={"measure": 0, "op": ">", "value": 1500})).ask(
        "总资产比三个月前下降的客户超过1500人的城市等级")
    now = read(default_db, "SELECT s.customer_id, s.city_level, s.total_assets FROM customer_snapshot s WHERE in_asof = 1")
    old = read(default_db, "SELECT customer_id, total_assets AS old FROM customer_behavior_assets WHERE stat_month = '2026-07'")
    fell = now.merge(old, on="customer_id").query("total_assets < old").groupby("city_level").size()
    got = {f["group"]["city_level"]: f["value"] for f in a.provenance["facts"]}
    assert a.provenance["sql_path"] == "typed_query"
    assert got == {k: float(v) for k, v in fell[fell > 1500].items()}, a.text


def test_the_llm_can_say_a_cohort_read_from_another_months_rows(make, default_db):
    a = make(route("sql"), typed(measures=[{"kind": "count"}],
                                 filters=[{"column": "customer_tier", "values": ["高净值"], "month": "2026-07"},
                                          {"column": "customer_tier", "op": "!=", "values": ["高净值"]}])).ask(
        "7月份还是高净值、现在掉下来的客户有几个")
    now = read(default_db, "SELECT customer_id, total_assets FROM customer_snapshot WHERE in_asof = 1")
    then = read(default_db, "SELECT customer_id FROM customer_behavior_assets "
                            "WHERE stat_month = '2026-07' AND total_assets >= 1000000")
    fell = now[now.customer_id.isin(then.customer_id) & (now.total_assets < 1000000)]
    assert a.provenance["sql_path"] == "typed_query" and len(fell) > 0
    assert a.provenance["facts"][0]["value"] == len(fell), a.text


def test_a_cohort_month_the_data_lacks_is_answered_honestly(make):
    a = make(route("sql"), typed(measures=[{"kind": "count"}],
                                 filters=[{"column": "customer_tier", "values": ["高净值"], "month": "2019-01"}])).ask(
        "2019年1月时是高净值的客户有几个")
    assert not a.provenance.get("facts") and "2019-01" in a.text


def test_the_llm_can_say_a_median_by_group(make, default_db):
    a = make(route("sql"), typed(measures=[{"kind": "median", "column": "total_assets"}], group_by=["city_level"])).ask(
        "各城市等级总资产的中位数")
    snap = read(default_db, "SELECT city_level, total_assets FROM customer_snapshot WHERE in_asof = 1")
    got = {f["group"]["city_level"]: f["value"] for f in a.provenance["facts"]}
    assert a.provenance["sql_path"] == "typed_query"
    assert got == pytest.approx(snap.groupby("city_level").total_assets.median().to_dict()), a.text


def test_a_typed_query_naming_a_value_the_data_lacks_is_answered_honestly(make):
    a = make(route("sql"), typed(measures=[{"kind": "count"}],
                                 filters=[{"column": "city_level", "op": "=", "values": ["八线城市"]}])).ask(
        "八线城市有多少客户")
    assert not a.provenance.get("facts") and "八线城市" in a.text and a.understood["status"] == "unavailable"


def test_the_model_saying_the_data_lacks_a_field_gives_no_figure(make):
    a = make(route("sql"), typed(measures=[{"kind": "sum", "column": "total_assets"}],
                                 not_expressible="数据中没有房贷余额")).ask("房贷余额合计多少")
    assert not a.provenance.get("facts") and "房贷余额" in a.text


class RecordingModel(ScriptedModel):
    """Also keeps the text of every request the product sends to the model."""
    requests: ClassVar[list[str]] = []

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        RecordingModel.requests.append("\n".join(str(m.content) for m in messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


@pytest.mark.parametrize("level", ["schema", "aggregates", "rows"])
def test_what_reaches_a_remote_model_is_what_the_data_level_allows(default_db, trained_artifacts, level):
    RecordingModel.requests.clear()
    listing = "SELECT customer_id, total_assets FROM customer_snapshot ORDER BY total_assets DESC LIMIT 30"
    grouped = "SELECT city_level, COUNT(*) AS n FROM customer_snapshot GROUP BY city_level"

    def ask(*responses, question):
        model = RecordingModel(responses=list(responses))
        return Assistant(default_db, trained_artifacts, model, provider="fake", llm_data=level).ask(question)

    rows = ask(route("sql"), NO_TYPED_QUERY, sql(listing), AIMessage("资产最高的客户见表。"), question="资产最高的30位客户")
    tool = ask(route("prediction"), call("potential_lists", top_n=20), AIMessage("名单见表。"),
               question="哪些客户容易升到100万")
    groups = ask(route("sql"), NO_TYPED_QUERY, sql(grouped), AIMessage("各城市等级客户数见表。"),
                 question="各城市等级各有多少客户")
    ids = {r[0] for t in rows.tables + tool.tables for r in t.rows if isinstance(r[0], str) and r[0].startswith("CUST")}
    assert len(ids) >= 30
    sent = "\n".join(RecordingModel.requests)
    leaked = {i for i in ids if i in sent}
    if level == "rows":
        assert leaked   # masked rows, capped, are what this level allows
    else:
        assert not leaked, sorted(leaked)[:5]
    counts = [str(r[1]) for r in groups.tables[0].rows]
    assert all(c in sent for c in counts) == (level != "schema")
    assert max(len(r) for r in RecordingModel.requests) < 40_000


def test_a_summary_stating_a_figure_the_result_lacks_is_not_shown(make, default_db):
    a = make(route("sql"), NO_TYPED_QUERY, sql("SELECT COUNT(*) AS n FROM customer_base"),
             AIMessage("我行共有 12,345 位客户，增长 8%。")).ask("我行有多少客户")
    assert "12,345" not in a.text and "8%" not in a.text and "已改为直接展示结果" in a.text
    assert a.tables[0].rows[0][0] == 10000


def test_a_campaign_list_on_the_llm_path_is_built_by_the_campaign_tool(make):
    a = make(route("marketing"), call("campaign_list", goal="retain", size=20, branch="天河"),
             AIMessage("已生成天河支行挽留名单 20 位。")).ask("天河支行的挽留名单")
    assert a.route == "marketing" and a.ok
    assert [c["tool"] for c in a.tool_calls] == ["campaign_list"]
    table = a.tables[0].to_frame()
    assert len(table) == 20 and set(table["网点"]) == {"广州天河支行"}
    assert table["姓名"].str.contains(r"\*").all()   # names stay masked on the model path too
