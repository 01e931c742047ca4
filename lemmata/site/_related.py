"""Related posts: scored by shared tags (×2) and the same category (×1).

Ties go to the more recent post, the lower rank in the newest-first list.
Sets of posts are Python integers used as bitsets (bit ``r`` is the post of
rank ``r``), so scoring one post against all the others takes a few dozen
big-integer operations instead of a loop over every post sharing a tag.

The ranks depend on the posts' tags and categories alone, which an edited
body leaves as they were: :func:`kept_related_ranks` reuses the previous
build's from the cache then.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterable, Sequence
from pathlib import Path

from lemmata.cache import code_version, open_store


def kept_related_ranks(
    tags: Sequence[frozenset[str]],
    categories: Sequence[str | None],
    limit: int,
    cache_root: Path | None,
) -> list[list[int]]:
    """:func:`related_ranks`, kept in the cache of the site at ``cache_root`` (``None``: none)."""
    inputs = (code_version(), limit, [sorted(t) for t in tags], list(categories))
    key = hashlib.sha256(marshal.dumps(inputs, 2)).hexdigest()
    with open_store(cache_root, "related") as store:
        ranks = store.get_many([key]).get(key)
        if not isinstance(ranks, list) or len(ranks) != len(tags):
            ranks = related_ranks(tags, categories, limit)
            store.put_many([(key, ranks)])
        store.keep_only({key})
    return ranks


def related_ranks(
    tags: Sequence[frozenset[str]], categories: Sequence[str | None], limit: int
) -> list[list[int]]:
    """For each post (by rank), the ranks of its ``limit`` best related posts, best first."""
    by_tag: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for rank, (post_tags, category) in enumerate(zip(tags, categories, strict=True)):
        bit = 1 << rank
        for tag in post_tags:
            by_tag[tag] = by_tag.get(tag, 0) | bit
        if category is not None:
            by_category[category] = by_category.get(category, 0) | bit
    everyone = (1 << len(tags)) - 1
    found = []
    for rank, (post_tags, category) in enumerate(zip(tags, categories, strict=True)):
        planes = _counts(by_tag[tag] for tag in post_tags)
        same = by_category[category] if category is not None else 0
        others = everyone & ~(1 << rank)
        groups = []
        for shared in range(len(post_tags), -1, -1):
            exactly = _exactly(planes, shared, others)
            groups.append(exactly & same)  # score 2·shared + 1
            if shared:
                groups.append(exactly & ~same)  # score 2·shared
        found.append(_lowest(groups, limit))
    return found


def _counts(sets: Iterable[int]) -> list[int]:
    """Bit-sliced counters: bit ``r`` of ``planes[i]`` is bit ``i`` of how many sets hold ``r``."""
    planes: list[int] = []
    for members in sets:
        carry = members
        for i, plane in enumerate(planes):
            planes[i] = plane ^ carry
            carry &= plane
            if not carry:
                break
        if carry:
            planes.append(carry)
    return planes


def _exactly(planes: list[int], count: int, among: int) -> int:
    """The members of ``among`` held by exactly ``count`` of the counted sets."""
    if count >> len(planes):
        return 0
    result = among
    for i, plane in enumerate(planes):
        result &= plane if count >> i & 1 else ~plane
    return result


def _lowest(groups: list[int], limit: int) -> list[int]:
    """Up to ``limit`` ranks: the lowest of the first group, then of the next…"""
    picked: list[int] = []
    for group in groups:
        while group and len(picked) < limit:
            low = group & -group
            picked.append(low.bit_length() - 1)
            group ^= low
        if len(picked) == limit:
            break
    return picked
