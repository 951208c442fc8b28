"""`mxt`: thin commands that parse options, call one library function, map errors to exit codes.

Exit codes: 0 success, 1 invalid input (located messages), 2 wrong usage.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console

from . import build as recipe
from .errors import InputError, MxtError, Problem, Severity, say, say_count
from .languages import languages
from .load import site_language
from .model import FIRST_DAY, LAST_DAY
from .policy import CommandLine
from .render import status_json
from .render.terminal import print_status
from .sources import Source, at_revision, last_commit_on
from .views.catalogue import label, listing

log = logging.getLogger("generator")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(f"{value!r} is not a date that exists ({e})") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise click.BadParameter(f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {value!r}")
    return day


project_option = click.option(
    "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="Project folder (with plans/ and data/).")
as_of_option = click.option("--as-of", "as_of", callback=_date, metavar="YYYY-MM-DD",
                            help="Compute as of this date (default: latest metric date).")
lang_option = click.option(
    "--lang", "lang", type=click.Choice(languages()), default=None,
    help="Language of the messages (default: the project's, theme.language in mkdocs.yml).")
rev_option = click.option(
    "--rev", "rev", metavar="REV",
    help="Read plans and data from this git revision's objects (nothing is checked out); "
         "templates, docs/ and mkdocs.yml (language, site name) stay the work tree's.")
published_option = click.option(
    "--published", "published", callback=_date, metavar="YYYY-MM-DD",
    help="As published on that day: the plans and data of the last commit of HEAD's "
         "first-parent history dated that day or earlier (committer date, in the "
         "committer's time zone), as of that day. Replaces --rev and --as-of.")
LANGUAGE = "mxt.language"  # where a command leaves its language for the error handler
# where a command that only writes files (init, import) leaves the closing words of its
# input errors ("nothing was written", not the build's "nothing was computed")
WROTE_NOTHING = "mxt.wrote_nothing"


def _source(project: Path, rev: str | None) -> Source | None:
    """Where plans and data come from: the work tree, or a revision's objects (--rev)."""
    return None if rev is None else at_revision(project, rev)


def _published(project: Path, rev: str | None, as_of: dt.date | None,
               published: dt.date | None) -> tuple[Source | None, dt.date | None]:
    """--published DAY is --rev (the last commit dated DAY or earlier) --as-of DAY."""
    if published is None:
        return _source(project, rev), as_of
    if rev is not None or as_of is not None:
        given = " and ".join(o for o, v in (("--rev", rev), ("--as-of", as_of)) if v is not None)
        raise click.UsageError(f"--published chooses the revision and the as-of date: "
                               f"give it without {given}")
    return _source(project, last_commit_on(project, published)), published


def _language(lang: str | None, project: Path) -> str:
    """The language to speak: --lang, else the project's; the error handler speaks it too."""
    language = lang or site_language(project)
    click.get_current_context().meta[LANGUAGE] = language
    return language


def _err_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _print_problems(problems: list[Problem], language: str) -> None:
    out = _err_console()
    for p in problems:
        out.print(p.format(language), markup=False)


POLICY = CommandLine()  # speed and determinism settings, applied around each stage


class _Group(click.Group):
    """Reports every `MxtError` with its place, and any other crash in one line: exit 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except MxtError as err:
            out = _err_console()
            language = ctx.meta.get(LANGUAGE)
            lines = (err.lines(language, ("wrote_nothing_one", "wrote_nothing_other"))
                     if type(err) is InputError and ctx.meta.get(WROTE_NOTHING)
                     else err.lines(language))
            for line in lines:
                out.print(line, markup=False)
            sys.exit(err.exit_code)
        except Exception as err:
            log.debug("internal error", exc_info=True)
            _err_console().print(f"mxt: internal error: {type(err).__name__}: {err} "
                                 "(run with -v for details)", markup=False)
            sys.exit(1)
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mxt", prog_name="mxt")
@click.option("-v", "--verbose", is_flag=True, help="Log diagnostics to stderr.")
def main(verbose: bool) -> None:
    """Marketing strategy execution, as code: validate plans, compute statuses, build the site."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def _github(problem: Problem, language: str | None = None) -> str:
    kind = "error" if problem.severity is Severity.ERROR else "warning"
    props = [f"file={problem.file}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.col is not None:
            props.append(f"col={problem.col}")
    message = problem.text(language)
    line = f"{problem.path}: {message}" if problem.path else message
    line = line.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{kind} {','.join(props)}::{line}"


@main.command()
@click.option("--strict", is_flag=True, help="Warnings fail too (CI uses this).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True)
@as_of_option
@rev_option
@lang_option
@project_option
def validate(strict: bool, fmt: str, as_of: dt.date | None, rev: str | None, lang: str | None,
             project: Path) -> None:
    """Check plans and data (of the work tree, or of --rev); report every problem at once."""
    language = _language(lang, project)
    checked = recipe.check(project, as_of, _source(project, rev))
    errors, warnings = checked.errors, checked.warnings
    failed = bool(errors) or (strict and bool(warnings))
    summary = say("summary",
                  plans=say_count(len(checked.project.plans), "plans_one", "plans_other"),
                  rows=say_count(len(checked.rows), "rows_one", "rows_other"),
                  errors=say_count(len(errors), "errors_one", "errors_other"),
                  warnings=say_count(len(warnings), "warnings_one", "warnings_other"))
    if fmt == "json":
        click.echo(json.dumps({"ok": not failed, "as_of": checked.as_of.isoformat(),
                               "language": language,
                               "errors": [p.to_json(language) for p in errors],
                               "warnings": [p.to_json(language) for p in warnings]},
                              ensure_ascii=False, indent=2))
    elif fmt == "github":
        for p in checked.problems:
            click.echo(_github(p, language))
        click.echo(summary.text(language))
    else:
        for p in checked.problems:
            click.echo(p.format(language))
        last = summary if checked.problems else say("all_good", summary=summary)
        click.echo(last.text(language))
    sys.exit(1 if failed else 0)


@main.command()
@as_of_option
@click.option("--plan", "plans", multiple=True, metavar="ID", help="Only this plan (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the status.json document.")
@rev_option
@published_option
@lang_option
@project_option
def status(as_of: dt.date | None, plans: tuple[str, ...], as_json: bool, rev: str | None,
           published: dt.date | None, lang: str | None, project: Path) -> None:
    """Computed statuses: a readable table, or status.json with --json."""
    language = _language(lang, project)
    source, as_of = _published(project, rev, as_of, published)
    computed = recipe.compute(project, as_of, set(plans) or None, source=source, policy=POLICY)
    if computed.checked.warnings and not as_json:
        _print_problems(computed.checked.warnings, language)
    if as_json:
        sys.stdout.write(status_json.dumps(computed.result))
    else:
        words = replace(computed.result, language=language)  # the table speaks --lang too
        print_status(words, Console(highlight=False))


def _interactive() -> bool:
    """A live progress display only for a person at a terminal; in CI logs, a pipe or a
    dumb terminal, plain lines."""
    import os

    return (sys.stderr.isatty() and not os.environ.get("CI")
            and os.environ.get("TERM") != "dumb")


@main.command()
@as_of_option
@click.option("--no-pdf", is_flag=True, help="Skip the PDF reports.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Site folder (default: site/ in the project).")
@rev_option
@published_option
@lang_option
@project_option
def build(as_of: dt.date | None, no_pdf: bool, out: Path | None, rev: str | None,
          published: dt.date | None, lang: str | None, project: Path) -> None:
    """Validate, compute, and build the status site (pages, charts, status.json).

    With --rev, plans and data are the revision's (the change log ends there); templates,
    docs/ and mkdocs.yml stay the work tree's. The site as it was published on a day:
    --published YYYY-MM-DD.
    """
    language = _language(lang, project)
    source, as_of = _published(project, rev, as_of, published)
    console = _err_console()
    # each stage as it goes: live on a terminal, else one plain line when it ends (CI)
    shown = (recipe.StageDisplay if _interactive() else recipe.StageLines)(
        console, language, pdf=not no_pdf)
    with shown:
        result = recipe.build(project, as_of=as_of, source=source, out=out, pdf=not no_pdf,
                              progress=shown, policy=POLICY)
    if result.warnings:
        _print_problems(result.warnings, language)
    built = say("built", plans=say_count(result.plans, "plans_one", "plans_other"),
                as_of=result.as_of, site=str(result.site_dir))
    console.print(built.text(language), markup=False)


@main.command()
@click.argument("plan", required=False)
@click.option("--portfolio", is_flag=True, help="The portfolio report instead of one plan's.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PDF file to write (default: PLAN.pdf or portfolio.pdf).")
@as_of_option
@rev_option
@published_option
@lang_option
@project_option
def report(plan: str | None, portfolio: bool, output: Path | None, as_of: dt.date | None,
           rev: str | None, published: dt.date | None, lang: str | None,
           project: Path) -> None:
    """One plan's PDF review report, or the portfolio report with --portfolio.

    With --rev (or --published), the plans and data of a git revision; templates stay the
    work tree's.
    """
    from .write import write_file

    language = _language(lang, project)
    if bool(plan) == portfolio:
        raise click.UsageError("name one PLAN, or give --portfolio")
    source, as_of = _published(project, rev, as_of, published)
    data = recipe.report(project, plan, as_of=as_of, source=source, policy=POLICY)
    target = output or Path(f"{plan or 'portfolio'}.pdf")
    if not target.parent.is_dir():
        raise click.BadParameter(f"the folder {target.parent} does not exist",
                                 param_hint="'-o'")
    write_file(target, data, project)
    wrote = say("wrote_report", file=str(target), kb=len(data) // 1024)
    _err_console().print(wrote.text(language), markup=False)


@main.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True)
@as_of_option
@lang_option
@project_option
def diff_command(base: str, head: str | None, fmt: str, as_of: dt.date | None,
                 lang: str | None, project: Path) -> None:
    """What a change between two git revisions does to the statuses (HEAD: the work tree)."""
    from .diff import diff
    from .views.changes import to_json, to_markdown

    language = _language(lang, project)  # and the problems of an invalid revision
    result = diff(project, base, head, as_of, policy=POLICY)
    if lang:  # the comment in the language asked for (else the project's, as the site)
        result = replace(result, language=language)
    if fmt == "json":
        click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(to_markdown(result))


@main.command()
@click.argument("directory", required=False, default=".",
                type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the sample plan, the site and the README.")
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@click.option("--from", "workbook", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE.xlsx",
              help="Start from the team's workbook (as mxt import reads it) instead of the "
                   "sample plan and its rows.")
def init(directory: Path, lang: str, force: bool, workbook: Path | None) -> None:
    """Start a new project in DIRECTORY (default: here): a sample plan and its metric rows,
    the metric dictionary, mkdocs.yml, CI workflows, a pre-commit hook and a README.

    It builds as it stands (mxt build, mxt serve). Existing files are never overwritten
    unless --force: they are all named, and nothing is written. With --from FILE.xlsx the
    plan comes from the workbook (every problem located in its cells, nothing written)."""
    from .newproject import create

    click.get_current_context().meta.update({LANGUAGE: lang, WROTE_NOTHING: True})
    created = create(directory, lang, force, workbook=workbook)
    here = directory.resolve() == Path.cwd().resolve()  # (no "cd ." to tell)
    done = say("init_done_here" if here else "init_done", root=str(directory),
               count=len(created.files))
    _err_console().print(done.text(lang), markup=False)


@main.command()
@click.option("--since", default=None, metavar="REV|DATE|SPAN",
              help="Compare with this revision, the last commit on or before a date "
                   "(YYYY-MM-DD), or a span back from today (7d, 2w). Default: HEAD~1 "
                   "(weekly: 7d).")
@click.option("--to", "to", multiple=True, metavar="URL",
              help="Also send everything to this URL (Apprise: json://, feishu://, "
                   "dingtalk://, wecombot://, slack://, mailto:// …; ${NAME} is read from "
                   "the environment). Channels and owners' routing come from mxt.yaml.")
@click.option("--kind", type=click.Choice(["new", "daily", "weekly"]), default="new",
              show_default=True,
              help="new: the alerts new since --since; daily: each owner's open critical "
                   "and overdue items; weekly: what changed over the week.")
@click.option("--min-severity", type=click.Choice(["info", "warning", "critical"]),
              default=None, help="Least severity sent (default: mxt.yaml's, else warning).")
@click.option("--cleared/--no-cleared", default=None,
              help="Also list the alerts that cleared (default: mxt.yaml's, else no).")
@click.option("--dry-run", is_flag=True, help="Print exactly what would be sent; send nothing.")
@project_option
def notify(since: str | None, to: tuple[str, ...], kind: str, min_severity: str | None,
           cleared: bool | None, dry_run: bool, project: Path) -> None:
    """Send alert digests to chat and mail: what is new since a revision (no state file:
    git history says what is new), a daily reminder, or the weekly sync."""
    from .model import AlertSeverity
    from .notify import DeliveryError
    from .notify import notify as run

    outcome = run(project, kind=kind, since=since, to=to,  # type: ignore[arg-type]
                  min_severity=AlertSeverity(min_severity) if min_severity else None,
                  cleared=cleared, dry_run=dry_run)
    lang = outcome.language
    _language(lang, project)
    console = _err_console()
    if not outcome.messages:
        key = ("notify_no_channel" if not outcome.channels else
               "notify_nothing_daily" if kind == "daily" else "notify_nothing")
        console.print(label(key, lang, base=(outcome.base or "—")[:12]), markup=False)
        return
    for delivery, message in outcome.messages:
        if dry_run:
            cannot = f" ({delivery.unset}: not set)" if delivery.unset else ""
            click.echo(f"── {delivery.shown}{cannot}\n{message.title}\n\n{message.body}")
    done = "notify_would_send" if dry_run else "notify_sent"
    sent = len(outcome.messages) - len(outcome.failed)
    console.print(label(done, lang, n=sent if not dry_run else len(outcome.messages)),
                  markup=False)
    if outcome.failed:
        raise DeliveryError(outcome.failed)


# the engines of `pull.config.BACKENDS` (a test checks), named here so --help imports no driver
PULL_DIALECTS = ("bigquery", "clickhouse", "databricks", "duckdb", "mssql", "mysql", "postgres",
                 "snowflake", "trino")


@main.command("pull")
@click.option("--explain", is_flag=True,
              help="Print the SQL each source would run (per its dialect); connect to nothing.")
@click.option("--include-today", is_flag=True,
              help="Also pull today, which is incomplete (default: up to yesterday in each "
                   "source's time zone).")
@click.option("--source", "only", multiple=True, metavar="ID",
              help="Only this source (repeatable; default: every source).")
@click.option("--dialect", type=click.Choice(sorted(PULL_DIALECTS)), default=None,
              help="With --explain: the SQL dialect (default: the source URL's engine).")
@lang_option
@project_option
def pull_command(explain: bool, include_today: bool, only: tuple[str, ...],
                 dialect: str | None, lang: str | None, project: Path) -> None:
    """Bring the daily figures of the warehouse sources in data/metrics.yaml into
    data/pulled/ (all sources or nothing; credentials come from the environment)."""
    from .pull import run

    language = _language(lang, project)
    now = dt.datetime.now(dt.UTC)  # the one clock reading: each source's "today" comes from it
    if dialect is not None and not explain:
        raise click.UsageError("--dialect goes with --explain")
    if explain:
        explained = run.explain(project, now, only=only, include_today=include_today,
                                dialect=dialect)
        if not explained:
            _err_console().print(say("pull_no_sources").text(language), markup=False)
        for e in explained:
            click.echo(f"-- source {e.source} ({e.dialect}) → {e.path}\n"
                       f"-- days {e.first or 'all'} … {e.end - dt.timedelta(days=1)} "
                       f"({e.timezone}); no connection: {e.date_column} assumed a timestamp "
                       f"with time zone\n{e.sql};\n")
        return
    done = run.pull(project, now, only=only, include_today=include_today)
    console = _err_console()
    if not done:
        console.print(say("pull_no_sources").text(language), markup=False)
    for p in done:
        key = "pull_wrote" if p.changed else "pull_unchanged"
        console.print(say(key, source=p.source, values=p.values, first=p.first or "—",
                          last=p.last or "—", path=p.path).text(language), markup=False)


@main.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: plans/ID.yaml; with --template, 模板.xlsx or "
                   "template.xlsx).")
@click.option("--csv", "as_csv", is_flag=True,
              help="FILE is one table saved as CSV (implied by a .csv name).")
@click.option("--template", is_flag=True,
              help="Write the empty workbook to fill in (sheets, headers, choice lists) "
                   "instead of importing one.")
@click.option("--force", is_flag=True, help="Replace the plan file if it exists.")
@lang_option
@project_option
def import_command(file: Path | None, output: Path | None, as_csv: bool, template: bool,
                   force: bool, lang: str | None, project: Path) -> None:
    """Read a workbook laid out like the teams' tables (任务拆解与责任分配表, 目标, 问题与风险,
    复盘 …; Chinese or English headers) into a plan file that validates; every problem
    is located by sheet and cell, and nothing is written until there are none."""
    language = _language(lang, project)
    click.get_current_context().meta[WROTE_NOTHING] = True
    console = _err_console()
    if template:
        from .spreadsheet.columns import TABLES
        from .spreadsheet.template import workbook
        from .write import write_file

        if file is not None:
            raise click.UsageError("--template writes a workbook: give no FILE")
        target = output or Path("模板.xlsx" if language == "zh" else "template.xlsx")
        write_file(target, workbook(language), project)
        console.print(say("template_wrote", file=str(target), sheets=len(TABLES)).text(language),
                      markup=False)
        return
    if file is None:
        raise click.UsageError("name the workbook to import (or give --template)")
    from .spreadsheet.columns import BY_KEY
    from .spreadsheet.importer import import_file

    done = import_file(file, project, output, as_csv=as_csv or None, force=force,
                       language=language)
    for problem in done.converted.warnings:
        console.print(problem.format(language), markup=False)
    items = listing((f"{BY_KEY[k].sheet_name(language)} {n}"
                     for k, n in done.converted.counts.items()), language)
    console.print(say("import_wrote", file=str(done.target), items=items,
                      notes=done.converted.notes).text(language), markup=False)


@main.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Workbook to write (default: status.xlsx).")
@as_of_option
@click.option("--plan", "plans", multiple=True, metavar="ID", help="Only this plan (repeatable).")
@rev_option
@published_option
@lang_option
@project_option
def export_command(output: Path | None, as_of: dt.date | None, plans: tuple[str, ...],
                   rev: str | None, published: dt.date | None, lang: str | None,
                   project: Path) -> None:
    """The computed statuses as a workbook: a portfolio sheet, then goals, tasks, budget
    lines, risks, issues and alerts (real numbers and dates, status colours, filters)."""
    from .spreadsheet.export import workbook
    from .write import write_file

    language = _language(lang, project)
    source, as_of = _published(project, rev, as_of, published)
    computed = recipe.compute(project, as_of, set(plans) or None, source=source, policy=POLICY)
    target = output or Path("status.xlsx")
    if not target.parent.is_dir():
        raise click.BadParameter(f"the folder {target.parent} does not exist",
                                 param_hint="'-o'")
    write_file(target, workbook(computed.result, language), project)
    wrote = say("export_wrote", file=str(target), plans=len(computed.result.plans),
                as_of=computed.result.as_of)
    _err_console().print(wrote.text(language), markup=False)


@main.command("schema")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the schema files (default: schema/ in the project).")
@click.option("--check", is_flag=True, help="Only check the files are up to date (exit 1 if not).")
@project_option
def schema_command(out: Path | None, check: bool, project: Path) -> None:
    """Write JSON Schemas of the plan file and metric dictionary, for editors."""
    from .schema import schemas
    from .write import write_file

    folder = out or project / "schema"
    stale = []
    for name, text in schemas().items():
        target = folder / name
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            stale.append(target)
            if not check:
                write_file(target, text.encode("utf-8"), project)
    if check and stale:
        for target in stale:
            click.echo(f"{target}: out of date (run `mxt schema`)")
        sys.exit(1)
    click.echo("schemas up to date" if check else f"wrote {folder}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--pdf", is_flag=True, help="Render the PDF reports on every rebuild too (slower).")
@as_of_option
@project_option
def serve(host: str, port: int, pdf: bool, as_of: dt.date | None, project: Path) -> None:
    """Rebuild on every change under plans/, data/, site_templates/ and serve with live reload."""
    from .serve import serve as run

    run(project.resolve(), host=host, port=port, as_of=as_of, pdf=pdf, policy=POLICY)
