"""Specialist tool-calling agents (LangChain create_agent), one per model route.

Built by a factory that takes the chat model and the tools, so tests pass a
scripted fake model. The answer text is the model's last message; tables and
charts come from the ToolResult artifacts of the tools it called.
"""
from __future__ import annotations

from langchain.agents import create_agent
from langchain_core.messages import HumanMessage, ToolMessage

from agents.prompts import SPECIALIST_SYSTEM
from toolkits.results import ToolResult

#: LangGraph supersteps an agent may take (model and tool turns): a model that keeps calling tools stops here.
MAX_AGENT_STEPS = 12
ROUTE_NAMES = {"prediction": "高价值预测", "segmentation": "客户分群", "basket": "产品推荐", "forecast": "资产预测", "marketing": "精准营销"}


def build_specialist(llm, tools, route: str):
    return create_agent(llm, tools, system_prompt=SPECIALIST_SYSTEM.format(route=ROUTE_NAMES[route]))


def run_specialist(agent, question: str) -> tuple[str, list[ToolResult], list[dict]]:
    """Invoke the agent; return its final text, the tools' results and the calls it made."""
    state = agent.invoke({"messages": [HumanMessage(question)]}, config={"recursion_limit": MAX_AGENT_STEPS})
    results, calls = [], []
    for message in state["messages"]:
        for call in getattr(message, "tool_calls", None) or []:
            calls.append({"tool": call["name"], "args": call["args"]})
        if isinstance(message, ToolMessage) and isinstance(message.artifact, ToolResult):
            results.append(message.artifact)
    final = state["messages"][-1]
    text = final.content if isinstance(final.content, str) else str(final.content)
    return text, results, calls
