"""Hugo: the regular pages under ``content/<section>/``, page bundles, shortcodes.

Converted: ``figure``, ``highlight``, ``math``/``katex`` (a formula kept byte
for byte; a lone ``{{< katex >}}`` only switched KaTeX on and is dropped),
``param``, the admonition shortcodes of common themes (``notice``,
``alert``, ``admonition``, ``callout``, ``hint``) and escaped shortcodes
``{{</* x */>}}``. Others (``ref``, ``youtube``…) are reported and kept.
Top-level pages (``content/about.md``) are pages, not posts, and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from lemmata.errors import Diagnostic, Severity
from lemmata.importers._args import image_markdown, params
from lemmata.importers._assets import Folders
from lemmata.importers._convert import Context, Dialect, block, fence, literal_body
from lemmata.importers._engine import Engine, PostFile
from lemmata.importers._frontmatter import read_config, read_zone
from lemmata.importers._mapping import Rules
from lemmata.importers._mathtext import display_math, inline_math, undouble_delimiters
from lemmata.importers._scan import Syntax, Tag

_SUFFIXES = {".md", ".markdown", ".mdown"}
_CONFIG_NAMES = [
    f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")
]
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_DELIMITED = re.compile(r"^\s*(?:\$|\\\(|\\\[|\\begin\{)")
_KINDS = {
    "note": "note",
    "info": "info",
    "tip": "tip",
    "success": "tip",
    "warning": "warning",
    "warn": "warning",
    "danger": "danger",
    "error": "danger",
    "important": "important",
    "caution": "caution",
}


def hugo_site(root: Path, diagnostics: list[Diagnostic]) -> tuple[list[PostFile], Engine] | None:
    """The posts of the Hugo site in ``root`` and how to read them, or ``None`` if it is not one."""
    config_path = next(
        (
            folder / name
            for folder in (root, root / "config" / "_default")
            for name in _CONFIG_NAMES
            if (folder / name).is_file()
        ),
        None,
    )
    if config_path is None:
        diagnostics.append(_not_a_site(root, "no hugo.toml, config.toml or config/_default/"))
        return None
    raw = read_config(config_path, diagnostics)
    if raw is None:
        return None
    config = {str(k).lower(): v for k, v in raw.items()}
    content = root / str(config.get("contentdir") or "content")
    if not content.is_dir():
        diagnostics.append(_not_a_site(root, f"no {content.name}/ folder"))
        return None
    static_dirs = config.get("staticdir") or "static"
    statics = [static_dirs] if isinstance(static_dirs, str) else list(static_dirs)
    static = (*(root / str(s) for s in statics), root / "assets")
    files = _files(content, root, static)
    zone = read_zone(config.get("timezone"), config_path, diagnostics)
    rules = Rules(
        date_keys=("date", "publishDate", "pubDate", "published"),
        updated_keys=("lastmod", "updated", "modified"),
        zone=zone,
    )
    return files, Engine(_DIALECT, rules, finish=undouble_delimiters)


def _not_a_site(root: Path, why: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, f"{root}: not a Hugo site ({why})")


def _files(content: Path, root: Path, static: tuple[Path, ...]) -> list[PostFile]:
    found: list[PostFile] = []
    for path in sorted(content.rglob("*")):
        if path.suffix.lower() not in _SUFFIXES or not path.is_file():
            continue
        parts = path.relative_to(content).parts
        name = path.name.split(".")[0]
        if name == "_index" or any(p.startswith((".", "_")) for p in parts):
            continue
        if _inside_bundle(path, content):
            continue
        leaf = name == "index"
        page = len(parts) == 1 or (leaf and len(parts) == 2)
        stem = path.parent.name if leaf else name
        day = None
        prefix = _DATE_PREFIX.match(stem)
        if prefix is not None:
            year, month, number, stem = prefix.groups()
            day = date(int(year), int(month), int(number))
        folders = Folders(
            site=root,
            post_dir=path.parent,
            static=static,
            bundle=path.parent if leaf else None,
        )
        skipped = "a page outside any section, not a post" if page else None
        found.append(PostFile(path, stem, folders, date=day, skipped=skipped))
    return found


def _inside_bundle(path: Path, content: Path) -> bool:
    """A Markdown file that is a resource of a leaf bundle, not its ``index.md``."""
    for folder in (path.parent, *path.parent.parents):
        if folder == content:
            return False
        if any(
            (folder / f"index{s}").is_file() and folder / f"index{s}" != path for s in _SUFFIXES
        ):
            return True
    return False


def _figure(tag: Tag, context: Context) -> str | None:
    positional, named = params(tag.args)
    src = named.get("src") or (positional[0] if positional else "")
    if not src:
        return None
    alt = named.get("alt", "")
    caption = named.get("caption", "")
    title = named.get("title", "")
    image = image_markdown(src, alt or title or caption, title)
    if named.get("link"):
        image = f"[{image}]({named['link']})"
    if caption:
        image += f"\n\n*{caption}*"
    return block(context, tag, image)


def _highlight(tag: Tag, context: Context) -> str:
    positional, named = params(tag.args)
    language = positional[0] if positional else named.get("lang", "")
    return block(context, tag, fence(language, literal_body(tag), context.line_prefix(tag)))


def _math(tag: Tag, context: Context) -> str:
    """The body is the formula, byte for byte; it may carry its own delimiters."""
    body = tag.body or ""
    formula = body.strip("\n")
    if _DELIMITED.match(body):
        return block(context, tag, formula) if "\n" in formula else formula
    positional, named = params(tag.args)
    if "\n" in body or {"display", "block"} & {*positional, *named}:
        return block(context, tag, display_math(body, context.line_prefix(tag)))
    return inline_math(body, context.text[tag.end : tag.end + 1])


def _switch(tag: Tag, context: Context) -> str:
    """A lone ``{{< katex >}}`` only loaded KaTeX on the page; lemmata renders math anyway."""
    return ""


def _param(tag: Tag, context: Context) -> str | None:
    positional, _ = params(tag.args)
    if not positional:
        return None
    value = _lookup(context.front, positional[0])
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def _lookup(front: Mapping[str, Any], name: str) -> Any:
    for key, value in front.items():
        if key.lower() == name.lower():
            return value
    return None


def _admonition(tag: Tag, body: str, context: Context) -> str:
    positional, named = params(tag.args)
    kind = (named.get("type") or (positional[0] if positional else "note")).lower()
    title = named.get("title", "")
    header = f"::: {_KINDS.get(kind, 'note')}" + (f" {title}" if title else "")
    return block(context, tag, f"{header}\n{body.strip(chr(10))}\n:::")


def _code(region: str) -> str:
    """Hugo reads shortcodes inside code too, so code shows a shortcode escaped as ``{{</* x */>}}``."""
    return re.sub(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", r"{{\1\2\3}}", region, flags=re.DOTALL)


_DIALECT = Dialect(
    engine="Hugo",
    syntax=Syntax.HUGO,
    literal={"highlight": _highlight, "math": _math, "katex": _math},
    single={"figure": _figure, "katex": _switch, "param": _param},
    paired={name: _admonition for name in ("notice", "alert", "admonition", "callout", "hint")},
    code=_code,
)
