"""Markdown pages and report HTML from Jinja2 templates.

The default templates ship inside the package (`generator/templates/`). A
project's own `site_templates/` folder overrides them file by file, the way
MkDocs' `custom_dir` overrides a theme; an override can also extend the
default it replaces, which stays reachable as `mxt/<name>` (for example
`{% extends "mxt/index.md.j2" %}` and fill the `intro` block).

Every value a template prints passes through `md_text`, which turns every
character that Markdown or HTML could read as syntax into a numeric entity:
no field of a plan can inject HTML, a script, a link or an image. Only values
built by our own code and marked with the `css`, `href` or `src` filters pass
as they are.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import urllib.parse
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import TemplateError
from ..views import catalogue
from ..views.contexts import Document, Page

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# characters that Markdown, its extensions (tables, attr_list, admonition) or HTML may read
# anywhere in a line; `-` and `1.` only matter where a line starts (lists, rules)
_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+!|<>&~^=$]")
_LINE_START = re.compile(r"^(\s*)(\d+\.(?=\s|$)|-)", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_CSS = re.compile(r"[a-z0-9_-]+")


def md_text(value: str) -> str:
    """Plain text safe inside Markdown and HTML: specials as entities, newlines as <br>."""
    value = _CONTROL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", value)
    value = _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + f"&#{ord(m.group(2)[-1])};",
                            value)
    return value.replace("\n", "<br>")


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("—")
    return Markup(md_text(str(value)))


def _css(value: str) -> Markup:
    """A class name made from one of our own codes."""
    if not _CSS.fullmatch(value):
        raise ValueError(f"not a CSS-safe code: {value!r}")
    return Markup(value)


def _href(value: str) -> Markup:
    """A relative link built by our code (plan ids are slugs), percent-encoded."""
    return Markup(urllib.parse.quote(value, safe="/#.-_~"))


def _meta_title(value: str) -> Markup:
    """A page title for front matter: HTML-escaped (the theme prints it raw), YAML-quoted."""
    return Markup(json.dumps(html.escape(_CONTROL.sub("", value)), ensure_ascii=False))


class _Environment(jinja2.Environment):
    """Jinja's environment, knowing its template folders to name a broken file."""

    folders: list[tuple[Path, str]] = []  # noqa: RUF012 (set per environment)


def environment(project_templates: Path | None, language: str, *, markdown: bool = True
                ) -> jinja2.Environment:
    """The template environment: project templates first, then the built-in ones."""
    paths = [p for p in (project_templates, PACKAGE_TEMPLATES) if p is not None and p.is_dir()]
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(p) for p in paths]),
        jinja2.PrefixLoader({"mxt": jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES))}),
    ])
    env = _Environment(
        loader=loader,
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True,
        finalize=_finalize if markdown else None)
    env.folders = [(p, "site_templates" if p == project_templates else "mxt/templates")
                   for p in paths]
    env.filters.update(css=_css, href=_href, src=_href, meta_title=_meta_title)
    env.globals.update(
        L=partial(catalogue.label, language=language),
        S=lambda code: catalogue.status_label(code, language),
        lang=language)
    return env


def render_page(env: jinja2.Environment, page: Page | Document) -> str:
    """A page or report from its typed context (the fields become the template's names)."""
    return render(env, page.template,
                  **{f.name: getattr(page, f.name) for f in dataclasses.fields(page)})


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    """One template's text; a broken template is a located `TemplateError`."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"template error: {e.message}",
                            file=_template_file(env, e.filename), line=e.lineno) from e
    except jinja2.TemplateError as e:
        file, line = _failing_frame(env, e)
        raise TemplateError(f"template error in {template}: {e.message}", file=file,
                            line=line) from e


def _template_file(env: jinja2.Environment, filename: str | None) -> str | None:
    """A template's path as a person finds it (the project's override or the package's)."""
    if filename is None:
        return None
    path = Path(filename)
    for folder, shown in getattr(env, "folders", []):
        if path.is_relative_to(folder):
            return f"{shown}/{path.relative_to(folder).as_posix()}"
    return str(path)


def _failing_frame(env: jinja2.Environment, e: BaseException) -> tuple[str | None, int | None]:
    """The template file and line a rendering error came from (Jinja's traceback frames)."""
    tb = e.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or name.endswith(".css"):
            found = (_template_file(env, name), tb.tb_lineno)
        tb = tb.tb_next
    return found
