"""The product's neutral palette for charts and documents, as hex strings.

The web charts (``wellbeing.overview.charts``, SVG) and the PDF style (``wellbeing.reports.pdf_style``,
reportlab) both read it, so neither takes its colours from the other. One calm teal accent on white;
a warm amber only for notices that need action. Every colour used for text, lines or outlines
reaches at least 3:1 against white. Lower-case hex, as the SVG has always carried it.
"""
from __future__ import annotations

ACCENT = "#0b6e6e"        # teal; 6:1 contrast on white, white text on it passes AA
ACCENT_DARK = "#084f4f"
ACCENT_LIGHT = "#e4f2f1"
INK = "#1e2a30"
MUTED = "#56646b"
RULE = "#c8d4d6"
ZEBRA = "#f5f8f8"
WARN_BG = "#fff3de"
WARN_RULE = "#c77700"
WARN_INK = "#6e3b00"
# Series run from light (oldest year, or one school type) to dark (newest, or all types), all in the accent hue.
SERIES_LIGHT = "#9ed3ce"
SERIES_DARK = "#06494a"
SHADES = (SERIES_LIGHT, "#6fb7b1", "#3e9691", ACCENT)
# Lines that must be told apart (trends per area or school type): each also gets its own dash, and on
# the web its own marker, so colour carries nothing alone.
LINE_COLOURS = (ACCENT, WARN_RULE, INK, "#2f7fa8", WARN_INK, MUTED, SERIES_DARK)
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "1 3", "12 4")
