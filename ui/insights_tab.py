"""模型洞察: the classifiers side by side, what each learned, segments, rules, AUM outlook, the report.

Each panel is filled on its own, so a missing or corrupt artifact blanks only
its panel (with the reason) while the rest of the tab works.
"""
from __future__ import annotations

import gradio as gr

from db.readonly import DatabaseUnavailableError
from models.registry import ArtifactError
from toolkits import model_tools as mt
from toolkits.results import ToolResult
from ui.charts import figure
from ui.render import as_text, display_frame
from ui.services import Services
from ui.tree_image import tree_png


def _failed(result: ToolResult) -> str:
    return f"⚠️ {as_text(result.error or '')}"


class InsightHandlers:
    def __init__(self, services: Services):
        self.services = services
        self._tree: tuple[str, str] | None = None   # (model version, png path)

    @property
    def service(self):
        return self.services.assistant.service

    def classifiers(self):
        r = mt.model_insights(self.service)
        if not r.ok:
            return [_failed(r), None, None, None, None, None, None]
        roc, coef, gain, shap = (figure(c, height=380) for c in r.charts[:4])
        return [as_text(r.text), display_frame(r.tables[0]), roc, coef, gain, shap, self.tree_image()]

    def tree_image(self) -> str | None:
        try:
            loaded = self.service.artifact("high_value")
        except (ArtifactError, DatabaseUnavailableError):
            return None
        version = loaded.card["version"]
        if self._tree is None or self._tree[0] != version:
            self._tree = (version, tree_png(loaded.model["model"]))
        return self._tree[1]

    def segments(self):
        r = mt.segments_overview(self.service)
        if not r.ok:
            return [_failed(r), None, None]
        return [as_text(r.text), display_frame(r.tables[0]), figure(r.charts[0], height=380)]

    def rules(self):
        r = mt.product_rules(self.service, 15)
        return [as_text(r.text) if r.ok else _failed(r), display_frame(r.tables[0]) if r.ok and r.tables else None]

    def outlook(self):
        r = mt.aum_outlook(self.service, 4)
        if not r.ok:
            return [_failed(r), None, None]
        return [as_text(r.text), figure(r.charts[0], height=380), display_frame(r.tables[0])]

    def report(self) -> str:
        path = self.services.settings.artifacts_dir / "insight_report.md"
        if not path.exists():
            return "⚠️ 还没有洞察报告。请运行 `python -m models.train`（或 make run）训练模型后刷新页面。"
        return path.read_text(encoding="utf-8")


def build(services: Services, tab: gr.Tab) -> None:
    """Panels fill when the tab is opened, so opening the app does not wait for them."""
    h = InsightHandlers(services)
    with gr.Accordion("高价值预测：三个模型对比（时间外留出集）", open=True):
        summary = gr.Markdown(elem_id="insight-summary")
        metrics = gr.DataFrame(label="模型指标", interactive=False, elem_id="insight-metrics")
        with gr.Row():
            roc = gr.Plot(show_label=False)
            coef = gr.Plot(show_label=False)
        with gr.Row():
            gain = gr.Plot(show_label=False)
            shap = gr.Plot(show_label=False)
        tree = gr.Image(label="决策树（深度4）", type="filepath", interactive=False, buttons=["download"])
    with gr.Accordion("客户分群：画像与策略", open=True):
        seg_text = gr.Markdown()
        with gr.Row():
            seg_table = gr.DataFrame(label="客群画像与策略", interactive=False, scale=3, wrap=True)
            seg_pie = gr.Plot(show_label=False, scale=2)
    with gr.Accordion("产品关联规则", open=False):
        rules_text = gr.Markdown()
        rules_table = gr.DataFrame(label="关联规则", interactive=False)
    with gr.Accordion("全行 AUM 预测", open=True):
        aum_text = gr.Markdown()
        aum_plot = gr.Plot(show_label=False)
        aum_table = gr.DataFrame(label="季度预测", interactive=False)
    with gr.Accordion("洞察报告（训练时生成）", open=False):
        report = gr.Markdown()
    tab.select(h.classifiers, None, [summary, metrics, roc, coef, gain, shap, tree], api_name=False)
    tab.select(h.segments, None, [seg_text, seg_table, seg_pie], api_name=False)
    tab.select(h.rules, None, [rules_text, rules_table], api_name=False)
    tab.select(h.outlook, None, [aum_text, aum_plot, aum_table], api_name=False)
    tab.select(h.report, None, [report], api_name=False)
