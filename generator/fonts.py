"""Where the CJK font comes from, for charts (matplotlib) and reports (WeasyPrint).

The font is Noto Sans CJK (SIL Open Font License) from Debian's
`fonts-noto-cjk` package, installed by the project's set-up
(`scripts/install-system-deps.sh`, run by `make`). matplotlib reads the
Simplified Chinese face of the system collection by its family name; Latin
text falls back to DejaVu Sans, which matplotlib ships.
"""

from __future__ import annotations

import functools

CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "DejaVu Sans"


class FontMissing(RuntimeError):
    """The CJK font is not installed: Chinese text would render as empty boxes."""


@functools.cache
def cjk_font_path() -> str | None:
    """The file matplotlib would use for the CJK family, or None when missing."""
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == CJK_FAMILY:
            return str(entry.fname)
    return None


def font_families() -> list[str]:
    """matplotlib's font.family list: the CJK face first, then the Latin fallback."""
    return [CJK_FAMILY, LATIN_FAMILY] if cjk_font_path() else [LATIN_FAMILY]


def ensure_cjk_font() -> str:
    """The CJK font's path, or a clear error saying how to install it."""
    path = cjk_font_path()
    if path is None:
        raise FontMissing(f"the CJK font {CJK_FAMILY!r} is not installed, so Chinese text "
                          "cannot render: run `make install` (it installs Debian's "
                          "fonts-noto-cjk) or `apt-get install fonts-noto-cjk`")
    return path
