"""Finding the CJK font: through $MXT_CJK_FONT, fontconfig or the font folders, never
through matplotlib's font cache; a clear error, with install commands, when it is missing."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from click.testing import CliRunner
from matplotlib import font_manager

from generator import fonts
from generator.cli import main
from generator.errors import EnvironmentProblem

from .conftest import ROOT

PLAN = "annual-2026"  # one Chinese plan of the sample portfolio: a build of it takes seconds
PHASES = "启动期爆发期收尾期"  # its phase names, drawn on its Gantt chart
INSTALL_COMMANDS = ("apt-get install fonts-noto-cjk", "dnf install google-noto-sans-cjk-fonts",
                    "brew install --cask font-noto-sans-cjk", "Windows", "MXT_CJK_FONT=")


def system_face() -> fonts.Face | None:
    """The regular CJK face this machine has installed (the variable aside)."""
    return fonts._from_fontconfig("Regular") or fonts._from_folders("Regular")


needs_font = pytest.mark.skipif(system_face() is None,
                                reason="Noto Sans CJK is not installed (run `make install`)")


def small_project(target: Path) -> Path:
    """The sample project with one plan and its data (tests never write into the repo)."""
    (target / "plans").mkdir(parents=True)
    (target / "data").mkdir()
    shutil.copy2(ROOT / "plans" / f"{PLAN}.yaml", target / "plans")
    shutil.copy2(ROOT / "data" / "metrics.yaml", target / "data")
    shutil.copytree(ROOT / "data" / PLAN, target / "data" / PLAN)
    for name in ("mkdocs.yml", "people.yaml"):
        shutil.copy2(ROOT / name, target)
    return target


@pytest.fixture(scope="module")
def stale_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A matplotlib config folder whose font list was made before the CJK font was
    installed: it lists only the fonts matplotlib ships."""
    folder = tmp_path_factory.mktemp("mplconfig")
    shipped = Path(matplotlib.get_data_path()).resolve()

    def ships(entry: font_manager.FontEntry) -> bool:
        return Path(entry.fname).resolve().is_relative_to(shipped)

    manager = copy.copy(font_manager.fontManager)  # the same cache format, fewer fonts
    manager.ttflist = [e for e in manager.ttflist if ships(e)]
    manager.afmlist = [e for e in manager.afmlist if ships(e)]
    version = font_manager.FontManager.__version__
    font_manager.json_dump(manager, folder / f"fontlist-v{version}.json")
    assert not cached_cjk(folder) and any(e["name"] == "DejaVu Sans" for e in cached(folder))
    return folder


def cached(folder: Path) -> list[dict[str, object]]:
    """The fonts a matplotlib config folder's font list holds."""
    (listing,) = folder.glob("fontlist-v*.json")
    return list(json.loads(listing.read_text(encoding="utf-8"))["ttflist"])


def cached_cjk(folder: Path) -> list[dict[str, object]]:
    return [e for e in cached(folder) if "CJK" in str(e["name"])]


def blind(tmp: Path, stale: Path) -> dict[str, str]:
    """An environment where only $MXT_CJK_FONT can find a CJK font: fontconfig lists no
    font, the font folders are empty, matplotlib's cache lacks it."""
    (tmp / "fonts.conf").write_text("<?xml version='1.0'?>\n<fontconfig></fontconfig>\n")
    for name in ("home", "share"):
        (tmp / name).mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != fonts.FONT_VARIABLE}
    env.update(MPLCONFIGDIR=str(stale), FONTCONFIG_FILE=str(tmp / "fonts.conf"),
               HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "share"),
               XDG_DATA_DIRS=str(tmp / "share"), MXT_CACHE_DIR=str(tmp / "cache"))
    return env


def mxt(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--project", str(project)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)


def drawn_characters(site: Path, face: fonts.Face) -> set[str]:
    """The characters the site's charts draw with `face`: SVG charts hold text as glyph
    outlines, each defined once with the id `<PostScript name>-<glyph index, hex>`."""
    from fontTools.ttLib import TTCollection, TTFont

    font = (TTCollection(str(face.path), lazy=True).fonts[face.index] if face.collection
            else TTFont(str(face.path), lazy=True))
    name = font["name"].getDebugName(6)
    order = font.getGlyphOrder()
    character: dict[str, str] = {}
    for cp, glyph in sorted(font.getBestCmap().items()):
        character.setdefault(glyph, chr(cp))
    ids: set[tuple[str, int]] = set()
    for svg in site.glob("charts/**/*.svg"):
        ids.update((n, int(g, 16)) for n, g in
                   re.findall(r'<path id="([^"]+)-([0-9a-f]+)"', svg.read_text(encoding="utf-8")))
    assert ids, "no glyph outlines in the charts"
    assert not [i for i in ids if i[1] == 0], "a .notdef glyph (an empty box) was drawn"
    return {character[order[g]] for n, g in ids if n == name and order[g] in character}


def assert_chinese_drawn(site: Path, face: fonts.Face) -> None:
    drawn = drawn_characters(site, face)
    assert set(PHASES) <= drawn, sorted(set(PHASES) - drawn)
    assert len([c for c in drawn if "\u4e00" <= c <= "\u9fff"]) >= 50, sorted(drawn)


# --- the command line ---------------------------------------------------------------


@needs_font
@pytest.mark.slow
def test_build_draws_chinese_with_a_stale_matplotlib_cache(tmp_path: Path, stale_cache: Path):
    """The font installed after matplotlib made its font list: found all the same."""
    project = small_project(tmp_path / "p")
    env = {k: v for k, v in os.environ.items() if k != fonts.FONT_VARIABLE}
    env.update(MPLCONFIGDIR=str(stale_cache), MXT_CACHE_DIR=str(tmp_path / "cache"))
    done = mxt(project, env, "build", "--no-pdf")
    assert done.returncode == 0, done.stderr
    face = system_face()
    assert face is not None
    assert_chinese_drawn(project / "site", face)
    assert not cached_cjk(stale_cache)  # found without matplotlib rebuilding its cache


@needs_font
@pytest.mark.slow
def test_a_blind_machine_refuses_to_build(tmp_path: Path, stale_cache: Path):
    """The environment of the next tests really hides the font: without MXT_CJK_FONT the
    build stops, saying how to install it."""
    project = small_project(tmp_path / "p")
    done = mxt(project, blind(tmp_path, stale_cache), "build", "--no-pdf")
    assert done.returncode == 1, done.stderr
    assert "not installed" in done.stderr
    assert all(command in done.stderr for command in INSTALL_COMMANDS), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert not (project / "site").exists()


@pytest.mark.slow
def test_cjk_font_variable_naming_no_file(tmp_path: Path, stale_cache: Path):
    project = small_project(tmp_path / "p")
    env = blind(tmp_path, stale_cache)
    missing = tmp_path / "nowhere" / "NotoSansCJK-Regular.ttc"
    env[fonts.FONT_VARIABLE] = str(missing)
    done = mxt(project, env, "build", "--no-pdf")
    assert done.returncode == 1, done.stderr
    assert f"{missing}: no such font file (named by MXT_CJK_FONT)" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert not (project / "site").exists()


@needs_font
@pytest.mark.slow
def test_cjk_font_variable_naming_the_font(tmp_path: Path, stale_cache: Path):
    """Only MXT_CJK_FONT names the font: charts draw Chinese with it."""
    face = system_face()
    assert face is not None
    project = small_project(tmp_path / "p")
    env = blind(tmp_path, stale_cache)
    env[fonts.FONT_VARIABLE] = str(face.path)
    done = mxt(project, env, "build", "--no-pdf")
    assert done.returncode == 0, done.stderr
    assert_chinese_drawn(project / "site", face)


def test_report_without_the_font_says_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`mxt report` checks the font before drawing: no PDF of empty boxes."""
    monkeypatch.delenv(fonts.FONT_VARIABLE, raising=False)
    monkeypatch.setattr(fonts, "_found", {})
    monkeypatch.setattr(fonts, "_from_fontconfig", lambda weight: None)
    monkeypatch.setattr(fonts, "font_folders", lambda: [tmp_path / "no-fonts"])
    project = small_project(tmp_path / "p")
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", PLAN, "-o", str(out), "--project", str(project)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # reported, not a crash
    assert f"the CJK font {fonts.CJK_FAMILY!r} is not installed" in result.output
    assert all(command in result.output for command in INSTALL_COMMANDS), result.output
    assert not out.exists()


# --- the lookup -------------------------------------------------------------------------


def tiny_cjk_font(path: Path) -> Path:
    """A two-character font of another family: "中文" as boxes."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def box(width: int) -> object:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((width, 700))
        pen.lineTo((width, 0))
        pen.closePath()
        return pen.glyph()

    cmap = {ord("中"): "uni4E2D", ord("文"): "uni6587", ord(" "): "space"}
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *cmap.values()])
    builder.setupCharacterMap(cmap)
    builder.setupGlyf({".notdef": box(500), "uni4E2D": box(900), "uni6587": box(800),
                       "space": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({g: (1000, 100) for g in [".notdef", *cmap.values()]})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Mxt Test CJK", "styleName": "Regular",
                            "psName": "MxtTestCJK-Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.mark.slow
def test_cjk_font_variable_reaches_matplotlib(tmp_path: Path, stale_cache: Path):
    """A font only MXT_CJK_FONT names, of any family, is what charts draw with."""
    font = tiny_cjk_font(tmp_path / "tiny.ttf")
    env = blind(tmp_path, stale_cache)
    env[fonts.FONT_VARIABLE] = str(font)
    script = """if True:
        import io
        import matplotlib
        from matplotlib.figure import Figure
        from generator import fonts
        fonts.ensure_cjk_font()
        with matplotlib.rc_context({"font.family": fonts.font_families(),
                                    "svg.fonttype": "path"}):
            figure = Figure()
            figure.text(0.5, 0.5, "中文 Latin")
            out = io.StringIO()
            figure.savefig(out, format="svg")
        print(fonts.font_families())
        print(out.getvalue())
    """
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("['Mxt Test CJK', 'DejaVu Sans']"), done.stdout[:200]
    glyphs = set(re.findall(r'<path id="([^"]+)-([0-9a-f]+)"', done.stdout))
    assert {("MxtTestCJK-Regular", "1"), ("MxtTestCJK-Regular", "2")} <= glyphs  # 中, 文
    assert any(name.startswith("DejaVuSans") for name, _ in glyphs)  # Latin falls back


def test_cjk_font_variable_is_the_report_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Reports embed the pre-subset copy of the font MXT_CJK_FONT names, cached by its
    path, size and time: made once, made again when the file changes."""
    font = tiny_cjk_font(tmp_path / "tiny.ttf")
    monkeypatch.setenv(fonts.FONT_VARIABLE, str(font))
    monkeypatch.setenv("MXT_CACHE_DIR", str(tmp_path / "cache"))
    assert fonts.cjk_face("Regular") == fonts.Face(font, 0, False)
    assert fonts.cjk_face("Bold") is None  # no tiny-Bold.ttf beside it
    first = fonts.report_font("Regular")
    assert first is not None and first.parent == tmp_path / "cache" / "fonts"
    from fontTools.ttLib import TTFont

    with TTFont(str(first)) as subset:
        assert {ord("中"), ord("文")} <= set(subset.getBestCmap())
    made = first.stat().st_mtime_ns
    assert fonts.report_font("Regular") == first and first.stat().st_mtime_ns == made
    os.utime(font, ns=(made + 10**9, made + 10**9))
    second = fonts.report_font("Regular")
    assert second is not None and second != first and second.is_file()
    assert fonts.report_font("Bold") is None


def test_cjk_font_variable_must_name_a_chinese_font(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    latin = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    monkeypatch.setenv(fonts.FONT_VARIABLE, latin)
    with pytest.raises(EnvironmentProblem, match="has no Chinese characters"):
        fonts.cjk_face()
    (tmp_path / "notes.ttc").write_text("not a font")
    monkeypatch.setenv(fonts.FONT_VARIABLE, str(tmp_path / "notes.ttc"))
    with pytest.raises(EnvironmentProblem, match="cannot read this font file"):
        fonts.cjk_face()


@needs_font
def test_cjk_font_variable_finds_the_bold_face_beside_it(monkeypatch: pytest.MonkeyPatch):
    face = system_face()
    assert face is not None
    bold = face.path.with_name(face.path.name.replace("Regular", "Bold"))
    if bold == face.path or not bold.is_file():
        pytest.skip("no bold file beside the regular one")
    monkeypatch.setenv(fonts.FONT_VARIABLE, str(face.path))
    found = fonts.cjk_face("Bold")
    assert found is not None and found.path == bold
    assert fonts._names(_open(found)) == (fonts.CJK_FAMILY, "Bold")


def _open(face: fonts.Face) -> object:
    from fontTools.ttLib import TTCollection, TTFont

    if face.collection:
        return TTCollection(str(face.path), lazy=True).fonts[face.index]
    return TTFont(str(face.path), lazy=True)


@needs_font
@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_fontconfig_and_the_folders_find_the_same_face(weight: str):
    by_folders = fonts._from_folders(weight)
    if by_folders is None:
        pytest.skip("the font is not in the usual folders")
    assert fonts._names(_open(by_folders)) == (fonts.CJK_FAMILY, weight)
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    by_fontconfig = fonts._from_fontconfig(weight)
    assert by_fontconfig is not None
    assert fonts._names(_open(by_fontconfig)) == (fonts.CJK_FAMILY, weight)
    if by_fontconfig.path.resolve() == by_folders.path.resolve():
        assert by_fontconfig.index == by_folders.index


@needs_font
def test_report_font_keeps_its_cache_key_for_the_system_font(monkeypatch: pytest.MonkeyPatch):
    """The pre-subset report font made before (keyed on the collection's path and face
    index) is still the one found: no 11 s rebuild after upgrading."""
    monkeypatch.delenv(fonts.FONT_VARIABLE, raising=False)
    face = fonts.cjk_face("Regular")
    assert face is not None
    source, index = fonts._system_face("Regular") or (None, None)
    assert source == face.path
    assert index == (face.index if face.collection else -1)
