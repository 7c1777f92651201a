"""The TrueType fonts the reports embed, so Dutch text (ë, é, ï, –, ’, €) prints the same everywhere.

PDF's built-in Helvetica is not embedded and covers only Latin-1, so the reports never use it.
DejaVu Sans (Debian ``fonts-dejavu-core``) is preferred; the Bitstream Vera fonts that ship inside
the reportlab package are the fallback that is always there.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "ReportSans"

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_VERA = Path(reportlab.__file__).resolve().parent / "fonts"
# (regular, bold, italic, bold italic) per candidate family, best first.
_CANDIDATES = (
    (_DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf",
     _DEJAVU / "DejaVuSans-Oblique.ttf", _DEJAVU / "DejaVuSans-BoldOblique.ttf"),
    (_VERA / "Vera.ttf", _VERA / "VeraBd.ttf", _VERA / "VeraIt.ttf", _VERA / "VeraBI.ttf"),
)


@dataclass(frozen=True)
class FontNames:
    regular: str
    bold: str
    italic: str
    bold_italic: str


FONTS = FontNames(FAMILY, f"{FAMILY}-Bold", f"{FAMILY}-Italic", f"{FAMILY}-BoldItalic")

_lock = threading.Lock()
_registered: Path | None = None


def register_fonts() -> FontNames:
    """Register the report font family once per process and return its names.

    Safe to call from every build (and from several threads). Raises ``FileNotFoundError`` only
    when neither DejaVu nor reportlab's own Vera fonts can be found, which means a broken install.
    """
    global _registered
    with _lock:
        if _registered is None:
            files = _first_complete_family()
            for name, path in zip((FONTS.regular, FONTS.bold, FONTS.italic, FONTS.bold_italic), files, strict=True):
                pdfmetrics.registerFont(TTFont(name, str(path)))
            # <b> and <i> inside Paragraphs resolve through these mappings.
            addMapping(FAMILY, 0, 0, FONTS.regular)
            addMapping(FAMILY, 1, 0, FONTS.bold)
            addMapping(FAMILY, 0, 1, FONTS.italic)
            addMapping(FAMILY, 1, 1, FONTS.bold_italic)
            _registered = files[0]
    return FONTS


def registered_font_file() -> Path | None:
    """The regular TTF in use, for diagnostics and tests; None before ``register_fonts``."""
    return _registered


def _first_complete_family() -> tuple[Path, ...]:
    for family in _CANDIDATES:
        if all(path.is_file() for path in family):
            return family
    raise FileNotFoundError("no TrueType font for reports: install fonts-dejavu-core or reinstall reportlab")
