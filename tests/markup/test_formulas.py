"""Real-world formulas all render; broken ones fail with Temml's message at the right place."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from lemmata.markup._math import MathEngine, MathResult, engine

HERE = Path(__file__).parent / "formulas"


def _formulas(name: str) -> list[str]:
    lines = (HERE / name).read_text("utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("%")]


VALID = _formulas("valid.tex")
DISPLAY_ONLY = _formulas("display.tex")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _assert_clean(mathml: str) -> None:
    parser = _Text()
    parser.feed(mathml)
    assert "merror" not in parser.tags
    assert parser.tags <= {
        "math", "mrow", "mi", "mn", "mo", "mtext", "mfrac", "msqrt", "mroot", "msub", "msup",
        "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mspace", "mpadded",
        "mstyle", "menclose", "mphantom", "semantics", "annotation", "span", "mlabeledtr",
    }, parser.tags  # fmt: skip
    leaked = re.findall(r"\\[A-Za-z]+", "".join(parser.text))
    assert leaked == [], leaked


def test_the_table_is_large_enough() -> None:
    assert len(VALID) + len(DISPLAY_ONLY) >= 150


@pytest.mark.parametrize("tex", VALID)
def test_renders_inline_and_display(tex: str) -> None:
    for display in (False, True):
        result = engine().render(tex, display=display)
        assert result.ok, result.error
        assert result.html is not None
        _assert_clean(result.html)


@pytest.mark.parametrize("tex", DISPLAY_ONLY)
def test_display_only_formulas(tex: str) -> None:
    result = engine().render(tex, display=True)
    assert result.ok, result.error
    assert result.html is not None
    _assert_clean(result.html)
    assert not engine().render(tex, display=False).ok


BROKEN = [
    (r"\frac{a}", "Unexpected end of input in a macro argument, expected '}'", 8),
    (r"x^{", "Expected '}', got 'EOF'", 3),
    (r"\foo", r"Unsupported function name: \foo", 0),
    (r"\begin{matrix} a \end{pmatrix}", r"Mismatch: \begin{matrix} matched by \end{pmatrix}", 17),
    (r"}", "Expected 'EOF', got '}'", 0),
    (r"\left( x", r"Expected '\right', got 'EOF'", 8),
    (r"a^b^c", "Double superscript", 3),
    (r"\sqrt[", "Unexpected end of input in a macro argument, expected ']'", 6),
    (r"x_", "expected something after '_'", 1),
    (r"a__b", "expected something after '_'", 1),
    (r"x^", "expected something after '^'", 1),
    (r"\begin{cases} a", r"Expected & or \\ or \cr or \end", 15),
    (r"\end{aligned}", r"Expected 'EOF', got '\end'", 0),
    (r"a & b", "Expected 'EOF', got '&'", 2),
    (r"\left( x \right", r"Expected group as argument to '\right'", 15),
    (r"{x", "Expected '}', got 'EOF'", 2),
    (r"\text{a", "Unexpected end of input in a macro argument, expected '}'", 7),
    (r"\begin{foo}x\end{foo}", "No such environment: foo", 6),
    (r"\right)", r"Expected 'EOF', got '\right'", 0),
    (r"\alpha\beta\gammaa", r"Unsupported function name: \gammaa", 11),
    (r"a \over b \over c", "only one infix operator per group", 10),
    (r"\binom{n}", "Unexpected end of input in a macro argument, expected '}'", 9),
    (r"#1", "Expected 'EOF', got '#'", 0),
    (r"x_ \\ y", r"Got function '\\' with no arguments as subscript", 3),
]


@pytest.mark.parametrize(("tex", "message", "position"), BROKEN)
def test_broken_formula_message_and_position(tex: str, message: str, position: int) -> None:
    result = engine().render(tex, display=True)
    assert (result.error, result.position) == (message, position)


def test_macros() -> None:
    result = engine().render(
        r"\R^n \to \E[X]", display=False, macros={"\\R": "\\mathbb{R}", "\\E": "\\mathbb{E}"}
    )
    assert result.ok and "ℝ" in (result.html or "") and "𝔼" in (result.html or "")
    assert not engine().render(r"\R", display=False).ok


def test_runaway_expansion_is_an_error_not_a_hang() -> None:
    result = engine().render(r"\def\a{\a\a}\a", display=False)
    assert not result.ok
    assert result.error is not None


# Closing right after a timeout lost V8's late report of the stopped call (an
# "Exception ignored" on the terminal, 2 runs in 12); never again in 24.
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_time_budget() -> None:
    slow = MathEngine(timeout_ms=1)
    tex = " ".join(rf"\frac{{x_{{{i}}}}}{{\sqrt{{y_{{{i}}}}}}}" for i in range(3000))
    result = slow.render(tex, display=True)
    slow.close()
    assert result.error == "formula took longer than 1 ms to render"


def test_results_are_memoised() -> None:
    fresh = MathEngine()
    first = fresh.render("x^2", display=False)
    assert fresh.render("x^2", display=False) is first
    assert fresh.render("x^2", display=True) is not first
    fresh.close()


def _calls_into_v8(math: MathEngine, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the engine's calls into V8 from now on."""
    calls: list[str] = []
    context = math._ctx
    for name in ("eval", "call"):
        method = getattr(context, name)

        def counted(*args: object, _name: str = name, _method: Any = method, **kw: object) -> Any:
            calls.append(_name)
            return _method(*args, **kw)

        monkeypatch.setattr(context, name, counted)
    return calls


MANY = [(rf"\alpha_{{{i}}} + \frac{{x}}{{y_{i}}}", i % 2 == 0) for i in range(40)]
MANY += [(tex, True) for tex, _, _ in BROKEN] + [(r"\R^n", False), (r"\def\a{\a\a}\a", False)]


def test_many_formulas_at_once_render_as_each_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    macros = '{"\\\\R": "\\\\mathbb{R}"}'
    together, alone = MathEngine(), MathEngine()
    calls = _calls_into_v8(together, monkeypatch)
    together.render_many(MANY, macros, deadline=time.monotonic() + 60)
    assert calls == ["eval"]

    def no_more(*_args: object) -> MathResult:
        raise AssertionError("rendered again")

    monkeypatch.setattr(together, "_render", no_more)
    for tex, display in MANY:
        assert together.render_json(tex, display, macros) == alone.render_json(tex, display, macros)
    assert together.render_json(r"\R^n", False, macros).ok
    together.close()
    alone.close()


def test_formulas_known_or_past_the_deadline_make_no_call(monkeypatch: pytest.MonkeyPatch) -> None:
    math = MathEngine()
    math.render("a", display=False)
    calls = _calls_into_v8(math, monkeypatch)
    math.render_many([("a", False), ("b", False)], "{}", deadline=time.monotonic() - 1)
    math.render_many([("a", False), ("a", False)], "{}", deadline=time.monotonic() + 60)
    assert calls == []
    math.close()


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_formulas_out_of_time_together_are_left_to_render_alone() -> None:
    slow = MathEngine(timeout_ms=1)
    big = " ".join(rf"\frac{{x_{{{i}}}}}{{\sqrt{{y_{{{i}}}}}}}" for i in range(3000))
    slow.render_many([(big, True), ("x", False)], "{}", deadline=time.monotonic() + 60)
    assert slow._cache == {}
    result = slow.render(big, display=True)
    slow.close()
    assert result.error == "formula took longer than 1 ms to render"
