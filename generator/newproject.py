"""`mxt init`: a new project that builds as it stands.

A small sample plan (its dates around today, so that its statuses are live) and its
metric rows, the metric dictionary of common marketing metrics, `mkdocs.yml`, the
editor schemas, the CI workflows (pinned to the mxt that wrote them), a pre-commit
hook, `.gitignore` and a README for the team. Nothing is overwritten unless asked:
every file that exists is named at once, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from . import SCHEMA_VERSION, __version__
from .errors import InputError, Problem, say
from .write import replace_file

DISTRIBUTION = "mxt"
SAMPLE_ID = "sample-launch"
DAYS = 90  # the sample campaign's length
ELAPSED = 42  # days of it behind us: the sample has six weeks of rows

# Where the product's source lives (the git URL workflows install from before a release
# reaches the package index); the package metadata's Source URL wins when present.
SOURCE_URL = "https://github.com/mxt-dev/mxt"


@dataclass(frozen=True)
class Created:
    root: Path
    files: list[Path]  # relative to root, in the order written


def install_spec() -> str:
    """What `pip install` needs to get this very mxt again (PEP 610's direct_url.json).

    Installed from a package index: `mxt==X.Y.Z`. Installed from a git URL: that URL at
    the exact commit. Installed from a folder or a wheel file (a clone, a local build):
    the project's git URL at the tag of this version, `vX.Y.Z`."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return f"{DISTRIBUTION} @ git+{_source_url()}@v{__version__}"
    direct = dist.read_text("direct_url.json")
    if direct is None:
        return f"{DISTRIBUTION}=={__version__}"
    info = json.loads(direct)
    vcs = info.get("vcs_info")
    if vcs and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"{DISTRIBUTION} @ git+{info['url']}@{vcs['commit_id']}"
    return f"{DISTRIBUTION} @ git+{_source_url()}@v{__version__}"


def _source_url() -> str:
    try:
        urls = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return SOURCE_URL
    for entry in urls:
        name, _, url = entry.partition(",")
        if name.strip().lower() == "source":
            return url.strip()
    return SOURCE_URL


def _dates(today: dt.date) -> dict[str, str]:
    start = today - dt.timedelta(days=ELAPSED)

    def d(n: int) -> str:
        return (start + dt.timedelta(days=n)).isoformat()

    out = {f"d{n}": d(n) for n in range(DAYS)}
    out.update(start=d(0), end=d(DAYS - 1), prep_end=d(13), burst_start=d(14),
               burst_end=d(55), wrapup_start=d(56), yesterday=d(ELAPSED - 1))
    return out


CHANNELS = {"zh": ("抖音", "小红书"), "en": ("Douyin", "Xiaohongshu")}


def sample_rows(today: dt.date, lang: str = "zh") -> str:
    """Six weeks of daily rows for the sample plan, two channels, deterministic."""
    start = today - dt.timedelta(days=ELAPSED)
    lines = ["date,plan,metric,value,channel"]
    feed, seeding = CHANNELS[lang]
    channels = {feed: (60000, 0.0155, 165, 3300), seeding: (30000, 0.022, 130, 2400)}
    for n in range(ELAPSED):
        day = (start + dt.timedelta(days=n)).isoformat()
        wave = 1 + 0.12 * math.sin(n / 3.0) + (0.25 if 14 <= n <= 30 else 0.0)
        for channel, (shown, ctr, users, cost) in channels.items():
            impressions = round(shown * wave)
            clicks = round(impressions * ctr * (1 + 0.05 * math.cos(n / 2.0)))
            visitors = round(clicks * 0.6)
            orders = round(visitors * 0.05)
            values = {"impressions": impressions, "clicks": clicks, "visitors": visitors,
                      "new_users": round(users * wave), "orders": orders,
                      "gmv": orders * 299, "cost": round(cost * wave)}
            lines += [f"{day},{SAMPLE_ID},{metric},{value},{channel}"
                      for metric, value in values.items()]
    return "\n".join(lines) + "\n"


def _templates():  # type: ignore[no-untyped-def]
    from jinja2 import Environment, StrictUndefined

    # [[ ]] and [% %]: the workflows' own ${{ }} expressions pass through untouched
    return Environment(variable_start_string="[[", variable_end_string="]]",
                       block_start_string="[%", block_end_string="%]",
                       comment_start_string="[#", comment_end_string="#]",
                       keep_trailing_newline=True, undefined=StrictUndefined, autoescape=False)


def files(lang: str, today: dt.date) -> dict[str, str]:
    """Every file of a new project, by its path, as text."""
    from .schema import schemas

    folder = resources.files("generator") / "scaffold"
    env = _templates()
    values = {**_dates(today), "lang": lang, "zh": lang == "zh", "plan_id": SAMPLE_ID,
              "schema_version": SCHEMA_VERSION, "version": __version__,
              "install": install_spec(), "homepage": _source_url()}

    def render(name: str) -> str:
        return env.from_string((folder / name).read_text("utf-8")).render(values)

    out = {
        f"plans/{SAMPLE_ID}.yaml": render(f"plan.{lang}.yaml.j2"),
        f"data/{SAMPLE_ID}.csv": sample_rows(today, lang),
        "data/metrics.yaml": render("metrics.yaml.j2"),
        "mkdocs.yml": render("mkdocs.yml.j2"),
        "README.md": render(f"README.{lang}.md.j2"),
        ".gitignore": (folder / "gitignore").read_text("utf-8"),
        ".pre-commit-config.yaml": render("pre-commit-config.yaml.j2"),
        ".github/workflows/pull-request.yml": render("workflows/pull-request.yml.j2"),
        ".github/workflows/publish.yml": render("workflows/publish.yml.j2"),
        ".github/workflows/notify.yml": render("workflows/notify.yml.j2"),
        ".github/workflows/pull-data.yml": render("workflows/pull-data.yml.j2"),
        "mxt.yaml": render("mxt.yaml.j2"),
    }
    out.update({f"schema/{name}": text for name, text in schemas().items()})
    return out


def create(root: Path, lang: str = "zh", force: bool = False,
           today: dt.date | None = None, workbook: Path | None = None) -> Created:
    """Write a new project into `root` (made if missing). Existing files are an error,
    all named at once and nothing written, unless `force`. With `workbook` (mxt init
    --from), its plan replaces the sample plan and its rows."""
    root = Path(root)
    planned = files(lang, today or dt.datetime.now().astimezone().date())
    if workbook is not None:
        from .spreadsheet.importer import for_new_project

        plan = for_new_project(Path(workbook), planned["data/metrics.yaml"], lang)
        del planned[f"plans/{SAMPLE_ID}.yaml"], planned[f"data/{SAMPLE_ID}.csv"]
        planned[f"plans/{plan.plan_id}.yaml"] = plan.text
    if root.exists() and not root.is_dir():
        raise InputError([Problem(str(root), None, None, "", say("init_not_a_folder"))])
    if not force:
        taken = [name for name in planned if (root / name).exists()]
        if taken:
            raise InputError([Problem(str(root / name), None, None, "", say("init_exists"))
                              for name in taken])
    written = []
    for name, text in planned.items():
        replace_file(root / name, text.encode("utf-8"))
        written.append(Path(name))
    return Created(root, written)
