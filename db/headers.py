"""Which column of the data contract each header of a bank's file is.

Headers match case-, width- and space-insensitively on the column's name, its Chinese label
(with or without the unit: 总资产（AUM，元）, 总资产) and the aliases the contract lists
(客户编号, 所属网点, 统计月份 …). A mapping file (`--columns mapping.yaml`, `文件中的表头: 列名`)
settles the rest. A header nothing matches is reported with its closest candidates, and a
required column that no header provides stops the build with those candidates.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from db.errors import InputFileError, MissingColumnError
from db.schema import Table


def normalize_header(text: str) -> str:
    """客户 ID / Customer_ID / ＣＵＳＴＯＭＥＲ＿ＩＤ -> customerid; a unit in brackets is dropped."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = re.sub(r"[（(][^）)]*[）)]$", "", text.strip())
    return re.sub(r"[\s_\-.·/]+", "", text)


def _keys(table: Table) -> dict[str, str]:
    keys: dict[str, str] = {}
    for c in table.columns:
        for word in (c.name, c.label, *c.aliases):
            keys.setdefault(normalize_header(word), c.name)
    return keys


@dataclass
class HeaderMapping:
    table: str
    columns: dict[str, str]                       # header in the file -> column name
    unknown: dict[str, list[str]] = field(default_factory=dict)   # header -> closest columns
    missing_optional: list[str] = field(default_factory=list)

    def renamed(self) -> dict[str, str]:
        """Only the headers that differ from their column (for the report)."""
        return {h: c for h, c in self.columns.items() if h != c}


def load_mapping_file(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputFileError(f"列名映射文件 {path} 无法读取：{exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InputFileError(f"列名映射文件 {path} 应为“文件中的表头: 列名”的键值对，例如 “客户代号: customer_id”。")
    return data


def map_headers(table: Table, headers: list[str], explicit: dict[str, str] | None = None) -> HeaderMapping:
    """Raises MissingColumnError (with candidates) when a required column has no header."""
    keys = _keys(table)
    explicit = explicit or {}
    columns: dict[str, str] = {}
    unknown: list[str] = []
    for header in headers:
        target = explicit.get(header)   # one mapping file serves both files: a column of this table only
        column = target if target in table.names else keys.get(normalize_header(header))
        if column is None:
            unknown.append(header)
        elif column in columns.values():
            first = next(h for h, c in columns.items() if c == column)
            raise InputFileError(f"{table.name} 的表头“{first}”和“{header}”都对应列 {column}，请删除其中一列"
                                 "或在列名映射文件中指明。")
        else:
            columns[header] = column
    candidates = {h: _closest(h, table) for h in unknown}
    missing = [c for c in table.columns if c.name not in columns.values()]
    required = [c.name for c in missing if c.required]
    if required:
        suggestions = {name: next((h for h in unknown if name in candidates[h]), "") for name in required}
        raise MissingColumnError(table.name, required, {k: v for k, v in suggestions.items() if v},
                                 {h: c for h, c in candidates.items() if c})
    return HeaderMapping(table.name, columns, candidates, [c.name for c in missing])


def _closest(header: str, table: Table) -> list[str]:
    """Up to three columns whose name, label or alias looks like the header."""
    words = {w: c.name for c in table.columns for w in (c.name, c.label, *c.aliases)}
    norm = {normalize_header(w): c for w, c in words.items()}
    found = difflib.get_close_matches(normalize_header(header), list(norm), n=6, cutoff=0.5)
    return list(dict.fromkeys(norm[w] for w in found))[:3]
