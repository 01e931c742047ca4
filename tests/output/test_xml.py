"""Hand-written XML escaping agrees with the standard library's."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import given
from hypothesis import strategies as st

from lemmata.output._xml import attr, text

_TEXT = st.text(alphabet=st.sampled_from(list("ab &<>\"'\n\r\t\x01题")), max_size=20)


@given(_TEXT)
def test_element_text_and_attributes_escape_as_saxutils_does(value: str) -> None:
    kept = value.replace("\x01", "")  # a character XML cannot hold is dropped
    assert text(value) == escape(kept)
    assert attr(value) == quoteattr(kept)


def test_quotes_in_attributes() -> None:
    assert attr('say "hi"') == "'say \"hi\"'"
    assert attr('it\'s "x"') == '"it\'s &quot;x&quot;"'
