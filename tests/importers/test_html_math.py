"""Formulas recovered from each way a page can carry them."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html  # type: ignore[import-untyped]

from lemmata.importers._html_math import hold_math
from lemmata.importers._placeholders import Held, Kind, Placeholders


def held(html: str, dollars: bool | None = None) -> tuple[list[Held], str, list[str]]:
    """What was held, the text left, and the warnings."""
    root = lxml_html.document_fromstring(f"<html><body>{html}</body></html>")
    table = Placeholders()
    warnings: list[str] = []
    hold_math(root, table, lambda message, line: warnings.append(message), dollars=dollars)
    page = lxml_html.tostring(root, encoding="unicode")
    found = [h for m in table.pattern.finditer(page) if (h := table.get(m)) is not None]
    return found, table.pattern.sub("#", root.text_content()), warnings


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script type="math/tex">a_i</script>', Held(Kind.MATH, "a_i")),
        (
            '<script type="math/tex; mode=display">\\sum x</script>',
            Held(Kind.DISPLAY_MATH, "\\sum x"),
        ),
        (
            '<span class="katex"><span class="katex-mathml"><math><semantics><mi>x</mi>'
            '<annotation encoding="application/x-tex">x^2</annotation></semantics></math></span>'
            '<span class="katex-html">x2</span></span>',
            Held(Kind.MATH, "x^2"),
        ),
        (
            '<span class="katex-display"><span class="katex"><annotation encoding="application/x-tex">'
            "\\int f</annotation></span></span>",
            Held(Kind.DISPLAY_MATH, "\\int f"),
        ),
        (
            '<mjx-container class="MathJax" data-tex="\\alpha"><mjx-math></mjx-math></mjx-container>',
            Held(Kind.MATH, "\\alpha"),
        ),
        (
            '<mjx-container display="true"><mjx-assistive-mml><math><msup><mi>e</mi><mi>x</mi></msup>'
            "</math></mjx-assistive-mml></mjx-container>",
            Held(Kind.DISPLAY_MATH, "e^x"),
        ),
        (
            '<math alttext="\\beta" display="block"><mi>β</mi></math>',
            Held(Kind.DISPLAY_MATH, "\\beta"),
        ),
        (
            '<img src="https://s0.wp.com/latex.php?latex=x%5E2&amp;bg=fff" alt="x^2">',
            Held(Kind.MATH, "x^2"),
        ),
        ('<img src="https://www.zhihu.com/equation?tex=a%2Bb" eeimg="1">', Held(Kind.MATH, "a+b")),
        (
            '<img src="https://latex.codecogs.com/svg.latex?%5Cdpi%7B120%7D%20%5Cfrac%7B1%7D%7B2%7D">',
            Held(Kind.MATH, "\\frac{1}{2}"),
        ),
        ('<img class="tex" src="/f.png" alt="$y$">', Held(Kind.MATH, "y")),
        ("<p>text \\(a+b\\) more</p>", Held(Kind.MATH, "a+b")),
        ("<p>text \\[a+b\\]</p>", Held(Kind.DISPLAY_MATH, "a+b")),
        ("<p>text $$a+b$$</p>", Held(Kind.DISPLAY_MATH, "a+b")),
    ],
)
def test_each_source(html: str, expected: Held) -> None:
    found, _, warnings = held(html)
    assert found == [expected]
    assert warnings == []


def test_mathjax2_preview_and_rendered_copies_go() -> None:
    found, text, _ = held(
        '<p>A <span class="MathJax_Preview">x</span><span class="MathJax">x rendered</span>'
        '<script type="math/tex">x</script> B</p>'
    )
    assert found == [Held(Kind.MATH, "x")]
    assert text == "A # B"


def test_formula_image_alone_in_its_paragraph_is_display() -> None:
    found, _, _ = held('<p><img src="https://latex.codecogs.com/png.latex?a"></p>')
    assert found == [Held(Kind.DISPLAY_MATH, "a")]


def test_single_dollars_only_on_pages_that_typeset_math() -> None:
    plain, text, _ = held("<p>from $5 to $x$ and $y$</p>")
    assert plain == [] and "$x$" in text
    with_loader, _, _ = held('<script src="/mathjax/tex-chtml.js"></script><p>be $x$ and $y$</p>')
    assert with_loader == [Held(Kind.MATH, "x"), Held(Kind.MATH, "y")]
    assert held("<p>costs $5 and $10</p>", dollars=True)[0] == []


def test_code_and_scripts_keep_their_dollars() -> None:
    found, text, _ = held("<pre>echo $HOME $$</pre><code>$a$</code>", dollars=True)
    assert found == []
    assert "$HOME" in text and "$a$" in text


def test_ordinary_image_is_not_a_formula() -> None:
    assert held('<img src="/photo.png" alt="a cat">')[0] == []


def test_unconvertible_mathml_is_reported_and_kept_as_text() -> None:
    found, _, warnings = held("<math><mmultiscripts><mi>R</mi></mmultiscripts></math>")
    assert found == [Held(Kind.MATH, "R")]
    assert warnings == [
        "MathML formula could not be converted to TeX (<mmultiscripts>); kept as text"
    ]
