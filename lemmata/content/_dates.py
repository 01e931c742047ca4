"""Front matter dates: ``2026-01-11``, ``2026-01-11 09:30``, ``2026-01-11T09:30:00+08:00``.

Every date comes out time-zone aware: one written without an offset is in
the site's time zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2}|Z)$")
_LOOKS_LIKE_A_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXPECTED = "expected a date like 2026-01-11 or 2026-01-11 20:30"


def aware_datetime(value: date | str, zone: tzinfo) -> datetime:
    """``value`` as an aware datetime; ``ValueError`` says why it is not a date."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        moment = _parse(value.strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _parse(text: str) -> datetime:
    # fromisoformat reads "2026-01-11", "2026-01-11 20:30", "…T20:30:00+08:00" and "Z";
    # Hexo writes "2026-01-11 20:30:00 +0800", with a space before the offset.
    candidate = _SPACED_OFFSET.sub(r"\1", text)
    try:
        return datetime.fromisoformat(candidate)
    except ValueError as exc:
        reason = str(exc)
        if reason.startswith("offset must be"):
            reason = "the offset from UTC must be less than 24 hours"
        # Name the impossible part ("day is out of range for month") when there is one.
        if _LOOKS_LIKE_A_DATE.match(candidate) and not reason.startswith("Invalid isoformat"):
            raise ValueError(reason) from None
        raise ValueError(EXPECTED) from None
