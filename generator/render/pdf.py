"""PDF review reports with WeasyPrint: HTML from Jinja2 templates, fetched by nobody.

WeasyPrint gets a URL fetcher that refuses everything except the resources we
hand it in memory (charts, the report fonts): no network, no file on disk
outside the project's own templates and fonts. Plan text is HTML-escaped by
the template environment, so it cannot add links, images or attachments.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..errors import RenderError
from ..fonts import report_font
from ..views import catalogue
from ..views.contexts import Document
from . import pages

if TYPE_CHECKING:
    from weasyprint.document import Document as LaidOut
    from weasyprint.text.fonts import FontConfiguration

log = logging.getLogger(__name__)

BASE_URL = "mxt://report/"
SECTIONS = [("summary", "sec_summary"), ("results", "sec_results"),
            ("progress", "sec_progress"), ("budget", "sec_budget"),
            ("problems", "sec_problems"), ("suggestions", "sec_suggestions"),
            ("appendix", "sec_appendix")]
MIME = {".svg": "image/svg+xml", ".png": "image/png", ".otf": "font/otf", ".ttf": "font/ttf",
        ".css": "text/css"}


@dataclass(frozen=True)
class Resources:
    """Everything a report may load, by the relative URL it uses."""

    files: Mapping[str, bytes]

    def get(self, url: str) -> tuple[bytes, str] | None:
        """Our own resource for a URL of the report (absolute or relative), or None."""
        name = url[len(BASE_URL):] if url.startswith(BASE_URL) else url
        if ":" in name or name.startswith("/"):
            return None  # another scheme, or an absolute path: never
        name = name.split("?")[0].split("#")[0]
        data = self.files.get(name)
        if data is None:
            return None
        return data, MIME.get(Path(name).suffix, "application/octet-stream")


def _fetcher(resources: Resources, refused: list[str]):  # type: ignore[no-untyped-def]
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DenyByDefault(URLFetcher):  # type: ignore[misc]
        """Serves our in-memory resources; refuses every other URL."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            found = resources.get(url)
            if found is None:
                refused.append(url)
                raise ValueError(f"mxt reports load nothing from outside: {url}")
            data, mime = found
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return DenyByDefault()


def page_numbers_css(lang: str) -> Markup:
    """CSS `content` for “第 3 页 / 共 12 页” / “Page 3 of 12” from the catalogue."""
    text = catalogue.label("page_of", lang, page="\x00page\x00", pages="\x00pages\x00")
    parts = []
    for i, chunk in enumerate(text.split("\x00")):
        if i % 2:
            parts.append(f"counter({chunk})")
        elif chunk:
            parts.append('"' + chunk.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(parts))


def font_files() -> dict[str, bytes]:
    """The pre-subset CJK report fonts, when the system has Noto Sans CJK, and DejaVu Sans
    (shipped with matplotlib) for the quotation marks of Latin-script text."""
    import matplotlib

    out = {}
    for weight in ("Regular", "Bold"):
        path = report_font(weight)
        if path is not None:
            out[f"fonts/cjk-{weight.lower()}.otf"] = path.read_bytes()
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for weight, name in (("regular", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf")):
        if (ttf / name).is_file():
            out[f"fonts/quotes-{weight}.ttf"] = (ttf / name).read_bytes()
    return out


def render_html(document: Document, templates: Path | None, lang: str) -> str:
    """A report's HTML (plan text escaped by the environment)."""
    env = pages.environment(templates, lang, markdown=False)
    env.globals.update(page_numbers=page_numbers_css(lang), sections=SECTIONS)
    return pages.render_page(env, document)


def _remove_font_folder(fonts: object) -> None:
    """WeasyPrint copies a report's @font-face fonts into a temporary folder that only its
    finalizer removes, and a render worker exits without running finalizers: remove it now
    (a test checks no `weasyprint-*` folder is left)."""
    folder = getattr(fonts, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


TABLE = re.compile(r"<table\b")
PDF_VARIANT = "pdf/ua-1"  # tagged: headings, tables, figures with their text alternative


def _number_tables(html: str) -> str:
    """Every table gets `data-mxt-table="n"`, so that a table found too wide in the layout
    can be told apart in a second pass."""
    count = itertools.count(1)
    return TABLE.sub(lambda m: f'<table data-mxt-table="{next(count)}"', html)


def wide_tables(document: LaidOut) -> list[str]:
    """The `data-mxt-table` numbers of the tables that pass the page's right margin."""
    from weasyprint.formatting_structure import boxes

    found: list[str] = []

    def walk(box: object, right: float) -> None:
        if (isinstance(box, boxes.TableBox)
                and box.border_box_x() + box.border_width() > right + 0.5):
            number = box.element.get("data-mxt-table") if box.element is not None else None
            if number and number not in found:
                found.append(number)
        for child in getattr(box, "children", None) or []:
            walk(child, right)

    for page in document.pages:
        page_box = page._page_box
        walk(page_box, page_box.content_box_x() + page_box.width)
    return found


def _breaking(tables: list[str]) -> str:
    """CSS that lets the text cells of these tables break inside words (never figures),
    in a smaller type."""
    cells = ", ".join(f'table[data-mxt-table="{n}"] {cell}:not(.num):not(.nw)'
                      for n in tables for cell in ("td", "th"))
    sizes = ", ".join(f'table[data-mxt-table="{n}"]' for n in tables)
    return (cells + " { overflow-wrap: anywhere; white-space: normal; min-width: 0; }\n"
            + sizes + " { font-size: 7.5pt; }")


def _outlines_open(document: object, pdf: object) -> None:
    """Open the bookmarks panel when the PDF is opened (the title is shown: PDF/UA)."""
    pdf.catalog["PageMode"] = "/UseOutlines"  # type: ignore[attr-defined]


def layout(html: str, files: Mapping[str, bytes], fonts: FontConfiguration | None = None
           ) -> LaidOut:
    """The laid-out report (pages and boxes), tables kept within the margins: a table that
    would pass them is laid out again with its text allowed to break inside words.

    `fonts`: WeasyPrint's font configuration (the caller removes its folder when done)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    refused: list[str] = []
    fetcher = _fetcher(Resources(files), refused)
    weasy_log = logging.getLogger("weasyprint")
    level = weasy_log.level
    weasy_log.setLevel(logging.ERROR)  # refused fetches are expected, and reported below
    html = _number_tables(html)
    fonts = fonts or FontConfiguration()
    try:
        source = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        document = source.render(font_config=fonts, pdf_variant=PDF_VARIANT)
        wide = wide_tables(document)
        if wide:
            log.info("report: tables %s laid out again to fit the page", ", ".join(wide))
            document = source.render(font_config=fonts, pdf_variant=PDF_VARIANT,
                                     stylesheets=[CSS(string=_breaking(wide),
                                                      font_config=fonts)])
    except Exception as e:  # WeasyPrint raises many kinds; say which report failed
        raise RenderError(f"WeasyPrint could not render the report: {e}") from e
    finally:
        weasy_log.setLevel(level)
    for url in sorted(set(refused)):
        log.info("report: refused to load %s", url)
    return document


def write_pdf(html: str, files: Mapping[str, bytes]) -> bytes:
    """HTML and its in-memory resources → a tagged PDF (PDF/UA-1) that opens on its
    bookmarks; nothing else is ever fetched."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    try:
        document = layout(html, files, fonts)
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
        pdf = document.write_pdf(finisher=_outlines_open, pdf_identifier=identifier,
                                 pdf_variant=PDF_VARIANT)
    except RenderError:
        raise
    except Exception as e:
        raise RenderError(f"WeasyPrint could not write the report: {e}") from e
    finally:
        _remove_font_folder(fonts)
    if pdf is None:
        raise RenderError("WeasyPrint returned no PDF")
    return bytes(pdf)
