"""Related posts agree with scoring every pair directly, and are kept across builds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lemmata.site import _related
from lemmata.site._related import kept_related_ranks, related_ranks

_POSTS = st.lists(
    st.tuples(
        st.frozensets(st.sampled_from("abcdefg"), max_size=5),
        st.one_of(st.none(), st.sampled_from("XYZ")),
    ),
    max_size=40,
)


def _by_every_pair(
    tags: list[frozenset[str]], categories: list[str | None], limit: int
) -> list[list[int]]:
    found = []
    for rank, (mine, category) in enumerate(zip(tags, categories, strict=True)):
        scored = []
        for other, (theirs, their_category) in enumerate(zip(tags, categories, strict=True)):
            score = 2 * len(mine & theirs) + (category is not None and category == their_category)
            if other != rank and score:
                scored.append((-score, other))
        found.append([other for _, other in sorted(scored)[:limit]])
    return found


@settings(max_examples=300)
@given(posts=_POSTS, limit=st.integers(min_value=0, max_value=6))
def test_matches_scoring_every_pair(
    posts: list[tuple[frozenset[str], str | None]], limit: int
) -> None:
    tags = [t for t, _ in posts]
    categories = [c for _, c in posts]
    assert related_ranks(tags, categories, limit) == _by_every_pair(tags, categories, limit)


def test_more_shared_tags_beat_recency_and_category_breaks_ties() -> None:
    tags = [frozenset("a"), frozenset("ab"), frozenset("ab"), frozenset("ab"), frozenset("c")]
    categories = ["X", None, "X", "X", "X"]
    assert related_ranks(tags, categories, 5)[3] == [2, 1, 0, 4]
    assert related_ranks(tags, categories, 5)[4] == [0, 2, 3]
    assert related_ranks(tags, [None] * 5, 5)[4] == []


def test_kept_ranks_are_reused_until_a_tag_or_category_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: list[int] = []

    def counted(
        tags: Sequence[frozenset[str]], categories: Sequence[str | None], limit: int
    ) -> list[list[int]]:
        computed.append(len(tags))
        return related_ranks(tags, categories, limit)

    monkeypatch.setattr(_related, "related_ranks", counted)
    tags = [frozenset({"a", "b"}), frozenset({"b"}), frozenset({"a"})]
    categories = ["X", None, "X"]
    first = kept_related_ranks(tags, categories, 5, tmp_path)
    again = kept_related_ranks(tags, categories, 5, tmp_path)
    assert first == again == related_ranks(tags, categories, 5)
    assert computed == [3]
    # Another tag, another category or another limit: computed afresh.
    retagged = kept_related_ranks([frozenset({"a"}), *tags[1:]], categories, 5, tmp_path)
    assert retagged == related_ranks([frozenset({"a"}), *tags[1:]], categories, 5)
    kept_related_ranks(tags, ["Y", None, "X"], 5, tmp_path)
    kept_related_ranks(tags, categories, 1, tmp_path)
    assert computed == [3, 3, 3, 3]
    # Without a cache, always computed.
    kept_related_ranks(tags, categories, 5, None)
    assert computed == [3, 3, 3, 3, 3]
