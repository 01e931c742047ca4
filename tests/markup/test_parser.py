"""The parser's own rules behave as the markdown-it rules they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize

from lemmata.markup._parser import _normalize, parser


@given(st.text(alphabet="ab \r\n\0\ufffd", max_size=40))
def test_line_endings_and_nul_become_what_markdown_it_makes_of_them(text: str) -> None:
    md = parser(False)
    ours, theirs = StateCore(text, md, {}), StateCore(text, md, {})
    _normalize(ours)
    normalize(theirs)
    assert ours.src == theirs.src


def test_the_parser_normalizes_with_its_own_rule() -> None:
    rules = parser(False).core.ruler.getRules("")
    assert _normalize in rules and normalize not in rules
    tokens = parser(False).parse("a\r\nb\rc\0\n")
    assert tokens[1].content == "a\nb\nc\ufffd"
