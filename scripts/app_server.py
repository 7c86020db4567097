"""Start the real web app (`app_gradio.py`) in its own process and wait until it serves.

Used by the browser tests, the screenshot script and the load benchmarks, so
each of them talks to the app exactly as a user's browser would.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from config import PROJECT_ROOT



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`with AppServer(db, artifacts) as app: app.url` — the app on a free local port."""

    def __init__(self, db_path: Path, artifacts_dir: Path, *, args: tuple[str, ...] = (), env: dict | None = None,
                 startup_s: float = 90.0, log_path: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = args
        self.env = {**os.environ, "BANK_DB": str(db_path), "BANK_ARTIFACTS": str(artifacts_dir),
                    "BANK_AUDIT_LOG": "", "BANK_LLM": "offline", "GRADIO_ANALYTICS_ENABLED": "False",
                    "PYTHONUNBUFFERED": "1", **(env or {})}
        self.startup_s = startup_s
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None   # process start to first answered request

    def __enter__(self) -> "AppServer":
        self._log = open(self.log_path, "w") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "app_gradio.py"), "--port", str(self.port),
                                         *self.args], cwd=PROJECT_ROOT, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        started = time.monotonic()
        deadline = started + self.startup_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited with {self.process.returncode} (log: {self.log_path})")
            try:
                urllib.request.urlopen(self.url + "/gradio_api/info", timeout=2)
                self.startup_seconds = time.monotonic() - started
                return self
            except urllib.error.HTTPError as exc:   # 401 with auth on: it is serving
                if exc.code in (401, 403):
                    self.startup_seconds = time.monotonic() - started
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.__exit__(None, None, None)
        raise TimeoutError(f"app did not start within {self.startup_s:.0f} s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log_path and self._log is not subprocess.DEVNULL:
            self._log.close()

    @property
    def pid(self) -> int:
        return self.process.pid


def turn_text(history: list) -> str:
    """The text of the last turn's answer in a chat the `/ask` endpoint returned (via gradio_client)."""
    last_user = max(i for i, m in enumerate(history) if m["role"] == "user")
    return "\n".join(part.get("text", "") for m in history[last_user + 1:] for part in m["content"]
                     if isinstance(part, dict))
