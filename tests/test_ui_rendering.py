"""What the UI draws from the agents' structured results: charts, images, tables."""
from __future__ import annotations

import warnings

from toolkits.results import ChartSpec, TableData
from ui.charts import figure
from ui.render import cell_text, display_frame


def test_the_tree_image_draws_chinese_labels_with_a_cjk_font(trained_artifacts, default_db, tmp_path):
    from models.service import ModelService
    from ui.tree_image import tree_png
    model = ModelService(default_db, trained_artifacts).artifact("high_value").model["model"]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")   # a box instead of 总资产
        path = tree_png(model, tmp_path / "tree.png")
    assert (tmp_path / "tree.png").stat().st_size > 20_000 and path.endswith("tree.png")


def test_amounts_in_yuan_are_drawn_in_yi_or_wan():
    table = TableData("t", ["月份", "总资产"], [["2026-09", 3.6e9], ["2026-10", 3.7e9]])
    fig = figure(ChartSpec("line", "AUM", "月份", ["总资产"], table, y_label="元"))
    assert fig.layout.yaxis.title.text == "亿元"
    assert max(fig.data[0].y) == 37.0


def test_a_series_column_draws_one_line_per_model_and_a_chance_line():
    rows = [[m, x, x ** (0.5 if m == "甲" else 0.8)] for m in ("甲", "乙") for x in (0.0, 0.5, 1.0)]
    fig = figure(ChartSpec("line", "ROC", "假阳性率", ["真阳性率"], TableData("roc", ["模型", "假阳性率", "真阳性率"], rows),
                           series="模型"))
    assert [t.name for t in fig.data] == ["甲", "乙", "随机"]


def test_shares_read_as_percentages_and_amounts_with_separators():
    assert cell_text("理财复购率", 0.3601) == "36.0%"
    assert cell_text("平均资产", 370861.2) == "370,861"
    assert cell_text("客户数", 10000) == "10,000"
    assert cell_text("下限", None) == "—"
    frame = display_frame(TableData("t", ["客群", "占比"], [["高净值稳健", 0.1281]]))
    assert frame.iloc[0].tolist() == ["高净值稳健", "12.8%"]


def test_readings_not_understood_become_options_and_the_steps_say_what_was_understood():
    from agents.answer import Answer
    from ui.render import answer_messages
    answer = Answer("八线城市的客户数", "sql", "没有理解“八线”。", error="未理解",
                    understood={"status": "not_understood", "confidence": "low", "words_not_used": ["八线"],
                                "assumptions": []},
                    suggestions=["二线城市的客户数", "三线城市的客户数"])
    steps, text = answer_messages(answer)[:2]
    assert [o["value"] for o in text["options"]] == ["二线城市的客户数", "三线城市的客户数"]
    assert "未使用的词 八线" in steps["content"] and "把握 低" in steps["content"]


def test_month_axes_read_in_chinese_and_numbers_never_get_english_suffixes():
    table = TableData("AUM", ["月份", "总资产(AUM)（元）"], [["2025-12", 3.1e9], ["2026-01", 3.2e9]])
    fig = figure(ChartSpec("line", "AUM", "月份", ["总资产(AUM)（元）"], table, y_label="元"))
    assert list(fig.layout.xaxis.ticktext) == ["2025年12月", "2026年1月"]
    assert fig.layout.yaxis.title.text == "亿元" and fig.layout.yaxis.exponentformat == "none"


def test_a_chart_with_nothing_to_draw_says_no_data():
    fig = figure(ChartSpec("bar", "客户结构", "年龄段", ["客户数"], TableData("空", ["年龄段", "客户数"], [])))
    assert fig.layout.annotations[0].text == "无数据" and not fig.data


def test_the_steps_show_a_statement_with_its_values():
    from agents.sql_offline import with_values
    assert with_values("SELECT 1 FROM s WHERE a = ? AND b > ?", ["二线城市", 40]) == \
        "SELECT 1 FROM s WHERE a = '二线城市' AND b > 40"
    assert with_values("WHERE n = ?", ["O'Brien"]) == "WHERE n = 'O''Brien'"


def test_amounts_in_tables_read_in_wan_or_yi_while_the_csv_keeps_yuan():
    import pandas as pd
    from ui.render import csv_file, display_frame, table_html
    table = TableData("按城市等级", ["城市等级", "平均资产（元）", "资产合计（元）", "平均年龄"],
                      [["一线城市", 423626.51, 1.3484e9, 41.2], ["二线城市", 322366.0, 1.2718e9, 43.0]])
    shown = display_frame(table)
    assert list(shown.columns) == ["城市等级", "平均资产（万元）", "资产合计（亿元）", "平均年龄"]
    assert shown.iloc[0, 1] == "42.36" and shown.iloc[0, 2] == "13.48"
    assert "资产合计（亿元）" in table_html(table)
    back = pd.read_csv(csv_file(table), encoding="utf-8-sig")
    assert back["平均资产（元）"].iloc[0] == 423626.51   # the download keeps 元 and every digit
