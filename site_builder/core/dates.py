"""Dates that keep the precision the source gives them.

Written in a subset of the Library of Congress's Extended Date/Time Format
(EDTF, ISO 8601-2), which editors can look up and other tools read:

    2023            a year
    2023-11         a month
    2023-10-04      a day
    2008~           approximate ("about 2008"), at any precision
    2020-09/2020-11 a range (interval), each end at its own precision
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_POINT = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?(?P<approx>~)?$")


class DateFormatError(ValueError):
    """The text is not a date this site understands; the message says why."""


@dataclass(frozen=True, order=True)
class DatePoint:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def first_day(self) -> datetime.date:
        """The first day of the year, month or day it names (to format a month or a day)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text + ("~" if self.approximate else "")


@dataclass(frozen=True)
class FuzzyDate:
    """A point in time or an interval between two points."""

    start: DatePoint
    end: DatePoint | None = None

    def sort_key(self) -> tuple[int, ...]:
        return self.start.sort_key() + (self.end.sort_key() if self.end else (0, 0, 0))

    @property
    def year(self) -> int:
        return self.start.year

    def __str__(self) -> str:
        return f"{self.start}/{self.end}" if self.end else str(self.start)


def parse_point(text: str) -> DatePoint:
    match = _POINT.match(text)
    if not match:
        raise DateFormatError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, with '~' after it if approximate")
    year = int(match["year"])
    if year == 0:  # (the calendar goes from 1 BC to AD 1: dates, and Babel, have no year 0)
        raise DateFormatError(f"'{text}' has no year: years go from 0001 to 9999")
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise DateFormatError(f"'{text}' has no month {month}: months go from 01 to 12")
    if month is not None and day is not None:  # (the pattern has no day without a month)
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateFormatError(f"'{text}' is impossible: {calendar.month_name[month]} {year} has {last} days")
    return DatePoint(year, month, day, bool(match["approx"]))


def parse_date(value: str | int) -> FuzzyDate:
    """Parse an EDTF date or interval; raises DateFormatError with an editor-facing message."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateFormatError("expected a date such as 2023, 2023-11 or 2023-10-04")
    text = str(value).strip()
    if "/" in text:
        first, _, last = text.partition("/")
        if not (_POINT.match(first) and _POINT.match(last)):
            raise DateFormatError(f"'{text}' is not a date or a range: write YYYY, YYYY-MM or YYYY-MM-DD, "
                                  "and a range as START/END, e.g. 2011/2013")
        start, end = parse_point(first), parse_point(last)
        if end.sort_key() < start.sort_key():
            raise DateFormatError(f"the range '{text}' ends before it starts")
        if end == start:
            raise DateFormatError(f"the range '{text}' starts and ends on the same date; write it once")
        return FuzzyDate(start, end)
    return FuzzyDate(parse_point(text))
