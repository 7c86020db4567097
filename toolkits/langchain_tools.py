"""LangChain tools over the model toolkit, grouped by specialist route.

Each tool returns (text for the LLM, ToolResult artifact) — LangChain's
content_and_artifact format — so the model reads the text while the answer
keeps the tables and charts. Nothing raises into the agent.
"""
from __future__ import annotations

import logging

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from typing import Literal

from db.query import Contains
from db.query_sql import population_sql
from db.semantic import Filter
from models.campaign import Policy
from models.service import ModelService
from toolkits import campaign_tools as ct
from toolkits import model_tools as mt
from toolkits.results import ToolResult

log = logging.getLogger(__name__)


class CustomerArgs(BaseModel):
    customer_id: str = Field(description="客户号，例如 CUST000172")


class TopNArgs(BaseModel):
    top_n: int = Field(20, ge=1, le=200, description="列出多少位/多少条")


class CustomerForecastArgs(BaseModel):
    customer_id: str = Field(description="客户号，例如 CUST000055")
    months: int = Field(6, ge=1, le=24, description="预测未来几个月")


class QuartersArgs(BaseModel):
    quarters: int = Field(4, ge=1, le=8, description="预测未来几个季度")


class CombinationArgs(BaseModel):
    customer_tier: str | None = Field(None, description="只看某个客户等级：普通、潜力、临界、高净值；不限则留空")
    top_n: int = Field(10, ge=1, le=16)


class CampaignArgs(BaseModel):
    goal: Literal["upgrade", "cross_sell", "retain"] = Field(
        "upgrade", description="营销目标：upgrade 升级到100万+；cross_sell 交叉销售某产品；retain 挽留（流失预警）")
    product: Literal["存款", "理财", "基金", "保险"] | None = Field(None, description="交叉销售的产品；其他目标留空")
    size: int = Field(100, ge=1, le=1000, description="名单人数")
    branch: str | None = Field(None, description="只看某个网点或城市（如“天河”“杭州”）；不限则留空")
    channel: Literal["电话外呼", "APP弹窗", "网点"] | None = Field(None, description="只要某个建议渠道的客户；不限则留空")


class NoArgs(BaseModel):
    pass


def _tool(service: ModelService, level: str, fn, name: str, description: str, schema, adapt=None) -> BaseTool:
    def run(**kwargs):
        try:
            result = fn(service, **(adapt(kwargs) if adapt else kwargs))
        except Exception:  # a bug must not take the conversation down; the log keeps the trace
            log.exception("tool %s failed", name)
            result = ToolResult.failure(f"工具 {name} 执行出错，请换一种问法或稍后再试。")
        return result.for_llm(level), result
    return StructuredTool.from_function(run, name=name, description=description, args_schema=schema,
                                        response_format="content_and_artifact")


def _tier_filter(kwargs: dict) -> dict:
    tier = kwargs.pop("customer_tier", None)
    return {**kwargs, "filters": [Filter("customer_tier", "=", tier, tier)] if tier else []}


def _campaign_args(policy: Policy):
    def adapt(kwargs: dict) -> dict:
        branch = kwargs.pop("branch", None)
        where = Contains("branch_name", branch, branch) if branch else None
        return {**kwargs, "where": population_sql(where), "population": branch or "全部客户", "policy": policy}
    return adapt


def specialist_tools(service: ModelService, level: str = "aggregates", policy: Policy = Policy(),
                     alert_limits: tuple[float, float] = (1.5, 0.10)) -> dict[str, list[BaseTool]]:
    """Tools per specialist route: prediction, segmentation, basket, forecast, marketing. `level`: what result
    values the model reads (toolkits.results.DATA_LEVELS); `policy` and `alert_limits`: config's contact rules
    and alert thresholds."""
    t = lambda *args, **kw: _tool(service, level, *args, **kw)
    alerts = lambda svc: ct.alert_list(svc, *alert_limits)
    alerts.__name__ = "alert_list"
    return {
        "marketing": [
            t(ct.campaign_list, "campaign_list", "生成营销名单（升级/交叉销售/挽留），含排除原因、建议渠道与入选原因",
              CampaignArgs, adapt=_campaign_args(policy)),
            t(ct.conversion, "list_conversion", "营销名单的转化率回测（对比随机名单与经验规则）", NoArgs),
            t(alerts, "alerts", "需要关注的预警：名单转化率偏低、被流失模型标记的高净值客户增加", NoArgs),
        ],
        "prediction": [
            t(mt.customer_probability, "customer_probability", "某位客户未来3个月资产升至100万+的概率及SHAP原因", CustomerArgs),
            t(mt.value_drivers, "value_drivers", "影响客户价值（升至100万+）的最重要因素与模型对比", NoArgs),
            t(mt.potential_lists, "potential_lists", "容易/不容易在3个月内升至100万+的客户名单与策略", TopNArgs),
            t(mt.model_insights, "model_insights", "模型效果：留出集指标与ROC、逻辑回归系数、LightGBM重要性、决策树规则", NoArgs),
        ],
        "segmentation": [
            t(mt.segments_overview, "segments_overview", "客户分群：每一类的特征与策略", NoArgs),
            t(mt.customer_segment, "customer_segment", "某位客户属于哪个客群及其策略", CustomerArgs),
        ],
        "basket": [
            t(mt.recommend_products, "recommend_products", "给某位客户推荐产品（不含已持有），附理由", CustomerArgs),
            t(mt.common_combinations, "common_combinations", "最常见的产品组合，可限定客户等级", CombinationArgs,
              adapt=_tier_filter),
            t(mt.product_rules, "product_rules", "最强的产品关联规则（支持度、置信度、提升度）", TopNArgs),
        ],
        "forecast": [
            t(mt.customer_forecast, "customer_forecast", "某位客户未来几个月的资产预测", CustomerForecastArgs),
            t(mt.aum_outlook, "aum_outlook", "全行 AUM 未来几个季度的预测", QuartersArgs),
            t(mt.decline_list, "decline_list", "未来6个月可能资产下降的客户名单与干预建议", TopNArgs),
        ],
    }
