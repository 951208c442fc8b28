"""The last stages of a build: write the Markdown tree, run MkDocs, swap the site in.

Everything is written into temporary folders beside the targets, which replace
`build/docs` and the site folder only when MkDocs succeeded (`write`), and only
where `write` allows it (never the project, an input, or a folder mxt did not make).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EnvironmentProblem, RenderError
from .render.pages import PACKAGE_TEMPLATES
from .write import staging, write_tree

if TYPE_CHECKING:
    from .render.site import NavItem

# the package's styles and its one script (sortable tables, the alerts filter), added to
# every site, with or without the project's own mkdocs.yml
PACKAGE_CSS = ("assets/mxt.css", "assets/home.css")
PACKAGE_JS = ("assets/javascripts/mxt.js", "assets/javascripts/a11y.js")


def _quiet_jieba() -> None:
    """jieba (Chinese search segmentation) logs its dictionary loading at DEBUG: hush it."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def default_settings(site_name: str, language: str) -> io.StringIO:
    """The MkDocs settings of a project without its own mkdocs.yml (the package's default)."""
    text = (PACKAGE_TEMPLATES / "mkdocs.default.yml").read_text("utf-8")
    settings = io.StringIO(text.replace("{site_name}", site_name.replace("'", "''"))
                           .replace("{language}", language))
    settings.name = "mkdocs.yml"  # MkDocs names the file in its messages
    return settings


def run_mkdocs(root: Path, docs: Path, site_dir: Path, nav: list[NavItem],
               defaults: io.StringIO) -> None:
    """Build the Markdown tree with MkDocs Material (strict: a warning fails the build),
    with the project's mkdocs.yml, or the `defaults` when it has none."""
    from mkdocs import config as mkconfig
    from mkdocs import exceptions
    from mkdocs.commands import build as mkbuild

    _quiet_jieba()
    config_file = root / "mkdocs.yml"
    settings: str | io.StringIO = str(config_file) if config_file.is_file() else defaults
    try:
        cfg = mkconfig.load_config(config_file=settings, docs_dir=str(docs),
                                   site_dir=str(site_dir), nav=nav, strict=True)
        for css in PACKAGE_CSS:
            if css not in [str(c) for c in cfg.extra_css]:
                cfg.extra_css.append(css)
        for js in PACKAGE_JS:
            if js not in [str(j) for j in cfg.extra_javascript]:
                cfg.extra_javascript.append(js)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkbuild.build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (exceptions.MkDocsException, exceptions.Abort) as e:
        raise RenderError(f"MkDocs could not build the site: {e}", file="mkdocs.yml") from e


def publish(root: Path, site_dir: Path, files: Mapping[str, bytes], nav: list[NavItem],
            defaults: io.StringIO) -> None:
    """Write the docs, run MkDocs into a temporary folder, swap both in."""
    try:
        with (staging(site_dir, root, default=site_dir == root / "site") as new_site,
              staging(root / "build" / "docs", root, default=True) as new_docs):
            write_tree(new_docs, files)
            run_mkdocs(root, new_docs, new_site, nav, defaults)
    except OSError as e:
        raise EnvironmentProblem(f"cannot write the site: {e.strerror or e}",
                                 file=str(site_dir)) from e
