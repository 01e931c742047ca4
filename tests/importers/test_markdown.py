"""HTML → Markdown: each element, escaping, and the held formulas and code put back."""

from __future__ import annotations

import pytest

from lemmata.importers._markdown import Converter
from lemmata.importers._placeholders import Kind, Placeholders
from tests.markup.helpers import render


def md(html: str, held: Placeholders | None = None, **kwargs: object) -> str:
    return Converter(held or Placeholders(), "https://example.org/post/", **kwargs).convert(html)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<h2>Title <em>x</em></h2>", "## Title *x*"),
        ("<p>a <strong>b</strong> <i>c</i> <del>d</del></p>", "a **b** *c* ~~d~~"),
        ("<p>line one<br>line two</p>", "line one\\\nline two"),
        ('<p><a href="/about" title="A">About</a></p>', '[About](https://example.org/about "A")'),
        ('<p><a href="#sec">jump</a></p>', "[jump](#sec)"),
        (
            '<p><img src="a b.png" alt="x [y]"></p>',
            "![x \\[y\\]](<https://example.org/post/a b.png>)",
        ),
        ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n\n  - b\n- c"),
        ('<ol start="3"><li>a</li><li>b</li></ol>', "3. a\n4. b"),
        ("<blockquote><p>q</p><p>r</p></blockquote>", "> q\n>\n> r"),
        ("<pre>x &lt; y\n  z</pre>", "```\nx < y\n  z\n```"),
        ("<p>use <code>a`b</code></p>", "use ``a`b``"),
        (
            "<table><tr><th>a</th><th>b|c</th></tr><tr><td>1</td></tr></table>",
            "| a | b\\|c |\n| --- | --- |\n| 1 |  |",
        ),
        ("<dl><dt>term</dt><dd>meaning</dd></dl>", "**term**\n\nmeaning"),
        ("<p>x</p><hr><p>y</p>", "x\n\n---\n\ny"),
        ("<div>loose <p>para</p> tail</div>", "loose\n\npara\n\ntail"),
    ],
)
def test_elements(html: str, markdown: str) -> None:
    assert md(html) == markdown + "\n"


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("*not em* _nor this_", "\\*not em\\* \\_nor this\\_"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("costs $5, or $10", "costs \\$5, or \\$10"),
        ("<b>tags</b> stay text", "\\<b\\>tags\\</b\\> stay text"),
        ("[not](a link)", "\\[not\\](a link)"),
        ("&amp; &copy; written out", "&amp;amp; &amp;copy; written out"),
        ("::: note", "\\::: note"),
    ],
)
def test_text_is_escaped(text: str, markdown: str) -> None:
    from html import escape

    assert md(f"<p>{escape(text, quote=False)}</p>") == markdown + "\n"
    assert render(md(f"<p>{escape(text, quote=False)}</p>")).html.count("<p>") == 1


def test_unsafe_links_keep_only_their_text() -> None:
    assert (
        md('<p><a href="javascript:alert(1)">x</a> <img src="data:image/png;base64,AA"></p>')
        == "x\n"
    )


def test_held_formulas_and_code() -> None:
    held = Placeholders()
    inline = held.add(Kind.MATH, "a_i")
    display = held.add(Kind.DISPLAY_MATH, "\\sum_i a_i")
    code = held.add(Kind.CODE_BLOCK, "print(1)", "python")
    span = held.add(Kind.CODE, "x*y")
    digit = held.add(Kind.MATH, "n")
    html = (
        f"<p>Let {inline} be.</p><p>{display}</p><p>{code}</p><p>{span} and {digit}2</p>"
        f"<p>mid {display} sentence</p>"
    )
    assert md(html, held) == (
        "Let $a_i$ be.\n\n$$\n\\sum_i a_i\n$$\n\n```python\nprint(1)\n```\n\n"
        "`x*y` and \\(n\\)2\n\nmid $$\\sum_i a_i$$ sentence\n"
    )


def test_formula_in_a_table_cell_keeps_the_table() -> None:
    held = Placeholders()
    word = held.add(Kind.MATH, "|x|")
    out = md(f"<table><tr><th>f</th></tr><tr><td>{word}</td></tr></table>", held)
    assert out == "| f |\n| --- |\n| $\\vert x\\vert$ |\n"
    assert render(out).html.count("<math") == 1


def test_ordered_list_marker_survives_extraction() -> None:
    held = Placeholders()
    marker = held.add(Kind.ORDERED, "5")
    assert md(f"<ul><li>{marker} five</li><li>six</li></ul>", held) == "5. five\n6. six\n"


def test_images_use_their_local_copies() -> None:
    images = {"https://example.org/post/a.png": "a.png", "https://example.org/gone.png": None}
    out = md('<p><img src="a.png" alt="A"><img src="/gone.png" alt="G"></p>', images=images)
    assert out == "![A](a.png)\n"
