"""Decoding users' files: BOM, CRLF and the located report of a bad byte."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lemmata._utf8 import decode


def test_plain_bom_and_crlf() -> None:
    assert decode("a.md", "注意\n".encode()) == ("注意\n", None)
    assert decode("a.md", b"\xef\xbb\xbfx\r\ny\r\n") == ("x\ny\n", None)


def test_bad_byte_is_located_in_characters_and_counted_in_bytes() -> None:
    data = "---\ntitle: 注意\n---\n中文ab".encode() + b"\xff!"
    text, problem = decode("content/posts/x.md", data)
    assert problem is not None
    assert (
        problem.headline()
        == "content/posts/x.md:4:5: error: invalid UTF-8 (byte 0xff at offset 30)"
    )
    assert problem.source_line == "中文ab\ufffd!"
    assert text.endswith("中文ab\ufffd!")


def test_offset_counts_the_bom_and_column_does_not() -> None:
    _, problem = decode("a.md", b"\xef\xbb\xbfab\xfe")
    assert problem is not None
    assert problem.headline() == "a.md:1:3: error: invalid UTF-8 (byte 0xfe at offset 5)"


def test_truncated_sequence_at_the_end() -> None:
    _, problem = decode("a.md", "x\r\n注".encode()[:-1])
    assert problem is not None
    assert problem.headline() == "a.md:2:1: error: invalid UTF-8 (byte 0xe6 at offset 3)"


@given(st.binary(max_size=200))
def test_any_bytes_decode_with_a_located_problem(data: bytes) -> None:
    text, problem = decode("a.md", data)
    if problem is None:
        assert text == data.decode("utf-8-sig").replace("\r\n", "\n")
    else:
        assert problem.location is not None
        assert 1 <= problem.location.line <= text.count("\n") + 1
        assert problem.source_line is not None
        assert problem.location.column <= len(problem.source_line) + 1
