"""Dates in front matter become aware datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from lemmata.content._dates import aware_datetime

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLUS_8 = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-11", datetime(2026, 1, 11, tzinfo=SHANGHAI)),
        ("2026-01-11 09:30", datetime(2026, 1, 11, 9, 30, tzinfo=SHANGHAI)),
        (" 2026-01-11T09:30:00+08:00 ", datetime(2026, 1, 11, 9, 30, tzinfo=PLUS_8)),
        ("2026-01-11 09:30:00 +0800", datetime(2026, 1, 11, 9, 30, tzinfo=PLUS_8)),
        ("2026-01-11T01:30:00Z", datetime(2026, 1, 11, 1, 30, tzinfo=UTC)),
        (date(2026, 1, 11), datetime(2026, 1, 11, tzinfo=SHANGHAI)),
        (datetime(2026, 1, 11, 9), datetime(2026, 1, 11, 9, tzinfo=SHANGHAI)),
        (datetime(2026, 1, 11, 9, tzinfo=UTC), datetime(2026, 1, 11, 9, tzinfo=UTC)),
    ],
)
def test_accepted(value: date | str, expected: datetime) -> None:
    moment = aware_datetime(value, SHANGHAI)
    assert moment == expected and moment.tzinfo is not None
    assert moment.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-02-30", "day is out of range for month"),
        ("2026-13-01", "month must be in 1..12"),
        ("2026-01-11T09:30:00+25:00", "the offset from UTC must be less than 24 hours"),
        ("2026-01-11 nine", "expected a date like 2026-01-11 or 2026-01-11 20:30"),
        ("11/01/2026", "expected a date like 2026-01-11 or 2026-01-11 20:30"),
        ("", "expected a date like 2026-01-11 or 2026-01-11 20:30"),
    ],
)
def test_rejected_with_a_reason(value: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        aware_datetime(value, SHANGHAI)
    assert str(caught.value) == reason
