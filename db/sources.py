"""Where raw rows come from: the demo generator or the bank's own exports (CSV or Excel).

A source yields raw chunks as (DataFrame, row number of its first row) and
knows its fingerprint (what the data was built from) for model staleness checks.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


from db.cleaning import NUMERIC_KINDS
from db.errors import InputFileError
from db.headers import load_mapping_file, map_headers
from db.readers import open_table
from db.generator import DemoDataGenerator, GeneratorConfig
from db.schema import CUSTOMER_BASE, CUSTOMER_BEHAVIOR


class GeneratedSource:
    """Demo data; row numbers are 1-based positions in each table."""

    kind = "generated"
    stop_unreadable = False   # its invalid values are planted (dirty_rate, up to 50%): cleaned, never a stop

    def __init__(self, config: GeneratorConfig):
        self.config = config
        self.generator = DemoDataGenerator(config)

    def describe(self) -> dict:
        c = self.config
        return {"source": "generated", "customers": c.customers, "months": c.months,
                "end_month": c.end_month, "seed": c.seed, "dirty_rate": c.dirty_rate}

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.describe(), sort_keys=True).encode()).hexdigest()[:16]

    def notes(self) -> list[str]:
        return []

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


class FileSource:
    """The bank's exports (CSV in any common encoding and separator, or Excel), with headers mapped
    to the contract's columns. Row numbers are as the file shows them (header = row 1)."""

    kind = "file"
    stop_unreadable = True    # a column mostly unreadable is a format not understood: stop, keep the old data

    def __init__(self, customer_base_path: Path, behavior_path: Path, *, sheet: str | None = None,
                 columns: Path | None = None):
        explicit = load_mapping_file(columns)
        known = set(CUSTOMER_BASE.names) | set(CUSTOMER_BEHAVIOR.names)
        wrong = {h: c for h, c in explicit.items() if c not in known}
        if wrong:
            raise InputFileError("列名映射文件中有不存在的列：" + "；".join(f"{h} → {c}" for h, c in wrong.items())
                                 + "。可用的列见数据字典（docs/data_dictionary.md）。")
        self.files = {"customer_base": open_table(customer_base_path, sheet),
                      "customer_behavior_assets": open_table(behavior_path, sheet)}
        self.mappings = {name: map_headers(table, self.files[name].header, explicit)
                         for name, table in (("customer_base", CUSTOMER_BASE),
                                             ("customer_behavior_assets", CUSTOMER_BEHAVIOR))}

    def describe(self) -> dict:
        return {"source": "file", **{k: str(f.path) for k, f in self.files.items()},
                **{f"{k}_format": f.describe() for k, f in self.files.items()}}

    def file_of(self, table: str) -> str:
        return self.files[table].path.name

    def notes(self) -> list[str]:
        """How each file was read and which headers were mapped or ignored (for the report)."""
        out = []
        for name, f in self.files.items():
            m = self.mappings[name]
            out.append(f"{f.path.name}：{f.describe()}。")
            if m.renamed():
                out.append(f"{name} 的表头已对应：" + "，".join(f"{h} → {c}" for h, c in m.renamed().items()) + "。")
            if m.unknown:
                out.append(f"{name} 中未识别的表头已忽略：" + "；".join(
                    f"{h}" + (f"（最接近：{'、'.join(c)}）" if c else "") for h, c in m.unknown.items()) + "。")
        return out

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for f in self.files.values():
            with open(f.path, "rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
        return digest.hexdigest()[:16]

    def _chunks(self, table: str):
        mapping = self.mappings[table].columns
        kinds = {c.name: c.kind for c in (CUSTOMER_BASE if table == "customer_base" else CUSTOMER_BEHAVIOR).columns}
        numeric = frozenset(h for h, c in mapping.items() if kinds[c] in NUMERIC_KINDS)
        for frame, first in self.files[table].chunks(numeric=numeric):
            yield frame[list(mapping)].rename(columns=mapping), first

    def customer_base_columns(self) -> list[str]:
        return list(self.mappings["customer_base"].columns.values())

    def customer_base_chunks(self):
        return self._chunks("customer_base")

    def behavior_columns(self) -> list[str]:
        return list(self.mappings["customer_behavior_assets"].columns.values())

    def behavior_chunks(self):
        return self._chunks("customer_behavior_assets")
