"""Cheaper pickling for the frozen, slotted dataclasses the caches hold by the thousand."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
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


def attributes(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function returning the tuple of these attributes of its argument.

    ``operator.attrgetter`` (C speed) for two or more; it returns a bare value
    for one name, so that case is wrapped.
    """
    if len(names) > 1:
        return attrgetter(*names)
    return lambda value: tuple(getattr(value, name) for name in names)
