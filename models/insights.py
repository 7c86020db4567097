"""The insight report (经营洞察报告): Chinese markdown written from the trained artifacts' numbers."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from db.atomic import write_text_atomic
from db.definitions import ASSET_LEVELS, WAN, band_of
from models.high_value import MODEL_TITLES
from models.registry import load_artifact

REPORT_NAME = "insight_report.md"


def _yi(x: float) -> str:
    return f"{x / 1e8:,.2f}亿元"


def _table(frame: pd.DataFrame) -> list[str]:
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    return [head, rule] + ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]


def _high_value(artifacts_dir: Path) -> list[str]:
    loaded = load_artifact(artifacts_dir, "high_value")
    model, scores, card = loaded.model["model"], loaded.model["scores"], loaded.card
    m = card["metrics"]
    rows = pd.DataFrame([{
        "模型": MODEL_TITLES[k], "AUC": f"{v['auc']:.3f}", "PR-AUC": f"{v['pr_auc']:.3f}",
        "精确率": f"{v['precision']:.1%}", "召回率": f"{v['recall']:.1%}", "前10%提升度": f"{v['top_decile_lift']:.1f}",
    } for k, v in m.items()])
    best = max((k for k in m if k != "baseline"), key=lambda k: m[k]["auc"])
    gap = m[best]["auc"] - m["baseline"]["auc"]
    lines = ["## 一、哪些客户未来3个月容易提升至100万+", "",
             f"评估口径：{card['metrics_source']}；留出月共 {m[best]['rows']:,} 位符合条件的客户"
             f"（当月总资产<100万），其中 {m[best]['positives']:,} 位在3个月后达到100万+。", ""]
    lines += _table(rows) + [""]
    lines.append(f"表现最好的是{MODEL_TITLES[best]}（AUC {m[best]['auc']:.3f}），比只按当前总资产排序的基线高 "
                 f"{gap:.3f}。" + ("".join(f"{MODEL_TITLES[k]}的 AUC 低于基线，说明它的分箱太粗，只作规则参考。"
                                         for k in m if k != "baseline" and m[k]["auc"] < m["baseline"]["auc"])))
    features = model.insights_["features"].sort_values("shap_mean_abs", ascending=False).head(8)
    lines += ["", "**最重要的因素**（LightGBM 的平均 |SHAP| 排名）：", ""]
    for r in features.itertuples():
        way = "越高越容易" if r.shap_direction > 0 else "越低越容易" if r.shap_direction < 0 else "影响方向不一"
        lines.append(f"- {r.label}：{way}（平均 |SHAP| {r.shap_mean_abs:.3f}）")
    threshold = model.thresholds_["lightgbm"]
    likely = scores[scores["probability"] >= threshold]
    by_level = scores.assign(level=band_of(scores["total_assets"], ASSET_LEVELS)).groupby("level")["probability"] \
        .agg(["size", "mean"]).reindex([label for _, label in ASSET_LEVELS[:-1]]).dropna()
    lines += ["", f"按基准月评分，{len(likely):,} 位客户的概率高于阈值 {threshold:.1%}（容易提升），"
              f"{(scores['probability'] < 0.01).sum():,} 位低于 1%（不容易）。各资产等级的平均概率：", ""]
    lines += _table(pd.DataFrame({"资产等级": by_level.index, "客户数": by_level["size"].astype(int),
                                  "平均概率": [f"{p:.1%}" for p in by_level["mean"]]})) + [""]
    lines += ["**经营策略**：容易提升的客户由客户经理在1个月内一对一跟进，结合其近期产品对比、理财浏览的意向，"
              "准备大额存单、理财与资产配置方案，承接新增资金；不容易提升的客户以线上权益与定投培养为主，"
              "避免高成本人工营销。", ""]
    return lines


def _segments(artifacts_dir: Path) -> list[str]:
    loaded = load_artifact(artifacts_dir, "segmentation")
    seg, card = loaded.model["model"], loaded.card
    p = seg.profiles_.sort_values("mean_assets", ascending=False)
    ari = card["metrics"].get("ari_vs_hidden_personas")
    lines = ["## 二、客户可以分成哪几类", "",
             f"K-Means 分为 {seg.k_} 类（{card['parameters']['k_rule']}，轮廓系数 {card['metrics']['silhouette']:.3f}"
             + (f"；与演示数据隐含画像的调整兰德指数 ARI {ari:.2f}" if ari is not None else "") + "）。", ""]
    lines += _table(pd.DataFrame({
        "客群": p["name"], "客户数": p["customers"].astype(int), "占比": [f"{s:.1%}" for s in p["share"]],
        "平均资产": [f"{a / WAN:,.1f}万" for a in p["mean_assets"]], "平均年龄": p["mean_age"].round(0).astype(int),
        "产品数": p["product_count"].round(1), "策略": p["strategy"]}))
    fit = card["metrics"].get("name_fit") or []
    if fit:
        lines += ["", "客群名要名副其实：名称所说的特征须对至少 70% 的成员成立，否则改用该群最突出特征的中性名称。"]
        lines += _table(pd.DataFrame({
            "候选名称": [f["name"] for f in fit], "名称的含义": [f["rule"] for f in fit],
            "成员中符合的比例": [f"{f['members_fit']:.0%}" for f in fit],
            "结论": ["采用" if f["kept"] else "不采用（改用中性名称）" for f in fit]}))
    stable, same = card["metrics"].get("stability_ari_across_seeds"), card["metrics"].get("same_segment_as_last_month")
    if stable is not None:
        lines += ["", f"稳定性：换随机种子重算，分群一致度（ARI）{stable:.2f}"
                  + (f"；按上月数据归群，与本月客群相同的客户占 {same:.0%}" if same is not None else "") + "。"]
    return lines + [""]


def _basket(artifacts_dir: Path) -> list[str]:
    loaded = load_artifact(artifacts_dir, "basket")
    m = loaded.card["metrics"]
    lines = ["## 三、产品关联", "", "最强的产品关联规则（提升度>1 表示一起持有的比例高于随机）：", ""]
    lines += [f"- 持有{'、'.join(r['antecedent'])}的客户中 {r['confidence']:.0%} 也持有{r['consequent']}"
              f"（支持度 {r['support']:.1%}，提升度 {r['lift']:.2f}）" for r in m["top_product_rules"]]
    b = m.get("holdout_recommendation")
    if b:
        lines.append(f"- 推荐回测（留出月份）：{b['customers_who_took_up']} 位客户在 {b['horizon']} 个月内新买了产品；"
                     f"推荐第一个命中 {b['model@1']:.0%}、前两个命中 {b['model@2']:.0%}，按热门产品推荐 "
                     f"{b['popular@1']:.0%} / {b['popular@2']:.0%}"
                     + ("（样本太少，不足以下结论）" if b["customers_who_took_up"] < 200 else ""))
    low = [(k, v) for k, v in m["pair_lifts"].items() if v < 0.9]  # ~1 is independence, not avoidance
    if low:
        lines.append("- 互斥倾向：" + "，".join(f"{k} 提升度 {v:.2f}" for k, v in low)
                     + "——向一类产品的持有者推荐另一类，转化率会低于平均。")
    return lines + [""]


def _forecast(artifacts_dir: Path) -> list[str]:
    loaded = load_artifact(artifacts_dir, "forecast")
    f, card = loaded.model, loaded.card
    q, history = f["aum_quarterly"], f["aum_history"]
    now = history["total_assets"].iloc[-1]
    lines = ["## 四、全行未来4个季度的 AUM 走势", "",
             f"当前（{history['month'].iloc[-1]}）AUM {_yi(now)}；模型 {card['parameters']['aum_method']}，"
             f"{card['parameters']['aum_note']}。", ""]
    lines += _table(pd.DataFrame({"季度": q["quarter"], "季末预测": [_yi(v) for v in q["mean"]],
                                  "95%区间": [f"{_yi(a)} ~ {_yi(b)}" for a, b in zip(q["lower"], q["upper"])],
                                  "较当前": [f"{v / now - 1:+.1%}" for v in q["mean"]]}))
    bt = card["metrics"]["aum_backtest"]
    if bt:
        lines += ["", f"回测（留出最后 {bt['holdback_months']} 个月）：MAPE {bt['model']['mape']:.2%}，"
                  f"朴素预测 {bt['naive']['mape']:.2%}。"]
    d = f["declines"]
    sb = card["metrics"]["decline_screen_backtest"]
    lines += ["", "## 五、未来6个月可能资产下降的客户", "",
              f"筛查出 {len(d):,} 位客户（{card['parameters']['decline_rule']}）。回测：提前6个月筛查，"
              f"精确率 {sb['precision']:.0%}、召回率 {sb['recall']:.0%}；按下降幅度排在前五分之一的，"
              f"{sb['precision_top_fifth']:.0%} 确实下降。前 {min(len(d), card['parameters']['confirm_top'])} 位中 "
              f"{card['metrics']['arima_confirms_top']} 位经 ARIMA 复核同样预测下降。", "",
              "**干预建议**：按下降幅度从大到小分配客户经理回访，了解资金去向（到期、他行、消费）；"
              "对到期资金提供续作与更高收益的替代方案，对流失预警客户给予专属权益，并在营销冷静期结束后再联系。", ""]
    return lines


def write_insight_report(artifacts_dir: Path, db_path: Path) -> Path:
    card = load_artifact(artifacts_dir, "high_value").card
    lines = [f"# 经营洞察报告（基准月 {card['as_of_month']}）", "",
             "本报告由 `python -m models.train` 根据已训练模型的实际数字生成；所有模型指标来自训练未见过的数据。", ""]
    for section in (_high_value, _segments, _basket, _forecast):
        lines += section(artifacts_dir)
    path = Path(artifacts_dir) / REPORT_NAME
    write_text_atomic(path, "\n".join(lines))
    return path
