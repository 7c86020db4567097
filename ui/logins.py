"""Web app logins: credentials from the environment or a file of salted hashes, never the command
line (argv shows in `ps`); failed attempts slowed and, past a few, locked out for a while.

    python -m ui.logins hash analyst    # asks for the password, prints a line for BANK_AUTH_FILE

BANK_AUTH_FILE lines are `user:pbkdf2_sha256$iterations$salt_hex$hash_hex`; BANK_AUTH holds plain
`user:pass[,user2:pass2]` for demos (hashed in memory at start-up).
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import secrets
import sys
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

ITERATIONS = 200_000
MAX_FAILURES = 5            # within WINDOW_S: then locked for LOCK_S
WINDOW_S = LOCK_S = 900
FAILURE_DELAY_S = 1.0       # every failed attempt costs this much before the answer


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def _matches(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)


def read_auth_file(path: Path) -> dict[str, str]:
    """user -> stored hash; a malformed line is an error naming its line number."""
    users = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, stored = line.partition(":")
        if not sep or not stored.startswith("pbkdf2_sha256$"):
            raise ValueError(f"{path} 第 {n} 行应为 用户名:pbkdf2_sha256$…（用 python -m ui.logins hash 用户名 生成）")
        users[user] = stored
    return users


class Logins:
    """Gradio's auth callable: check(username, password) -> bool."""

    def __init__(self, hashed: dict[str, str], clock=time.monotonic, sleep=time.sleep):
        self.hashed = hashed
        self.clock, self.sleep = clock, sleep
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, plain: tuple[tuple[str, str], ...], auth_file: Path | None) -> "Logins | None":
        hashed = {user: hash_password(password, iterations=20_000) for user, password in plain}
        if auth_file is not None:
            hashed.update(read_auth_file(auth_file))
        return cls(hashed) if hashed else None

    def locked(self, username: str) -> bool:
        with self._lock:
            seen = self._failures[username]
            while seen and self.clock() - seen[0] > WINDOW_S:
                seen.popleft()
            return len(seen) >= MAX_FAILURES

    def __call__(self, username: str, password: str) -> bool:
        if self.locked(username):
            self.sleep(FAILURE_DELAY_S)
            return False
        stored = self.hashed.get(username)
        if stored is not None and _matches(password or "", stored):
            return True
        with self._lock:
            self._failures[username].append(self.clock())
        self.sleep(FAILURE_DELAY_S)
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.logins", description="生成 BANK_AUTH_FILE 中的一行")
    parser.add_argument("command", choices=["hash"])
    parser.add_argument("user")
    args = parser.parse_args(argv)
    password = getpass.getpass(f"{args.user} 的密码：")
    if len(password) < 8:
        print("密码至少 8 位。", file=sys.stderr)
        return 2
    print(f"{args.user}:{hash_password(password)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
