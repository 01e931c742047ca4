"""Pygments lexing, faster: one regular expression per lexer state.

A Pygments ``RegexLexer`` tries the rules of its current state one by one,
from Python, at every position: a three-line Python snippet costs about a
thousand ``match`` calls. Here each state's rules are joined into one
alternation, ``(?:r1)()|(?:r2)()|…``, which the regular-expression engine
tries in the same order (the first alternative that matches wins, exactly as
the first rule that matches wins), so one call finds the rule. The empty group
after a rule closes last, so ``lastindex`` names the rule; it goes after the
rule rather than around it so that the engine can still skip, by its first
character, a rule that cannot match.

Everything else is the lexer's own: its token types, state changes and
callbacks (a callback gets the rule's own match, made again at the same
position; text it lexes again with the same lexer, as Pygments' ``using(this)``
does, runs joined too). Numbered back-references, which the added groups would shift,
become named ones. A state whose rules cannot be joined (verbose patterns,
flags other than ``i``/``m``/``s``, a group name used twice) keeps trying
them one by one, and a lexer that is not a plain ``RegexLexer`` (its own
``get_tokens_unprocessed``, filters, input options) is run by Pygments itself,
but for the C family (C, C++): its method only renames type names such as
``size_t``, and that is done here after the joined states.
``tests/markup/test_lexing.py`` compares token streams with Pygments' own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Keyword, Name, Whitespace, _TokenType

Pair = tuple[_TokenType, str]
"""A token type and its text, as ``pygments.lex`` yields them."""
_Rule = tuple[Callable[[str, int], "re.Match[str] | None"], Any, Any]
_LEADING_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
_NUMBERED_REFERENCE = re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]|\(\?\(")
"""``\\1`` (not itself escaped) or a conditional group: group numbers that joining would shift."""
_SCOPABLE = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


_JOIN_AFTER = 1000
"""A state is joined once its rules were tried this many times each, one by one.

Joining costs about as much as compiling the rules again (~40 ms for Python's
root state): a build that lexes a few snippets never recovers that, a build
that lexes thousands does within its first few dozen.
"""


@dataclass(slots=True)
class _State:
    rules: tuple[_Rule, ...]
    """The lexer's own rules for this state, in order."""
    base: int
    """The lexer's flags, as compiled."""
    budget: int
    """Rules still to try one by one before joining; below zero: never join."""
    joined: Callable[[str, int], re.Match[str] | None] | None = None
    """All rules as one alternation, once joined."""
    rule_of_group: dict[int, int] = field(default_factory=dict)
    """Group number of the empty group closing each rule → the rule's index."""


def lex(code: str, lexer: Lexer) -> Iterator[Pair]:
    """``(token type, text)`` pairs, the same as ``pygments.lex(code, lexer)``."""
    states = _states(lexer)
    if states is None:
        return iter(lexer.get_tokens(code))
    code = code.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    tokens = _tokens(_Seen(lexer, states), states, code)
    types = _type_names.get(lexer)
    if types:
        return (
            (Keyword.Type if kind is Name and value in types else kind, value)
            for _, kind, value in tokens
        )
    return ((kind, value) for _, kind, value in tokens)


def join_all(lexer: Lexer) -> bool:
    """Join every state of the lexer now; whether ``lex`` then runs it all joined."""
    states = _states(lexer)
    return states is not None and all(_join(state) for state in states.values())


_compiled: dict[Lexer, dict[str, _State] | None] = {}


def _states(lexer: Lexer) -> dict[str, _State] | None:
    """The lexer's states; ``None`` when Pygments must run it."""
    if lexer in _compiled:
        return _compiled[lexer]
    states = None
    if isinstance(lexer, RegexLexer) and _plain(lexer):
        if type(lexer).get_tokens_unprocessed is not RegexLexer.get_tokens_unprocessed:
            _type_names[lexer] = _c_type_names(lexer)  # the only other method accepted
        base = re.compile("", lexer.flags).flags
        rules: dict[str, list[_Rule]] = lexer._tokens  # type: ignore[attr-defined]
        states = {
            name: _State(tuple(state), base, _JOIN_AFTER * len(state) if len(state) > 1 else -1)
            for name, state in rules.items()
        }
    _compiled[lexer] = states
    return states


def _plain(lexer: RegexLexer) -> bool:
    """Whether the lexer adds nothing to ``RegexLexer`` (no filter or option), nor a
    method of its own other than the C family's renaming of type names."""
    method = type(lexer).get_tokens_unprocessed
    if method is not RegexLexer.get_tokens_unprocessed:
        from pygments.lexers.c_cpp import CFamilyLexer

        if method is not CFamilyLexer.get_tokens_unprocessed:
            return False
    return not lexer.filters and not (
        lexer.stripall or lexer.stripnl or lexer.ensurenl or lexer.tabsize
    )


_type_names: dict[Lexer, frozenset[str]] = {}
"""Names a C or C++ lexer yields as ``Keyword.Type`` rather than ``Name``."""


def _c_type_names(lexer: Lexer) -> frozenset[str]:
    """The type names the C family's own method renames, as its options ask.

    Pygments renames a ``Name`` token whose text is in any set its options turn
    on; the tests compare the tokens with Pygments' own.
    """
    options = (
        ("stdlibhighlighting", "stdlib_types"),
        ("c99highlighting", "c99_types"),
        ("c11highlighting", "c11_atomic_types"),
        ("platformhighlighting", "linux_types"),
    )
    return frozenset().union(
        *(getattr(lexer, names) for on, names in options if getattr(lexer, on))
    )


def _join(state: _State) -> bool:
    """Join the state's rules into one alternation; whether it could be."""
    if state.joined is not None:
        return True
    state.budget = -1  # joined or not, never tried again
    parts: list[str] = []
    rule_of_group: dict[int, int] = {}
    group = 1
    for index, (match, _action, _next) in enumerate(state.rules):
        pattern = getattr(match, "__self__", None)
        if not isinstance(pattern, re.Pattern):
            return False
        part = _part(pattern, state.base, f"_r{index}")
        if part is None:
            return False
        group += pattern.groups
        rule_of_group[group] = index
        parts.append(f"(?:{part})()")
        group += 1
    try:
        state.joined = re.compile("|".join(parts), state.base).match
    except re.error:  # e.g. a group name used by two rules
        return False
    state.rule_of_group = rule_of_group
    return True


def _part(pattern: re.Pattern[str], base: int, prefix: str) -> str | None:
    """The rule's pattern standing alone in an alternation; ``None`` if impossible.

    Its own flags are made local to it, and its numbered back-references
    become named ones (names starting with ``prefix``).
    """
    if pattern.flags & re.VERBOSE:
        return None
    text = pattern.pattern
    if _NUMBERED_REFERENCE.search(text):
        named = _name_references(text, prefix)
        if named is None or re.compile(named, pattern.flags).groups != pattern.groups:
            return None
        text = named
    leading = _LEADING_FLAGS.match(text)
    if leading:  # already counted in pattern.flags
        text = text[leading.end() :]
    added, dropped = pattern.flags & ~base, base & ~pattern.flags
    if (added | dropped) & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL):
        return None
    if not (added or dropped):
        return text
    on = "".join(letter for letter, flag in _SCOPABLE.items() if added & flag)
    off = "".join(letter for letter, flag in _SCOPABLE.items() if dropped & flag)
    return f"(?{on}{'-' if off else ''}{off}:{text})"


class _Seen:
    """The lexer as its rules' callbacks see it: text that a callback lexes again with
    the same lexer (Pygments' ``using(this)``, as C++ does for every function
    signature) runs with the joined states too, not rule by rule."""

    def __init__(self, lexer: Lexer, states: dict[str, _State]) -> None:
        self._lexer = lexer
        self._states = states

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lexer, name)

    @property  # type: ignore[misc]
    def __class__(self) -> type[Lexer]:  # type: ignore[override]  # a callback making its like
        return type(self._lexer)

    def get_tokens_unprocessed(
        self, text: str, stack: Sequence[str] = ("root",)
    ) -> Iterator[tuple[int, Any, str]]:
        return _tokens(self, self._states, text, stack)


def _tokens(
    lexer: Lexer | _Seen, states: dict[str, _State], text: str, start: Sequence[str] = ("root",)
) -> Iterator[tuple[int, Any, str]]:
    """What ``RegexLexer.get_tokens_unprocessed`` yields, with joined states."""
    pos = 0
    stack = list(start)
    state = states[stack[-1]]
    while True:
        found = _find(state, text, pos)
        if found is not None:
            (match, action, next_state), matched, end = found
            if action is not None:
                if type(action) is _TokenType:
                    yield pos, action, matched
                else:
                    yield from action(lexer, match(text, pos))
            pos = end
            if next_state is not None:
                _move(stack, next_state)
                state = states[stack[-1]]
        elif pos >= len(text):
            return
        elif text[pos] == "\n":  # no rule matches at the end of a line: start over
            stack = ["root"]
            state = states["root"]
            yield pos, Whitespace, "\n"
            pos += 1
        else:
            yield pos, Error, text[pos]
            pos += 1


def _find(state: _State, text: str, pos: int) -> tuple[_Rule, str, int] | None:
    """The first rule of the state matching at ``pos``, its text and end."""
    if state.joined is None:
        if state.budget >= 0:
            state.budget -= len(state.rules)
            if state.budget < 0 and _join(state):
                return _find(state, text, pos)
        for rule in state.rules:
            match = rule[0](text, pos)
            if match is not None:
                return rule, match.group(), match.end()
        return None
    joined = state.joined(text, pos)
    if joined is None:
        return None
    group = joined.lastindex or 0
    return state.rules[state.rule_of_group[group]], joined.group(), joined.end()


def _move(stack: list[str], change: Any) -> None:
    """Apply a rule's state change: names to push, ``#pop``, ``#push`` or a pop count."""
    if isinstance(change, tuple):
        for name in change:
            if name == "#pop":
                if len(stack) > 1:
                    stack.pop()
            elif name == "#push":
                stack.append(stack[-1])
            else:
                stack.append(name)
    elif isinstance(change, int):  # a negative count; the root state always stays
        if -change >= len(stack):
            del stack[1:]
        else:
            del stack[change:]
    elif change == "#push":
        stack.append(stack[-1])


def _name_references(text: str, prefix: str) -> str | None:
    """The pattern with ``\\N`` and ``(?(N)`` referring to named groups; ``None`` if unsure."""
    groups: list[tuple[int, str | None]] = []  # each capturing group: where, its name
    references: list[tuple[int, int, int, bool]] = []  # where, end, group, conditional
    pos, in_set = 0, False
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            number = _reference_number(text, pos) if not in_set else None
            if number is not None:
                end = pos + 1 + len(str(number))
                references.append((pos, end, number, False))
                pos = end
            else:
                pos += 2
            continue
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            pos += 1 + text.startswith("^", pos + 1)
            pos += text.startswith("]", pos)  # a "]" first in a set is itself
            continue
        elif text.startswith("(?P<", pos):
            groups.append((pos, text[pos + 4 : text.index(">", pos)]))
        elif text.startswith("(?(", pos):
            end = text.index(")", pos)
            if _is_number(text[pos + 3 : end]):
                references.append((pos + 3, end, int(text[pos + 3 : end]), True))
        elif text.startswith("(?#", pos):
            pos = text.index(")", pos)
        elif char == "(" and not text.startswith("(?", pos):
            groups.append((pos, None))
        pos += 1
    edits: dict[int, tuple[int, str]] = {}  # where → (length replaced, new text)
    for start, end, number, conditional in references:
        if not 0 < number <= len(groups):
            return None
        where, name = groups[number - 1]
        if name is None:
            name = f"{prefix}g{number}"
            edits[where] = (1, f"(?P<{name}>")
        edits[start] = (end - start, name if conditional else f"(?P={name})")
    out, last = [], 0
    for where in sorted(edits):
        length, new = edits[where]
        out += [text[last:where], new]
        last = where + length
    return "".join([*out, text[last:]])


def _reference_number(text: str, pos: int) -> int | None:
    """The group a ``\\`` at ``pos`` refers to, as Python reads it, or ``None``."""
    digits = text[pos + 1 : pos + 4]
    if not _is_number(digits[:1]) or digits[0] == "0":
        return None
    if len(digits) == 3 and all(d in "01234567" for d in digits):
        return None  # three octal digits: a character
    return int(digits[:2]) if _is_number(digits[1:2]) else int(digits[0])


def _is_number(text: str) -> bool:
    """ASCII digits only: the pattern syntax reads ``\\١`` as the character ``١``."""
    return text.isascii() and text.isdigit()
