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
    """A LangChain chat model, or None for the offline provider. Both remote providers go through
    ChatOpenAI (DashScope through its OpenAI-compatible endpoint): one maintained client with a
    per-request timeout and no retries — a 429 with Retry-After: 60 must not hold the question;
    the assistant's deadline and its offline answer take over instead."""
    if s.llm_provider == "offline":
        return None
    if s.llm_provider == "dashscope":
        if not s.dashscope_api_key:
            raise LLMUnavailable("已选择通义千问（dashscope），但未设置 DASHSCOPE_API_KEY；已改用离线模式。")
        base_url, api_key, model = s.dashscope_base_url, s.dashscope_api_key, s.qwen_model
    elif s.llm_provider == "openai":
        base_url, api_key, model = s.openai_base_url, s.openai_api_key, s.openai_model
    else:
        raise LLMUnavailable(f"未知的 BANK_LLM 取值 {s.llm_provider!r}（可选 offline / dashscope / openai）；已改用离线模式。")
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(base_url=base_url, api_key=api_key, model=model, temperature=0,
                      timeout=s.llm_timeout_s, max_retries=0)


def structured(llm, schema):
    """Structured output by function calling: what DashScope, vLLM and Ollama all support
    (json_schema response formats are not)."""
    return llm.with_structured_output(schema, method="function_calling")
