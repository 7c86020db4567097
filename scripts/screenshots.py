"""Screenshots of each tab for the README: `make screenshots` (or python -m scripts.screenshots).

Starts the real app on the configured database and models (BANK_DB, BANK_ARTIFACTS),
drives Debian's chromium through Playwright, writes docs/screenshots/*.jpg.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from config import PROJECT_ROOT, settings
from scripts.app_server import AppServer
from scripts.browser import browser_page

OUT = PROJECT_ROOT / "docs" / "screenshots"
WAIT_MS = 120_000


def _shoot(page, name: str, out: Path, full_page: bool = True) -> Path:
    time.sleep(1.5)   # let Plotly finish its transitions
    path = out / f"{name}.jpg"
    page.screenshot(path=str(path), full_page=full_page, type="jpeg", quality=80)
    print(f"wrote {path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path}")   # --out may be elsewhere
    return path


def _ask_on_opening(page, url: str, question: str) -> None:
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")


def take(out: Path = OUT) -> list[Path]:
    s = settings()
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with AppServer(s.db_path, s.artifacts_dir) as app, browser_page(1440, 1100) as page:
        _ask_on_opening(page, app.url, "客户可以分成哪几类？每一类有什么特征、适合什么策略？")
        page.wait_for_selector("#chat .js-plotly-plot")
        page.wait_for_selector("#chat table")
        page.locator("#chat .js-plotly-plot").first.scroll_into_view_if_needed()
        shots.append(_shoot(page, "chat", out, full_page=False))
        page.get_by_role("tab", name="经营大屏").click()
        page.wait_for_selector("#kpi-customers")
        page.wait_for_function("() => document.querySelectorAll('[id^=dash-chart-] .js-plotly-plot').length == 5")
        shots.append(_shoot(page, "dashboard", out))
        page.get_by_role("tab", name="模型洞察").click()
        page.wait_for_selector("#insight-metrics table")
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 11")
        shots.append(_shoot(page, "insights", out))
        page.get_by_role("tab", name="客户360").click()
        page.fill("#customer-id textarea, #customer-id input", "CUST000172")
        page.click("#customer-go")
        page.wait_for_selector("#customer-shap .js-plotly-plot")
        shots.append(_shoot(page, "customer360", out))
        phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        _ask_on_opening(phone, app.url, "不同客户等级的资产占比及客户数量是多少？")
        phone.wait_for_selector("#chat table")
        shots.append(_shoot(phone, "phone_chat", out, full_page=False))
    return shots


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=OUT)
    take(p.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
