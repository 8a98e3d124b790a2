"""Helpers of the quota tests."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment in 鹤山区 local time: at("2026-04-01") is 10:00 on 1 April, Asia/Shanghai."""
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute), tzinfo=SHANGHAI)
