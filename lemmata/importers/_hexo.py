"""Hexo: ``source/_posts/`` (and ``_drafts/``), its tag plugins, post asset folders.

Tags converted: ``asset_img``/``asset_image``, ``img``, ``asset_link``,
``asset_path``, ``link``, ``codeblock``/``code``, ``raw``, ``blockquote``/
``quote``/``pullquote``, the NexT theme's ``note`` (an admonition) and
hexo-math's ``math``/``mathjax``/``katex``. Others are reported and kept.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lemmata.errors import Diagnostic, Severity
from lemmata.importers._args import image_markdown, looks_like_image, words
from lemmata.importers._assets import Folders
from lemmata.importers._convert import Context, Dialect, block, fence, literal_body
from lemmata.importers._engine import Engine, PostFile
from lemmata.importers._frontmatter import read_config, read_zone
from lemmata.importers._mapping import Rules
from lemmata.importers._mathtext import display_math, inline_math, undouble_delimiters
from lemmata.importers._scan import Syntax, Tag

_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_NOTE_KINDS = {
    "default": "note",
    "primary": "note",
    "success": "tip",
    "info": "info",
    "warning": "warning",
    "danger": "danger",
}


def hexo_site(root: Path, diagnostics: list[Diagnostic]) -> tuple[list[PostFile], Engine] | None:
    """The posts of the Hexo site in ``root`` and how to read them, or ``None`` if it is not one."""
    config_path = root / "_config.yml"
    if not config_path.is_file():
        diagnostics.append(_not_a_site(root, "no _config.yml"))
        return None
    config = read_config(config_path, diagnostics)
    if config is None:
        return None
    source_dir = root / str(config.get("source_dir") or "source")
    posts = source_dir / "_posts"
    if not posts.is_dir():
        diagnostics.append(_not_a_site(root, f"no {posts.relative_to(root).as_posix()}/ folder"))
        return None
    zone = read_zone(config.get("timezone"), config_path, diagnostics)
    files = [
        *_files(posts, root, source_dir, draft=False),
        *_files(source_dir / "_drafts", root, source_dir, draft=True),
    ]
    engine = Engine(_DIALECT, Rules(zone=zone), short_front_matter=True, finish=undouble_delimiters)
    return files, engine


def _not_a_site(root: Path, why: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, f"{root}: not a Hexo site ({why})")


def _files(folder: Path, root: Path, source_dir: Path, *, draft: bool) -> list[PostFile]:
    if not folder.is_dir():
        return []
    found: list[PostFile] = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in _SUFFIXES or not path.is_file():
            continue
        if any(part.startswith((".", "_")) for part in path.relative_to(folder).parts):
            continue
        if _inside_asset_folder(path, folder):
            continue
        stem = path.stem
        prefix = _DATE_PREFIX.match(stem)
        day = None
        if prefix is not None:
            year, month, number, stem = prefix.groups()
            day = date(int(year), int(month), int(number))
        asset_folder = path.with_suffix("")
        folders = Folders(
            site=root,
            post_dir=path.parent,
            static=(source_dir,),
            bundle=asset_folder if asset_folder.is_dir() else None,
        )
        found.append(PostFile(path, stem, folders, draft=draft, date=day))
    return found


def _inside_asset_folder(path: Path, posts: Path) -> bool:
    """Whether ``path`` is inside another post's asset folder (``a/`` beside ``a.md``)."""
    for parent in path.parents:
        if parent == posts:
            return False
        if any(parent.with_suffix(s).is_file() for s in _SUFFIXES):
            return True
    return False


def _image(tag: Tag, context: Context) -> str | None:
    """``{% asset_img [class] name [width] [height] [title [alt]] %}`` (and ``img``)."""
    parts = words(tag.args)
    index = next((i for i, w in enumerate(parts) if looks_like_image(w) or "/" in w), None)
    if index is None:
        return None
    src, rest = parts[index], parts[index + 1 :]
    while rest and re.fullmatch(r"\d+(?:px|%)?", rest[0]):
        rest = rest[1:]
    title, alt = _title_and_alt(rest)
    return image_markdown(src, alt or title or Path(src).stem, title)


def _title_and_alt(rest: list[str]) -> tuple[str, str]:
    if len(rest) == 2 and " " in "".join(rest):
        return rest[0], rest[1]
    if len(rest) == 1:
        # img's '"title text" "alt text"' arrives as one quoted word holding both.
        inner = re.fullmatch(r'"([^"]*)"\s+"([^"]*)"', rest[0])
        if inner is not None:
            return inner.group(1), inner.group(2)
    return " ".join(rest), ""


def _asset_link(tag: Tag, context: Context) -> str | None:
    parts = words(tag.args)
    if not parts:
        return None
    text = " ".join(w for w in parts[1:] if w not in ("true", "false")) or parts[0]
    return f"[{text}]({parts[0]})"


def _asset_path(tag: Tag, context: Context) -> str | None:
    parts = words(tag.args)
    return parts[0] if parts else None


def _link(tag: Tag, context: Context) -> str | None:
    """``{% link text url [external] [title] %}``."""
    parts = words(tag.args)
    index = next((i for i, w in enumerate(parts) if re.match(r"(?:https?:)?/", w)), None)
    if index is None or index == 0:
        return None
    return f"[{' '.join(parts[:index])}]({parts[index]})"


def _codeblock(tag: Tag, context: Context) -> str:
    """``{% codeblock [title] [lang:x] [url] [link text] %}`` → a fenced block (title above it)."""
    language = ""
    title: list[str] = []
    for word in words(tag.args):
        if word.startswith("lang:"):
            language = word[5:]
        elif ":" in word and not word.startswith("http"):
            continue  # line_number:false, mark:1,3 … only styled Hexo's output
        elif not word.startswith("http"):
            title.append(word)
    code = fence(language, literal_body(tag), context.line_prefix(tag))
    if title:
        code = f"*{' '.join(title)}*\n\n{context.line_prefix(tag)}{code}"
    return block(context, tag, code)


def _raw(tag: Tag, context: Context) -> str:
    return tag.body or ""


def _math(tag: Tag, context: Context) -> str:
    """hexo-math: ``{% mathjax %}…{% endmathjax %}`` keeps the formula byte for byte."""
    body = tag.body or ""
    options = tag.args.replace("'", '"').replace(" ", "")
    if tag.name == "math" or "\n" in body or '"displayMode":true' in options:
        return block(context, tag, display_math(body, context.line_prefix(tag)))
    following = context.text[tag.end : tag.end + 1]
    return inline_math(body, following)


def _quote(tag: Tag, body: str, context: Context) -> str:
    lines = body.strip("\n").split("\n")
    quoted = [f"> {line}" if line.strip() else ">" for line in lines]
    source = " ".join(w for w in words(tag.args) if not w.startswith("http"))
    if tag.name == "blockquote" and source:
        quoted += [">", f"> — {source}"]
    return block(context, tag, "\n".join(quoted))


def _note(tag: Tag, body: str, context: Context) -> str:
    parts = words(tag.args)
    kind = next((_NOTE_KINDS[w] for w in parts if w in _NOTE_KINDS), "note")
    return block(context, tag, f"::: {kind}\n{body.strip(chr(10))}\n:::")


_DIALECT = Dialect(
    engine="Hexo",
    syntax=Syntax.LIQUID,
    literal={
        "raw": _raw,
        "codeblock": _codeblock,
        "code": _codeblock,
        "math": _math,
        "mathjax": _math,
        "katex": _math,
    },
    single={
        "asset_img": _image,
        "asset_image": _image,
        "img": _image,
        "image": _image,
        "asset_link": _asset_link,
        "asset_path": _asset_path,
        "link": _link,
    },
    paired={"blockquote": _quote, "quote": _quote, "pullquote": _quote, "note": _note},
)
