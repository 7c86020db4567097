"""The one place configuration is read.

Every setting is an environment variable with a documented default; paths that
are relative resolve against the project folder so the app, the CLIs and the
tests agree on where things live whatever the working directory.

| variable        | default          | meaning                                  |
|-----------------|------------------|------------------------------------------|
| BANK_DB         | data/bank.db     | the SQLite database the assistant reads  |
| BANK_ARTIFACTS  | artifacts/       | trained models and their model cards     |
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent


def _path(env: str, default: str) -> Path:
    path = Path(os.environ.get(env) or default).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Settings:
    db_path: Path
    artifacts_dir: Path


def settings() -> Settings:
    """Read the environment now (not at import), so tests and CLIs can set it."""
    return Settings(
        db_path=_path("BANK_DB", "data/bank.db"),
        artifacts_dir=_path("BANK_ARTIFACTS", "artifacts"),
    )
