"""Joined lexer states give exactly the tokens Pygments gives."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pygments
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.lexer import Lexer, RegexLexer, bygroups, this, using
from pygments.lexers import get_lexer_by_name
from pygments.token import Keyword, Name, Operator, String, Text

from lemmata.markup._lexing import _name_references, _parser, _read, _states, join_all, lex

SNIPPETS = [
    "def maximum_gap(nums):\n    lo, hi = min(nums), max(nums)\n    return f'{hi - lo!r:>4}'\n",
    "@cache\nclass A(B, metaclass=M):\n    '''doc'''\n    x: int = 0x1F  # 注释\n",
    "int lowbit(int x) {\n    return x & -x; /* c */\n}\n#include <vector>\n",
    "size_t n = sizeof(uint8_t); FILE *f; pid_t p; atomic_int a; std::vector<int> v;\n",
    "const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length; // `t${x}`\n",
    "python train.py --lr 3e-4 \\\n  --batch-size ${BATCH:-64} $(nproc) <<EOF\nbody\nEOF\n",
    "fn dot<'a>(a: &'a [f32], b: &[f32]) -> f32 {\n    a.iter().zip(b).map(|(x, y)| x * y).sum()\n}\n",
    "SELECT name, COUNT(*) FROM t WHERE a = 'x''y' -- c\nGROUP BY 1;\n",
    '\\begin{align} a &= \\frac{1}{2} \\\\ b \\end{align} % tex\n{"k": [1, 2.5e-3, null]}\n',
    "unterminated 'string\n\tand \"more\nλ → ∀ x ∈ ℝ\r\nlast line without newline",
]

LANGUAGES = [
    "python", "javascript", "typescript", "rust", "go", "java", "kotlin", "scala", "bash",
    "sql", "latex", "json", "yaml", "toml", "haskell", "ocaml", "ruby", "php", "r", "julia",
    "matlab", "lua", "html", "css", "markdown", "diff", "c", "cpp", "swift",
]  # fmt: skip


def _lexer(name: str) -> Lexer:
    return get_lexer_by_name(name, stripnl=False, ensurenl=False)


def _joined(name: str) -> Lexer:
    """A lexer whose states are joined already (they join by themselves once busy)."""
    lexer = _lexer(name)
    join_all(lexer)
    return lexer


@pytest.mark.parametrize("name", LANGUAGES)
@pytest.mark.parametrize("make", [_lexer, _joined], ids=["one-by-one", "joined"])
def test_tokens_are_pygments_own(name: str, make: Callable[[str], Lexer]) -> None:
    lexer = make(name)
    for code in SNIPPETS:
        assert list(lex(code, lexer)) == list(pygments.lex(code, lexer)), code


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["python", "javascript", "rust", "bash", "latex", "sql", "yaml"]),
    st.text(alphabet="abRB1 \n\t\"'`#/*<>{}()[];:.,=+-\\$@%中", max_size=80),
)
def test_any_text_lexes_as_pygments_does(name: str, code: str) -> None:
    lexer = _joined(name)
    assert list(lex(code, lexer)) == list(pygments.lex(code, lexer))


def test_common_languages_run_joined() -> None:
    """The speed-up applies where notes need it: the whole lexer runs joined."""
    for name in ("python", "javascript", "typescript", "go", "java", "latex", "sql"):
        assert join_all(_lexer(name)), name


def test_a_busy_state_joins_by_itself() -> None:
    lexer = _lexer("python")
    code = SNIPPETS[0] * 20
    first = list(lex(code, lexer))
    assert _states(lexer)["root"].joined is None  # type: ignore[index]
    for _ in range(60):
        assert list(lex(code, lexer)) == first
    assert _states(lexer)["root"].joined is not None  # type: ignore[index]


class _Tricky(RegexLexer):
    """What joining must keep: flags of a rule's own, back-references, callbacks, states."""

    name = "tricky"
    tokens = {  # noqa: RUF012 - Pygments reads a class attribute
        "root": [
            (r"(?i)select\b", Keyword),
            (r"(?=['\"])", Text, "quoted"),
            (r"(\w+)(\s*)(=)", bygroups(Name.Variable, Text, Operator)),  # type: ignore[no-untyped-call]
            (r"\{", Operator, "braces"),
            (r"<([^>\n]*)>", bygroups(using(this, state="braces"))),  # type: ignore[no-untyped-call]
            (r"\[([^\]\n]*)\]", bygroups(using(this, tabsize=4))),  # type: ignore[no-untyped-call]
            (r"\w+", Name),
            (r"\s+", Text),
        ],
        "quoted": [
            (r"(['\"]).*?\1", String, "#pop"),
            (r"(?P<q>[`])(?:(?!(?P=q)).)*(?(q)\1)", String, "#pop"),
        ],
        "braces": [
            (r"\}", Operator, "#pop"),
            (r"\{", Operator, "#push"),
            (r"[^{}\n]+", Text),
        ],
    }


@pytest.mark.parametrize(
    "code",
    [
        "SeLeCt x = 'a\"b' \"c'd\" `e` {a {b} c}\n",
        "{ { {\nunclosed } ?\n",
        "x  =  y\n'\n",
        "<a {b} c> [x = 'y'\t{z}] <}>\n",
    ],
)
def test_flags_references_callbacks_and_states(code: str) -> None:
    lexer = _Tricky(stripnl=False, ensurenl=False)
    assert join_all(lexer)
    assert list(lex(code, lexer)) == list(pygments.lex(code, lexer))
    assert not join_all(_Tricky()), "input options are Pygments' to apply"


class _Verbose(_Tricky):
    flags = re.VERBOSE


def test_states_that_cannot_be_joined_run_rule_by_rule() -> None:
    lexer = _Verbose(stripnl=False, ensurenl=False)
    code = "SeLeCt x = 'a' {b}\n"
    assert not join_all(lexer)
    assert list(lex(code, lexer)) == list(pygments.lex(code, lexer))


@pytest.mark.parametrize(
    ("pattern", "named"),
    [
        (r"(a)(b)\2", r"(a)(?P<_g2>b)(?P=_g2)"),
        (r"(?P<q>a)\1", r"(?P<q>a)(?P=q)"),
        (r"(a)(?(1)b|c)", r"(?P<_g1>a)(?(_g1)b|c)"),
        (r"(?#(c)(a)\1", r"(?#(c)(?P<_g1>a)(?P=_g1)"),
        (r"[(\]](a)[\1]\1", r"[(\]](?P<_g1>a)[\1](?P=_g1)"),  # in a set, \1 is a character
        (r"(a)\123", r"(a)\123"),  # three octal digits: a character
        (r"(a)\١\1", r"(?P<_g1>a)\١(?P=_g1)"),  # not an ASCII digit: a character
        (r"(a)\\1", r"(a)\\1"),  # an escaped backslash, then "1"
        (r"[(]\1", None),  # no such group
    ],
)
def test_numbered_references_become_named(pattern: str, named: str | None) -> None:
    assert _name_references(pattern, "_") == named


def test_text_lexed_again_by_the_same_lexer_runs_joined(monkeypatch: pytest.MonkeyPatch) -> None:
    lexer = _joined("cpp")  # lexes each function signature again with using(this)
    expected = list(pygments.lex(SNIPPETS[2], lexer))
    rule_by_rule = []
    pygments_own = RegexLexer.get_tokens_unprocessed

    def counted(*args: Any, **kwargs: Any) -> Any:
        rule_by_rule.append(args)
        return pygments_own(*args, **kwargs)

    monkeypatch.setattr(RegexLexer, "get_tokens_unprocessed", counted)
    assert list(lex(SNIPPETS[2], lexer)) == expected
    assert rule_by_rule == []


def test_lexers_with_their_own_method_are_run_by_pygments() -> None:
    lexer = _lexer("php")  # post-processes names in its own get_tokens_unprocessed
    assert not join_all(lexer)
    code = "<?php echo strlen($x); ?>\n"
    assert list(lex(code, lexer)) == list(pygments.lex(code, lexer))


@pytest.mark.parametrize("name", ["c", "cpp"])
def test_c_and_cpp_run_joined_and_name_their_types(name: str) -> None:
    lexer = _joined(name)
    assert join_all(lexer)
    tokens = list(lex(SNIPPETS[3], lexer))
    assert tokens == list(pygments.lex(SNIPPETS[3], lexer))
    types = {text for kind, text in tokens if kind is Keyword.Type}
    assert {"size_t", "uint8_t", "FILE", "pid_t", "atomic_int"} <= types


def test_c_type_names_follow_the_lexers_options() -> None:
    lexer = get_lexer_by_name("c", stripnl=False, ensurenl=False, stdlibhighlighting=False)
    join_all(lexer)
    tokens = list(lex(SNIPPETS[3], lexer))
    assert tokens == list(pygments.lex(SNIPPETS[3], lexer))
    assert (Name, "FILE") in tokens and (Keyword.Type, "uint8_t") in tokens


FIRST_CHARACTER_PATTERNS = [
    r"\d+", r"[^\W\d]\w*", r"(?i)select\b", r"(?i)[k-m]+", r"(?i)[^a]", r"(\s*)(def)\b",
    r"(?:abc|x?y)z", r"a*b", r"\bfoo", r"(?<!\.)\b(print|len)\b", r"(?i)[\u212a]x", r"(?s).x",
    r"(?>ab|c)d", r"\S+", r"\D", r"(?a)\w", r"[^\s]", r"(?i)ſ", r"(?=\()\W", r"(?i:k)s",
    r"\s*", r"(a|)b", r"(?P<q>x)(?P=q)", r"[a-c\d_]{2,}", r"(?:[xy]{0}|z)+",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(FIRST_CHARACTER_PATTERNS),
    st.text(alphabet="abcdefklmnpstxyzSKK\u212a\u017f_.( \t\u3000\u0663é9", min_size=1, max_size=6),
)
def test_a_rule_is_never_ruled_out_where_it_matches(pattern: str, text: str) -> None:
    parsed = _parser.parse(pattern, re.compile(pattern).flags)
    may_begin, _slow = _read(parsed, parsed.state.flags)
    if re.compile(pattern).match(text):
        assert may_begin(text[0]), (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "ruled_out", "kept"),
    [
        (r"\d+", "a_ ", "09\u0663"),
        (r"(?<!\.)\b(print|len)\b", "xab(", "pl"),
        (r"(?i)select\b", "ab(", "sS"),
        (r"[^\W\d]\w*", "9 (", "aZ_é"),
        (r"(\s*)(def)\b", "xa(", " \td"),
        (r"(?:abc|x?y)z", "bz(", "axy"),
        (r"(?i)[y\u212a]x", "", "kK\u212ay"),  # the Kelvin sign folds to k
        (r"(?i)ſ", "", "sSſ"),
        (r"(?i)[^a]", "", "aAbé"),
        (r"\s*", "", "a( "),  # matches the empty string anywhere
    ],
)
def test_a_rule_is_ruled_out_where_it_cannot_begin(pattern: str, ruled_out: str, kept: str) -> None:
    parsed = _parser.parse(pattern, re.compile(pattern).flags)
    may_begin, _slow = _read(parsed, parsed.state.flags)
    assert not any(may_begin(char) for char in ruled_out)
    assert all(may_begin(char) for char in kept)


def test_a_joined_state_tries_only_the_rules_that_may_begin_at_a_character() -> None:
    lexer = _joined("python")
    assert list(lex(SNIPPETS[0], lexer)) == list(pygments.lex(SNIPPETS[0], lexer))
    root = _states(lexer)["root"]  # type: ignore[index]
    tried = root.at["("]
    assert tried is not None and 0 < len(tried) < len(root.rules) // 10
    assert all(rule in root.rules for rule in tried)


class _SharedStart(RegexLexer):
    """Rules the parser joins with their common first character taken out."""

    name = "shared"
    tokens = {  # noqa: RUF012 - Pygments reads a class attribute
        "root": [(r"ab", Keyword), (r"ac", Name), (r"a[^bc]?", Text)],
    }


def test_rules_sharing_their_start_may_each_begin_anywhere() -> None:
    lexer = _SharedStart(stripnl=False, ensurenl=False)
    assert join_all(lexer)
    code = "abacaxab\nyab"
    assert list(lex(code, lexer)) == list(pygments.lex(code, lexer))
    root = _states(lexer)["root"]  # type: ignore[index]
    assert all(start("x") for start in root.starts)
