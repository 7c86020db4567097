"""The answer pipeline every front end uses: question (+ conversation context) -> Answer.

Offline (the default) the planner decides and the offline SQL agent or the
model toolkit answers. With an LLM the LangChain router decides, the LLM SQL
agent or a specialist tool-calling agent answers, and any LLM failure falls
back to the offline path, saying so. Bad input gets a Chinese explanation;
no exception reaches the caller; names are masked in every table.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from functools import cached_property
from pathlib import Path

from agents.answer import Answer
from agents.audit import AuditLog
from agents.lexicon import lexicon_from_database
from db.model_outputs import segment_names, segments_path
from agents.planner import PRONOUNS, Context, Plan, Planner
from agents.understand import Understander
from agents.text import normalize
from agents.sql_offline import OfflineSqlAgent
from db.personal import display_names, mask_name
from db.database import Database, is_server_url, open_database
from db.readonly import DatabaseUnavailableError, build_info
from models.service import ModelService
from db.query_sql import population_sql
from models.campaign import Policy
from toolkits import campaign_tools as ct
from toolkits import model_tools as mt
from toolkits.formatting import PERSONAL_COLUMNS
from toolkits.results import TableData, ToolResult

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
#: Intents that read the question's own months (no "answered at the 基准月" note).
TYPED_INTENTS = ("query", "not_understood", "data_range")
MONTH_MENTION = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月|(20\d{2})-(\d{1,2})(?!\d)")
EXAMPLES = ("我行目前有多少客户？总资产管理规模是多少？", "一线城市40岁以上客户的平均资产是多少？",
            "客户CUST000172成为高价值客户的概率是多少？", "客户可以分成哪几类？",
            "给CUST000116推荐什么产品？", "全行未来4个季度的AUM走势如何？")
HELP_TEXT = ("我是百万客群经营助手，可以回答：\n"
             "· 数据查询：客户数、总资产（AUM）、平均资产、高净值占比、年龄/等级/城市/网点分布、产品偏好、活跃度、无交易客户等，"
             "可加条件（如一线城市、40岁以上、已婚、某网点）和排名（前10名）；\n"
             "· 高价值预测：某客户3个月内升至100万+的概率及原因、影响因素、潜力客户名单；\n"
             "· 客户分群：有哪些客群、特征与策略、某客户属于哪一类；\n"
             "· 产品推荐：给某客户推荐产品、常见产品组合、关联规则；\n"
             "· 资产预测：客户资产趋势、全行 AUM 走势、资产下降预警名单。\n"
             "例如：" + "；".join(f"“{q}”" for q in EXAMPLES[:4]) + "。")
REFUSAL_TEXT = ("本助手只能查询和分析数据，不能修改、删除或写入任何数据（数据库以只读方式打开）。"
                "如需更正数据，请联系数据管理员在源系统中处理后重新构建。您可以问：" + "；".join(f"“{q}”" for q in EXAMPLES[:2]) + "。")
UNKNOWN_TEXT = ("抱歉，没有看懂这个问题，或它不在本助手的范围内（银行零售客群的数据查询、预测、分群、推荐与资产预测）。"
                "您可以这样问：" + "；".join(f"“{q}”" for q in EXAMPLES) + "。")


class LlmAnswerRejected(RuntimeError):
    """The model's answer is not given (too slow, no tool behind it, empty); the message says why."""


#: Threads for the model path: a question waits at most the deadline for its worker; a worker stuck
#: on a slow provider finishes (its per-request timeout) without holding the question.
_LLM_WORKERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="llm")


class Assistant:
    def __init__(self, db_path: Path, artifacts_dir: Path, llm=None, *, max_rows: int = 1000,
                 timeout_s: float = 5.0, provider: str = "offline", notice: str | None = None,
                 audit: AuditLog | None = None, pii_users: frozenset[str] = frozenset(),
                 llm_data: str = "aggregates", llm_deadline_s: float = 30.0, policy: Policy = Policy(),
                 alert_min_lift: float = 1.5, alert_churn_rise: float = 0.10, database: str | None = None):
        self.db_path = Path(db_path)   # the local build: the models were trained on it, they read it
        self.database_target = database or str(db_path)   # what data questions read: the build, or a server
        self.artifacts_dir = Path(artifacts_dir)
        self.llm = llm
        self.max_rows = max_rows
        self.timeout_s = timeout_s
        self.provider = provider if llm is not None else "offline"
        self.notice = notice   # e.g. why the configured LLM could not be used
        self.audit = audit
        self.pii_users = pii_users   # the only users who see names unmasked
        self.llm_data = llm_data     # what result values a remote model may read (toolkits.results.DATA_LEVELS)
        self.llm_deadline_s = llm_deadline_s   # the model path's time for one question; then offline
        self.policy = policy                   # campaign lists' contact rules (models.campaign)
        self.alert_min_lift, self.alert_churn_rise = alert_min_lift, alert_churn_rise

    @classmethod
    def from_settings(cls, s) -> "Assistant":
        from agents.llm import LLMUnavailable, make_chat_model
        try:
            llm, notice = make_chat_model(s), None
        except LLMUnavailable as exc:
            llm, notice = None, str(exc)
        assistant = cls(s.db_path, s.artifacts_dir, llm, database=s.database, max_rows=s.sql_max_rows,
                        timeout_s=s.sql_timeout_s, provider=s.llm_provider, notice=notice, audit=AuditLog(s.audit_log) if s.audit_log else None,
                        pii_users=s.pii_users, llm_data=s.llm_data, llm_deadline_s=s.llm_deadline_s,
                        policy=Policy(contact_days=s.contact_days, refusal_days=s.refusal_days),
                        alert_min_lift=s.alert_min_lift, alert_churn_rise=s.alert_churn_rise)
        if is_server_url(assistant.database_target):
            assistant.database.ensure_read_only()   # refuses to start with a role that can write
            assistant.notice = assistant.notice or assistant.build_mismatch()
        return assistant

    def build_mismatch(self) -> str | None:
        """With a server: say so when its data is not the local build the models were trained on."""
        if not self.db_path.exists():
            return (f"数据问题按数据库服务器回答；没有本地构建（{self.db_path.name}），模型类问题（预测、分群、推荐、"
                    "预测走势）暂不可用。")
        server = self.database.build_info().get("data_fingerprint")
        if server != build_info(self.db_path).get("data_fingerprint"):
            return ("数据库服务器上的数据与模型训练所用的本地构建不是同一份：数据问题按服务器回答，"
                    "模型类问题（预测、分群、推荐、预测走势）按本地构建回答。")
        return None

    # -- parts, built on first use ------------------------------------------------
    @cached_property
    def planner(self) -> Planner:
        return Planner(Understander(lexicon_from_database(self.database, segment_names(self.segments))))

    @cached_property
    def segments(self) -> Path | None:
        """The segmentation's per-customer table, when trained on this database: its 客群 names are words of
        the vocabulary, and on SQLite a filter (a server holds no model outputs yet: there it says so)."""
        if not self.db_path.exists():   # a server alone: data questions need no local build
            return None
        return segments_path(self.artifacts_dir, build_info(self.db_path).get("data_fingerprint"))

    @cached_property
    def database(self) -> Database:
        return open_database(self.database_target, attach={"model": self.segments} if self.segments else None)

    @cached_property
    def sql_agent(self) -> OfflineSqlAgent:
        return OfflineSqlAgent(self.database, self.max_rows, self.timeout_s)

    @cached_property
    def service(self) -> ModelService:
        return ModelService(self.db_path, self.artifacts_dir)

    @cached_property
    def llm_router(self):
        from agents.routing import build_llm_router
        return build_llm_router(self.llm)

    @cached_property
    def llm_sql_agent(self):
        from agents.sql_llm import LlmSqlAgent
        return LlmSqlAgent(self.llm, self.database, self.max_rows, self.timeout_s, self.llm_data)

    @cached_property
    def llm_query_parser(self):
        from agents.query_llm import build_query_parser
        return build_query_parser(self.llm, self.planner.understander.lex)

    @cached_property
    def specialists(self) -> dict:
        from agents.specialists import build_specialist
        from toolkits.langchain_tools import specialist_tools
        return {route: build_specialist(self.llm, tools, route)
                for route, tools in specialist_tools(self.service, self.llm_data, self.policy,
                                                     (self.alert_min_lift, self.alert_churn_rise)).items()}

    # -- the pipeline -----------------------------------------------------------
    def ask(self, question: str, context: Context | None = None, user: str = "anonymous") -> Answer:
        context = context if context is not None else Context()
        start = time.perf_counter()
        question = question if isinstance(question, str) else ""
        try:
            answer = self._answer(question, context)
        except DatabaseUnavailableError as exc:
            answer = Answer(question, "help", str(exc), error=str(exc))
        except Exception:  # never a stack trace to the user; the log keeps it
            log.exception("answering %r failed", question[:200])
            answer = Answer(question, "help", "抱歉，处理这个问题时出现内部错误，请换一种问法或稍后再试。",
                            error="内部错误")
        answer.latency_ms = (time.perf_counter() - start) * 1000
        answer.provenance.setdefault("provider", self.provider)
        if self.notice:
            answer.provenance.setdefault("notice", self.notice)
        for table in answer.tables:
            if user in self.pii_users:
                _unmask_table(table, self.db_path)
            else:
                _mask_table(table)   # defence in depth: names arrive masked already
        if self.audit:
            try:
                self.audit.record(answer, user)
            except OSError:   # a full disk must not stop answers; the log says so
                log.exception("audit log write failed")
        return answer

    def _answer(self, question: str, context: Context) -> Answer:
        text = question.strip()
        if not text:
            return Answer(question, "help", "问题是空的。" + HELP_TEXT, error="空问题")
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(question, "help", f"问题太长（{len(text)} 字，上限 {MAX_QUESTION_CHARS} 字）。请精简后再问，"
                                            "一次问一件事效果最好。", error="问题过长")
        plan = self.planner.plan(text, context)
        notice = None
        if self.llm is not None and plan.intent not in ("refuse_write", "empty"):
            try:
                answer = self._llm_within_deadline(question, text, context)
                if answer is not None:
                    return answer
            except LlmAnswerRejected as exc:
                notice = f"{exc}，本次使用离线模式回答。"
            except Exception as exc:  # unreachable endpoint, bad key, HTTP 500, malformed output …
                log.warning("LLM path failed, answering offline: %s", exc)
                notice = f"大模型暂时不可用（{type(exc).__name__}），本次使用离线模式回答。"
        answer = self._answer_offline(question, plan, context)
        if notice:   # about this answer only: the next question tries the model again
            answer.provenance["notice"] = notice
        return answer

    # -- offline ----------------------------------------------------------------
    def _month_note(self, text: str) -> str:
        """Say so when a question names a month the answer cannot be about."""
        info = self.sql_agent.build_info
        as_of, first = info.get("as_of_month"), info.get("first_month")
        for m in MONTH_MENTION.finditer(text):
            year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            named = f"{year}-{int(month):02d}"
            if named > as_of:
                return f"注意：数据截至基准月 {as_of}，没有 {named} 的数据；以下为基准月的结果。"
            if named < first:
                return f"注意：数据从 {first} 开始，没有 {named} 的数据；以下为基准月 {as_of} 的结果。"
            if named != as_of:
                return f"注意：离线模式按基准月 {as_of} 口径回答（历史月份 {named} 的明细暂不支持）。"
        return ""

    def _answer_offline(self, question: str, plan: Plan, context: Context) -> Answer:
        if plan.route == "help":
            text = {"refuse_write": REFUSAL_TEXT, "unknown": UNKNOWN_TEXT, "empty": "问题是空的。" + HELP_TEXT,
                    "not_chinese": "请用中文提问（Please ask in Chinese）。" + UNKNOWN_TEXT,
                    "follow_missed": "上一个问题没有得到回答，这句追问接不上它；为避免答成别的问题，请把完整的问题再说一遍"
                                     "（指标、条件和月份都说上）。",
                    "campaign_product": "交叉销售名单需要指定产品（存款、理财、基金或保险），"
                                        "例如：“给理财交叉销售挑100个客户”。"}.get(
                plan.intent, HELP_TEXT)
            return Answer(question, "help", text, provenance={"why_route": plan.reason},
                          error="拒绝写操作" if plan.intent == "refuse_write" else None)
        if plan.route == "sql":
            results, calls = [self.sql_agent.answer(plan)], [{"tool": f"sql:{plan.intent}", "args": {}}]
            note = self._month_note(normalize(question)) if plan.intent not in TYPED_INTENTS else ""
            if note:
                results[0].text = note + results[0].text
        else:
            intents = [plan.intent] + plan.also
            results = [self._specialist_offline(i, plan) for i in intents]
            calls = [{"tool": i, "args": {"customer_id": plan.customer_id, **plan.slots}} for i in intents]
        answer = _merge(question, plan.route, results, calls, {"why_route": plan.reason, "planner": "offline"})
        answer.reading, answer.alternative = plan.reading, plan.alternative
        understanding = plan.slots.get("understanding")
        if understanding is not None:
            answer.understood = answer.provenance.pop("understood", None) or understanding.block()
            answer.suggestions = list(understanding.suggestions)
        else:   # a model question or help: what was recognised is the intent and the customer
            answer.understood = {"status": "ok" if answer.ok else "error", "intent": plan.intent,
                                 "customer_id": plan.customer_id, "words_not_used": [], "assumptions": [],
                                 "confidence": "high" if answer.ok else "low"}
        if plan.reading:
            answer.text = plan.reading + answer.text
        if plan.alternative:
            answer.text += "\n" + plan.alternative
        if answer.ok:
            context.customer_id = plan.customer_id or context.customer_id
            context.route, context.intent = plan.route, plan.intent
            if understanding is not None and understanding.query is not None:
                context.query = understanding.query
        # not understood, or not answerable (中位数, a field the data lacks): a follow-up has nothing to follow
        context.missed = understanding is not None and understanding.status in ("not_understood", "unavailable")
        return answer

    def _specialist_offline(self, intent: str, plan: Plan) -> ToolResult:
        svc, slots = self.service, plan.slots
        calls = {
            "customer_probability": lambda: mt.customer_probability(svc, plan.customer_id),
            "importance": lambda: mt.value_drivers(svc),
            "model_insights": lambda: mt.model_insights(svc),
            "potential_lists": lambda: mt.potential_lists(svc, slots.get("top_n", 20)),
            "segments_overview": lambda: mt.segments_overview(svc),
            "customer_segment": lambda: mt.customer_segment(svc, plan.customer_id),
            "recommend": lambda: mt.recommend_products(svc, plan.customer_id),
            "combinations": lambda: mt.common_combinations(svc, plan.specs[0].filters if plan.specs else [],
                                                           slots.get("top_n", 10)),
            "rules": lambda: mt.product_rules(svc, slots.get("top_n", 10)),
            "customer_forecast": lambda: mt.customer_forecast(svc, plan.customer_id, slots.get("months", 6)),
            "aum_outlook": lambda: mt.aum_outlook(svc, slots.get("quarters", 4)),
            "decline_list": lambda: mt.decline_list(svc, slots.get("top_n", 20)),
            "campaign_list": lambda: ct.campaign_list(
                svc, slots["goal"], slots["size"], slots["product"], population_sql(slots["where"], slots["city_of"]),
                slots["population"], self.policy, slots["channel"]),
            "conversion": lambda: ct.conversion(svc),
            "alerts": lambda: ct.alert_list(svc, self.alert_min_lift, self.alert_churn_rise),
        }
        return calls[intent]()

    # -- with an LLM --------------------------------------------------------------
    def _llm_within_deadline(self, question: str, text: str, context: Context) -> Answer | None:
        """The model path in a worker, given llm_deadline_s: a provider that trickles bytes or an agent
        that keeps calling tools cannot hold the question. It works on a copy of the conversation's
        context, taken over only when it answers in time."""
        trial = dataclasses.replace(context)
        future = _LLM_WORKERS.submit(self._answer_with_llm, question, text, trial)
        try:
            answer = future.result(timeout=self.llm_deadline_s)
        except FutureTimeout:
            future.cancel()
            raise LlmAnswerRejected(f"大模型超过 {self.llm_deadline_s:g} 秒未完成") from None
        if answer is not None:
            for f in dataclasses.fields(Context):
                setattr(context, f.name, getattr(trial, f.name))
        return answer

    def _answer_with_llm(self, question: str, text: str, context: Context) -> Answer | None:
        from agents.specialists import run_specialist
        decision = self.llm_router.invoke({"question": text, "context": context})
        if decision.customer_id is None and context.customer_id and any(p in text for p in PRONOUNS):
            decision.customer_id = context.customer_id
        why = {"why_route": decision.reason or f"大模型路由到 {decision.route}", "planner": "llm"}
        if decision.route == "help":
            return None   # the offline help texts are the reviewed ones
        if decision.route == "sql":
            typed = self._llm_typed_query(question, text, context, why)
            if typed is not None:
                return typed
            result = self.llm_sql_agent.answer(text)
            if not result.ok:
                return None   # the offline semantic layer gets its turn
            answer = _merge(question, "sql", [result],
                            [{"tool": "llm_sql", "args": {"attempts": result.provenance["attempts"]}}], why)
            answer.provenance["sql_path"] = "free_sql"   # the typed query could not express it
            return answer
        prompt = text + (f"\n（客户号：{decision.customer_id}）" if decision.customer_id else "")
        texts, results, calls = [], [], []
        for route in [decision.route] + [r for r in decision.also if r != decision.route]:
            reply, tool_results, tool_calls = run_specialist(self.specialists[route], prompt)
            texts.append(reply)
            results += tool_results
            calls += tool_calls
        if not results:   # free text with no tool behind it may hold invented numbers
            raise LlmAnswerRejected("大模型没有调用模型工具（回答未经数据核对）")
        if not any(t.strip() for t in texts):
            raise LlmAnswerRejected("大模型返回了空回答")
        answer = _merge(question, decision.route, results, calls, why)
        failed = [r.error for r in results if not r.ok]
        answer.text = failed[0] if failed and not any(r.ok for r in results) else "\n".join(t for t in texts if t)
        if answer.ok:
            context.customer_id = decision.customer_id or context.customer_id
            context.route = decision.route
        return answer

    def _llm_typed_query(self, question: str, text: str, context: Context, why: dict) -> Answer | None:
        """The model fills the typed query; None when it could not (the free-SQL agent tries next)."""
        from agents.query_llm import SpecError, to_query
        from agents.understand import Understanding
        try:
            spec = self.llm_query_parser.invoke(text)
        except Exception as exc:  # malformed structured output: free SQL is the fallback
            log.warning("typed query from the LLM failed: %s", exc)
            return None
        if spec is None:
            return None
        try:
            query = to_query(spec, self.planner.understander.lex)
        except SpecError as exc:
            u = Understanding(None, "unavailable", message=str(exc))
            said = f"无法按数据回答：{exc}。为避免给出另一个问题的数字，这里不作回答。"
            answer = Answer(question, "sql", said, error=said, provenance={**why, "sql_path": "typed_query"})
            answer.understood = u.block()
            return answer
        understood = Understanding(query, assumptions=["由大模型理解为类型化查询"]).block()
        result = self.sql_agent.query_answerer(self.planner.understander.lex.city_of).answer(query, understood)
        answer = _merge(question, "sql", [result], [{"tool": "typed_query", "args": {"source": "llm"}}],
                        {**why, "sql_path": "typed_query"})
        answer.understood = answer.provenance.pop("understood", understood)
        if answer.ok:
            context.query = query
            context.route = "sql"
        return answer


def _merge(question: str, route: str, results: list[ToolResult], calls: list[dict], provenance: dict) -> Answer:
    ok = [r for r in results if r.ok]
    errors = [r.error for r in results if not r.ok]
    answer = Answer(question, route, "\n".join([r.text for r in ok] + errors),
                    [t for r in ok for t in r.tables], [c for r in ok for c in r.charts],
                    [s for r in results for s in r.sql], calls,
                    error=errors[0] if errors and not ok else None, provenance=dict(provenance))
    for r in results:
        for key, value in r.provenance.items():
            if key == "definitions":
                answer.provenance.setdefault("definitions", []).extend(value)
            else:
                answer.provenance.setdefault(key, value)
    return answer


def _unmask_table(table: TableData, db_path: Path) -> None:
    """For the PII role: the list's names in full, from the one trusted reader (db.personal)."""
    if "客户号" not in table.columns or "姓名" not in table.columns:
        return
    i, j = table.columns.index("客户号"), table.columns.index("姓名")
    names = display_names(db_path, [row[i] for row in table.rows], unmasked=True)
    for row in table.rows:
        row[j] = names.get(row[i], row[j])


def _mask_table(table: TableData) -> None:
    hidden = [i for i, c in enumerate(table.columns) if str(c).lower() in PERSONAL_COLUMNS]
    for row in table.rows:
        for i in hidden:
            row[i] = mask_name(row[i])
