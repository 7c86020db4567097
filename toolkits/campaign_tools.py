"""精准营销 as tool functions returning ToolResult: a campaign list, the lists' backtested conversion, alerts.

Like toolkits.model_tools they never raise into the agent: a missing model or a list that cannot be
built becomes a failure saying what to do. Names in a list are masked here; the assistant unmasks
them only for users with the PII role (agents.assistant), and exports are audited by the UI.
"""
from __future__ import annotations

import pandas as pd

from db.personal import display_names
from models.campaign import CampaignError, CampaignList, Policy
from models.service import ModelService
from toolkits.formatting import count, pct
from toolkits.model_tools import EXPECTED_ERRORS, _model, _safe
from toolkits.results import ChartSpec, TableData, ToolResult

#: Chinese headers of a list (chat table, CSV and Excel alike).
LIST_COLUMNS = {"rank": "序号", "customer_id": "客户号", "name": "姓名", "branch_name": "网点", "age": "年龄",
                "total_assets": "总资产(万元)", "score": "分数", "reason": "入选原因", "product": "建议产品",
                "channel": "建议渠道", "channel_reason": "渠道依据", "segment": "客群", "eligible": "可联系依据"}
GOAL_WORDS = {"upgrade": "升级到100万+", "cross_sell": "交叉销售", "retain": "挽留"}


def list_frame(result: CampaignList, db_path, unmasked: bool = False) -> pd.DataFrame:
    """The list as staff read it: Chinese headers, names masked unless `unmasked`, why each may be contacted."""
    rows = result.rows.copy()
    names = display_names(db_path, rows["customer_id"], unmasked=unmasked)
    rows["name"] = rows["customer_id"].map(names)
    rows["eligible"] = "未在冷静期，近期未联系/未拒绝" + ("，符合适当性" if result.product else "")
    rows["score"] = rows["score"].round(3)
    rows["total_assets"] = (rows["total_assets"] / 1e4).round(2)
    keep = [c for c in LIST_COLUMNS if c in rows]
    return rows[keep].rename(columns=LIST_COLUMNS)


def summary(result: CampaignList) -> str:
    what = GOAL_WORDS[result.goal.key] + (f"（{result.product}）" if result.product else "")
    excluded = "；".join(f"{label} {count(n)} 位" for label, n in result.excluded.items() if n) or "无"
    mix = "、".join(f"{c} {count(n)} 位" for c, n in result.channel_mix.items())
    return (f"基准月 {result.as_of_month}，{result.population}，目标：{what}。候选 {count(result.candidates)} 位，"
            f"排除 {count(result.candidates - result.eligible)} 位（{excluded}），可联系 {count(result.eligible)} 位"
            + (f"，其中建议渠道为{result.channel}的 {count(result.on_channel)} 位" if result.channel else "") + "；"
            f"名单取前 {count(len(result.rows))} 位，按{result.goal.score}排序。"
            + (f"建议渠道：{mix}（按规则选择：数据只记录联系结果，不记录渠道）。" if mix else ""))


@_safe
def campaign_list(service: ModelService, goal: str, size: int = 100, product: str | None = None,
                  where: str = "1", population: str = "全部客户", policy: Policy = Policy(),
                  channel: str | None = None) -> ToolResult:
    """A campaign list for a goal and population, with exclusions by rule and a channel per customer."""
    try:
        result = service.campaign(goal, size, product, where, population, policy, channel)
    except CampaignError as exc:
        return ToolResult.failure(str(exc))
    return list_result(service, result)


def list_result(service: ModelService, result: CampaignList, unmasked: bool = False) -> ToolResult:
    """A built list as an answer: the summary with its rules and expected conversion, the list, the exclusions
    by rule and the channel mix."""
    provenance = {"model": _model(result.model), "goal": result.goal.key, "size": len(result.rows),
                  "facts": [{"label": label, "value": n} for label, n in result.excluded.items()]}
    if result.rows.empty:
        return ToolResult(True, summary(result) + "没有可联系的客户。", provenance=provenance)
    frame = list_frame(result, service.db_path, unmasked)
    excluded = pd.DataFrame({"原因": list(result.excluded), "排除客户数": list(result.excluded.values())})
    rules = "；".join(r.description for r in result.rules)
    mix = pd.DataFrame({"渠道": list(result.channel_mix), "客户数": list(result.channel_mix.values())})
    return ToolResult(True, summary(result) + f"规则：{rules}。" + _expected(service, result.goal.key),
                      [TableData.from_frame(f"{GOAL_WORDS[result.goal.key]}名单", frame),
                       TableData.from_frame("按规则排除", excluded)],
                      [ChartSpec("bar", "建议渠道", "渠道", ["客户数"], TableData.from_frame("建议渠道", mix))],
                      provenance=provenance)


def _expected(service: ModelService, goal: str) -> str:
    """The backtest's figure for this goal, as the list's expected conversion."""
    try:
        card = service.campaign_backtests()["card"]
    except EXPECTED_ERRORS:
        return ""
    m = card["metrics"].get(goal)
    if not m:
        return "历史数据中几乎没有新增持有，交叉销售名单无法回测，转化率无从估计。"
    return (f"回测（{m['months'][0]} 至 {m['months'][-1]} 的 {len(m['months'])} 份名单）：模型名单平均"
            f"{'转化' if goal == 'upgrade' else '命中'} {pct(m['model'])}，随机名单 {pct(m['random'])}，"
            f"经验规则名单 {pct(m['rule'])}。")


@_safe
def conversion(service: ModelService) -> ToolResult:
    """Backtested conversion of the monthly lists against a random and a rule-of-thumb list."""
    b = service.campaign_backtests()
    frames = []
    for goal, frame in b["backtests"].items():
        frames.append(frame.assign(goal=GOAL_WORDS[goal]))
    table = pd.concat(frames, ignore_index=True)[["goal", "month", "candidates", "listed", "model", "random", "rule"]]
    labels = {"goal": "名单", "month": "名单月", "candidates": "候选客户", "listed": "名单人数",
              "model": "模型名单", "random": "随机名单", "rule": "经验规则名单"}
    up, keep = b["backtests"]["upgrade"].iloc[-1], b["backtests"]["retain"].iloc[-1]
    take_up = "、".join(f"{p} {pct(v)}" for p, v in b["take_up"].items())
    text = (f"最近一份可检验的名单（{up['month']}，其后 3 个月的数据已到）：升级名单 {count(up['listed'])} 位中 "
            f"{pct(up['model'])} 在 3 个月内达到100万+（随机名单 {pct(up['random'])}，按总资产挑选 {pct(up['rule'])}）；"
            f"挽留名单命中流失 {pct(keep['model'])}（随机 {pct(keep['random'])}，按近3月降幅 {pct(keep['rule'])}）。"
            f"交叉销售：3 个月内新增持有的比例 {take_up}，太少，无法回测。"
            "说明：数据没有记录实际联系与否，回测衡量的是名单找得准不准，而不是联系带来的增量。")
    chart_frame = b["backtests"]["upgrade"][["month", "model", "random", "rule"]].rename(columns=labels)
    chart = ChartSpec("line", "升级名单转化率（回测）", "名单月", ["模型名单", "随机名单", "经验规则名单"],
                      TableData.from_frame("升级名单转化率", chart_frame), x_label="名单月", y_label="转化率")
    return ToolResult(True, text, [TableData.from_frame("名单回测", table, labels)], [chart],
                      provenance={"model": _model(b["model"]),
                                  "facts": [{"label": "升级名单转化率", "value": float(up["model"])},
                                            {"label": "挽留名单命中率", "value": float(keep["model"])}]})


@_safe
def alert_list(service: ModelService, min_lift: float, churn_rise: float) -> ToolResult:
    """What needs attention: lists converting too little, more 高净值 customers flagged by the churn model."""
    found = service.alerts(min_lift, churn_rise)
    if not found:
        return ToolResult(True, f"目前没有需要关注的预警（名单转化率不低于随机名单的 {min_lift:.1f} 倍；"
                                f"被流失模型标记的高净值客户未增加 {churn_rise:.0%} 以上）。")
    text = "需要关注的预警：" + "".join(f"\n- {a['text']}" for a in found)
    return ToolResult(True, text, [TableData.from_frame("预警", pd.DataFrame(
        {"类型": ["转化率" if a["kind"] == "conversion" else "流失" for a in found],
         "说明": [a["text"] for a in found]}))], provenance={"alerts": found})
