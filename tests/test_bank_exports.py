"""The files banks really export: other encodings, separators, Excel, Chinese headers, values in
their common forms — imported to exactly the database the plain CSV gives, or refused clearly with
the previous database untouched (issue 12)."""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from db.errors import ColumnUnreadableError, MissingColumnError
from db.export import export_generated_csv
from db.generator import GeneratorConfig
from db.loader import build_database
from db.schema import CUSTOMER_BASE, CUSTOMER_BEHAVIOR
from db.sources import FileSource
from tests.conftest import contents_digest, file_hash, read

CONFIG = GeneratorConfig(customers=300, months=6, seed=7)
DATE_COLUMNS = ("open_account_date", "last_app_login_time", "last_contact_time", "last_transaction_date")
MONEY_COLUMNS = ("monthly_income", "total_assets", "deposit_balance", "financial_balance", "fund_balance",
                 "insurance_balance", "credit_card_monthly_expense", "monthly_transaction_amount")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_generated_csv(CONFIG, tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def reference(exported, tmp_path_factory):
    """The database the plain UTF-8 comma-separated export builds."""
    result = build_database(FileSource(*exported), tmp_path_factory.mktemp("ref") / "bank.db")
    return contents_digest(result.db_path)


def frames(exported):
    return [pd.read_csv(p, dtype=str, keep_default_na=False) for p in exported]


def chinese(table, frame):
    """Headers as a Chinese export writes them: the contract's labels and aliases."""
    names = {c.name: (c.aliases[0] if c.aliases else c.label) for c in table.columns}
    return frame.rename(columns=names)


def test_gbk_semicolons_tabs_bom_and_chinese_or_uppercase_headers_give_the_same_database(
        exported, reference, tmp_path):
    base, behavior = frames(exported)
    chinese(CUSTOMER_BASE, base).to_csv(tmp_path / "base.csv", index=False, sep=";", encoding="gbk")
    behavior.rename(columns=str.upper).to_csv(tmp_path / "beh.txt", index=False, sep="\t", encoding="utf-8-sig")
    result = build_database(FileSource(tmp_path / "base.csv", tmp_path / "beh.txt"), tmp_path / "bank.db")
    assert contents_digest(result.db_path) == reference
    notes = "\n".join(result.report.notes)
    assert "GBK/GB18030" in notes and "分号" in notes and "UTF-8（带 BOM）" in notes and "制表符" in notes
    assert "客户ID → customer_id" in notes


def _bank_forms(base, behavior):
    """Dates, months, amounts, flags and gender written the ways bank systems write them."""
    def dates(series, k):
        valid = series.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        d = pd.to_datetime(series.where(valid), errors="coerce")
        forms = [d.dt.strftime("%Y/%m/%d"), d.dt.strftime("%Y%m%d"),
                 d.dt.year.astype("Int64").astype(str) + "年" + d.dt.month.astype("Int64").astype(str) + "月"
                 + d.dt.day.astype("Int64").astype(str) + "日", d.dt.strftime("%Y.%m.%d")]
        return series.where(~valid, forms[k % 4])

    base = base.copy()
    base["open_account_date"] = dates(base["open_account_date"], 0)
    base["gender"] = base["gender"].map({"男": "M", "女": "F"})
    base["monthly_income"] = [f"{float(v):,.2f}元" if v else v for v in base["monthly_income"]]
    behavior = behavior.copy()
    for k, column in enumerate(DATE_COLUMNS[1:]):
        behavior[column] = dates(behavior[column], k + 1)
    months = pd.to_datetime(behavior["stat_month"], format="%Y-%m")
    behavior["stat_month"] = months.dt.year.astype(str) + "年" + months.dt.month.astype(str) + "月"
    for column in MONEY_COLUMNS[1:]:
        behavior[column] = [f"{float(v):,.2f}" if v else v for v in behavior[column]]
    for column in ("deposit_flag", "financial_flag", "fund_flag", "insurance_flag"):
        behavior[column] = behavior[column].map({"1": "是", "0": "否", "1.0": "是", "0.0": "否"}).fillna(behavior[column])
    return base, behavior


def test_dates_months_amounts_flags_and_gender_in_bank_forms_read_as_the_plain_export(
        exported, reference, tmp_path):
    base, behavior = _bank_forms(*frames(exported))
    assert base["monthly_income"].str.contains(",").any()   # the fixture does use thousands separators
    base.to_csv(tmp_path / "base.csv", index=False)
    behavior.to_csv(tmp_path / "beh.csv", index=False)
    result = build_database(FileSource(tmp_path / "base.csv", tmp_path / "beh.csv"), tmp_path / "bank.db")
    assert contents_digest(result.db_path) == reference


def test_an_excel_workbook_with_typed_cells_and_chinese_headers_gives_the_same_database(
        exported, reference, tmp_path):
    base, behavior = frames(exported)
    for frame, table in ((base, CUSTOMER_BASE), (behavior, CUSTOMER_BEHAVIOR)):
        for c in table.columns:   # numbers and dates as Excel stores them, not as text
            if c.name in frame and c.kind in ("int", "money", "number", "flag"):
                frame[c.name] = pd.to_numeric(frame[c.name], errors="coerce")
            if c.name in frame and c.kind == "date":
                valid = frame[c.name].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
                frame[c.name] = pd.to_datetime(frame[c.name].where(valid), errors="coerce").astype(object) \
                    .where(valid, frame[c.name])
    chinese(CUSTOMER_BASE, base).to_excel(tmp_path / "base.xlsx", index=False, sheet_name="客户")
    chinese(CUSTOMER_BEHAVIOR, behavior).to_excel(tmp_path / "beh.xlsx", index=False, sheet_name="客户")
    result = build_database(FileSource(tmp_path / "base.xlsx", tmp_path / "beh.xlsx", sheet="客户"),
                            tmp_path / "bank.db")
    assert contents_digest(result.db_path) == reference
    assert any("Excel 工作表“客户”" in n for n in result.report.notes)


def test_a_column_that_fails_wholesale_stops_the_import_and_keeps_the_old_database(exported, tmp_path):
    good = build_database(FileSource(*exported), tmp_path / "bank.db")
    before = file_hash(good.db_path)
    base, behavior = frames(exported)
    behavior["total_assets"] = [f"{float(v) / 1e4:.2f}万" for v in behavior["total_assets"]]
    behavior.to_csv(tmp_path / "beh.csv", index=False)
    with pytest.raises(ColumnUnreadableError) as err:
        build_database(FileSource(exported[0], tmp_path / "beh.csv"), tmp_path / "bank.db")
    message = str(err.value)
    assert "beh.csv" in message and "total_assets" in message and "万" in message and "千分位" in message
    assert file_hash(tmp_path / "bank.db") == before
    run = subprocess.run([sys.executable, "-m", "db.build", "--quiet", "--db", str(tmp_path / "bank.db"),
                          "--from-csv", str(exported[0]), str(tmp_path / "beh.csv")], capture_output=True, text=True)
    assert run.returncode == 2 and "原数据库保持不变" in run.stderr and "Traceback" not in run.stderr
    assert file_hash(tmp_path / "bank.db") == before


def test_a_few_unreadable_values_are_nulled_and_reported_not_a_stop(exported, tmp_path):
    base, behavior = frames(exported)
    behavior.loc[:2, "total_assets"] = "见附件"
    behavior.to_csv(tmp_path / "beh.csv", index=False)
    result = build_database(FileSource(exported[0], tmp_path / "beh.csv"), tmp_path / "bank.db")
    finding = next(f for f in result.report.findings if f.column == "total_assets" and f.check == "非数值")
    assert finding.rows == 3 and finding.examples[0] == "行2: '见附件'"


def test_conflicting_duplicates_are_reported_with_the_fields_that_differ_and_the_rule_applied(exported, tmp_path):
    base, behavior = frames(exported)
    twin = base.iloc[[0]].assign(branch_name="某某支行")
    pd.concat([base, twin]).to_csv(tmp_path / "base.csv", index=False)
    first = build_database(FileSource(tmp_path / "base.csv", exported[1]), tmp_path / "first.db")
    finding = next(f for f in first.report.findings if f.check == "重复记录（内容冲突）")
    assert finding.rows == 1 and "branch_name" in finding.examples[0] and "第一条" in finding.action
    last = build_database(FileSource(tmp_path / "base.csv", exported[1]), tmp_path / "last.db", keep="last")
    cid = base["customer_id"][0]
    pick = lambda db: read(db, f"SELECT branch_name FROM customer_base WHERE customer_id = '{cid}'")["branch_name"][0]
    assert pick(first.db_path) == base["branch_name"][0] and pick(last.db_path) == "某某支行"


def test_monthly_rows_of_unknown_customers_are_left_out_of_every_total_alike(exported, tmp_path):
    base, behavior = frames(exported)
    orphan = behavior[behavior["customer_id"] == base["customer_id"][0]].assign(customer_id="GHOST01")
    pd.concat([behavior, orphan]).to_csv(tmp_path / "beh.csv", index=False)
    result = build_database(FileSource(exported[0], tmp_path / "beh.csv"), tmp_path / "bank.db")
    as_of = result.as_of_month
    summary = read(result.db_path, f"SELECT total_assets FROM monthly_summary WHERE stat_month = '{as_of}'")
    snapshot = read(result.db_path, "SELECT ROUND(SUM(total_assets), 2) AS t FROM customer_snapshot")
    assert np.isclose(summary["total_assets"][0], snapshot["t"][0])
    assert any(f.check == "客户号不在客户表中" and f.rows == 1 for f in result.report.findings)


def test_an_export_without_names_or_record_ids_is_accepted(exported, tmp_path):
    base, behavior = frames(exported)
    base.drop(columns=["name"]).to_csv(tmp_path / "base.csv", index=False)
    behavior.drop(columns=["id"]).to_csv(tmp_path / "beh.csv", index=False)
    result = build_database(FileSource(tmp_path / "base.csv", tmp_path / "beh.csv"), tmp_path / "bank.db")
    assert result.customers == CONFIG.customers
    assert any("name" in n for n in result.report.notes) and any("缺少可选列 id" in n for n in result.report.notes)


def test_an_unknown_header_is_named_with_its_closest_columns_and_a_mapping_file_settles_it(exported, tmp_path):
    base, behavior = frames(exported)
    base.rename(columns={"branch_name": "所属网点名"}).to_csv(tmp_path / "base.csv", index=False)
    with pytest.raises(MissingColumnError) as err:
        build_database(FileSource(tmp_path / "base.csv", exported[1]), tmp_path / "bank.db")
    assert "branch_name" in str(err.value) and "所属网点名" in str(err.value)
    mapping = tmp_path / "columns.yaml"
    mapping.write_text("所属网点名: branch_name\n", encoding="utf-8")
    result = build_database(FileSource(tmp_path / "base.csv", exported[1], columns=mapping), tmp_path / "bank.db")
    assert result.customers == CONFIG.customers


def test_models_trained_on_other_data_say_so_in_the_answer_and_are_retrained(
        small_build, default_db, trained_artifacts):
    from models.service import ModelService
    from models.train import models_current
    from toolkits import model_tools as mt
    other = mt.aum_outlook(ModelService(small_build.db_path, trained_artifacts), 4)
    assert other.ok and other.text.startswith(mt.STALE_NOTICE)
    same = mt.aum_outlook(ModelService(default_db, trained_artifacts), 4)
    assert same.ok and mt.STALE_NOTICE not in same.text
    assert models_current(default_db, trained_artifacts) and not models_current(small_build.db_path, trained_artifacts)
