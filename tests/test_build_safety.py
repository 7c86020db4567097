"""A build never leaves a half-written database behind."""
import pandas as pd
import pytest

from db.errors import BuildError
from db.export import export_generated_csv
from db.generator import GeneratorConfig
from db.loader import build_database
from db.sources import FileSource
from tests.conftest import build, file_hash


def test_a_failed_build_keeps_the_previous_database_and_leaves_no_temp_file(tmp_path):
    config = GeneratorConfig(customers=300, months=12, seed=1)
    good = build(config, tmp_path / "bank.db")
    before = file_hash(good.db_path)
    base, behavior = export_generated_csv(config, tmp_path / "csv")
    frame = pd.read_csv(behavior, dtype=str, keep_default_na=False)
    frame["stat_month"] = "not-a-month"   # fails late: after rows are loaded
    frame.to_csv(behavior, index=False)
    with pytest.raises(BuildError):
        build_database(FileSource(base, behavior), tmp_path / "bank.db")
    assert file_hash(tmp_path / "bank.db") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.db", "bank_quality_report.md",
                                                          "bank_truth.db", "csv"]


def test_twelve_months_of_data_build_a_complete_database(tmp_path):
    result = build(GeneratorConfig(customers=400, months=12, seed=2), tmp_path / "bank.db")
    assert result.as_of_month == "2026-10"
    from tests.conftest import read
    assert read(result.db_path, "SELECT COUNT(*) n FROM monthly_summary")["n"][0] == 12
    assert read(result.db_path, "SELECT value FROM build_info WHERE key='first_month'")["value"][0] == "2025-11"
