"""Replacing an engine's tags by Markdown, warning about the ones it cannot replace.

A :class:`Dialect` says how an engine writes its tags and maps tag names to
handlers. A handler returns the Markdown for a tag, or ``None`` when it cannot
convert it: the tag then stays in the post, visible, and a warning points at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lemmata.errors import Diagnostic, SourceText
from lemmata.importers._scan import Code, Math, Syntax, Tag, scan

MAX_DEPTH = 8
"""Nesting of tags (and of included files) beyond which conversion stops."""


@dataclass
class Context:
    """Where the text being converted comes from, for warnings and lookups."""

    source: SourceText
    """The whole file, to report at the right line."""
    offset: int
    """Offset of the text being converted inside ``source.text``."""
    diagnostics: list[Diagnostic]
    text: str = ""
    """The text being converted (a handler may look around its tag)."""
    front: Mapping[str, Any] = field(default_factory=dict)
    """The post's own front matter (``{{ page.title }}``)."""
    depth: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    """Anything an engine carries between handlers (its site folder, the post's folder)."""

    def warn(self, message: str, tag: Tag) -> None:
        self.diagnostics.append(self.source.warning(message, offset=self.offset + tag.start))

    def raw(self, tag: Tag) -> str:
        return self.text[tag.start : tag.end]

    def line_prefix(self, tag: Tag) -> str:
        """The text before ``tag`` on its line."""
        line_start = self.text.rfind("\n", 0, tag.start) + 1
        return self.text[line_start : tag.start]


Handler = Callable[[Tag, Context], "str | None"]
PairHandler = Callable[[Tag, str, Context], "str | None"]
"""Gets the tag and its body (already converted)."""


@dataclass(frozen=True, slots=True)
class Dialect:
    """One engine's tag language."""

    engine: str
    """Its name, for messages (``Hexo``)."""
    syntax: Syntax
    literal: Mapping[str, Handler] = field(default_factory=dict)
    """Pairs whose body is kept byte for byte (``raw``, ``codeblock``): the handler reads ``tag.body``."""
    single: Mapping[str, Handler] = field(default_factory=dict)
    """Tags without a closing tag."""
    paired: Mapping[str, PairHandler] = field(default_factory=dict)
    """Pairs whose body is Markdown, converted first (``blockquote``)."""
    output: Handler | None = None
    """Liquid ``{{ expression }}``."""
    code: Callable[[str], str] | None = None
    """Rewrites code regions (Jekyll drops ``{% raw %}`` markers inside code)."""


def convert(text: str, dialect: Dialect, context: Context) -> str:
    """``text`` with every tag it knows replaced, the others left and reported."""
    items = list(scan(text, dialect.syntax, frozenset(dialect.literal)))
    here = Context(
        context.source,
        context.offset,
        context.diagnostics,
        text,
        context.front,
        context.depth,
        context.data,
    )
    out: list[str] = []
    pos = 0
    index = 0
    unknown: set[str] = set()
    while index < len(items):
        item = items[index]
        out.append(text[pos : item.start])
        pos = item.end
        index += 1
        if isinstance(item, Math):
            out.append(text[item.start : item.end])
            continue
        if isinstance(item, Code):
            region = text[item.start : item.end]
            out.append(dialect.code(region) if dialect.code else region)
            continue
        if item.escaped:
            out.append(_unescape(here.raw(item)))
            continue
        if item.closing:
            if item.name not in unknown:
                here.warn(f"closing tag {_shown(dialect, item)} without an opening tag", item)
            out.append(here.raw(item))
            continue
        paired = dialect.paired.get(item.name)
        if paired is not None and not item.output:
            close = _matching(items, index, item.name)
            if close is None:
                here.warn(f"{_shown(dialect, item)} is never closed; left as it is", item)
                out.append(here.raw(item))
                continue
            closing = items[close]
            body = _nested(text[item.end : closing.start], item.end, dialect, here)
            result = paired(item, body, here)
            if result is not None:
                out.append(result)
                pos = closing.end
                index = close + 1
                continue
        else:
            result = _single(item, dialect, here)
            if result is not None:
                out.append(result)
                continue
        unknown.add(item.name)
        here.warn(
            f"cannot convert {dialect.engine} tag {_shown(dialect, item)}; left as it is", item
        )
        out.append(here.raw(item))
    out.append(text[pos:])
    return "".join(out)


def _single(tag: Tag, dialect: Dialect, context: Context) -> str | None:
    if tag.output:
        return dialect.output(tag, context) if dialect.output else None
    literal = dialect.literal.get(tag.name)
    if literal is not None and not tag.unclosed:
        return literal(tag, context)
    handler = dialect.single.get(tag.name)
    if handler is not None:
        return handler(tag, context)
    if literal is not None:
        context.warn(f"{_shown(dialect, tag)} is never closed; left as it is", tag)
        return context.raw(tag)
    return None


def _nested(text: str, offset: int, dialect: Dialect, context: Context) -> str:
    if context.depth >= MAX_DEPTH:
        return text
    inner = Context(
        context.source,
        context.offset + offset,
        context.diagnostics,
        front=context.front,
        depth=context.depth + 1,
        data=context.data,
    )
    return convert(text, dialect, inner)


def _matching(items: list[Tag | Code | Math], start: int, name: str) -> int | None:
    depth = 0
    for index in range(start, len(items)):
        item = items[index]
        if not isinstance(item, Tag) or item.name != name or item.output:
            continue
        if item.closing:
            if depth == 0:
                return index
            depth -= 1
        else:
            depth += 1
    return None


def _shown(dialect: Dialect, tag: Tag) -> str:
    if tag.output:
        return "{{ " + tag.name + " }}"
    name = (("end" if dialect.syntax is Syntax.LIQUID else "/") if tag.closing else "") + tag.name
    if dialect.syntax is Syntax.HUGO:
        return "{{< " + name + " >}}"
    return "{% " + name + " %}"


def _unescape(raw: str) -> str:
    """Hugo's ``{{</* x */>}}`` shows ``{{< x >}}``."""
    return re.sub(r"^\{\{([<%])/\*", r"{{\1", re.sub(r"\*/([>%])\}\}$", r"\1}}", raw))


def fence(language: str, code: str, indent: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in ``code``."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{language}\n{code}\n{indent}{marks}"


def literal_body(tag: Tag) -> str:
    """A pair's body without the line break after the opening tag and before the closing one."""
    body = tag.body or ""
    body = re.sub(r"^[ \t]*\r?\n", "", body, count=1)
    return re.sub(r"\r?\n[ \t]*$", "", body, count=1)


def block(context: Context, tag: Tag, markdown: str) -> str:
    """``markdown`` as a block: on a line of its own, indented like the tag's line."""
    prefix = context.line_prefix(tag)
    if prefix.strip():
        return "\n\n" + markdown
    return markdown
