"""客户360: one customer id -> profile, asset history with forecast, high-value probability
with its SHAP chart, segment and strategy, and product recommendations with reasons."""
from __future__ import annotations

import gradio as gr

from agents.text import normalize
from db.readonly import DatabaseUnavailableError, QueryError
from toolkits import model_tools as mt
from toolkits.customer_view import customer_profile
from ui.charts import figure
from ui.render import as_text, display_frame
from ui.services import Services, rate_key, user_of

EXAMPLE_IDS = ("CUST000172", "CUST000116", "CUST000055")


def _text(result) -> str:
    return as_text(result.text) if result.ok else f"⚠️ {as_text(result.error or '')}"


def cleared(message: str) -> list:
    """Every panel emptied and the reason in Chinese: nothing of the previous customer stays on screen
    under another id."""
    return [f"⚠️ {as_text(message)}", None, "", None, "", None, "", "", None]


class CustomerHandlers:
    def __init__(self, services: Services):
        self.services = services

    def show(self, raw_id: str, request: gr.Request = None):
        if not (raw_id or "").strip():
            return cleared("请输入客户号，例如 CUST000172。")
        wait = self.services.limiter.allow(rate_key(request))
        if wait:   # one profile per request: the same allowance as questions, so profiles cannot be scraped
            raise gr.Error(f"查询太频繁：每位用户每分钟最多 {self.services.limiter.per_minute} 次，请 {wait:.0f} 秒后再试。")
        try:
            # The id form is learned from the data (CUST000172, or a bank export's 32-hex ids).
            ids = self.services.assistant.planner.understander.customer_ids(normalize(raw_id))
            customer_id = ids[0] if ids else raw_id.strip()[:64]
            profile = customer_profile(self.services.assistant.database, customer_id,
                                       self.services.sees_names(user_of(request)))
        except (DatabaseUnavailableError, QueryError) as exc:
            return cleared(str(exc))
        if not profile.ok:
            return cleared(profile.error)
        if self.services.assistant.audit:
            self.services.assistant.audit.record_view(user_of(request), "客户360", customer_id)
        svc = self.services.assistant.service
        forecast, probability, outlook = mt.customer_views(svc, customer_id, 6)
        segment = mt.customer_segment(svc, customer_id)
        recommend = mt.recommend_products(svc, customer_id)
        return [
            as_text(profile.text), display_frame(profile.tables[0]),
            _text(forecast), figure(forecast.charts[0]) if forecast.ok else None,
            _text(probability) + (f"\n\n**两项预测合起来看：**{as_text(outlook.text)}" if outlook.ok else ""),
            figure(probability.charts[0]) if probability.ok and probability.charts else None,
            _text(segment),
            _text(recommend), display_frame(recommend.tables[0]) if recommend.ok and recommend.tables else None,
        ]


def build(services: Services) -> None:
    h = CustomerHandlers(services)
    with gr.Row():
        box = gr.Textbox(label="客户号", placeholder="例如 CUST000172", elem_id="customer-id", scale=4, max_length=64)
        go = gr.Button("查看客户360", variant="primary", scale=1, elem_id="customer-go")
    gr.Examples(examples=[[i] for i in EXAMPLE_IDS], inputs=[box], label="示例客户")
    with gr.Row():
        with gr.Column(scale=2):
            summary = gr.Markdown(elem_id="customer-summary")
            profile = gr.DataFrame(label="客户画像（姓名默认脱敏）", interactive=False, elem_id="customer-profile",
                                   max_height=640)
        with gr.Column(scale=3):
            forecast_text = gr.Markdown()
            forecast_plot = gr.Plot(show_label=False, elem_id="customer-forecast")
            probability_text = gr.Markdown()
            shap_plot = gr.Plot(show_label=False, elem_id="customer-shap")
    segment_text = gr.Markdown(label="客群")
    recommend_text = gr.Markdown()
    recommend_table = gr.DataFrame(label="产品推荐与理由", interactive=False, wrap=True)
    outputs = [summary, profile, forecast_text, forecast_plot, probability_text, shap_plot, segment_text,
               recommend_text, recommend_table]
    go.click(h.show, [box], outputs, api_name="customer")
    box.submit(h.show, [box], outputs, api_name=False)
