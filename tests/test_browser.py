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

import pytest

from generator.build import build

from .test_site import copy_project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--hide-scrollbars"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it")
        pytest.skip("chromium is not installed (run `make test-deps`)")
    project = copy_project(tmp_path_factory.mktemp("browser"))
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
