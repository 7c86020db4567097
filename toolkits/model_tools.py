"""The specialist capabilities over the trained models, as functions returning ToolResult.

Each function takes a ModelService and plain arguments, and never raises: an
unknown customer or a missing model becomes `ToolResult.failure` with a
Chinese message saying what to do. `langchain_tools` wraps them for agents.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from db.readonly import DatabaseUnavailableError
from db.semantic import Filter, filter_clauses, filter_labels
from models.high_value import MODEL_TITLES
from models.outlook import reconcile
from models.reasons import say
from models.registry import ArtifactError
from models.service import ModelService, UnknownCustomerError
from toolkits.formatting import count, money, pct
from toolkits.results import ChartSpec, TableData, ToolResult

EXPECTED_ERRORS = (UnknownCustomerError, ArtifactError, DatabaseUnavailableError)


STALE_NOTICE = ("注意：所用模型是在另一份数据上训练的（与当前数据库的数据指纹不一致），以下结果可能不准；"
                "请运行 make models（或 python -m models.train）重新训练。")


def _safe(fn):
    """Expected errors become a failure the user can act on; a model trained on other data says so
    first thing in the answer (after an import, before retraining)."""
    def wrapper(*args, **kwargs) -> ToolResult:
        try:
            result = fn(*args, **kwargs)
        except EXPECTED_ERRORS as exc:
            return ToolResult.failure(str(exc))
        return _noticed(result)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _noticed(result: ToolResult) -> ToolResult:
    if result.ok and result.provenance.get("stale") and not result.text.startswith(STALE_NOTICE):
        result.text = f"{STALE_NOTICE}\n{result.text}"
    return result


def _run(fn, *args):
    """(value, None), or (None, the failure to show) for an expected error."""
    try:
        return fn(*args), None
    except EXPECTED_ERRORS as exc:
        return None, ToolResult.failure(str(exc))


def _model(info: dict) -> dict:
    return {"model": f"{info['title']} v{info['version']}", "trained_at": info["trained_at"],
            "as_of_month": info["as_of_month"], "stale": info["stale"]}


@_safe
def customer_probability(service: ModelService, customer_id: str) -> ToolResult:
    """高价值概率 of one customer with the SHAP reasons behind it."""
    return _probability_result(customer_id, service.predict_customer(customer_id))


def _probability_result(customer_id: str, r: dict) -> ToolResult:
    c = r["contributions"].head(10)
    table = TableData.from_frame("主要影响因素（正值推高概率，负值拉低）", c[["label", "value", "contribution"]],
                                 {"label": "因素", "value": "取值", "contribution": "影响"})
    up, down = _factors(r)
    if not r["eligible"]:
        head = (f"客户 {customer_id} 基准月总资产已达 {money(r['total_assets'])}（≥100万，已是高净值），"
                "“3个月内升至100万+”对其不适用；以下是模型给出的分数和因素，仅供参考。")
    else:
        level = "较高" if r["probability"] >= r["threshold"] else "较低"
        head = (f"客户 {customer_id} 在未来3个月内资产升至100万+的概率为 {pct(r['probability'])}"
                f"（{level}；模型阈值 {pct(r['threshold'])}），当前总资产 {money(r['total_assets'])}。")
    text = head + (f"推高概率的主要因素：{'、'.join(up)}。" if up else "") + \
        (f"拉低概率的主要因素：{'、'.join(down)}。" if down else "")
    chart = ChartSpec("barh", f"{customer_id} 的主要影响因素（向右推高概率，向左拉低）", "因素", ["影响"], table,
                      x_label="对概率的影响", y_label="因素")
    return ToolResult(True, text, [table], [chart], provenance={
        **_model(r["model"]), "customer_id": customer_id, "probability": r["probability"],
        "facts": [{"group": {"customer_id": customer_id}, "measure": "probability",
                   "label": "3个月内升至100万+的概率", "value": r["probability"]}],
        "definitions": ["高价值客户：基准月总资产<100万，3个月后≥100万；概率为 LightGBM 的预测，"
                        "因素的影响为 TreeSHAP 值（对数几率）"]})


def _factors(r: dict) -> tuple[list[str], list[str]]:
    """The three main factors raising and lowering a customer's probability, in words with the customer's
    values; 总资产 and its log are one factor."""
    c = r["contributions"].head(10)
    said = lambda rows: list(dict.fromkeys(  # noqa: E731
        say("total_assets" if f == "log_total_assets" else f, r["total_assets"] if f == "log_total_assets" else v)
        for f, v in rows))[:3]
    return (said((row.feature, row.value) for row in c.itertuples() if row.contribution > 0),
            said((row.feature, row.value) for row in c.itertuples() if row.contribution < 0))


def customer_views(service: ModelService, customer_id: str, months: int = 6) -> tuple[ToolResult, ToolResult, ToolResult]:
    """客户360's asset forecast, high-value probability, and the two read together (do they agree, and if not,
    why) — each model run once for the three."""
    months = _forecast_months(months)
    r, no_probability = _run(service.predict_customer, customer_id)
    f, no_forecast = _run(service.forecast_customer, customer_id, months)
    forecast = no_forecast or _noticed(_forecast_result(customer_id, f, months))
    probability = no_probability or _noticed(_probability_result(customer_id, r))
    if no_probability or no_forecast:
        return forecast, probability, no_probability or no_forecast
    o = reconcile(r, f["forecast"].mean, f["forecast"].upper, *_factors(r))
    return forecast, probability, ToolResult(True, o.text, provenance={
        **_model(r["model"]), "customer_id": customer_id, "outlook": o.kind, "agree": o.agree})


@_safe
def value_drivers(service: ModelService, top_n: int = 10) -> ToolResult:
    """Which factors matter most for reaching 100万+ (global mean |SHAP|), and how the models compare."""
    loaded = service.artifact("high_value")
    model, card = loaded.model["model"], loaded.card
    f = model.insights_["features"].sort_values("shap_mean_abs", ascending=False).head(top_n)
    f = f.assign(direction=np.where(f["shap_direction"] > 0, "越高越容易", np.where(f["shap_direction"] < 0, "越低越容易", "不一")))
    table = TableData.from_frame("影响因素排名（平均 |SHAP|）", f[["label", "shap_mean_abs", "direction", "lgbm_gain"]],
                                 {"label": "因素", "shap_mean_abs": "平均|SHAP|", "direction": "方向", "lgbm_gain": "LightGBM增益"})
    m = card["metrics"]
    metrics = TableData("模型对比（时间外留出集）", ["模型", "AUC", "PR-AUC", "精确率", "召回率", "前10%提升度"],
                        [[MODEL_TITLES[k], v["auc"], v["pr_auc"], v["precision"], v["recall"], v["top_decile_lift"]]
                         for k, v in m.items()])
    top3 = "、".join(f"{r.label}（{r.direction}）" for r in f.head(3).itertuples())
    text = (f"影响客户在3个月内升至100万+的最重要因素是：{top3}。LightGBM 在时间外留出月的 AUC 为 "
            f"{m['lightgbm']['auc']:.3f}，只按当前总资产排序的基线为 {m['baseline']['auc']:.3f}。")
    chart = ChartSpec("barh", "影响因素重要性（平均 |SHAP|）", "因素", ["平均|SHAP|"], table, x_label="平均|SHAP|")
    return ToolResult(True, text, [table, metrics], [chart], provenance={**_model(service.model_info("high_value")),
                                                                          "metrics_source": card["metrics_source"]})


@_safe
def potential_lists(service: ModelService, top_n: int = 20) -> ToolResult:
    """Customers most and least likely to reach 100万+ within 3 months, with strategies."""
    high, low = service.high_potential(top_n), service.low_potential(top_n)
    threshold = service.artifact("high_value").model["model"].thresholds_["lightgbm"]
    scores = service.artifact("high_value").model["scores"]
    likely = int((scores["probability"] >= threshold).sum())
    labels = {"customer_id": "客户号", "total_assets": "当前总资产", "probability": "3个月内升至100万+概率"}
    t_high = TableData.from_frame(f"容易提升的客户（前{top_n}）", high, labels)
    t_low = TableData.from_frame(f"不容易提升的客户（示例{top_n}位）", low, labels)
    text = (f"按模型评分，{likely:,} 位客户的概率高于阈值 {pct(threshold)}，容易在3个月内升至100万+；"
            f"{int((scores['probability'] < 0.01).sum()):,} 位低于 1%，不容易。容易提升的多为资产已在 50-100万、"
            "近期产品对比和理财浏览明显增加的客户。策略：容易提升的由客户经理1个月内一对一跟进，准备大额存单、"
            "理财与资产配置方案承接新增资金；不容易提升的以线上权益、定投培养为主，控制人工营销成本。")
    chart = ChartSpec("bar", f"升至100万+概率最高的{top_n}位客户", "客户号", ["3个月内升至100万+概率"], t_high)
    return ToolResult(True, text, [t_high, t_low], [chart], provenance={**_model(service.model_info("high_value"))})


@_safe
def segments_overview(service: ModelService) -> ToolResult:
    """The customer segments: profile and strategy of each."""
    p = service.segments_overview().sort_values("mean_assets", ascending=False)
    frame = pd.DataFrame({"客群": p["name"], "客户数": p["customers"].astype(int), "占比": p["share"],
                          "平均资产": p["mean_assets"].round(0), "平均年龄": p["mean_age"].round(1),
                          "持有产品数": p["product_count"].round(2), "策略": p["strategy"]})
    table = TableData.from_frame("客群画像与策略", frame)
    card = service.artifact("segmentation").card
    text = (f"客户可分为 {len(p)} 类（K-Means，按轮廓系数选 k）：" +
            "；".join(f"{r['客群']}（{r['客户数']:,} 位，平均资产 {money(r['平均资产'])}）" for _, r in frame.iterrows()) +
            "。每类的特征与策略见表。")
    chart = ChartSpec("pie", "各客群客户占比", "客群", ["占比"], table)
    return ToolResult(True, text, [table], [chart], provenance={**_model(service.model_info("segmentation")),
                                                                "silhouette": card["metrics"]["silhouette"]})


@_safe
def customer_segment(service: ModelService, customer_id: str) -> ToolResult:
    """Which segment one customer is in, and its strategy."""
    s = service.segment_of(customer_id)
    if s["rule"] is None:
        fit = "（客群名取自该群最突出的特征，相对全行平均而言）"
    elif s["fits"]:
        fit = f"（该客户符合客群特征：{s['rule']}）"
    else:
        fit = f"（注意：该客户与客群特征不同——客群名指{s['rule']}，该客户不满足；是按整体资产与行为最接近归入此群，策略请结合本人情况）"
    return ToolResult(True, f"客户 {customer_id} 属于“{s['segment']}”客群{fit}。策略：{s['strategy']}",
                      provenance={**_model(s["model"]), "customer_id": customer_id})


@_safe
def recommend_products(service: ModelService, customer_id: str, top_n: int = 3) -> ToolResult:
    """Products to offer one customer, from association rules, never one already held."""
    r = service.recommend(customer_id, top_n)
    recs, held = r["recommendations"], "、".join(r["held"]) or "无"
    provenance = {**_model(r["model"]), "customer_id": customer_id}
    notes = [f"不推荐{p}（{why}）" for p, why in r["unsuitable"].items()]
    if len(r["no_signal"]):
        notes.append("无明显信号：" + "、".join(r["no_signal"]["product"]) + "（与该客户情况相同的客户持有比例不高于全行，"
                     "只是常见产品，不作为推荐）")
    note = ("。" + "；".join(notes)) if notes else ""
    if recs.empty:
        if not r["unsuitable"] and not len(r["no_signal"]):
            return ToolResult(True, f"客户 {customer_id} 已持有全部四类产品（{held}），无需再推荐新产品类别，"
                                    "可关注复购与加仓。", provenance=provenance)
        considered = pd.DataFrame({"产品": list(r["unsuitable"]) + list(r["no_signal"]["product"]),
                                   "理由": list(r["unsuitable"].values()) + list(r["no_signal"]["reason"])})
        return ToolResult(True, f"客户 {customer_id} 目前持有：{held}。没有明显的产品信号，暂不建议主动推荐新产品"
                                + note + "。", [TableData.from_frame("未推荐的产品", considered)], provenance=provenance)
    table = TableData.from_frame("推荐产品", recs[["product", "score", "lift", "reason"]],
                                 {"product": "产品", "score": "同类客户持有比例", "lift": "是全行的几倍", "reason": "理由"})
    text = (f"客户 {customer_id} 目前持有：{held}。建议优先推荐" +
            "；其次".join(f"{row.product}（{row.reason}）" for row in recs.itertuples()) + note + "。")
    return ToolResult(True, text, [table], [], provenance=provenance)


@_safe
def common_combinations(service: ModelService, filters: list[Filter] | None = None, top_n: int = 10) -> ToolResult:
    """The most common product combinations, optionally within a group (e.g. 高净值)."""
    clauses, params = filter_clauses(filters or [])
    combos = service.common_combinations(" AND ".join(clauses) or "1", params, top_n)
    scope = filter_labels(filters or []) or "全部"
    if combos.empty:
        return ToolResult(True, f"没有符合条件（{scope}）的客户。")
    table = TableData.from_frame(f"{scope}客户的产品组合", combos,
                                 {"combination": "产品组合", "customers": "客户数", "share": "占比"})
    top = combos.iloc[0]
    text = (f"{scope}客户中最常见的产品组合是“{top['combination']}”，{int(top['customers']):,} 位（{pct(top['share'])}）；"
            + "其次" + "、".join(f"“{r.combination}”（{pct(r.share)}）" for r in combos.iloc[1:3].itertuples()) + "。")
    chart = ChartSpec("bar", f"{scope}客户的产品组合", "产品组合", ["客户数"], table)
    return ToolResult(True, text, [table], [chart],
                      provenance={"definitions": ["产品组合：基准月持有（余额>0）的产品集合"], "filters": scope})


@_safe
def product_rules(service: ModelService, top_n: int = 10) -> ToolResult:
    """The strongest product association rules (Apriori)."""
    rules = service.artifact("basket").model["model"].product_rules_.head(top_n)
    frame = pd.DataFrame({"规则": [f"{'+'.join(a)} → {c}" for a, c in zip(rules["antecedent"], rules["consequent"])],
                          "支持度": rules["support"], "置信度": rules["confidence"], "提升度": rules["lift"]})
    table = TableData.from_frame("产品关联规则", frame)
    top = frame.iloc[0]
    text = (f"最强的产品关联是 {top['规则']}（置信度 {pct(top['置信度'])}，提升度 {top['提升度']:.2f}）。"
            "提升度大于1表示一起持有的比例高于随机，适合交叉销售。") + _recommendation_backtest(service)
    return ToolResult(True, text, [table], [], provenance={**_model(service.model_info("basket"))})


def _recommendation_backtest(service: ModelService) -> str:
    """What the held-out months say about the recommendations, in words (and when they cannot say much)."""
    b = service.artifact("basket").card["metrics"].get("holdout_recommendation")
    if not b:
        return ""
    text = (f"回测：在最近 {b['months']} 个可验证的月份，{count(b['customers_who_took_up'])} 位客户在随后 {b['horizon']} 个月内"
            f"新买了原来没有的产品；推荐的第一个产品命中 {pct(b['model@1'])}、前两个命中 {pct(b['model@2'])}，"
            f"按全行最常见产品推荐分别为 {pct(b['popular@1'])}、{pct(b['popular@2'])}。")
    if b["customers_who_took_up"] < 200:
        text += "样本太少，尚不能说明关联规则比按热门产品推荐更准。"
    elif b["model@1"] <= b["popular@1"]:
        text += "关联规则没有比按热门产品推荐更准，推荐请结合客户经理判断。"
    return text


def _forecast_table(history: pd.DataFrame, forecast, value: str) -> TableData:
    past = pd.DataFrame({"月份": history["month"], value: history["total_assets"], "下限": np.nan, "上限": np.nan})
    future = pd.DataFrame({"月份": forecast.months, value: forecast.mean, "下限": forecast.lower, "上限": forecast.upper})
    return TableData.from_frame("历史与预测", pd.concat([past, future], ignore_index=True))


@_safe
def customer_forecast(service: ModelService, customer_id: str, months: int = 6) -> ToolResult:
    """One customer's asset forecast (ARIMA, or a drift forecast for short or flat histories)."""
    months = _forecast_months(months)
    return _forecast_result(customer_id, service.forecast_customer(customer_id, months), months)


def _forecast_months(months) -> int:
    return max(1, min(int(months), 24))


def _forecast_result(customer_id: str, r: dict, months: int) -> ToolResult:
    f, history = r["forecast"], r["history"]
    now = history["total_assets"].iloc[-1]
    change = f.mean[-1] / now - 1 if now else float("nan")
    trend = "上升" if change > 0.02 else "下降" if change < -0.05 else "基本平稳"
    how = "按该客户过去的资产走势（时间序列模型）" if f.method.startswith("ARIMA") else "历史较短或无波动，按近期平均变化外推"
    text = (f"客户 {customer_id} 当前总资产 {money(now)}；{how}预测，{months} 个月后约 {money(f.mean[-1])}"
            f"（{change:+.1%}，{trend}），95% 区间 {money(f.lower[-1])} ~ {money(f.upper[-1])}。")
    if change < -0.05:
        text += "资产可能下降超过5%，建议客户经理近期回访，了解资金去向并提供续作或替代方案。"
    table = _forecast_table(history, f, "总资产")
    chart = ChartSpec("line", f"{customer_id} 总资产历史与预测", "月份", ["总资产"], table, band=("下限", "上限"),
                      x_label="月份", y_label="元")
    return ToolResult(True, text, [table], [chart], provenance={
        "method": f.method, "method_detail": f"{f.method}：{f.note}" if f.note else f.method, "customer_id": customer_id,
        "definitions": ["预测：月度总资产的 ARIMA（AIC 选阶）；历史不足或无波动时用漂移法"]})


@_safe
def aum_outlook(service: ModelService, quarters: int = 4) -> ToolResult:
    """Bank-wide AUM for the next quarters, with 95% intervals."""
    o = service.aum_outlook()
    q = o["quarterly"].head(quarters)
    now = o["history"]["total_assets"].iloc[-1]
    frame = pd.DataFrame({"季度": q["quarter"], "季末月份": q["month"], "预测AUM": q["mean"], "下限": q["lower"],
                          "上限": q["upper"], "较当前": q["mean"] / now - 1})
    table = TableData.from_frame("全行 AUM 季度预测", frame)
    bt = o["card"]["metrics"].get("aum_backtest")
    text = (f"全行当前 AUM {money(now)}（{o['history']['month'].iloc[-1]}）。按 {o['forecast'].method} 预测，" +
            "，".join(f"{r['季度']}末约 {money(r['预测AUM'])}（{r['较当前']:+.1%}）" for _, r in frame.iterrows()) + "。"
            + (f"回测：留出最后 {bt['holdback_months']} 个月，MAPE {bt['model']['mape']:.2%}（朴素预测 {bt['naive']['mape']:.2%}）。" if bt else ""))
    chart = ChartSpec("line", "全行 AUM 历史与预测", "月份", ["总资产"], _forecast_table(o["history"], o["forecast"], "总资产"),
                      band=("下限", "上限"), x_label="月份", y_label="元")
    return ToolResult(True, text, [table], [chart], provenance={**_model(o["model"])})


@_safe
def decline_list(service: ModelService, top_n: int = 20) -> ToolResult:
    """Customers whose assets may fall below 95% within 6 months, most severe first, with interventions."""
    d = service.decline_list(top_n)
    card = service.artifact("forecast").card
    total = card["metrics"]["decline_flagged"]
    frame = pd.DataFrame({"客户号": d["customer_id"], "当前总资产（万元）": (d["current"] / 1e4).round(2),
                          "6个月后预测（万元）": (d["projected"] / 1e4).round(2),
                          "预计变化": d["ratio"] - 1, "月均变化": d["monthly_trend"]})
    table = TableData.from_frame(f"资产下降预警（前{top_n}）", frame)
    sb = card["metrics"]["decline_screen_backtest"]
    text = (f"预计未来6个月资产会降到当前95%以下的客户共 {total:,} 位（按近6个月月度变化的中位数外推）。"
            f"回测中，下降幅度排在前五分之一的预警有 {pct(sb['precision_top_fifth'])} 确实下降。"
            "干预建议：按下降幅度从大到小安排客户经理回访，了解资金去向（到期、转他行、消费）；对到期资金提供续作和更优替代，"
            "对流失预警客户给予专属权益；营销冷静期内的客户待冷静期结束再联系。")
    chart = ChartSpec("barh", "预计降幅最大的客户", "客户号", ["预计变化"], table)
    return ToolResult(True, text, [table], [chart], provenance={**_model(service.model_info("forecast")),
                                                                "definitions": ["资产下降：6个月后预测总资产 < 基准月的95%"]})


@_safe
def model_insights(service: ModelService, top_n: int = 12) -> ToolResult:
    """How good the high-value models are and what each learned: hold-out metrics and ROC,
    logistic coefficients (sign = direction), LightGBM importance by gain and split, SHAP ranking,
    and the depth-4 tree's rules."""
    loaded = service.artifact("high_value")
    model, card = loaded.model["model"], loaded.card
    m = model.metrics_
    comparison = TableData("模型对比（时间外留出集）", ["模型", "AUC", "PR-AUC", "精确率", "召回率", "前10%提升度", "阈值"],
                           [[MODEL_TITLES[k], v["auc"], v["pr_auc"], v["precision"], v["recall"], v["top_decile_lift"],
                             v["threshold"]] for k, v in m.items()])
    roc_rows = [[MODEL_TITLES[k], fpr, tpr] for k, v in m.items() for fpr, tpr in zip(v["roc"]["fpr"], v["roc"]["tpr"])]
    roc = TableData("ROC 曲线", ["模型", "假阳性率", "真阳性率"], roc_rows)
    f = model.insights_["features"]
    coef = f.reindex(f["logistic_coef"].abs().sort_values(ascending=False).index).head(top_n)
    t_coef = TableData.from_frame("逻辑回归系数（标准化后，正值推高概率）", coef[["label", "logistic_coef"]],
                                  {"label": "因素", "logistic_coef": "系数"})
    gain = f.sort_values("lgbm_gain", ascending=False).head(top_n)
    t_gain = TableData.from_frame("LightGBM 特征重要性", gain[["label", "lgbm_gain", "lgbm_split"]],
                                  {"label": "因素", "lgbm_gain": "增益", "lgbm_split": "分裂次数"})
    shap_top = f.sort_values("shap_mean_abs", ascending=False).head(top_n)
    t_shap = TableData.from_frame("SHAP 全局重要性", shap_top[["label", "shap_mean_abs"]],
                                  {"label": "因素", "shap_mean_abs": "平均|SHAP|"})
    rules = TableData("决策树（深度4）规则", ["规则"], [[line] for line in model.insights_["tree_rules"].splitlines()])
    best = max((k for k in m if k != "baseline"), key=lambda k: m[k]["auc"])
    below = [MODEL_TITLES[k] for k in m if k != "baseline" and m[k]["auc"] < m["baseline"]["auc"]]
    text = (f"在时间外留出月 {card['parameters']['holdout_month']}（{m[best]['rows']:,} 位客户，{m[best]['positives']:,} 位升至100万+）上，"
            f"{MODEL_TITLES[best]} 最好：AUC {m[best]['auc']:.3f}、PR-AUC {m[best]['pr_auc']:.3f}，只按当前总资产排序的基线为 "
            f"AUC {m['baseline']['auc']:.3f}、PR-AUC {m['baseline']['pr_auc']:.3f}。"
            + (f"{'、'.join(below)}的 AUC 低于基线，只作规则参考。" if below else ""))
    charts = [
        ChartSpec("line", "ROC 曲线（时间外留出集）", "假阳性率", ["真阳性率"], roc, x_label="假阳性率", y_label="真阳性率",
                  series="模型"),
        ChartSpec("barh", "逻辑回归系数（正值推高概率，负值拉低）", "因素", ["系数"], t_coef, x_label="系数"),
        ChartSpec("barh", "LightGBM 特征重要性（增益）", "因素", ["增益"], t_gain, x_label="增益"),
        ChartSpec("barh", "SHAP 全局重要性", "因素", ["平均|SHAP|"], t_shap, x_label="平均|SHAP|"),
    ]
    return ToolResult(True, text, [comparison, t_coef, t_gain, t_shap, rules, roc], charts,
                      provenance={**_model(service.model_info("high_value")), "metrics_source": card["metrics_source"]})
