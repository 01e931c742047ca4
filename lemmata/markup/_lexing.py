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

The engine skips a rule that begins with a character or a set (case-sensitive)
at once where the text holds another character, but must enter any other rule
to find that it does not match: a lookbehind, a group, a list of keywords. In
Python's root state most rules are of that kind. So a joined state also reads,
from each rule's parsed pattern, which characters its match may begin with;
where few rules may begin at a character and the alternation would enter many
others, those few are tried one by one instead (Python's code lexes in about a
third of the time).

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

import importlib
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
_Start = Callable[[str], object]
"""Whether a rule's match may begin with a character (truthy: it may)."""
_CALL_COST = 4
"""Trying a rule from here costs about as much as the alternation entering this
many rules it cannot rule out by its first character (see ``_State.slow``)."""
_parser: Any = importlib.import_module("re._parser")
_compiler: Any = importlib.import_module("re._compiler")
_sre: Any = importlib.import_module("re._constants")
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s", _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
}  # fmt: skip


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
    starts: tuple[_Start, ...] = ()
    """Once joined: which characters each rule's match may begin with."""
    slow: tuple[bool, ...] = ()
    """Once joined: whether the alternation must enter the rule to find that it does
    not match (it skips one beginning with a character or set, case-sensitive, at once)."""
    at: dict[str, tuple[_Rule, ...] | None] = field(default_factory=dict)
    """Once joined: character → the rules whose match may begin with it, in order
    (``None``: the alternation is as fast, see ``_CALL_COST``)."""


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
    try:  # parsed once: read here, then compiled
        tree = _parser.parse("|".join(parts), state.base)
        alternatives = _alternatives(tree, len(parts))
        read = [_read(alternative, tree.state.flags) for alternative in alternatives]
        state.joined = _compiler.compile(tree, state.base).match
    except re.error:  # e.g. a group name used by two rules
        return False
    state.rule_of_group = rule_of_group
    state.starts = tuple(start for start, _ in read)
    state.slow = tuple(slow for _, slow in read)
    return True


def _alternatives(tree: Any, count: int) -> list[Any]:
    """The rules' parsed patterns, from the parsed alternation of ``count`` of them.

    The parser takes a part common to every rule out of the alternation: then
    none is read (any rule may begin anywhere).
    """
    if len(tree) == 1 and tree[0][0] is _sre.BRANCH and len(tree[0][1][1]) == count:
        return list(tree[0][1][1])
    return [[(_sre.ANY, None)]] * count


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
    if pos < len(text):
        char = text[pos]
        rules = state.at[char] if char in state.at else _starting(state, char)
        if rules is not None:
            for rule in rules:
                match = rule[0](text, pos)
                if match is not None:
                    return rule, match.group(), match.end()
            return None
    joined = state.joined(text, pos)
    if joined is None:
        return None
    group = joined.lastindex or 0
    return state.rules[state.rule_of_group[group]], joined.group(), joined.end()


def _starting(state: _State, char: str) -> tuple[_Rule, ...] | None:
    """The rules of a joined state whose match may begin with ``char``, to try one by
    one; ``None`` where the alternation is as fast (see ``_CALL_COST``)."""
    may = [start(char) for start in state.starts]
    chosen = [index for index, can in enumerate(may) if can]
    skipped = sum(
        1 for index in range(chosen[-1] if chosen else 0) if not may[index] and state.slow[index]
    )
    found = None
    if not chosen or skipped >= _CALL_COST * len(chosen):
        found = tuple(state.rules[index] for index in chosen)
    state.at[char] = found
    return found


def _read(items: Any, flags: int) -> tuple[_Start, bool]:
    """Whether a match of a parsed rule may begin with a character, and whether the
    rule is slow to rule out (see ``_State.slow``).

    Read from the rule's first consumed character, past assertions and optional
    parts. It may say yes wrongly, never no: a rule that can match the empty
    string, or holds what this does not read, may begin anywhere.
    """
    quick = len(items) > 0 and items[0][0] in (_sre.LITERAL, _sre.IN) and not flags & re.IGNORECASE
    try:
        tests, empty = _firsts(items, flags)
    except _UnreadError:
        return _anywhere, not quick
    if empty:
        return _anywhere, not quick
    return (lambda char: any(test(char) for test in tests)), not quick


def _anywhere(_char: str) -> bool:
    return True


def _firsts(items: Any, flags: int) -> tuple[list[_Start], bool]:
    """Tests of the first character consumed by a parsed sequence, and whether it may
    consume none."""
    tests: list[_Start] = []
    for op, arg in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero width: the next one decides
            continue
        if op is _sre.LITERAL:
            tests.append(_literal(arg, flags))
            return tests, False
        if op is _sre.IN:
            tests.append(_member(arg, flags))
            return tests, False
        if op is _sre.SUBPATTERN:
            _group, added, dropped, sub = arg
            more, empty = _firsts(sub, (flags | added) & ~dropped)
        elif op is _sre.ATOMIC_GROUP:
            more, empty = _firsts(arg, flags)
        elif op is _sre.BRANCH:
            each = [_firsts(alternative, flags) for alternative in arg[1]]
            more = [test for alternative, _ in each for test in alternative]
            empty = any(alternative_empty for _, alternative_empty in each)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            least, _most, sub = arg
            more, empty = _firsts(sub, flags)
            empty = empty or least == 0
        else:  # any character, back-references, conditionals: anything may come first
            raise _UnreadError(op)
        tests += more
        if not empty:
            return tests, False
    return tests, True


class _UnreadError(Exception):
    """A part of a pattern whose first character is not read here."""


def _literal(code: int, flags: int) -> _Start:
    wanted = chr(code)
    if not flags & re.IGNORECASE:
        return wanted.__eq__
    if not wanted.isascii():  # Unicode case folding: anything may match it
        return _anywhere
    folded = wanted.lower()
    return lambda char: not char.isascii() or char.lower() == folded


def _member(items: list[tuple[Any, Any]], flags: int) -> _Start:
    """The test of a character set ``[…]``."""
    negated = bool(items) and items[0][0] is _sre.NEGATE
    members = items[1:] if negated else items
    caseless = flags & re.IGNORECASE
    if caseless and (negated or any(_beyond_ascii(op, arg) for op, arg in members)):
        return _anywhere  # Unicode case folding
    parts = [_set_part(op, arg, flags) for op, arg in members]
    if caseless:
        return lambda char: (
            not char.isascii()
            or any(part(either) for either in (char.lower(), char.upper()) for part in parts)
        )
    if negated:
        return lambda char: not any(part(char) for part in parts)
    return lambda char: any(part(char) for part in parts)


def _set_part(op: Any, arg: Any, flags: int) -> _Start:
    if op is _sre.LITERAL:
        return chr(arg).__eq__
    if op is _sre.RANGE:
        low, high = chr(arg[0]), chr(arg[1])
        return lambda char: low <= char <= high
    if op is _sre.CATEGORY and arg in _CATEGORIES:
        return re.compile(_CATEGORIES[arg], flags & re.ASCII).fullmatch
    raise _UnreadError(op)


def _beyond_ascii(op: Any, arg: Any) -> bool:
    return (op is _sre.LITERAL and arg > 127) or (op is _sre.RANGE and arg[1] > 127)


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
