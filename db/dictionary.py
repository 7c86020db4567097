"""Render the data dictionary (数据表字段含义) from a database's metadata tables.

    python -m db.dictionary [--db PATH] [--out docs/data_dictionary.md]
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from config import settings


def render_data_dictionary(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
    try:
        tables = conn.execute("SELECT table_name, label_zh, description_zh FROM meta_tables").fetchall()
        lines = ["# 数据字典（数据表字段含义）", "",
                 "由 `python -m db.dictionary` 从数据库的元数据表（meta_tables / meta_columns）生成，"
                 "请勿手工修改。口径定义见 [glossary.md](glossary.md)。", ""]
        for name, label, description in tables:
            lines += [f"## {name} — {label}", "", description, "",
                      "| 字段 | 中文名 | 类型 | 说明 | 取值 | 必需 |", "|---|---|---|---|---|---|"]
            for row in conn.execute(
                    "SELECT column_name, label_zh, sql_type, description_zh, value_domain, required "
                    "FROM meta_columns WHERE table_name = ? ORDER BY rowid", [name]):
                col, zh, typ, desc, domain, required = row
                lines.append(f"| {col} | {zh} | {typ} | {desc} | {domain} | {'是' if required else '否'} |")
            lines.append("")
        return "\n".join(lines)
    finally:
        conn.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db.dictionary")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    text = render_data_dictionary(args.db or settings().db_path)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
