"""Importing the bank's own CSV exports: validation, cleaning reports, round trip."""
import subprocess
import sys

import pandas as pd
import pytest

from db.errors import InputFileError, MissingColumnError
from db.export import export_generated_csv
from db.generator import GeneratorConfig
from db.loader import build_database
from db.sources import FileSource
from tests.conftest import build, contents_digest, read

ROUND_TRIP = GeneratorConfig(customers=600, months=12, seed=5)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_generated_csv(ROUND_TRIP, tmp_path_factory.mktemp("csv"))


def _rewrite(path, out, change):
    change(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(out, index=False)
    return out


def test_exporting_to_csv_and_importing_back_yields_the_same_database(exported, tmp_path):
    direct = build(ROUND_TRIP, tmp_path / "direct.db")
    imported = build_database(FileSource(*exported), tmp_path / "imported.db")
    assert contents_digest(direct.db_path) == contents_digest(imported.db_path)
    checks = lambda r: sorted((f.table, f.column, f.check, f.rows) for f in r.report.findings)
    assert checks(direct) == checks(imported)


def test_a_missing_column_fails_with_a_message_naming_it(exported, tmp_path):
    behavior = _rewrite(exported[1], tmp_path / "b.csv", lambda f: f.drop(columns=["total_assets"]))
    with pytest.raises(MissingColumnError) as err:
        build_database(FileSource(exported[0], behavior), tmp_path / "x.db")
    assert "total_assets" in str(err.value)
    assert not (tmp_path / "x.db").exists()


def test_a_misspelt_column_is_named_with_the_likely_intended_one(exported, tmp_path):
    base = _rewrite(exported[0], tmp_path / "c.csv",
                    lambda f: f.rename(columns={"lifecycle_stage": "lifecycle_stag"}))
    with pytest.raises(MissingColumnError) as err:
        build_database(FileSource(base, exported[1]), tmp_path / "x.db")
    assert "lifecycle_stage" in str(err.value) and "lifecycle_stag" in str(err.value)


def test_the_cli_reports_a_missing_column_in_chinese_without_a_traceback(exported, tmp_path):
    behavior = _rewrite(exported[1], tmp_path / "b.csv", lambda f: f.drop(columns=["stat_month"]))
    run = subprocess.run([sys.executable, "-m", "db.build", "--quiet", "--db", str(tmp_path / "x.db"),
                          "--from-csv", str(exported[0]), str(behavior)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "缺少必需列" in run.stderr and "stat_month" in run.stderr
    assert "Traceback" not in run.stderr


def test_missing_optional_columns_are_reported_and_the_build_succeeds(exported, tmp_path):
    optional = ["monthly_transaction_count", "monthly_transaction_amount",
                "last_transaction_date", "branch_visit_count"]
    behavior = _rewrite(exported[1], tmp_path / "b.csv", lambda f: f.drop(columns=optional))
    result = build_database(FileSource(exported[0], behavior), tmp_path / "x.db")
    notes = "\n".join(result.report.notes)
    assert all(name in notes for name in optional)
    assert "近三个月无交易客户" in notes and "网点访问次数分布" in notes
    assert read(result.db_path, "SELECT COUNT(last_transaction_date) n FROM customer_snapshot")["n"][0] == 0


def test_bad_values_are_nulled_and_reported_with_row_and_column(exported, tmp_path):
    def spoil(f):
        f.loc[4, "app_login_count"] = "abc"        # line 6 of the file
        f.loc[9, "last_contact_time"] = "0000-00-00"
        f.loc[9, "contact_result"] = "已转介"
        f.loc[12, "deposit_balance"] = "-5000"
        return f
    behavior = _rewrite(exported[1], tmp_path / "b.csv", spoil)
    result = build_database(FileSource(exported[0], behavior), tmp_path / "x.db")
    by_check = {(f.column, f.check): f for f in result.report.findings}
    non_numeric = by_check[("app_login_count", "非数值")]
    assert non_numeric.rows == 1 and non_numeric.examples == ["行6: 'abc'"]
    assert any(e.startswith("行11:") for e in by_check[("last_contact_time", "无效日期")].examples)
    assert by_check[("contact_result", "未定义类别")].rows == 1
    assert by_check[("deposit_balance", "负数余额")].rows >= 1
    row = read(result.db_path, "SELECT * FROM customer_behavior_assets WHERE rowid = 5").iloc[0]
    assert pd.isna(row["app_login_count"])
    kept = read(result.db_path, "SELECT contact_result FROM customer_behavior_assets WHERE rowid = 10")
    assert kept["contact_result"][0] == "已转介"


def test_duplicate_customers_are_reported_never_silently_dropped(exported, tmp_path):
    base = _rewrite(exported[0], tmp_path / "d.csv",
                    lambda f: pd.concat([f, f.iloc[[0]]]))
    result = build_database(FileSource(base, exported[1]), tmp_path / "x.db")
    dupes = [f for f in result.report.findings if f.check == "重复记录（内容相同）"]
    assert dupes and dupes[0].rows == 1 and "CUST000001" in dupes[0].examples[0]
    assert result.customers == ROUND_TRIP.customers


def test_a_file_in_no_known_encoding_gets_a_clear_error(exported, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(bytes(range(128, 256)) * 50)
    with pytest.raises(InputFileError) as err:
        build_database(FileSource(bad, exported[1]), tmp_path / "x.db")
    assert "UTF-8" in str(err.value) or "表头" in str(err.value)
    with pytest.raises(InputFileError):
        FileSource(tmp_path / "nope.csv", exported[1])
