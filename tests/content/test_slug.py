"""Slugs in pinyin and unicode styles, and dated file names."""

from __future__ import annotations

from datetime import date

import pytest

from lemmata.content import slugify
from lemmata.content._slug import split_date_prefix


@pytest.mark.parametrize(
    ("text", "pinyin", "unicode"),
    [
        ("注意力机制 LoRA", "zhu-yi-li-ji-zhi-lora", "注意力机制-lora"),
        (
            "Scaled Dot-Product: Attention!",
            "scaled-dot-product-attention",
            "scaled-dot-product-attention",
        ),
        ("最大间距（桶排序）", "zui-da-jian-ju-tong-pai-xu", "最大间距-桶排序"),
        ("重庆 银行", "chong-qing-yin-hang", "重庆-银行"),
        ("Café Übung", "cafe-ubung", "café-übung"),
        ("β-VAE", "vae", "β-vae"),
        ("C++ and C#", "cpp-and-csharp", "cpp-and-csharp"),
        ("snake_case__name", "snake-case-name", "snake-case-name"),
        ("  --x--  ", "x", "x"),
        ("ＡＢＣ１２３", "abc123", "abc123"),
        ("!!!", "untitled", "untitled"),
        ("", "untitled", "untitled"),
    ],
)
def test_slugify(text: str, pinyin: str, unicode: str) -> None:
    assert slugify(text) == slugify(text, "pinyin") == pinyin
    assert slugify(text, "unicode") == unicode


def test_pinyin_slugs_are_ascii_and_stable() -> None:
    for text in ("注意力机制", "𠀀字", "〇一"):
        slug = slugify(text)
        assert slug.isascii() and slug != "untitled"
        assert slugify(slug) == slug


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2026-01-11-adamw", ("adamw", date(2026, 1, 11))),
        ("2026-01-11-注意力", ("注意力", date(2026, 1, 11))),
        ("2026-02-30-x", ("2026-02-30-x", None)),
        ("2026-01-11", ("2026-01-11", None)),
        ("adamw-2026-01-11", ("adamw-2026-01-11", None)),
    ],
)
def test_date_prefix(stem: str, expected: tuple[str, date | None]) -> None:
    assert split_date_prefix(stem) == expected
