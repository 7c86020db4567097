"""Every table and column carries its Chinese description in the database itself."""
from pathlib import Path

from db.dictionary import render_data_dictionary
from tests.conftest import read

DOC = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"


def test_every_column_of_every_table_is_described_in_chinese(small_db):
    columns = read(small_db, """
        SELECT m.name AS table_name, ti.name AS column_name FROM sqlite_master m
        JOIN pragma_table_info(m.name) ti
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'meta_%'""")
    meta = read(small_db, "SELECT table_name, column_name, label_zh FROM meta_columns")
    merged = columns.merge(meta, on=["table_name", "column_name"], how="left")
    assert merged["label_zh"].notna().all(), merged[merged["label_zh"].isna()]
    assert set(read(small_db, "SELECT table_name FROM meta_tables")["table_name"]) == set(columns["table_name"])


def test_the_committed_data_dictionary_is_the_one_generated_from_metadata(small_db):
    assert DOC.read_text(encoding="utf-8") == render_data_dictionary(small_db), \
        "docs/data_dictionary.md is stale: run python -m db.dictionary --out docs/data_dictionary.md"
