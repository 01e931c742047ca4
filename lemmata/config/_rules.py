"""What a setting must satisfy beyond its type, declared beside the field.

The schema in ``_model.py`` states each constraint in the field's metadata::

    per_page: int = field(default=10, metadata=rule(minimum=1))
    timezone: str = field(default="UTC", metadata=rule(check=time_zone))

and the validator reads it back with :func:`rule_of`, so a new option needs
no change to the validator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_METADATA_KEY = "lemmata"

Check = Callable[[str], str]
"""Validates a string setting and returns it normalised, or raises ``ValueError``
whose message says what was expected (``expected a URL …``)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """The constraints of one setting."""

    minimum: int | None = None
    """Smallest accepted value of an integer setting."""
    maximum: int | None = None
    """Largest accepted value of an integer setting."""
    check: Check | None = None
    """Validation and normalisation of a string setting."""
    in_file: bool = True
    """``False`` for fields lemmata fills in itself, which ``lemmata.toml`` may not set."""

    def expected_integer(self) -> str:
        """How the expected integer is described in an error message."""
        if self.minimum == 1 and self.maximum is None:
            return "expected a positive integer"
        if self.minimum is not None and self.maximum is not None:
            return f"expected an integer from {self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"expected an integer of at least {self.minimum}"
        if self.maximum is not None:
            return f"expected an integer of at most {self.maximum}"
        return "expected an integer"

    def accepts(self, number: int) -> bool:
        """Whether an integer lies within the bounds."""
        if self.minimum is not None and number < self.minimum:
            return False
        return self.maximum is None or number <= self.maximum


_NO_RULE = Rule()


def rule(
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    check: Check | None = None,
    in_file: bool = True,
) -> Mapping[str, Rule]:
    """Field metadata declaring a setting's constraints."""
    return {_METADATA_KEY: Rule(minimum, maximum, check, in_file)}


def rule_of(field: dataclasses.Field[Any]) -> Rule:
    """The constraints declared on a field (none if it declares none)."""
    found = field.metadata.get(_METADATA_KEY, _NO_RULE)
    assert isinstance(found, Rule)
    return found
