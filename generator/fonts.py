"""Where the CJK font comes from, for charts (matplotlib) and reports (WeasyPrint).

The font is Noto Sans CJK (SIL Open Font License) from Debian's
`fonts-noto-cjk` package, installed by the project's set-up
(`scripts/install-system-deps.sh`, run by `make`). matplotlib reads the
Simplified Chinese face of the system collection by its family name; Latin
text falls back to DejaVu Sans, which matplotlib ships.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from .errors import EnvironmentProblem

CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "DejaVu Sans"


@functools.cache
def cjk_font_path() -> str | None:
    """The file matplotlib would use for the CJK family, or None when missing."""
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == CJK_FAMILY:
            return str(entry.fname)
    return None


@functools.cache
def chart_characters() -> frozenset[int]:
    """Every character the chart fonts can draw (the CJK face and the Latin fallback)."""
    from fontTools.ttLib import TTCollection, TTFont
    from matplotlib import font_manager

    found: set[int] = set()
    paths = [cjk_font_path(), font_manager.findfont(LATIN_FAMILY, fallback_to_default=True)]
    for path in (p for p in paths if p):
        faces = (TTCollection(path).fonts[:1] if path.lower().endswith((".ttc", ".otc"))
                 else [TTFont(path, lazy=True)])
        for face in faces:
            found.update(face.getBestCmap() or {})
    return frozenset(found)


def font_families() -> list[str]:
    """matplotlib's font.family list: the CJK face first, then the Latin fallback."""
    return [CJK_FAMILY, LATIN_FAMILY] if cjk_font_path() else [LATIN_FAMILY]


def ensure_cjk_font() -> str:
    """The CJK font's path, or a clear error saying how to install it."""
    path = cjk_font_path()
    if path is None:
        raise EnvironmentProblem(f"the CJK font {CJK_FAMILY!r} is not installed, so Chinese text "
                          "cannot render: run `make install` (it installs Debian's "
                          "fonts-noto-cjk) or `apt-get install fonts-noto-cjk`")
    return path


# --- PDF reports -----------------------------------------------------------------
#
# WeasyPrint subsets every embedded font for every PDF. Subsetting the full Noto
# Sans CJK face (16 MB, 65,000 glyphs) costs seconds per report; so once per
# machine we cut it down to the characters Chinese business text uses (GB 2312,
# Latin, punctuation and symbols), about 8,000 glyphs and 3 MB, and let reports
# embed that. Rarer characters still render: Pango falls back to the full system
# font for them. (Where WeasyPrint finds HarfBuzz's subsetter, libharfbuzz-subset0,
# subsetting is fast even for the full font; without it, it uses fontTools and the
# pre-subset font is what keeps a Chinese report as fast as a Latin one.)

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
    """The Simplified Chinese face of the system Noto Sans CJK collection."""
    from fontTools.ttLib import TTCollection, TTFont

    for folder in ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"):
        path = Path(folder) / f"NotoSansCJK-{weight}.ttc"
        if path.is_file():
            collection = TTCollection(str(path), lazy=True)
            for index, face in enumerate(collection.fonts):
                if face["name"].getDebugName(1) == CJK_FAMILY:
                    return path, index
    regular = cjk_font_path()
    if weight == "Regular" and regular and not regular.endswith(".ttc"):
        TTFont(regular, lazy=True)  # a single-face font file: use it whole
        return Path(regular), -1
    return None


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
