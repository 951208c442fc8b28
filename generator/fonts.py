"""Where the CJK font comes from, for charts (matplotlib) and reports (WeasyPrint).

The font is Noto Sans CJK (SIL Open Font License), its Simplified Chinese face
"Noto Sans CJK SC": Debian's `fonts-noto-cjk` package, installed by the
project's set-up (`scripts/install-system-deps.sh`, run by `make`), or the same
font from another system's packages. It is found, in this order:

1. `$MXT_CJK_FONT`, a font file (`NotoSansCJK-Regular.ttc`, `NotoSansCJKsc-Regular.otf`
   or any font with Chinese characters): when set, only it is used, and a file that
   is missing or unusable is an error, never silently replaced by another font;
2. fontconfig (`fc-list`), which knows every font the system has installed;
3. the usual font folders (the user's, the system's; macOS's and Windows' too), for
   machines without fontconfig's tools.

Never through matplotlib's font list: that is a cache (`fontlist-*.json`) built once,
and a font installed after it was built is missing from it. The face found is added
to matplotlib directly (`FontManager.addfont`); a `.ttc` collection adds each of its
faces, and charts name the one found by its family. Latin text falls back to DejaVu
Sans, which matplotlib ships.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import EnvironmentProblem

CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "DejaVu Sans"
FONT_VARIABLE = "MXT_CJK_FONT"
WEIGHTS = {"Regular": 80, "Bold": 200}  # the faces used, with fontconfig's weight for each
_CHINESE = ord("中")  # a font without it is no CJK font

INSTALL_ADVICE = (
    "install Noto Sans CJK:\n"
    "  Debian/Ubuntu:    sudo apt-get install fonts-noto-cjk\n"
    "  Fedora:           sudo dnf install google-noto-sans-cjk-fonts\n"
    "  macOS (Homebrew): brew install --cask font-noto-sans-cjk\n"
    "  Windows:          download 00_NotoSansCJK.ttc.zip (Sans) from "
    "https://github.com/notofonts/noto-cjk/releases, unzip it, right-click NotoSansCJK.ttc "
    "and choose \"Install for all users\"\n"
    f"or point {FONT_VARIABLE} at the font file, e.g. "
    f"{FONT_VARIABLE}=/path/to/NotoSansCJK-Regular.ttc (or .otf)")


@dataclass(frozen=True)
class Face:
    """One face of a font file: `index` is its place in a collection (.ttc, .otc)."""

    path: Path
    index: int = 0
    collection: bool = False


# --- finding the font ---------------------------------------------------------------

# what was found, by weight and $MXT_CJK_FONT. Without the regular face nothing is kept:
# the font may be installed since. A bold face missing beside a regular one is kept as
# None: charts ask for it at every label, and each lookup runs fc-list and walks the
# font folders (bold text is drawn with the regular face then).
_found: dict[tuple[str, str | None], Face | None] = {}


def cjk_face(weight: str = "Regular") -> Face | None:
    """The CJK face of `weight` ("Regular" or "Bold"), or None when the machine lacks it.

    Raises `EnvironmentProblem` when $MXT_CJK_FONT names no usable font."""
    setting = os.environ.get(FONT_VARIABLE) or None
    key = (weight, setting)
    if key not in _found:
        face = (_from_setting(setting, weight) if setting is not None
                else _from_fontconfig(weight) or _from_folders(weight))
        if face is None and (weight == "Regular" or cjk_face("Regular") is None):
            return None
        _found[key] = face
    return _found[key]


def _from_setting(setting: str, weight: str) -> Face | None:
    """The face of $MXT_CJK_FONT: the file itself for Regular; for Bold, the collection's
    bold face or the file beside it named …-Bold (None when there is neither: bold text
    is then drawn with the regular face)."""
    path = Path(setting).expanduser().absolute()
    if not path.is_file():
        raise EnvironmentProblem(f"no such font file (named by {FONT_VARIABLE}); point it "
                                 "at Noto Sans CJK, e.g. NotoSansCJK-Regular.ttc, or unset it",
                                 file=setting)
    if weight != "Regular":
        sibling = path.with_name(path.name.replace("Regular", weight))
        for candidate, any_face in ((path, False), (sibling, True)):
            try:
                face = _face_in(candidate, weight) or (
                    _face_in(candidate, None) if any_face and candidate != path else None)
            except Exception:  # no such file, or a damaged one: the regular face will do
                continue
            if face is not None:
                return face
        return None
    try:
        return _readable_face(path, setting)
    except EnvironmentProblem:
        raise
    except Exception as e:  # fontTools raises many kinds on a file that is no font
        raise EnvironmentProblem(f"cannot read this font file (named by {FONT_VARIABLE}): "
                                 f"{type(e).__name__}: {e}", file=setting) from e


def _readable_face(path: Path, setting: str) -> Face:
    """The regular face of the font file `path`, which must draw Chinese."""
    face = _face_in(path, "Regular") or _face_in(path, None)
    if face is None or _CHINESE not in _characters_of(face):
        raise EnvironmentProblem(f"this font has no Chinese characters (named by "
                                 f"{FONT_VARIABLE}); point it at Noto Sans CJK, e.g. "
                                 "NotoSansCJK-Regular.ttc", file=setting)
    return face


def _from_fontconfig(weight: str) -> Face | None:
    """The face fontconfig lists for the family and weight (static fonts only: matplotlib
    draws a variable font's default instance, whatever its weight)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{file}\t%{index}\t%{weight}\t%{variable}\n",
             f":family={CJK_FAMILY}"],
            capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(listed.splitlines()):
        file, index, fc_weight, variable = [*line.split("\t"), "", "", ""][:4]
        if (fc_weight != str(WEIGHTS.get(weight)) or variable == "True"
                or not index.isdigit() or int(index) >= 0x10000 or not os.path.isfile(file)):
            continue  # another weight, a variable font or one of its named instances
        return Face(Path(file), int(index), _is_collection(Path(file)))
    return None


FILE_NAMES = ("NotoSansCJK-{weight}.ttc",  # Debian, Fedora, Arch; the upstream OTCs
              "NotoSansCJKsc-{weight}.otf",  # the upstream Simplified Chinese OTFs
              "NotoSansCJK.ttc")  # the upstream Super OTC (every weight): Homebrew's cask


def font_folders() -> list[Path]:
    """Where fonts are installed: the user's folders first, then the system's."""
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return [*([Path(local) / "Microsoft" / "Windows" / "Fonts"] if local else []),
                Path(os.environ.get("WINDIR") or r"C:\Windows") / "Fonts"]
    if sys.platform == "darwin":
        return [home / "Library" / "Fonts", Path("/Library/Fonts"),
                Path("/opt/homebrew/share/fonts"), Path("/usr/local/share/fonts")]
    data_home = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    folders = [Path(data_home) / "fonts", home / ".fonts",
               *(Path(d) / "fonts" for d in data_dirs if d)]
    return list(dict.fromkeys(folders))


def _from_folders(weight: str) -> Face | None:
    """The face in a Noto Sans CJK file of the usual names, in the usual folders."""
    wanted = [name.format(weight=weight).lower() for name in FILE_NAMES]
    found: dict[str, list[Path]] = {}
    for folder in font_folders():
        for parent, _dirs, files in os.walk(folder):
            for name in files:
                if name.lower() in wanted:
                    found.setdefault(name.lower(), []).append(Path(parent) / name)
    for name in wanted:
        for path in sorted(found.get(name, [])):
            try:
                face = _face_in(path, weight)
            except Exception:  # a damaged file: look on
                continue
            if face is not None:
                return face
    return None


def _is_collection(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"ttcf"


def _face_in(path: Path, weight: str | None) -> Face | None:
    """The face of `path` whose family is Noto Sans CJK SC and whose style is `weight`,
    or, when `weight` is None, its first face."""
    from fontTools.ttLib import TTCollection, TTFont

    if _is_collection(path):
        collection = TTCollection(str(path), lazy=True)
        try:
            for index, font in enumerate(collection.fonts):
                if weight is None or _names(font) == (CJK_FAMILY, weight):
                    return Face(path, index, True)
        finally:
            collection.close()
        return None
    with TTFont(str(path), lazy=True) as font:
        return Face(path) if weight is None or _names(font) == (CJK_FAMILY, weight) else None


def _names(font: Any) -> tuple[str | None, str | None]:
    """A face's family and style names (name IDs 1 and 2)."""
    table = font["name"]
    return table.getDebugName(1), table.getDebugName(2)


@functools.cache
def _characters_of(face: Face) -> frozenset[int]:
    """Every character `face` maps to a glyph."""
    from fontTools.ttLib import TTCollection, TTFont

    if face.collection:
        collection = TTCollection(str(face.path), lazy=True)
        try:
            return frozenset(collection.fonts[face.index].getBestCmap() or {})
        finally:
            collection.close()
    with TTFont(str(face.path), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


# --- charts (matplotlib) --------------------------------------------------------------

_registered: dict[tuple[Face, ...], str] = {}


def chart_family() -> str | None:
    """The family name charts draw CJK text with, once its faces (regular, and bold where
    there is one) are added to matplotlib; None when the machine lacks the font."""
    regular = cjk_face("Regular")
    if regular is None:
        return None
    bold = cjk_face("Bold")
    faces = (regular, bold) if bold is not None else (regular,)
    if faces not in _registered:
        _registered[faces] = _register(faces)
    return _registered[faces]


def _register(faces: tuple[Face, ...]) -> str:
    """Add the files of `faces` to matplotlib's font list (whatever its cache holds) and
    make them the only ones of their family; return that family's name."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    ours = {os.path.realpath(face.path) for face in faces}
    manager.ttflist = [e for e in manager.ttflist if os.path.realpath(e.fname) not in ours]
    for path in dict.fromkeys(str(face.path) for face in faces):
        manager.addfont(path)  # every face of a collection; clears matplotlib's lookups
    added = [e for e in manager.ttflist if os.path.realpath(e.fname) in ours]
    regular = os.path.realpath(faces[0].path)
    entry = next((e for e in added if os.path.realpath(e.fname) == regular
                  and getattr(e, "index", 0) == faces[0].index), None)
    if entry is None:  # an older matplotlib reads only a collection's first face
        entry = next((e for e in added if os.path.realpath(e.fname) == regular), None)
    if entry is None:
        raise EnvironmentProblem("matplotlib cannot read this font file",
                                 file=str(faces[0].path))
    # other files of the same family (an older copy, another weight's file) would compete
    # for the family's name: charts draw with the file found, nothing else
    manager.ttflist = [e for e in manager.ttflist
                       if e.name != entry.name or os.path.realpath(e.fname) in ours]
    return str(entry.name)


def chart_characters() -> frozenset[int]:
    """Every character the chart fonts can draw (the CJK face and the Latin fallback)."""
    from matplotlib import font_manager

    chart_family()  # registered before matplotlib looks up any font
    latin = Face(Path(font_manager.findfont(LATIN_FAMILY, fallback_to_default=True)))
    return _union(cjk_face("Regular"), latin)


@functools.cache
def _union(*faces: Face | None) -> frozenset[int]:
    return frozenset().union(*(_characters_of(face) for face in faces if face))


def font_families() -> list[str]:
    """matplotlib's font.family list: the CJK face first, then the Latin fallback."""
    family = chart_family()
    return [family, LATIN_FAMILY] if family else [LATIN_FAMILY]


def ensure_cjk_font() -> str:
    """The CJK font's path (added to matplotlib), or a clear error saying how to install it."""
    if chart_family() is None:
        raise EnvironmentProblem(f"the CJK font {CJK_FAMILY!r} is not installed, so Chinese "
                                 f"text cannot be drawn; {INSTALL_ADVICE}")
    face = cjk_face("Regular")
    assert face is not None
    return str(face.path)


# --- PDF reports -----------------------------------------------------------------
#
# WeasyPrint subsets every embedded font for every PDF. Subsetting the full Noto
# Sans CJK face (16 MB, 65,000 glyphs) costs seconds per report; so once per
# machine we cut it down to the characters Chinese business text uses (GB 2312,
# Latin, punctuation and symbols), about 8,000 glyphs and 3 MB, and let reports
# embed that. Rarer characters still render: Pango falls back to the full system
# font for them (where fontconfig knows it: not a font only $MXT_CJK_FONT names).
# (Where WeasyPrint finds HarfBuzz's subsetter, libharfbuzz-subset0, subsetting is
# fast even for the full font; without it, it uses fontTools and the pre-subset
# font is what keeps a Chinese report as fast as a Latin one.)

CHARSET_VERSION = "gb2312-latin-symbols-2"


def report_charset() -> set[int]:
    """The code points kept in the report font."""
    ranges = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2200),
              (0x2460, 0x2500), (0x25A0, 0x2700), (0x3000, 0x3040), (0xFF00, 0xFFF0)]
    chars = {cp for lo, hi in ranges for cp in range(lo, hi)}
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.add(cp)
    return chars


def cache_dir() -> Path:
    """Where derived fonts are kept: $MXT_CACHE_DIR, else the user's cache folder."""
    root = os.environ.get("MXT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mxt")
    return Path(root)


def _system_face(weight: str) -> tuple[Path, int] | None:
    """The CJK face of `weight` for reports: its file and its index in the collection
    (-1 for a single-face file: used whole)."""
    face = cjk_face(weight)
    if face is None:
        return None
    return face.path, face.index if face.collection else -1


def report_font(weight: str = "Regular") -> Path | None:
    """The cached, pre-subset CJK font for reports (made on first use), or None."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    face = _system_face(weight)
    if face is None:
        return None
    source, index = face
    stat = source.stat()
    key = hashlib.sha256(f"{source}:{index}:{stat.st_size}:{stat.st_mtime_ns}:"
                         f"{CHARSET_VERSION}".encode()).hexdigest()[:16]
    target = cache_dir() / "fonts" / f"mxt-cjk-{weight.lower()}-{key}.otf"
    if target.is_file():
        return target
    font = TTCollection(str(source)).fonts[index] if index >= 0 else TTFont(str(source))
    options = subset.Options()
    options.layout_features = []  # horizontal CJK needs none; keeping them doubles the cost
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=report_charset())
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(temp))
    os.replace(temp, target)  # another process may be making the same file
    return target
