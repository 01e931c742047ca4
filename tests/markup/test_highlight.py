"""Code blocks' HTML: escaped as ``html.escape`` would, one span per token."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from lemmata.markup._highlight import _escaped, _highlighted_lines, _lexer


@given(st.text(alphabet="a&<>\"' \n", max_size=20))
def test_text_is_escaped_as_html_escape_does(text: str) -> None:
    assert _escaped(text) == html.escape(text, quote=False)


def test_spans_close_on_each_line_and_escape_their_text() -> None:
    lines = _highlighted_lines('if a < b:\n    s = """x\n&y"""\n', _lexer("python"))
    assert lines[0] == (
        '<span class="k">if</span> <span class="n">a</span> <span class="o">&lt;</span> '
        '<span class="n">b</span><span class="p">:</span>'
    )
    assert lines[1].endswith('<span class="s2">x</span>')
    assert lines[2] == '<span class="s2">&amp;y</span><span class="s2">"""</span>'
    assert len(lines) == 3
