"""The README documents every configuration key and every command."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lemmata.config import SiteConfig

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
SECTIONS = {"home", "markdown", "math", "excerpt", "code", "feeds", "search"}


def test_every_config_key_is_documented() -> None:
    missing = []
    for field in dataclasses.fields(SiteConfig):
        if field.name in ("root", "extra"):
            continue
        if field.name in SECTIONS:
            section_type = field.default_factory()  # type: ignore[misc]
            for sub in dataclasses.fields(section_type):
                if f"`[{field.name}] {sub.name}`" not in README:
                    missing.append(f"[{field.name}] {sub.name}")
        elif f"| `{field.name}` |" not in README:
            missing.append(field.name)
    assert missing == []


def test_the_two_commands_are_documented() -> None:
    assert "make serve" in README
    assert "make test" in README
