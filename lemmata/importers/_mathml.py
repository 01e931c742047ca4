"""MathML → TeX, for formulas a page kept only as MathML (no ``alttext``, no annotation).

Covers the Presentation MathML that MathJax, KaTeX and Temml write for the
formulas of technical notes: tokens, scripts, fractions, roots, accents,
under/over limits, fences and tables. Anything else raises :class:`MathMLError`
and the caller falls back to the formula's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree  # type: ignore[import-untyped]

_GREEK_NAMES = (
    "alpha beta gamma delta varepsilon epsilon zeta eta theta vartheta iota kappa "
    "lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon varphi phi chi "
    "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
_GREEK = dict(zip("αβγδεϵζηθϑικλμνξπϖρϱσςτυφϕχψωΓΔΘΛΞΠΣΥΦΨΩ", _GREEK_NAMES.split(), strict=True))
_OPERATORS = {
    "∑": r"\sum",
    "∏": r"\prod",
    "∫": r"\int",
    "∮": r"\oint",
    "→": r"\to",
    "←": r"\leftarrow",
    "⇒": r"\Rightarrow",
    "⇔": r"\Leftrightarrow",
    "↦": r"\mapsto",
    "≤": r"\le",
    "≥": r"\ge",
    "≠": r"\ne",
    "≈": r"\approx",
    "≡": r"\equiv",
    "∼": r"\sim",
    "∝": r"\propto",
    "×": r"\times",
    "·": r"\cdot",
    "⋅": r"\cdot",
    "∘": r"\circ",
    "±": r"\pm",
    "∓": r"\mp",
    "∞": r"\infty",
    "∂": r"\partial",
    "∇": r"\nabla",
    "∈": r"\in",
    "∉": r"\notin",
    "⊂": r"\subset",
    "⊆": r"\subseteq",
    "∪": r"\cup",
    "∩": r"\cap",
    "∅": r"\emptyset",
    "∀": r"\forall",
    "∃": r"\exists",
    "¬": r"\neg",
    "∧": r"\wedge",
    "∨": r"\vee",
    "⊗": r"\otimes",
    "⊕": r"\oplus",
    "⊤": r"\top",
    "⊥": r"\perp",
    "−": "-",
    "…": r"\ldots",
    "⋯": r"\cdots",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "‖": r"\|",
    "∣": r"\mid",
    "{": r"\{",
    "}": r"\}",
    "′": "'",
    "″": "''",
    "⌊": r"\lfloor",
    "⌋": r"\rfloor",
    "⌈": r"\lceil",
    "⌉": r"\rceil",
    "≪": r"\ll",
    "≫": r"\gg",
    "⁡": "",
    "⁢": "",
    "⁣": "",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
}
_ACCENTS = {
    "^": r"\hat",
    "ˆ": r"\hat",
    "~": r"\tilde",
    "˜": r"\tilde",
    "¯": r"\bar",
    "‾": r"\overline",
    "_": r"\overline",
    "→": r"\vec",
    "⃗": r"\vec",
    "˙": r"\dot",
    "¨": r"\ddot",
    "⏞": r"\overbrace",
    "⏟": r"\underbrace",
    "̲": r"\underline",
}
_FUNCTION_NAMES = (
    "sin cos tan cot sec csc log ln exp lim max min sup inf det arg dim ker deg gcd Pr"
)
_FUNCTIONS = frozenset(_FUNCTION_NAMES.split())
_LIMITS = {r"\sum", r"\prod", r"\lim", r"\max", r"\min", r"\sup", r"\inf", r"\int", r"\bigcup"}
_VARIANTS = {
    "bold": r"\mathbf",
    "double-struck": r"\mathbb",
    "script": r"\mathcal",
    "fraktur": r"\mathfrak",
    "normal": r"\mathrm",
    "bold-italic": r"\boldsymbol",
}


_CONTROL_WORD = re.compile(r"\\[A-Za-z]+")
_CONTROL_WORD_END = re.compile(r"\\[A-Za-z]+$")


class MathMLError(Exception):
    """The MathML uses an element this converter does not know."""


def mathml_to_tex(math: etree._Element) -> str:
    """TeX for a ``<math>`` element; raises :class:`MathMLError`."""
    return _join(math).strip()


def _name(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _join(element: etree._Element) -> str:
    out = ""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        piece = _convert(child)
        if piece[:1].isalpha() and _CONTROL_WORD_END.search(out):
            out += " "
        out += piece
    return out


def _group(element: etree._Element) -> str:
    text = _convert(element)
    return text if len(text) == 1 or _CONTROL_WORD.fullmatch(text) else "{" + text + "}"


def _children(element: etree._Element, count: int) -> list[etree._Element]:
    kids = [c for c in element if isinstance(c.tag, str)]
    if len(kids) != count:
        raise MathMLError(f"<{_name(element)}> with {len(kids)} children")
    return kids


def _token(element: etree._Element) -> str:
    text = (element.text or "").strip()
    name = _name(element)
    if name == "mi":
        if text in _FUNCTIONS:
            return "\\" + text
        if len(text) > 1:
            return r"\mathrm{" + text + "}"
        symbol = "\\" + _GREEK[text] if text in _GREEK else _OPERATORS.get(text, text)
        variant = _VARIANTS.get(element.get("mathvariant", ""))
        return f"{variant}{{{symbol}}}" if variant and text not in _GREEK else symbol
    if name == "mo":
        if text in _FUNCTIONS:
            return "\\" + text
        return (
            "".join(_OPERATORS.get(ch, ch) for ch in text)
            if len(text) > 1
            else _OPERATORS.get(text, text)
        )
    if name == "mtext":
        escaped = text.replace("\\", r"\\").replace("{", r"\{").replace("}", r"\}")
        return r"\text{" + escaped + "}" if escaped else r"\ "
    return text


def _script(element: etree._Element) -> str:
    name = _name(element)
    if name == "msub":
        base, low = _children(element, 2)
        return f"{_group(base)}_{_group(low)}"
    if name == "msup":
        base, high = _children(element, 2)
        return f"{_group(base)}^{_group(high)}"
    base, low, high = _children(element, 3)
    return f"{_group(base)}_{_group(low)}^{_group(high)}"


def _over_under(element: etree._Element) -> str:
    name = _name(element)
    if name == "munderover":
        base, low, high = _children(element, 3)
        return f"{_group(base)}_{_group(low)}^{_group(high)}"
    base, mark = _children(element, 2)
    base_tex = _convert(base)
    mark_tex = (mark.text or "").strip() if _name(mark) == "mo" else None
    if mark_tex in _ACCENTS:
        return f"{_ACCENTS[mark_tex]}{{{base_tex}}}"
    script = "_" if name == "munder" else "^"
    if base_tex in _LIMITS or _name(base) == "mo" or base_tex.startswith("\\"):
        return f"{base_tex}{script}{_group(mark)}"
    command = r"\underset" if name == "munder" else r"\overset"
    return f"{command}{{{_convert(mark)}}}{{{base_tex}}}"


def _table(element: etree._Element) -> str:
    rows = []
    for row in element:
        if _name(row) not in ("mtr", "mlabeledtr"):
            continue
        cells = [_join(cell) for cell in row if _name(cell) == "mtd"]
        rows.append(" & ".join(cells))
    return r"\begin{matrix}" + r" \\ ".join(rows) + r"\end{matrix}"


def _fenced(element: etree._Element) -> str:
    opening = element.get("open", "(")
    closing = element.get("close", ")")
    separator = element.get("separators", ",")[:1] or ","
    inner = separator.join(_convert(c) for c in element if isinstance(c.tag, str))
    return (
        rf"\left{_OPERATORS.get(opening, opening)}{inner}\right{_OPERATORS.get(closing, closing)}"
    )


def _convert(element: etree._Element) -> str:
    name = _name(element)
    handler = _HANDLERS.get(name)
    if handler is None:
        raise MathMLError(f"<{name}>")
    return handler(element)


def _pair(pattern: str, element: etree._Element) -> str:
    first, second = _children(element, 2)
    return pattern.format(_convert(first), _convert(second))


def _semantics(element: etree._Element) -> str:
    first = next((c for c in element if isinstance(c.tag, str)), None)
    return _convert(first) if first is not None else ""


_HANDLERS: dict[str, Callable[[etree._Element], str]] = {
    "math": _join,
    "mrow": _join,
    "mstyle": _join,
    "mpadded": _join,
    "merror": _join,
    "menclose": lambda e: (
        r"\boxed{" + _join(e) + "}" if "box" in e.get("notation", "") else _join(e)
    ),
    "mphantom": lambda e: r"\phantom{" + _join(e) + "}",
    "semantics": _semantics,
    "mi": _token,
    "mn": _token,
    "mo": _token,
    "mtext": _token,
    "ms": _token,
    "mspace": lambda e: r"\;",
    "msub": _script,
    "msup": _script,
    "msubsup": _script,
    "mfrac": lambda e: _pair(r"\frac{{{}}}{{{}}}", e),
    "msqrt": lambda e: r"\sqrt{" + _join(e) + "}",
    "mroot": lambda e: _pair(r"\sqrt[{1}]{{{0}}}", e),
    "mover": _over_under,
    "munder": _over_under,
    "munderover": _over_under,
    "mtable": _table,
    "mfenced": _fenced,
}
