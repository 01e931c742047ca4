"""compact: instances come back equal, through the constructor; by_name: enum members by name."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

import pytest

from lemmata._pickling import compact
from lemmata.content import Format, Kind
from lemmata.errors import Diagnostic, Severity, SourceLocation
from lemmata.markup import Heading


@compact
@dataclass(frozen=True, slots=True)
class _Pair:
    left: int
    right: tuple[str, ...] = ()


@compact
@dataclass(frozen=True, slots=True)
class _One:
    only: str


def test_instances_round_trip_equal() -> None:
    values = [
        _Pair(1, ("a", "b")),
        _One("x"),
        Diagnostic(Severity.ERROR, "bad", SourceLocation("content/a.md", 3, 4), "line"),
    ]
    for value in values:
        assert pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) == value
    assert _Pair.__reduce__(values[0]) == (_Pair, (1, ("a", "b")))  # type: ignore[arg-type]


def test_headings_round_trip_as_headings() -> None:
    heading = Heading(2, "intro", "<em>Intro</em>", "Intro")
    back = pickle.loads(pickle.dumps((heading,), pickle.HIGHEST_PROTOCOL))[0]
    assert type(back) is Heading and back == heading and back.id == "intro"


def test_a_field_outside_init_is_refused() -> None:
    @dataclass(frozen=True, slots=True)
    class Derived:
        name: str
        size: int = field(init=False, default=0)

    with pytest.raises(TypeError, match="every field must be set by __init__"):
        compact(Derived)


def test_enum_members_come_back_as_themselves_by_name() -> None:
    for member in (*Kind, *Format, *Severity):
        data = pickle.dumps(member, pickle.HIGHEST_PROTOCOL)
        assert pickle.loads(data) is member
        assert f"{type(member).__qualname__}.{member.name}".encode() in data
