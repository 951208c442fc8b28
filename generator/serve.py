"""`mxt serve`: rebuild the site on every change and serve it with live reload.

MkDocs' own live-reload server watches the inputs (plans/, data/,
site_templates/, docs/, mkdocs.yml) and calls our build; a build that fails
prints its messages and leaves the last good site being served.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from .build import build
from .errors import MxtError, say_count
from .policy import LIBRARY, Policy

log = logging.getLogger(__name__)

WATCHED = ("plans", "data", "site_templates", "docs", "mkdocs.yml")


def serve(root: Path, *, host: str, port: int, as_of: dt.date | None = None,
          pdf: bool = False, policy: Policy = LIBRARY) -> None:
    """Build once, then serve `site/` and rebuild whenever an input changes."""
    from mkdocs.livereload import LiveReloadServer

    site_dir = root / "site"

    def rebuild() -> None:
        try:
            # in-process: forking worker processes from a threaded server is not safe
            result = build(root, as_of=as_of, out=site_dir, pdf=pdf, workers=1, policy=policy)
            log.info("built %s as of %s", say_count(result.plans, "plans_one", "plans_other")
                     .text("en"), result.as_of)
        except MxtError as err:
            for line in err.lines():
                log.error("%s", line)
            log.error("the site was not rebuilt: fix the problems above")

    logging.getLogger("mkdocs").setLevel(logging.INFO)
    log.setLevel(logging.INFO)
    rebuild()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    for name in WATCHED:
        path = root / name
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        log.warning("shutting down")
    finally:
        server.shutdown()
