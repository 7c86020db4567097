from db.generator import GeneratorConfig
from tests.conftest import build, contents_digest, read


def test_same_seed_builds_identical_database_contents(tmp_path):
    config = GeneratorConfig(customers=800, months=12, seed=11)
    first = build(config, tmp_path / "a.db")
    second = build(config, tmp_path / "b.db")
    assert contents_digest(first.db_path) == contents_digest(second.db_path)


def test_different_seed_builds_different_data(tmp_path):
    a = build(GeneratorConfig(customers=800, months=12, seed=11), tmp_path / "a.db")
    b = build(GeneratorConfig(customers=800, months=12, seed=12), tmp_path / "b.db")
    da, db_ = contents_digest(a.db_path), contents_digest(b.db_path)
    assert da["customer_behavior_assets"] != db_["customer_behavior_assets"]
    assert da["meta_columns"] == db_["meta_columns"]


def test_dirty_rate_changes_only_the_dirty_values(tmp_path):
    clean = build(GeneratorConfig(customers=500, months=12, seed=3, dirty_rate=0.0), tmp_path / "c.db")
    dirty = build(GeneratorConfig(customers=500, months=12, seed=3, dirty_rate=0.05), tmp_path / "d.db")
    assert clean.report.rows("customer_behavior_assets", "无效日期") == 0
    assert clean.report.rows("customer_behavior_assets", "负数余额") == 0
    assert dirty.report.rows("customer_behavior_assets", "无效日期") > 0
    sql = "SELECT customer_id, age, gender, occupation, city_level FROM customer_base ORDER BY 1"
    assert read(clean.db_path, sql).equals(read(dirty.db_path, sql))
