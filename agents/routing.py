"""The LLM router: `prompt | llm.with_structured_output(RouteDecision)`.

Offline, routing is the planner's job (agents.planner), which returns a richer
Plan (the query specs and slots the offline agents execute).
"""
from __future__ import annotations

from typing import Literal

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field

from agents.llm import structured
from agents.planner import Context
from agents.prompts import ROUTER_SYSTEM


class RouteDecision(BaseModel):
    """路由决定：由哪个代理回答，以及抽取的槽位。"""
    route: Literal["sql", "prediction", "segmentation", "basket", "forecast", "marketing", "help"]
    customer_id: str | None = Field(None, description="问题涉及的客户号，如 CUST000172")
    reason: str = Field("", description="为什么选这个路由（一句话）")
    also: list[Literal["prediction", "segmentation", "basket", "forecast", "marketing"]] = Field(
        default_factory=list, description="还需要哪些专家一起回答（例如既问概率又问趋势）")


def _with_context(question: str, context: Context) -> str:
    return question + (f"\n（上文客户：{context.customer_id}）" if context.customer_id else "")


def build_llm_router(llm) -> Runnable:
    return RunnableLambda(lambda inp: [SystemMessage(ROUTER_SYSTEM),
                                       HumanMessage(_with_context(inp["question"], inp["context"]))]) | \
        structured(llm, RouteDecision)
