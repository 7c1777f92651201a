"""Colour arithmetic for region themes: WCAG contrast and the three colours a theme is made of."""
from __future__ import annotations

import re

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0..1) of ``other`` mixed in."""
    return _hex(c * (1 - share) + o * share for c, o in zip(_rgb(colour), _rgb(other)))


def palette(brand: str) -> dict[str, str]:
    """The theme's custom properties for a brand colour that passed ``contrast(brand, white) >= 4.5``:
    a darker shade for hover and the footer, and a pale tint for backgrounds (dark text stays >= 4.5)."""
    brand = brand.lower()
    return {"--wib-brand": brand, "--wib-brand-strong": mix(brand, "#000000", 0.3),
            "--wib-brand-subtle": mix(brand, "#ffffff", 0.9)}
