"""经营大屏: the alerts that need attention, five KPI cards and five charts, filtered by branch and city level."""
from __future__ import annotations

import html

import gradio as gr

from db.dashboard import ALL
from db.schema import CITY_LEVELS
from db.readonly import DatabaseUnavailableError, QueryError
from toolkits import campaign_tools as ct
from toolkits.dashboard import DashboardView
from ui.charts import figure
from ui.services import Services

CHARTS = 5


def cards_html(view: DashboardView) -> str:
    # a <details> card opens its 口径 on a tap (a phone has no hover); the title still shows it on hover
    cards = "".join(
        f'<details class="kpi" id="kpi-{c.key}" data-value="{"" if c.value is None else c.value}" '
        f'title="{html.escape(c.definition)}"><summary><div class="kpi-label">{html.escape(c.label)}</div>'
        f'<div class="kpi-value">{html.escape(c.text)}</div></summary>'
        f'<div class="kpi-def">口径：{html.escape(c.definition)}</div></details>' for c in view.cards)
    scope = html.escape(f"{view.scope} · 基准月 {view.as_of_month}")
    return f'<div class="kpi-scope">{scope}（点按卡片看口径）</div><div class="kpi-row">{cards}</div>'


def message_html(text: str) -> str:
    return f'<div class="kpi-error">{html.escape(text)}</div>'


class DashboardHandlers:
    def __init__(self, services: Services):
        self.services = services

    def branches(self) -> list[str]:
        """Branch choices as the database is now (it may have been rebuilt since the app started)."""
        try:
            return self.services.dashboard.options()["branch"]
        except (DatabaseUnavailableError, QueryError):
            return [ALL]

    def refresh_branches(self):
        return gr.update(choices=self.branches())

    def alerts(self) -> str:
        """The alerts of the campaign backtest and the churn model, above the cards (empty when none)."""
        a = self.services.assistant
        result = ct.alert_list(a.service, a.alert_min_lift, a.alert_churn_rise)
        found = result.provenance.get("alerts") if result.ok else None
        return "".join(f'<div class="status-warn">⚠️ {html.escape(x["text"])}</div>' for x in found or ())

    def show(self, branch: str, city_level: str, show_churn: bool):
        try:
            view = self.services.dashboard.view(branch, city_level, bool(show_churn))
        except (DatabaseUnavailableError, QueryError) as exc:
            return [message_html(str(exc))] + [None] * CHARTS
        return [cards_html(view)] + [figure(chart, height=330) for chart in view.charts]


def build(services: Services, demo: gr.Blocks) -> None:
    handlers = DashboardHandlers(services)
    with gr.Row():   # reading the branches here also warms the cube before the first visitor
        branch = gr.Dropdown(handlers.branches(), value=ALL, label="网点", elem_id="filter-branch", scale=3,
                             allow_custom_value=True)
        city = gr.Radio([ALL, *CITY_LEVELS], value=ALL, label="城市等级", elem_id="filter-city", scale=3)
        churn = gr.Checkbox(True, label="显示流失阶段（流失预警客户、流失客户，标红）", elem_id="show-churn", scale=2)
    alerts = gr.HTML(elem_id="dashboard-alerts")
    cards = gr.HTML(elem_id="kpis")
    with gr.Row():
        plots = [gr.Plot(show_label=False, elem_id=f"dash-chart-{i}") for i in range(2)]
    with gr.Row():
        plots += [gr.Plot(show_label=False, elem_id=f"dash-chart-{i}") for i in range(2, 4)]
    plots.append(gr.Plot(show_label=False, elem_id="dash-chart-4"))
    outputs = [cards] + plots
    demo.load(handlers.refresh_branches, None, [branch], api_name=False)
    demo.load(handlers.alerts, None, [alerts], api_name=False)
    demo.load(handlers.show, [branch, city, churn], outputs, api_name="dashboard")
    for control in (branch, city, churn):
        control.change(handlers.show, [branch, city, churn], outputs, api_name=False, show_progress="minimal")
