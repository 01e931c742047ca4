"""Reading units: CJK characters and Latin words, counted the same on any text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lemmata.markup._text import is_mostly_cjk, reading_units, unit_counts

_CJK = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_LATIN_WORD = re.compile("[^\\s\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]+")

_ALPHABET = st.sampled_from(
    list("ab1-,.!") + list("深度学习。") + list("かカ한") + [" ", "\n", "\t", "\u3000", "\xa0"]
)


@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_counts_are_characters_and_words(text: str) -> None:
    characters, words = unit_counts(text)
    assert characters == len(_CJK.findall(text))
    assert words == len(_LATIN_WORD.findall(text))
    assert reading_units(text) == characters + words
    assert is_mostly_cjk(text) == (characters >= words)


def test_examples() -> None:
    assert unit_counts("深度学习 is fun") == (4, 2)
    # A word ends where CJK starts; CJK punctuation is not a character of reading.
    assert unit_counts("梯度descent下降 fast。") == (4, 2)
    assert unit_counts("　全角空格\xa0nbsp") == (4, 1)
    assert not is_mostly_cjk("one two three 一二")
