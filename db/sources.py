"""Where raw rows come from: the demo generator or the bank's own CSV exports.

A source yields raw chunks as (DataFrame, row number of its first row) and
knows its fingerprint (what the data was built from) for model staleness checks.
"""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pandas as pd

from db.errors import InputFileError
from db.generator import DemoDataGenerator, GeneratorConfig
from db.schema import CUSTOMER_BASE, CUSTOMER_BEHAVIOR

CSV_CHUNK_ROWS = 250_000


class GeneratedSource:
    """Demo data; row numbers are 1-based positions in each table."""

    kind = "generated"

    def __init__(self, config: GeneratorConfig):
        self.config = config
        self.generator = DemoDataGenerator(config)

    def describe(self) -> dict:
        c = self.config
        return {"source": "generated", "customers": c.customers, "months": c.months,
                "end_month": c.end_month, "seed": c.seed, "dirty_rate": c.dirty_rate}

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.describe(), sort_keys=True).encode()).hexdigest()[:16]

    def customer_base_columns(self) -> list[str]:
        return CUSTOMER_BASE.names

    def customer_base_chunks(self):
        yield self.generator.customer_base(), 1

    def behavior_columns(self) -> list[str]:
        return CUSTOMER_BEHAVIOR.names

    def behavior_chunks(self):
        first = 1
        for frame in self.generator.behavior_months():
            yield frame, first
            first += len(frame)


class CsvSource:
    """The bank's exports; row numbers are line numbers in the file (header = 1)."""

    kind = "csv"

    def __init__(self, customer_base_csv: Path, behavior_csv: Path):
        self.paths = {"customer_base": Path(customer_base_csv),
                      "customer_behavior_assets": Path(behavior_csv)}
        for path in self.paths.values():
            if not path.is_file():
                raise InputFileError(f"找不到文件：{path}")

    def describe(self) -> dict:
        return {"source": "csv", **{k: str(p) for k, p in self.paths.items()}}

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for path in self.paths.values():
            with open(path, "rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
        return digest.hexdigest()[:16]

    def _header(self, table: str) -> list[str]:
        path = self.paths[table]
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                header = next(csv.reader(f), None)
        except UnicodeDecodeError as exc:
            raise InputFileError(f"{path} 不是 UTF-8 编码的 CSV（{exc.reason}）。请另存为 UTF-8 后重试。")
        if not header:
            raise InputFileError(f"{path} 是空文件，没有表头。")
        return header

    def _chunks(self, table: str):
        first = 2
        try:
            reader = pd.read_csv(self.paths[table], dtype=str, keep_default_na=False,
                                 encoding="utf-8-sig", chunksize=CSV_CHUNK_ROWS)
            for frame in reader:
                frame.columns = [str(c).strip() for c in frame.columns]
                # Exports pad values with spaces; strip once here so cleaning
                # can treat '' as the only blank.
                yield frame.apply(lambda column: column.str.strip()), first
                first += len(frame)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{self.paths[table]} 无法按 CSV 解析：{exc}") from exc

    def customer_base_columns(self) -> list[str]:
        return self._header("customer_base")

    def customer_base_chunks(self):
        return self._chunks("customer_base")

    def behavior_columns(self) -> list[str]:
        return self._header("customer_behavior_assets")

    def behavior_chunks(self):
        return self._chunks("customer_behavior_assets")
