"""Debian's chromium under Playwright, with the flags this closed network needs."""
from __future__ import annotations

import shutil
from contextlib import contextmanager

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage")


class ChromiumMissingError(RuntimeError):
    def __init__(self):
        super().__init__("chromium not found: run scripts/install_system_deps.sh (Debian package chromium)")


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise ChromiumMissingError()
    return path


@contextmanager
def browser_page(width: int = 1440, height: int = 1000):
    """A fresh headless chromium page (Playwright's own browser download is never used)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=list(CHROMIUM_ARGS))
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            yield context.new_page()
        finally:
            browser.close()
