"""LLM providers: offline (no model), DashScope Qwen, or an OpenAI-compatible endpoint.

Chosen in config (BANK_LLM; dashscope by default when DASHSCOPE_API_KEY is set).
A provider that cannot be built raises LLMUnavailable with a Chinese message;
the assistant then answers offline and says so.
"""
from __future__ import annotations

from config import Settings


class LLMUnavailable(RuntimeError):
    pass


def make_chat_model(s: Settings):
    """A LangChain chat model, or None for the offline provider."""
    if s.llm_provider == "offline":
        return None
    if s.llm_provider == "dashscope":
        if not s.dashscope_api_key:
            raise LLMUnavailable("已选择通义千问（dashscope），但未设置 DASHSCOPE_API_KEY；已改用离线模式。")
        from langchain_community.chat_models.tongyi import ChatTongyi
        return ChatTongyi(model=s.qwen_model, api_key=s.dashscope_api_key, temperature=0)
    if s.llm_provider == "openai":
        from langchain_openai import ChatOpenAI
        return ChatOpenAI(base_url=s.openai_base_url, api_key=s.openai_api_key, model=s.openai_model,
                          temperature=0, timeout=30, max_retries=1)
    raise LLMUnavailable(f"未知的 BANK_LLM 取值 {s.llm_provider!r}（可选 offline / dashscope / openai）；已改用离线模式。")
