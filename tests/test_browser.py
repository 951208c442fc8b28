"""The built site in a real headless Chromium, served from a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import build

from .conftest import Sample

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--hide-scrollbars"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, sample: Sample) -> Iterator[str]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it")
        pytest.skip("chromium is not installed (run `make test-deps`)")
    project = sample.copy(tmp_path_factory.mktemp("browser"))  # plans from the cache
    build(project, pdf=False)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(project / "site"))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=90, check=True)


@pytest.mark.parametrize(("path", "expected"), [
    ("/", ["计划总览", "新品上市推广", "落后", "有风险", "未达成"]),
    ("/plans/launch-2026q3/", ["新品上市推广", "落后", "执行概况", "目标达成", "延期"]),
])
@pytest.mark.slow
def test_page_renders_with_status_text(served: str, tmp_path: Path, path: str,
                                       expected: list[str]):
    dom = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", served + path).stdout
    for text in expected:
        assert text in dom, text
    # the theme's JavaScript ran: Material marks the document once it has initialised
    assert 'class="js' in dom or "md-search" in dom
    shot = tmp_path / "page.png"
    chromium(tmp_path, "--window-size=1280,1600", f"--screenshot={shot}", served + path)
    assert shot.stat().st_size > 20_000  # a real rendering, not a blank page


PLAN_PAGES = ["/plans/launch-2026q3/", "/plans/winback-2026h2/"]

# every table of the article: how far it reaches past its column, and whether it scrolls
_TABLES = """() => {
  const article = document.querySelector("article.md-content__inner");
  const right = article.getBoundingClientRect().right;
  return Array.from(article.querySelectorAll("table")).map((t, n) => {
    const wrap = t.closest(".md-typeset__scrollwrap") || t.parentElement;
    return {n: n, head: (t.tHead ? t.tHead.textContent : "").trim().slice(0, 40),
            past: Math.round(t.getBoundingClientRect().right - right),
            scrolls: wrap.scrollWidth - wrap.clientWidth};
  });
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (run `make test-deps`)")
    with sync_api.sync_playwright() as pw:
        # Debian's chromium: Playwright never downloads a browser here
        chrome = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield chrome
        chrome.close()


@pytest.mark.parametrize("path", PLAN_PAGES)
@pytest.mark.slow
def test_plan_tables_fit_their_column_at_1366(served: str, browser: Any, path: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(served + path, wait_until="load")
    tables = page.evaluate(_TABLES)
    assert len(tables) >= 8
    for t in tables:
        assert t["past"] <= 1 and t["scrolls"] <= 1, t  # every column shown, none cut off
    page.close()


@pytest.mark.parametrize("path", PLAN_PAGES)
@pytest.mark.slow
def test_plan_on_a_phone_scrolls_tables_and_shows_phone_charts(served: str, browser: Any,
                                                               path: str):
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(served + path, wait_until="load")
    # a wide table scrolls sideways with its first column held in place
    sticky = page.evaluate("""() => Array.from(document.querySelectorAll(
        "article table td:first-child")).every(td => getComputedStyle(td).position === "sticky")""")
    assert sticky
    # the charts shown are the phone layouts, at least as wide as they are drawn for
    shown = page.evaluate("""() => Array.from(document.querySelectorAll("img.mxt-chart"))
        .filter(i => i.offsetParent !== null)
        .map(i => ({src: i.getAttribute("src"), alt: i.alt, width: i.getAttribute("width")}))""")
    assert shown and all("/narrow/" in i["src"] for i in shown if "history" not in i["src"])
    assert all(i["alt"] and i["width"] for i in shown)
    # and the page does not scroll sideways as a whole
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.close()
