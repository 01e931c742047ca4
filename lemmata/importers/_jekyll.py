"""Jekyll: ``_posts/`` (and ``_drafts/``, ``category/_posts/``), Liquid, kramdown math.

Converted: ``{% highlight x %}``, ``{% raw %}`` (also its markers inside
code), ``{% include %}``/``{% include_relative %}`` when the file exists
(its ``{{ include.x }}`` filled), ``{% comment %}``, and the Liquid output
that only builds URLs (``{{ site.baseurl }}``, ``{{ "/a.png" | relative_url }}``)
or reads the post's own front matter (``{{ page.title }}``). Control flow and
other expressions are reported and kept.

kramdown reads ``$$…$$`` inside a paragraph as an inline formula; such
formulas become ``$…$`` (the TeX itself untouched), as lemmata reads ``$$``
as display math.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from lemmata.errors import Diagnostic, Severity, SourceText
from lemmata.importers._args import words
from lemmata.importers._assets import Folders
from lemmata.importers._convert import (
    MAX_DEPTH,
    Context,
    Dialect,
    block,
    convert,
    fence,
    literal_body,
)
from lemmata.importers._engine import Engine, PostFile
from lemmata.importers._frontmatter import read_config, read_zone
from lemmata.importers._mapping import Rules
from lemmata.importers._mathtext import inline_math, undouble_delimiters
from lemmata.importers._paths import shown
from lemmata.importers._scan import Code, Syntax, Tag, scan

_SUFFIXES = {".md", ".markdown", ".mkd", ".mkdn", ".mdown"}
_POST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_RAW_MARKER = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_URL_VARIABLES = {"site.baseurl", "site.url", "site.github.url", "site.base_url"}


def jekyll_site(root: Path, diagnostics: list[Diagnostic]) -> tuple[list[PostFile], Engine] | None:
    """The posts of the Jekyll site in ``root`` and how to read them, or ``None`` if it is not one."""
    config_path = next(
        (root / n for n in ("_config.yml", "_config.yaml", "_config.toml") if (root / n).is_file()),
        None,
    )
    if config_path is None:
        diagnostics.append(_not_a_site(root, "no _config.yml"))
        return None
    config = read_config(config_path, diagnostics)
    if config is None:
        return None
    source = root / str(config.get("source") or ".")
    post_folders = sorted(p for p in source.rglob("_posts") if p.is_dir() and _kept(p, source))
    if not post_folders:
        diagnostics.append(_not_a_site(root, "no _posts/ folder"))
        return None
    files: list[PostFile] = []
    for folder in post_folders:
        categories = folder.parent.relative_to(source).parts
        files += _files(folder, source, tuple(categories), draft=False)
    files += _files(source / "_drafts", source, (), draft=True)
    includes = source / str(config.get("includes_dir") or "_includes")
    engine = Engine(
        _DIALECT,
        Rules(
            zone=read_zone(config.get("timezone"), config_path, diagnostics), split_on_spaces=True
        ),
        data={"includes": includes},
        finish=lambda body: undouble_delimiters(kramdown_inline_math(body)),
    )
    return files, engine


def _not_a_site(root: Path, why: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, f"{root}: not a Jekyll site ({why})")


def _kept(folder: Path, source: Path) -> bool:
    parts = folder.relative_to(source).parts[:-1]
    return not any(p.startswith((".", "_")) or p in ("vendor", "node_modules") for p in parts)


def _files(
    folder: Path,
    source: Path,
    categories: tuple[str, ...],
    *,
    draft: bool,
) -> list[PostFile]:
    if not folder.is_dir():
        return []
    found: list[PostFile] = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in _SUFFIXES or not path.is_file():
            continue
        name = _POST_NAME.match(path.stem)
        day = None
        slug = path.stem
        if name is not None:
            year, month, number, slug = name.groups()
            day = date(int(year), int(month), int(number))
        folders = Folders(site=source, post_dir=path.parent, static=(source,))
        skipped = None
        if name is None and not draft:
            skipped = "not named YYYY-MM-DD-title, so Jekyll does not publish it"
        found.append(
            PostFile(path, slug, folders, draft, day, categories=categories, skipped=skipped)
        )
    return found


def _highlight(tag: Tag, context: Context) -> str:
    parts = words(tag.args)
    language = parts[0] if parts else ""
    return block(context, tag, fence(language, literal_body(tag), context.line_prefix(tag)))


def _raw(tag: Tag, context: Context) -> str:
    return tag.body or ""


def _comment(tag: Tag, context: Context) -> str:
    return f"<!--{(tag.body or '').replace('--', '- -')}-->"


def _include(tag: Tag, context: Context) -> str | None:
    """``{% include name.html key="value" %}`` from ``_includes/`` (or beside the post)."""
    parts = words(tag.args)
    if not parts or "{{" in parts[0]:
        return None
    if tag.name == "include_relative":
        folder = Path(context.data.get("folder") or context.data["post"].path.parent)
    else:
        folder = Path(context.data["includes"])
    path = (folder / parts[0]).resolve()
    if not path.is_file() or not path.is_relative_to(folder.resolve()):
        context.warn(f"included file {parts[0]} not found in {shown(folder)}; left as it is", tag)
        return context.raw(tag)
    if context.depth >= MAX_DEPTH:
        context.warn(f"includes nested too deeply at {parts[0]}; left as it is", tag)
        return context.raw(tag)
    values: dict[str, Any] = {}
    for word in parts[1:]:
        key, _, value = word.partition("=")
        values[key] = _variable(value, context) if value and not _quoted(tag.args, value) else value
    text = path.read_text("utf-8", errors="replace").replace("\r\n", "\n")
    inner = Context(
        SourceText(shown(path), text),
        0,
        context.diagnostics,
        front=context.front,
        depth=context.depth + 1,
        data={**context.data, "include": values, "folder": path.parent},
    )
    return convert(text, _DIALECT, inner).strip("\n")


def _quoted(args: str, value: str) -> bool:
    return f'"{value}"' in args or f"'{value}'" in args


def _variable(name: str, context: Context) -> Any:
    if name in _URL_VARIABLES:
        return ""
    if name.startswith("page."):
        return context.front.get(name[5:], "")
    if name.startswith("include."):
        return dict(context.data.get("include") or {}).get(name[8:], "")
    return None


def _output(tag: Tag, context: Context) -> str | None:
    """``{{ site.baseurl }}``, ``{{ "/a.png" | relative_url }}``, ``{{ page.title }}``."""
    value, *filters = [part.strip() for part in tag.name.split("|")]
    quoted = re.fullmatch(r"""(["'])(.*)\1""", value)
    result = quoted.group(2) if quoted else _variable(value, context)
    if result is None or isinstance(result, (dict, list)):
        return None
    text = str(result)
    for item in filters:
        name, _, argument = (p.strip() for p in item.partition(":"))
        if name in ("relative_url", "absolute_url", "strip"):
            continue
        if name not in ("prepend", "append"):
            return None
        given = re.fullmatch(r"""(["'])(.*)\1""", argument)
        extra = given.group(2) if given else _variable(argument, context)
        if extra is None:
            return None
        text = f"{extra}{text}" if name == "prepend" else f"{text}{extra}"
    return text


def _code(region: str) -> str:
    """Liquid reads ``{% raw %}`` markers even inside code; the reader never saw them."""
    return _RAW_MARKER.sub("", region)


_INLINE_DOUBLE = re.compile(r"(?<!\$)\$\$(?!\$)([^\n$]+?)\$\$(?!\$)")
_LINE_LEAD = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)]|>)[ \t]+)*")


def kramdown_inline_math(body: str) -> str:
    """``$$x$$`` inside a line of text → ``$x$``; a ``$$`` formula alone on its line stays."""
    code = [(c.start, c.end) for c in scan(body, Syntax.LIQUID, frozenset()) if isinstance(c, Code)]

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in code):
            return match.group(0)
        line_start = body.rfind("\n", 0, match.start()) + 1
        line_end = body.find("\n", match.end())
        line_end = len(body) if line_end == -1 else line_end
        before = _LINE_LEAD.sub("", body[line_start : match.start()])
        after = body[match.end() : line_end]
        if not before.strip() and not after.strip():
            return match.group(0)
        return inline_math(match.group(1), after[:1])

    return _INLINE_DOUBLE.sub(replace, body)


_DIALECT = Dialect(
    engine="Jekyll",
    syntax=Syntax.LIQUID,
    literal={"raw": _raw, "highlight": _highlight, "comment": _comment},
    single={"include": _include, "include_relative": _include},
    output=_output,
    code=_code,
)
