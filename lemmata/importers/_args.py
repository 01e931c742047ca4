"""Reading a tag's arguments: words, quoted strings and ``key=value`` pairs."""

from __future__ import annotations

import re
import shlex

_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|tiff?)(?:[?#].*)?$", re.IGNORECASE)


def words(args: str) -> list[str]:
    """Arguments split like a shell would (quotes group words); unbalanced quotes split on spaces."""
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def params(args: str) -> tuple[list[str], dict[str, str]]:
    """Hugo shortcode parameters: positional values, and named ``key="value"`` ones."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for word in words(args):
        key, equals, value = word.partition("=")
        if equals and re.fullmatch(r"[\w-]+", key):
            named[key] = value
        else:
            positional.append(word)
    return positional, named


def looks_like_image(word: str) -> bool:
    return bool(_IMAGE.search(word))


def image_markdown(src: str, alt: str = "", title: str = "") -> str:
    """``![alt](src "title")`` with the text escaped for Markdown."""
    alt_text = re.sub(r"([\\\[\]])", r"\\\1", alt)
    destination = f"<{src}>" if re.search(r"[\s()]", src) else src
    if title and title != alt:
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        return f'![{alt_text}]({destination} "{quoted}")'
    return f"![{alt_text}]({destination})"
