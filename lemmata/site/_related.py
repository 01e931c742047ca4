"""Related posts: scored by shared tags (×2) and the same category (×1).

Ties go to the more recent post, the lower rank in the newest-first list.
Sets of posts are Python integers used as bitsets (bit ``r`` is the post of
rank ``r``), so scoring one post against all the others takes a few dozen
big-integer operations instead of a loop over every post sharing a tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


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
