"""Choosing the tokens of an excerpt.

An excerpt is made of whole top-level blocks of leading prose (paragraphs,
lists, quotes, admonitions), then, if room is left, a paragraph cut between
inline tokens or inside plain text. Formulas, code spans and links are atoms:
kept whole or left out, never cut. Display math, code blocks, tables,
headings and images are skipped, not replaced by placeholders.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from lemmata.markup._text import cut_text, inline_text, reading_units

_PROSE_OPEN = {"paragraph_open", "bullet_list_open", "ordered_list_open", "blockquote_open"}
_DROPPED_INLINE = {"image", "footnote_ref", "math_inline_double"}
ELLIPSIS = "…"


def top_level_blocks(tokens: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """``[start, end)`` index ranges of each top-level block, in order.

    Lazily: an excerpt is usually made of the first few blocks of a long document.
    """
    depth = 0
    start = 0
    for index, token in enumerate(tokens):
        if depth == 0:
            start = index
        depth += token.nesting
        if depth == 0:
            yield start, index + 1


def before_marker(tokens: Sequence[Token], marker_line: int) -> list[Token]:
    """Top-level blocks that end before 0-based body line ``marker_line`` (``<!-- more -->``)."""
    chosen: list[Token] = []
    for start, end in top_level_blocks(tokens):
        first = tokens[start]
        if first.type.startswith("footnote_block"):
            continue
        if first.map is not None and first.map[0] >= marker_line:
            break
        chosen.extend(_clean(tokens[start:end]))
    return chosen


def automatic(tokens: Sequence[Token], budget: int) -> list[Token]:
    """Leading prose within ``budget`` reading units."""
    chosen: list[Token] = []
    left = budget
    for start, end in top_level_blocks(tokens):
        block = tokens[start:end]
        opener = block[0].type
        if opener not in _PROSE_OPEN and not opener.startswith("container_"):
            continue
        if opener == "paragraph_open" and _only_images(block):
            continue
        cost = sum(reading_units(inline_text(t.children or ())) for t in block if t.children)
        if cost <= left:
            chosen.extend(_clean(block))
            left -= cost
            continue
        if opener == "paragraph_open" and left > 0:
            chosen.extend(_cut_paragraph(block, left))
        elif not chosen:
            # The opening block is a long list or quote: cut its first paragraph.
            first = next((i for i, t in enumerate(block) if t.type == "inline"), None)
            if first is not None:
                chosen.extend(_cut_paragraph(block[first - 1 : first + 2], left))
        break
    return chosen


def _only_images(block: Sequence[Token]) -> bool:
    inline = block[1].children or []
    return all(c.type in ("image", "softbreak") or not c.content.strip() for c in inline)


def _clean(block: Sequence[Token]) -> list[Token]:
    """Copies of the block's tokens without images and footnote references."""
    cleaned: list[Token] = []
    for token in block:
        if token.children:
            token = token.copy()
            token.children = [c for c in token.children or [] if c.type not in _DROPPED_INLINE]
        cleaned.append(token)
    return cleaned


def _cut_paragraph(block: Sequence[Token], budget: int) -> list[Token]:
    """The paragraph's leading inline tokens within ``budget``, ending with an ellipsis."""
    opener, inline, closer = block[0], block[1], block[2]
    kept: list[Token] = []
    left = budget
    children = [c for c in inline.children or [] if c.type not in _DROPPED_INLINE]
    index = 0
    while index < len(children) and left > 0:
        child = children[index]
        if child.type == "link_open":
            # A link is an atom: find its close and take all or nothing.
            close = index
            while close < len(children) and children[close].type != "link_close":
                close += 1
            atom = children[index : close + 1]
            cost = reading_units(inline_text(atom))
            if cost > left:
                break
            kept.extend(atom)
            left -= cost
            index = close + 1
            continue
        if child.type == "text":
            text, used = cut_text(child.content, left)
            if text != child.content:
                if text:
                    piece = child.copy()
                    piece.content = text
                    kept.append(piece)
                break
            kept.append(child)
            left -= used
        else:
            # A formula reads as one unit, however long its source.
            cost = 1 if child.type == "math_inline" else reading_units(inline_text([child]))
            if cost > left:
                break
            kept.append(child)
            left -= cost
        index += 1
    while kept and kept[-1].type in ("softbreak", "hardbreak", "em_open", "strong_open", "s_open"):
        kept.pop()
    kept = _balance(kept)
    ellipsis = Token("text", "", 0)
    ellipsis.content = ELLIPSIS
    kept.append(ellipsis)
    cut = inline.copy()
    cut.children = kept
    return [opener, cut, closer]


def _balance(children: list[Token]) -> list[Token]:
    """Close emphasis left open by the cut, so the excerpt's tags nest."""
    stack: list[Token] = []
    for child in children:
        if child.nesting == 1:
            stack.append(child)
        elif child.nesting == -1 and stack:
            stack.pop()
    closers = []
    for opener in reversed(stack):
        closer = Token(opener.type.replace("_open", "_close"), opener.tag, -1)
        closer.markup = opener.markup
        closers.append(closer)
    return children + closers
