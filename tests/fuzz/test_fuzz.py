"""Generated documents never crash the content and markup stages; every problem is located.

``make test`` runs a smoke run; ``make fuzz`` runs LEMMATA_FUZZ_EXAMPLES (100,000) of them.
Any input that ever crashed is kept in ``corpus/`` and replayed on every run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.strategies import document
from tests.markup.helpers import config, render

EXAMPLES = int(os.environ.get("LEMMATA_FUZZ_EXAMPLES", "1000"))
CORPUS = Path(__file__).parent / "corpus"


def _check(text: str) -> None:
    rendered = render(text, site=config())
    lines = text.count("\n") + 1
    for diagnostic in rendered.diagnostics:
        assert diagnostic.location is not None, diagnostic
        assert 1 <= diagnostic.location.line <= lines, diagnostic
        assert diagnostic.location.column >= 1, diagnostic
        assert not diagnostic.message.startswith("internal error"), diagnostic.message


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document())
def test_generated_documents(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.md")), ids=lambda p: p.name)
def test_regression_corpus(path: Path) -> None:
    _check(path.read_text("utf-8"))
