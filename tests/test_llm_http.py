"""The real ChatOpenAI client, over HTTP, against a scripted OpenAI-compatible server on loopback.

The server (standard library) answers each request with the next scripted step: a tool call, text,
an HTTP error, a hang, a trickle of bytes, malformed JSON. Router, typed query, SQL agent,
specialists, deadline and offline fallback are the product's real code (issue 13).
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agents.assistant import Assistant
from agents.llm import make_chat_model
from agents.planner import Context
from config import settings


def completion(message: dict) -> dict:
    finish = "tool_calls" if message.get("tool_calls") else "stop"
    return {"id": "stub", "object": "chat.completion", "created": 0, "model": "stub",
            "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def tool(name: str, **args) -> tuple:
    return ("json", completion({"content": None, "tool_calls": [
        {"id": f"call_{name}", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}]}))


def text(content: str) -> tuple:
    return ("json", completion({"content": content}))


class StubServer:
    def __init__(self):
        self.script: deque = deque()
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.requests.append(json.loads(body or b"{}"))
                kind, value = stub.script.popleft() if stub.script else ("status", 500)
                try:
                    self._respond(kind, value)
                except (BrokenPipeError, ConnectionResetError):
                    pass   # the client gave up: what a deadline does

            def _respond(self, kind, value):
                if kind == "hang":
                    time.sleep(value)
                    kind, value = "status", 500
                if kind == "trickle":   # one byte at a time: a per-read timeout never fires
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    end = time.monotonic() + value
                    while time.monotonic() < end:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.3)
                    return
                if kind == "status":
                    self.send_response(value)
                    if value == 429:
                        self.send_header("Retry-After", "60")
                    payload = b'{"error": {"message": "scripted", "type": "server_error"}}'
                elif kind == "raw":
                    self.send_response(200)
                    payload = value
                else:
                    self.send_response(200)
                    payload = json.dumps(value).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def stub():
    server = StubServer()
    yield server
    server.server.shutdown()


@pytest.fixture
def ask(stub, default_db, trained_artifacts, monkeypatch):
    monkeypatch.setenv("BANK_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", stub.url)
    monkeypatch.setenv("BANK_LLM_TIMEOUT_S", "2")
    monkeypatch.setenv("BANK_LLM_DEADLINE_S", "4")
    monkeypatch.setenv("BANK_DB", str(default_db))
    monkeypatch.setenv("BANK_ARTIFACTS", str(trained_artifacts))
    monkeypatch.setenv("BANK_AUDIT_LOG", "")

    def run(question, *script):
        stub.script.clear()
        stub.script.extend(script)
        stub.requests.clear()
        s = settings()
        assistant = Assistant(s.db_path, s.artifacts_dir, make_chat_model(s), provider="openai",
                              llm_deadline_s=s.llm_deadline_s)
        start = time.monotonic()
        answer = assistant.ask(question, Context())
        return answer, time.monotonic() - start
    return run


def test_the_sql_path_runs_over_http_with_function_calling(ask, stub):
    answer, _ = ask("我行有多少客户", tool("RouteDecision", route="sql", reason="数据问题"),
                    text("无法用类型化查询表达"), text("```sql\nSELECT COUNT(*) AS n FROM customer_base\n```"),
                    text("我行共有 10,000 位客户。"))
    assert answer.provenance["planner"] == "llm" and answer.provenance["sql_path"] == "free_sql"
    assert answer.text == "我行共有 10,000 位客户。" and answer.tables[0].rows[0][0] == 10000
    first = stub.requests[0]
    assert first["tools"][0]["function"]["name"] == "RouteDecision" and first["tool_choice"]


def test_the_typed_query_comes_back_as_a_tool_call(ask):
    answer, _ = ask("一线城市客户有多少", tool("RouteDecision", route="sql", reason="数据"),
                    tool("TypedQuerySpec", measures=[{"kind": "count"}],
                         conditions=[{"column": "city_level", "op": "in", "values": ["一线城市"]}]))
    assert answer.provenance["sql_path"] == "typed_query" and answer.provenance.get("facts")


@pytest.mark.parametrize("script, reason", [
    ([("status", 500)], "大模型暂时不可用"),
    ([("status", 429)], "大模型暂时不可用"),
    ([("raw", b"{not json")], "大模型暂时不可用"),
    ([("hang", 8)], "大模型暂时不可用"),
    ([("trickle", 12)], "超过 4 秒"),
])
def test_a_failing_provider_gets_the_offline_answer_within_the_deadline(ask, script, reason):
    answer, seconds = ask("我行目前有多少客户？", *script)
    assert answer.ok and "10,000" in answer.text and reason in answer.provenance["notice"]
    assert seconds < 6   # 429 with Retry-After: 60 is not waited for; a trickle is cut at the deadline


def test_a_specialist_that_calls_no_tool_is_not_taken_at_its_word(ask):
    answer, _ = ask("CUST000172成为高价值客户的概率是多少", tool("RouteDecision", route="prediction",
                                                           customer_id="CUST000172", reason="概率"),
                    text("该客户的概率是 99.9%。"))
    assert "没有调用模型工具" in answer.provenance["notice"] and "99.9%" not in answer.text
    assert answer.provenance.get("planner") == "offline"


def test_a_model_that_keeps_calling_tools_is_stopped(ask, stub):
    loop = [tool("customer_probability", customer_id="CUST000172")] * 40
    answer, seconds = ask("CUST000172成为高价值客户的概率是多少",
                          tool("RouteDecision", route="prediction", customer_id="CUST000172", reason="概率"), *loop)
    assert answer.ok and answer.provenance.get("notice") and seconds < 6
    assert len(stub.requests) <= 8
