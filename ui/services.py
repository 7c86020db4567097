"""What the tabs share: the assistant, the dashboard data, the limiter and who is asking."""
from __future__ import annotations

from dataclasses import dataclass

from agents.assistant import Assistant
from config import Settings
from toolkits.dashboard import Dashboard
from ui.limits import RateLimiter


@dataclass
class Services:
    settings: Settings
    assistant: Assistant
    dashboard: Dashboard
    limiter: RateLimiter

    @classmethod
    def from_settings(cls, s: Settings) -> "Services":
        assistant = Assistant.from_settings(s)
        return cls(s, assistant, Dashboard(assistant.database), RateLimiter(s.rate_per_min))

    def sees_names(self, user: str) -> bool:
        return user in self.settings.pii_users

    def is_admin(self, user: str) -> bool:
        return user in self.settings.admin_users

    def reload(self) -> None:
        """After the database or the models were replaced: parts that cached what they read start afresh."""
        self.assistant = Assistant.from_settings(self.settings)
        self.dashboard = Dashboard(self.assistant.database)


def user_of(request) -> str:
    return getattr(request, "username", None) or "anonymous"


def rate_key(request) -> str:
    """The login when there is one, else the client's address: a new browser session does not
    start a fresh allowance."""
    username = getattr(request, "username", None)
    if username:
        return f"user:{username}"
    client = getattr(request, "client", None)
    return f"client:{getattr(client, 'host', None) or 'unknown'}"
