"""MathML → TeX for pages that kept no TeX; the result renders back with Temml."""

from __future__ import annotations

import pytest
from lxml import etree  # type: ignore[import-untyped]

from lemmata.importers._mathml import MathMLError, mathml_to_tex
from tests.markup.helpers import render

NS = 'xmlns="http://www.w3.org/1998/Math/MathML"'


@pytest.mark.parametrize(
    ("mathml", "tex"),
    [
        ("<mi>x</mi><mo>+</mo><mn>1</mn>", "x+1"),
        ("<msub><mi>θ</mi><mi>t</mi></msub>", "\\theta_t"),
        ("<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>", "x_i^2"),
        ("<mfrac><mn>1</mn><msqrt><mi>d</mi></msqrt></mfrac>", "\\frac{1}{\\sqrt{d}}"),
        ("<mroot><mi>x</mi><mn>3</mn></mroot>", "\\sqrt[3]{x}"),
        (
            "<munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover>",
            "\\sum_{i=1}^n",
        ),
        ("<mover><mi>x</mi><mo>^</mo></mover>", "\\hat{x}"),
        (
            "<munder><mo>lim</mo><mrow><mi>n</mi><mo>→</mo><mi>∞</mi></mrow></munder>",
            "\\lim_{n\\to\\infty}",
        ),
        ("<mi>sin</mi><mi>x</mi>", "\\sin x"),
        ("<mi mathvariant='double-struck'>R</mi>", "\\mathbb{R}"),
        ("<mtext>if</mtext>", "\\text{if}"),
        (
            "<mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr></mtable>",
            "\\begin{matrix}1 & 0\\end{matrix}",
        ),
    ],
)
def test_conversion(mathml: str, tex: str) -> None:
    converted = mathml_to_tex(etree.fromstring(f"<math {NS}>{mathml}</math>"))
    assert converted == tex
    assert render(f"${converted}$").diagnostics == ()


def test_unknown_element() -> None:
    with pytest.raises(MathMLError, match="mmultiscripts"):
        mathml_to_tex(etree.fromstring(f"<math {NS}><mmultiscripts/></math>"))
