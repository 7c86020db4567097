"""精准营销: build a campaign list (goal, population, size, channel), see who was left out and why, the channel
mix and the backtested conversion, download it for the outbound team; the alerts beside it."""
from __future__ import annotations

import gradio as gr
import pandas as pd

from db.dashboard import ALL
from db.query import Eq
from db.query_sql import population_sql
from models.campaign import GOALS, CampaignError
from models.registry import ArtifactError
from toolkits import campaign_tools as ct
from toolkits.model_tools import EXPECTED_ERRORS
from toolkits.results import ChartSpec, TableData
from ui.charts import figure
from ui.dashboard_tab import DashboardHandlers
from ui.render import download_files, table_html
from ui.services import Services, rate_key, user_of

GOAL_CHOICES = [(g.title, g.key) for g in GOALS.values()]
PRODUCTS = ["理财", "基金", "保险", "存款"]
CHANNELS = [ALL, "电话外呼", "APP弹窗", "网点"]
MAX_SIZE = 1000   # names are read for at most 1,000 customers at once (db.personal)


def export_files(frame: pd.DataFrame, title: str) -> tuple[str, str]:
    """The list as CSV and Excel for the outbound team, Chinese headers, formulas neutralised."""
    csv, xlsx = download_files(frame, title, ("csv", "xlsx"), sheet="名单")
    return csv, xlsx


class MarketingHandlers:
    def __init__(self, services: Services):
        self.services = services
        self.branches = DashboardHandlers(services).branches   # the same branch choices as 经营大屏

    def build(self, goal: str, product: str, branch: str, size: float, channel: str, request: gr.Request = None):
        wait = self.services.limiter.allow(rate_key(request))
        if wait:
            raise gr.Error(f"操作太频繁：每位用户每分钟最多 {self.services.limiter.per_minute} 次，请 {wait:.0f} 秒后再试。")
        a, user = self.services.assistant, user_of(request)
        where = None if branch in (None, "", ALL) else Eq("branch_name", (branch,), branch)
        try:
            built = a.service.campaign(goal, int(min(max(size, 1), MAX_SIZE)),
                                       product if goal == "cross_sell" else None, population_sql(where),
                                       branch if where is not None else "全部客户", a.policy,
                                       None if channel in (None, ALL) else channel)
        except (CampaignError, *EXPECTED_ERRORS) as exc:
            return f"⚠️ {exc}", "", None, None, None
        unmasked = self.services.sees_names(user)
        result = ct.list_result(a.service, built, unmasked)
        if not result.tables:
            return result.text, "", None, None, None
        listed = result.tables[0]
        csv, xlsx = export_files(listed.to_frame(), f"{listed.title}_{branch if where is not None else '全行'}")
        if a.audit:
            a.audit.record_export(user, f"{listed.title}（{branch}）", len(listed.rows), unmasked)
        return (result.text, table_html(listed) + table_html(result.tables[1]),
                figure(result.charts[0], height=280), csv, xlsx)

    def overview(self):
        """Backtested conversion by month against the baselines, observed contact outcomes, alerts."""
        a = self.services.assistant
        try:
            b = a.service.campaign_backtests()
        except ArtifactError as exc:
            return str(exc), None, None, None
        labels = {"month": "名单月", "model": "模型名单", "random": "随机名单", "rule": "经验规则名单"}
        charts = []
        for goal, title in (("upgrade", "升级名单：3个月内达到100万+的比例（回测）"),
                            ("retain", "挽留名单：3个月内资产下降30%以上的比例（回测）")):
            frame = b["backtests"][goal][list(labels)].rename(columns=labels)
            charts.append(figure(ChartSpec("line", title, "名单月", ["模型名单", "随机名单", "经验规则名单"],
                                           TableData.from_frame(title, frame), x_label="名单月", y_label="比例"),
                                 height=300))
        contact = b["contact"].rename(columns={"segment": "客群", "success_rate": "联系成功率"})
        charts.append(figure(ChartSpec("bar", "近12个月客户经理联系成功率（按客群）", "客群", ["联系成功率"],
                                       TableData.from_frame("联系成功率", contact[["客群", "联系成功率"]]),
                                       x_label="客群", y_label="联系成功率"), height=300))
        alerts = ct.alert_list(a.service, a.alert_min_lift, a.alert_churn_rise)
        return alerts.text if alerts.ok else alerts.error, *charts


def build(services: Services, demo: gr.Blocks) -> None:
    handlers = MarketingHandlers(services)
    alerts = gr.Markdown(elem_id="marketing-alerts")
    with gr.Row():
        goal = gr.Radio(GOAL_CHOICES, value="upgrade", label="营销目标", elem_id="campaign-goal", scale=3)
        product = gr.Dropdown(PRODUCTS, value="理财", label="交叉销售产品", elem_id="campaign-product", scale=1)
        branch = gr.Dropdown(handlers.branches(), value=ALL, label="网点", elem_id="campaign-branch", scale=2)
    with gr.Row():
        size = gr.Slider(10, MAX_SIZE, value=100, step=10, label="名单人数", elem_id="campaign-size", scale=3)
        channel = gr.Radio(CHANNELS, value=ALL, label="建议渠道", elem_id="campaign-channel", scale=3)
        run = gr.Button("生成名单", variant="primary", elem_id="campaign-build", scale=1)
    summary = gr.Markdown(elem_id="campaign-summary")
    with gr.Row():
        tables = gr.HTML(elem_id="campaign-table")
        mix = gr.Plot(show_label=False, elem_id="campaign-channels")
    with gr.Row():
        csv = gr.File(label="下载 CSV", elem_id="campaign-csv")
        xlsx = gr.File(label="下载 Excel", elem_id="campaign-xlsx")
    with gr.Row():
        upgrade_chart = gr.Plot(show_label=False, elem_id="campaign-backtest-upgrade")
        retain_chart = gr.Plot(show_label=False, elem_id="campaign-backtest-retain")
    contact_chart = gr.Plot(show_label=False, elem_id="campaign-contact")
    run.click(handlers.build, [goal, product, branch, size, channel], [summary, tables, mix, csv, xlsx],
              api_name="campaign", show_progress="full")
    demo.load(handlers.overview, None, [alerts, upgrade_chart, retain_chart, contact_chart], api_name=False)
