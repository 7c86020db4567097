"""The web app in a real browser: Playwright driving Debian's chromium against app_gradio.py."""
from __future__ import annotations

import pytest

from scripts.browser import browser_page
from tests.conftest import glossary_kpis

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def page(web_app):
    with browser_page() as page:
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(web_app.url)
        page.wait_for_selector("#question textarea")
        yield page


def ask(page, question: str) -> None:
    """Ask and wait for the turn's answer: one more 处理步骤 panel than before."""
    steps = "() => document.querySelector('#chat').innerText.split('处理步骤 ·').length - 1"
    before = page.evaluate(steps)
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(f"n => ({steps})() > n", arg=before)
    page.wait_for_selector("#chat >> text=Loading content", state="detached")


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_a_data_question_shows_a_table_and_a_chart(page):
    open_tab(page, "智能问答")
    ask(page, "不同客户等级的资产占比及客户数量是多少？")
    page.wait_for_selector("#chat .js-plotly-plot")
    page.wait_for_selector("#chat table")
    chat = page.locator("#chat")
    assert "高净值" in chat.inner_text()
    assert chat.get_by_text("处理步骤").count() >= 1   # the collapsible steps, with the SQL inside


def test_a_model_question_shows_a_chart_and_a_table(page):
    open_tab(page, "智能问答")
    plots = page.locator("#chat .js-plotly-plot").count()
    ask(page, "客户CUST000172成为高价值客户的概率是多少？")
    page.wait_for_function("n => document.querySelectorAll('#chat .js-plotly-plot').length > n", arg=plots)
    text = page.locator("#chat").inner_text()
    assert "概率" in text and "主要影响因素" in text
    page.wait_for_function("() => document.querySelectorAll('#chat table').length >= 2")


def test_markup_in_the_conversation_is_shown_as_text_and_never_runs(page):
    open_tab(page, "智能问答")
    ask(page, '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>')
    assert page.evaluate("window.__xss") is None
    assert "onerror" in page.locator("#chat").inner_text()


def test_the_dashboard_shows_the_five_kpis_of_the_glossary(page, default_db):
    open_tab(page, "经营大屏")
    page.wait_for_selector("#kpi-customers")
    expected = glossary_kpis(default_db)
    for key, value in expected.items():
        card = page.locator(f"#kpi-{key}")
        assert float(card.get_attribute("data-value")) == pytest.approx(value, rel=1e-9), key
        assert card.inner_text().strip()
    assert page.locator("[id^=dash-chart-] .js-plotly-plot").count() == 5


def test_customer_360_shows_profile_forecast_probability_and_recommendations(page):
    open_tab(page, "客户360")
    page.fill("#customer-id textarea, #customer-id input", "CUST000172")
    page.click("#customer-go")
    page.wait_for_selector("#customer-shap .js-plotly-plot")
    page.wait_for_selector("#customer-forecast .js-plotly-plot")
    profile = page.locator("#customer-profile").inner_text()
    assert "CUST000172" in profile and "*" in profile   # the name is masked
    assert "推荐" in page.locator("body").inner_text()


def test_the_marketing_tab_builds_a_list_with_exclusions_and_downloads(page):
    open_tab(page, "精准营销")
    page.wait_for_selector("#campaign-backtest-upgrade .js-plotly-plot")   # the backtest, before any list
    page.get_by_label("挽留（流失预警）").check()
    page.click("#campaign-build")
    page.wait_for_selector("#campaign-table table")
    summary = page.locator("#campaign-summary").inner_text()
    assert "候选" in summary and "营销冷静期内" in summary and "回测" in summary
    assert page.locator("#campaign-table table").first.locator("tbody tr").count() >= 30   # shown rows
    page.wait_for_selector("#campaign-csv a, #campaign-csv [download]")
    page.wait_for_selector("#campaign-xlsx a, #campaign-xlsx [download]")
    assert "*" in page.locator("#campaign-table").inner_text()   # names masked for a user without the PII role


def test_the_dashboard_shows_the_alerts_that_need_attention(page, default_db, trained_artifacts):
    from models.service import ModelService
    from toolkits.campaign_tools import alert_list
    open_tab(page, "经营大屏")
    page.wait_for_selector("#kpi-customers")
    found = alert_list(ModelService(default_db, trained_artifacts), 1.5, 0.10).provenance.get("alerts") or []
    assert found   # on the demo data more 高净值 customers are flagged this month than last
    shown = page.locator("#dashboard-alerts").inner_text()
    assert all(a["text"] in shown for a in found)


def test_a_long_answer_is_shown_from_its_start(page):
    open_tab(page, "智能问答")
    ask(page, "各网点的客户数、平均资产和理财持有率")
    page.wait_for_timeout(1500)   # the second scroll, after the charts have drawn
    offset = page.evaluate("""() => { const log = document.querySelector('#chat .bubble-wrap');
        const asked = log.querySelectorAll('.user-row'); const last = asked[asked.length - 1];
        return last.getBoundingClientRect().top - log.getBoundingClientRect().top; }""")
    assert 0 <= offset < 60   # the question at the top, its answer below it from the start (not the CSV link)


@pytest.fixture(scope="module")
def phone(page, web_app):
    """A 390×844 phone screen in the same browser (Playwright's sync API runs one browser per thread)."""
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                               is_mobile=True)
    small = context.new_page()
    small.set_default_timeout(TIMEOUT_MS)
    small.goto(web_app.url)
    small.wait_for_selector("#question textarea")
    yield small
    context.close()


def test_on_a_phone_every_tab_is_in_the_tab_bar_and_tables_scroll_instead_of_wrapping(phone):
    for name in ("智能问答", "经营大屏", "精准营销", "模型洞察", "客户360"):
        assert phone.get_by_role("tab", name=name).is_visible(), name
    ask(phone, "各网点的客户数和平均资产")
    phone.wait_for_selector("#chat table")
    # one line per cell: no cell taller than two lines of text, however narrow the screen
    tallest = phone.evaluate("() => Math.max(...[...document.querySelectorAll('#chat table td')].map(c => c.offsetHeight))")
    assert tallest < 40
    open_tab(phone, "经营大屏")
    card = phone.locator("#kpi-customers")
    card.wait_for()
    assert not card.locator(".kpi-def").is_visible()
    card.locator("summary").tap()
    assert "口径" in card.locator(".kpi-def").inner_text() and card.locator(".kpi-def").is_visible()   # 口径 by a tap
    open_tab(phone, "客户360")
    assert phone.locator("#customer-id").is_visible()
