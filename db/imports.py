"""Replacing the database with a bank's new exports in two steps: stage, then confirm.

`stage_import` builds the new database beside the current one (same validation and cleaning as
`python -m db.build --from-csv`) and returns what would change; nothing the assistant reads is
touched. `commit_import` renames the staged file into place (atomic on one filesystem: readers see
the old database or the new one, never a mix); `discard_import` removes it. Used by the web app's
数据 tab; the command line builds in one step.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from db.loader import BuildResult, build_database, quality_report_path, truth_path
from db.readonly import build_info, run_select
from db.sources import FileSource


@dataclass
class StagedImport:
    staged: Path
    target: Path
    result: BuildResult
    before: dict | None
    after: dict


def summary(db_path: Path) -> dict | None:
    """What a person compares before confirming: customers, months, 基准月, AUM at the 基准月."""
    if not Path(db_path).exists():
        return None
    info = build_info(db_path)
    aum = run_select(db_path, "SELECT total_assets FROM monthly_summary WHERE stat_month = ?",
                     [info["as_of_month"]]).frame["total_assets"]
    return {"customers": int(info["customers"]), "months": int(info["months"]),
            "first_month": info["first_month"], "as_of_month": info["as_of_month"],
            "aum": float(aum.iloc[0]) if len(aum) else None}


def stage_import(customer_base: Path, behavior: Path, db_path: Path, *, sheet: str | None = None,
                 keep: str = "first") -> StagedImport:
    """Raises BuildError (with a Chinese message) when the files cannot be imported."""
    db_path = Path(db_path)
    staged = db_path.with_name(f".{db_path.stem}.staged.db")
    result = build_database(FileSource(customer_base, behavior, sheet=sheet), staged, keep=keep)
    return StagedImport(staged, db_path, result, summary(db_path), summary(staged))


def commit_import(staged: StagedImport) -> None:
    os.replace(staged.staged, staged.target)
    os.replace(quality_report_path(staged.staged), quality_report_path(staged.target))
    truth_path(staged.target).unlink(missing_ok=True)   # the demo generator's truth describes other data


def discard_import(staged: StagedImport) -> None:
    staged.staged.unlink(missing_ok=True)
    quality_report_path(staged.staged).unlink(missing_ok=True)
