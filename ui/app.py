"""The Blocks layout: a header, five tabs (a sixth, 数据, for administrators), the page's styles.
Wiring only — handlers live per tab."""
from __future__ import annotations

import html
import json

import gradio as gr

from db.readonly import DatabaseMissingError, build_info
from ui import chat_tab, customer_tab, dashboard_tab, data_tab, insights_tab, marketing_tab
from ui.render import PROVIDER_TITLES
from ui.services import Services

TITLE = "百万客群经营助手"
THEME = "soft"
CSS = """
.kpi-row {display: flex; gap: 12px; flex-wrap: wrap;}
.kpi {flex: 1 1 160px; background: linear-gradient(135deg, #1f5fa8, #3b7dd8); color: #fff; border-radius: 10px;
      padding: 14px 16px; box-shadow: 0 1px 4px rgba(0,0,0,.15);}
.kpi-label {font-size: 14px; opacity: .9; color: #fff !important;}
.kpi-value {font-size: 26px; font-weight: 700; margin-top: 4px; color: #fff !important;}
.kpi-scope {color: #666; margin-bottom: 6px;}
.kpi summary {list-style: none; cursor: pointer;}
.kpi summary::-webkit-details-marker {display: none;}
.kpi-def {font-size: 12px; margin-top: 8px; line-height: 1.5; color: #fff; opacity: .92;}
.kpi-error, .status-warn {background: #fff4e5; color: #8a4b00; border-radius: 8px; padding: 10px 14px;}
.answer-table {max-height: 360px; overflow: auto; font-size: 13px;}
.answer-table table {border-collapse: collapse; width: 100%;}
.answer-table th {position: sticky; top: 0; background: #eef3fb; text-align: left;}
.answer-table th, .answer-table td {border-bottom: 1px solid #e3e8ef; padding: 4px 8px; white-space: nowrap;}
.answer-table .table-title {font-weight: 600; margin: 4px 0;}
.answer-table .table-note {font-weight: 400; color: #777; margin-left: 8px;}
/* Phones: Gradio moves tabs that do not fit on one line into a "…" menu, measured from the hidden copies of
   the tab buttons. Made tiny there, every tab stays in the bar, which wraps to a second line. */
@media (max-width: 640px) {
  .tab-container.visually-hidden button {padding: 0 !important; font-size: 1px !important; min-width: 0 !important;}
  [role=tablist].tab-container {flex-wrap: wrap; height: auto;}
  [role=tablist].tab-container button {padding: 6px 10px;}
}
"""


def status_html(services: Services) -> str:
    """A line under the title: the data's month, or what to do when data or models are missing."""
    s = services.settings
    try:
        info = build_info(s.db_path)
    except DatabaseMissingError as exc:
        return f'<div class="status-warn">{html.escape(str(exc))}</div>'
    missing_models = not (s.artifacts_dir / "insight_report.md").exists()
    source = json.loads(info.get("source") or "{}").get("source")
    text = (f"数据基准月 {info.get('as_of_month', '?')} · {int(info.get('customers', 0)):,} 位客户 · "
            f"{'生成的演示数据' if source == 'generated' else '导入的银行数据'}"
            f"{' · 数据库 ' + services.assistant.database.label if services.assistant.database.dialect != 'sqlite' else ''}"
            f" · 回答方式 {PROVIDER_TITLES.get(services.assistant.provider, services.assistant.provider)}")
    if missing_models:
        return (f'<div class="status-warn">{html.escape(text)}。还没有训练好的模型：模型类问题暂不可用，'
                "请运行 python -m models.train（或 make run）。</div>")
    return f"<div>{html.escape(text)}</div>"


def build_app(services: Services, has_login: bool = False) -> gr.Blocks:
    """has_login: the app asks for a login; only then can administrators have the 数据 tab."""
    # delete_cache: files Gradio copied to serve (CSV downloads, uploads) go after an hour
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown(f"# {TITLE}")
        status = gr.HTML(elem_id="status")
        with gr.Tabs():
            with gr.Tab("智能问答", id="chat"):
                chat_tab.build(services)
            with gr.Tab("经营大屏", id="dashboard"):
                dashboard_tab.build(services, demo)
            with gr.Tab("精准营销", id="marketing"):
                marketing_tab.build(services, demo)
            with gr.Tab("模型洞察", id="insights") as insights:
                insights_tab.build(services, insights)
            with gr.Tab("客户360", id="customer"):
                customer_tab.build(services)
            if has_login and services.settings.admin_users:
                with gr.Tab("数据", id="data", visible=False) as data:
                    data_tab.build(services, data, demo)
        demo.load(lambda: status_html(services), None, [status], api_name=False)
    demo.queue(default_concurrency_limit=services.settings.ui_concurrency, max_size=services.settings.queue_max)
    return demo
