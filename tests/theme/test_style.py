"""The stylesheet's colours: WCAG AA contrast in both schemes, and one dark palette."""

from __future__ import annotations

import re

import pytest

from lemmata.theme._assets import ASSETS

CSS = (ASSETS / "style.css").read_text("utf-8")

TEXT_PAIRS = [
    ("ink", "bg"),
    ("ink", "surface"),
    ("ink", "code-bg"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("accent", "bg"),
    ("accent", "surface"),
    ("badge-ink", "badge-bg"),
    ("accent-ink", "accent"),
]
"""(text, background) colour pairs the theme puts together."""


def palette(selector: str) -> dict[str, str]:
    """Custom properties of the first rule whose selector is exactly ``selector``."""
    match = re.search(re.escape(selector) + r"\s*\{(.*?)\}", CSS, re.S)
    assert match, selector
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", match.group(1)))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = palette(":root")
DARK = palette(':root[data-theme="dark"]')


def test_contrast_helper_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_text_colours_meet_aa(scheme: dict[str, str], text: str, background: str) -> None:
    assert contrast(scheme[text], scheme[background]) >= 4.5


def test_system_dark_scheme_uses_the_toggle_palette() -> None:
    system = palette(':root:not([data-theme="light"])')
    assert system == DARK
    assert set(DARK) == set(LIGHT)
    assert DARK["bg"] != LIGHT["bg"]
