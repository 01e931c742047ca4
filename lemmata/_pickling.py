"""Cheaper pickling for the frozen, slotted dataclasses the caches hold by the thousand."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


def compact(cls: type[T]) -> type[T]:
    """Pickle instances of ``cls`` as a call to its constructor with every field.

    A slotted dataclass is otherwise rebuilt field by field through a Python
    ``__setstate__`` that looks its fields up each time: three times slower to
    load, and a rebuild reads tens of thousands of them (headings, documents,
    diagnostics). Every field must be an ``__init__`` parameter.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init for f in fields):
        raise TypeError(f"{cls.__name__}: every field must be set by __init__")
    values = attributes([f.name for f in fields])

    def reduce(self: T) -> tuple[type[T], tuple[Any, ...]]:
        return (cls, values(self))

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


E = TypeVar("E", bound=Enum)


def by_name(cls: type[E]) -> type[E]:
    """Pickle members of the enum ``cls`` as a reference to ``Class.MEMBER``.

    By default a member is rebuilt by calling the class with its value, through
    the enum machinery: loading 5,000 cached documents (each with a ``kind``
    and a ``format``) took an eighth longer that way.
    """

    def reduce(self: E, _protocol: object) -> str:
        return f"{cls.__qualname__}.{self.name}"

    cls.__reduce_ex__ = reduce  # type: ignore[assignment,method-assign]
    return cls


def attributes(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function returning the tuple of these attributes of its argument.

    ``operator.attrgetter`` (C speed) for two or more; it returns a bare value
    for one name, so that case is wrapped.
    """
    if len(names) > 1:
        return attrgetter(*names)
    return lambda value: tuple(getattr(value, name) for name in names)
