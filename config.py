"""The one place configuration is read.

Every setting is an environment variable with a documented default; paths that
are relative resolve against the project folder so the app, the CLIs and the
tests agree on where things live whatever the working directory.

| variable        | default          | meaning                                  |
|-----------------|------------------|------------------------------------------|
| BANK_DB         | data/bank.db     | what data questions read: a SQLite file, or a server URL (postgresql+psycopg://… / mysql+pymysql://…, a read-only role) |
| BANK_LOCAL_DB   | data/bank.db     | with a server BANK_DB: the local build the models were trained on and read |
| BANK_ARTIFACTS  | artifacts/       | trained models and their model cards     |
| BANK_LLM        | offline, or dashscope when DASHSCOPE_API_KEY is set | offline / dashscope / openai |
| DASHSCOPE_API_KEY | (none)         | key for Qwen on DashScope                |
| BANK_QWEN_MODEL | qwen-plus        | DashScope model name                     |
| DASHSCOPE_BASE_URL | https://dashscope.aliyuncs.com/compatible-mode/v1 | DashScope's OpenAI-compatible endpoint |
| BANK_LLM_TIMEOUT_S | 15            | time limit of one model request          |
| BANK_LLM_DEADLINE_S | 30           | time limit of the model path for one question (then the offline answer) |
| OPENAI_BASE_URL | http://localhost:11434/v1 | OpenAI-compatible endpoint (Ollama, vLLM) |
| OPENAI_API_KEY  | not-needed       | key for that endpoint, if it wants one   |
| BANK_OPENAI_MODEL | qwen2.5:7b     | model name at that endpoint              |
| BANK_LLM_DATA   | aggregates       | result values a remote model may read: schema (none) / aggregates (no customer-level rows) / rows (masked, ≤ 20) |
| BANK_SQL_TIMEOUT_S | 5             | time limit of one query                  |
| BANK_SQL_MAX_ROWS  | 1000          | row cap of one query                     |
| BANK_AUDIT_LOG  | logs/audit.jsonl | audit log (JSON lines); empty = off     |
| BANK_PII_USERS  | (none)           | comma-separated users who see unmasked names |
| BANK_AUTH       | (none)           | web app logins, `user:pass[,user2:pass2]` (demos; never on the command line) |
| BANK_AUTH_FILE  | (none)           | web app logins as salted hashes, `user:pbkdf2_sha256$…` (python -m ui.logins hash USER) |
| BANK_HOST       | 127.0.0.1        | address the web app listens on           |
| BANK_PORT       | 7860             | port of the web app                      |
| BANK_UI_CONCURRENCY | 4            | questions answered at once by the web app |
| BANK_QUEUE_MAX  | 64               | waiting requests before new ones are turned away |
| BANK_RATE_PER_MIN | 30             | questions per user per minute in the web app |
| BANK_ADMIN_USERS | (none)          | comma-separated logins that see the 数据 tab (import new exports); needs a login |
| BANK_UPLOAD_MAX_MB | 2048          | largest file the 数据 tab accepts                |
| BANK_CONTACT_DAYS | 30             | a campaign list leaves out customers contacted within this many days |
| BANK_REFUSAL_DAYS | 90             | … and customers who refused (拒绝) within this many days |
| BANK_ALERT_MIN_LIFT | 1.5          | alert when a list's backtested conversion is below this multiple of a random list's |
| BANK_ALERT_CHURN_RISE | 0.10       | alert when 高净值 customers flagged by the churn model rise by this share month on month |
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from db.database import is_server_url

PROJECT_ROOT = Path(__file__).resolve().parent


def _path(env: str, default: str) -> Path:
    path = Path(os.environ.get(env) or default).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _database(text: str | None) -> str:
    """BANK_DB as the assistant opens it: a server URL as given, a path resolved like the others."""
    return text if text and is_server_url(text) else str(_path("BANK_DB", "data/bank.db"))


@dataclass(frozen=True)
class Settings:
    db_path: Path
    artifacts_dir: Path
    llm_provider: str
    dashscope_api_key: str | None
    qwen_model: str
    dashscope_base_url: str
    llm_timeout_s: float
    llm_deadline_s: float
    openai_base_url: str
    openai_api_key: str
    openai_model: str
    llm_data: str
    sql_timeout_s: float
    sql_max_rows: int
    audit_log: Path | None
    pii_users: frozenset[str]
    auth: tuple[tuple[str, str], ...]
    auth_file: Path | None
    host: str
    port: int
    ui_concurrency: int
    queue_max: int
    rate_per_min: int
    admin_users: frozenset[str]
    upload_max_mb: int
    database: str | None = None   # BANK_DB as opened (a server URL, or the path); None = db_path
    contact_days: int = 30
    refusal_days: int = 90
    alert_min_lift: float = 1.5
    alert_churn_rise: float = 0.10


def parse_auth(text: str | None) -> tuple[tuple[str, str], ...]:
    """`user:pass,user2:pass2` -> pairs; a malformed entry is an error, not a silent open door."""
    pairs = []
    for item in (text or "").split(","):
        if not item.strip():
            continue
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise ValueError(f"登录凭据格式应为 用户名:密码（收到 {user or item.strip()!r}…）")
        pairs.append((user, password))
    return tuple(pairs)


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = (os.environ.get(name) or default).strip().lower()
    if value not in allowed:
        raise ValueError(f"{name} 应为 {'/'.join(allowed)} 之一（收到 {value!r}）")
    return value


def _users(text: str | None) -> frozenset[str]:
    return frozenset(u.strip() for u in (text or "").split(",") if u.strip())


def settings() -> Settings:
    """Read the environment now (not at import), so tests and CLIs can set it."""
    env = os.environ.get
    key = env("DASHSCOPE_API_KEY") or None
    return Settings(
        db_path=_path("BANK_LOCAL_DB", "data/bank.db") if is_server_url(env("BANK_DB") or "")
        else _path("BANK_DB", "data/bank.db"),
        database=_database(env("BANK_DB")),
        artifacts_dir=_path("BANK_ARTIFACTS", "artifacts"),
        llm_provider=(env("BANK_LLM") or ("dashscope" if key else "offline")).lower(),
        dashscope_api_key=key,
        qwen_model=env("BANK_QWEN_MODEL") or "qwen-plus",
        dashscope_base_url=env("DASHSCOPE_BASE_URL") or "https://dashscope.aliyuncs.com/compatible-mode/v1",
        llm_timeout_s=float(env("BANK_LLM_TIMEOUT_S") or 15),
        llm_deadline_s=float(env("BANK_LLM_DEADLINE_S") or 30),
        openai_base_url=env("OPENAI_BASE_URL") or "http://localhost:11434/v1",
        openai_api_key=env("OPENAI_API_KEY") or "not-needed",
        openai_model=env("BANK_OPENAI_MODEL") or "qwen2.5:7b",
        llm_data=_choice("BANK_LLM_DATA", ("schema", "aggregates", "rows"), "aggregates"),
        sql_timeout_s=float(env("BANK_SQL_TIMEOUT_S") or 5),
        sql_max_rows=int(env("BANK_SQL_MAX_ROWS") or 1000),
        audit_log=None if env("BANK_AUDIT_LOG") == "" else _path("BANK_AUDIT_LOG", "logs/audit.jsonl"),
        pii_users=_users(env("BANK_PII_USERS")),
        auth=parse_auth(env("BANK_AUTH")),
        auth_file=_path("BANK_AUTH_FILE", "") if env("BANK_AUTH_FILE") else None,
        host=env("BANK_HOST") or "127.0.0.1",
        port=int(env("BANK_PORT") or 7860),
        ui_concurrency=int(env("BANK_UI_CONCURRENCY") or 4),
        queue_max=int(env("BANK_QUEUE_MAX") or 64),
        rate_per_min=int(env("BANK_RATE_PER_MIN") or 30),
        admin_users=_users(env("BANK_ADMIN_USERS")),
        upload_max_mb=int(env("BANK_UPLOAD_MAX_MB") or 2048),
        contact_days=int(env("BANK_CONTACT_DAYS") or 30),
        refusal_days=int(env("BANK_REFUSAL_DAYS") or 90),
        alert_min_lift=float(env("BANK_ALERT_MIN_LIFT") or 1.5),
        alert_churn_rise=float(env("BANK_ALERT_CHURN_RISE") or 0.10),
    )
