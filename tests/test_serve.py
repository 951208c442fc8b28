"""`mxt serve` builds, serves, and rebuilds when a plan changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import Sample


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return True
        time.sleep(0.5)
    return False


@pytest.mark.slow
def test_serve_rebuilds_on_plan_change(tmp_path: Path, sample: Sample):
    project = sample.copy(tmp_path / "p")  # serve builds without PDFs: plans from the cache
    port = _free_port()
    url = f"http://127.0.0.1:{port}/plans/winback-2026h2/"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port),
                             "--project", str(project)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(url, "win-back", 90), "the site was not served"
        plan = project / "plans" / "winback-2026h2.yaml"
        text = plan.read_text("utf-8")
        plan.write_text(text.replace("H2 2026 win-back", "RENAMED win-back", 1), encoding="utf-8")
        assert _wait_for(url, "RENAMED", 90), "the site was not rebuilt after a change"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
