"""Dates at the precision the source gives (site_builder/core/dates.py): a subset of EDTF.

YYYY, YYYY-MM, YYYY-MM-DD, each optionally approximate ('~' after it), and START/END
ranges whose ends may differ in precision. Everything else is refused with a
DateFormatError whose message tells an editor what to write.
"""
from __future__ import annotations

import gettext

import pytest

from site_builder.core.dates import DateFormatError, DatePoint, FuzzyDate, parse_date, parse_point
from site_builder.render.i18n import Formatter


@pytest.mark.parametrize("written, point, precision", [
    ("2023", DatePoint(2023), "year"),
    ("2023-11", DatePoint(2023, 11), "month"),
    ("2023-10-04", DatePoint(2023, 10, 4), "day"),
    ("2008~", DatePoint(2008, approximate=True), "year"),
    ("2023-11~", DatePoint(2023, 11, approximate=True), "month"),
    ("2023-10-04~", DatePoint(2023, 10, 4, approximate=True), "day"),
    ("2024-02-29", DatePoint(2024, 2, 29), "day"),   # a leap day
    ("2000-02-29", DatePoint(2000, 2, 29), "day"),   # divisible by 400: leap
    ("2023-01-31", DatePoint(2023, 1, 31), "day"),
])
def test_each_precision_is_kept(written, point, precision):
    date = parse_date(written)
    assert date == FuzzyDate(point)
    assert date.start.precision == precision
    assert date.end is None
    assert str(date) == written  # written back exactly as the editor wrote it


def test_a_year_written_as_a_yaml_number_is_a_year():
    """`date: 2023` reaches the parser as the int 2023 (yaml_source reads plain digits as numbers)."""
    assert parse_date(2023) == parse_date("2023") == FuzzyDate(DatePoint(2023))
    assert parse_date(2023).year == 2023


def test_surrounding_spaces_are_ignored():
    assert parse_date("  2023-11 ") == parse_date("2023-11")


@pytest.mark.parametrize("written, start, end", [
    ("2011/2013", DatePoint(2011), DatePoint(2013)),
    ("2020-09/2020-11", DatePoint(2020, 9), DatePoint(2020, 11)),
    ("2011~/2013", DatePoint(2011, approximate=True), DatePoint(2013)),
    ("2019-12-30/2020-01-02", DatePoint(2019, 12, 30), DatePoint(2020, 1, 2)),
    ("2019/2020-03", DatePoint(2019), DatePoint(2020, 3)),  # each end at its own precision
])
def test_ranges(written, start, end):
    date = parse_date(written)
    assert (date.start, date.end) == (start, end)
    assert date.year == start.year
    assert str(date) == written


@pytest.mark.parametrize("written, message", [
    # Not the shape of a date: the message says which shapes are.
    ("23", "'23' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, with '~' after it if approximate"),
    ("12023", "'12023' is not a date"),
    ("2023-10-4", "'2023-10-4' is not a date"),      # day without its leading zero
    ("2023-10-04T10:00", "'2023-10-04T10:00' is not a date"),
    ("04/10/2023", "'04/10/2023' is not a date or a range"),  # a French way of writing it
    ("", "'' is not a date"),
    ("~2023", "'~2023' is not a date"),
    ("2023~~", "'2023~~' is not a date"),
    ("2023?", "'2023?' is not a date"),               # EDTF's 'uncertain' is not supported
    ("２０２３", "'２０２３' is not a date"),          # full-width digits
    # Ranges.
    ("2023/", "'2023/' is not a date or a range: write YYYY, YYYY-MM or YYYY-MM-DD, and a range as START/END, e.g. 2011/2013"),
    ("/2023", "'/2023' is not a date or a range"),
    ("2020-09 / 2020-11", "'2020-09 / 2020-11' is not a date or a range"),
    ("2023/2024/2025", "'2023/2024/2025' is not a date or a range"),
    ("2013/2011", "the range '2013/2011' ends before it starts"),
    ("2020-11/2020-09", "the range '2020-11/2020-09' ends before it starts"),
    ("2023/2023", "the range '2023/2023' starts and ends on the same date; write it once"),
    # Impossible dates say why.
    ("2023-13", "'2023-13' has no month 13: months go from 01 to 12"),
    ("2023-00", "'2023-00' has no month 0: months go from 01 to 12"),
    ("2023-02-29", "'2023-02-29' is impossible: February 2023 has 28 days"),
    ("1900-02-29", "'1900-02-29' is impossible: February 1900 has 28 days"),  # divisible by 100: not leap
    ("2023-11-31", "'2023-11-31' is impossible: November 2023 has 30 days"),
    ("2023-10-00", "'2023-10-00' is impossible: October 2023 has 31 days"),
    ("2019/2020-02-30", "'2020-02-30' is impossible: February 2020 has 29 days"),  # inside a range: names the end
])
def test_invalid_dates_say_what_to_write(written, message):
    with pytest.raises(DateFormatError) as caught:
        parse_date(written)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("value", [True, False, 3.5, None, ["2023"], {"year": 2023}])
def test_values_that_are_not_text_or_a_year(value):
    """`date: yes`, `date: 2023.5`, `date: [2023]`: a YAML value of the wrong type."""
    with pytest.raises(DateFormatError, match=r"^expected a date such as 2023, 2023-11 or 2023-10-04$"):
        parse_date(value)


def test_parse_point_refuses_a_range():
    with pytest.raises(DateFormatError):
        parse_point("2011/2013")


def test_timeline_order():
    """Sort keys order a timeline: a coarser date sorts before the finer dates it contains,
    a range sorts by its start then its end, and approximation does not move a date."""
    written = ["2021-03-15", "2020", "2020-09/2020-11", "2020-09", "2008~", "2020-09/2021", "2021-03",
               "2019-12-31", "2020-01-01"]
    ordered = sorted(written, key=lambda text: parse_date(text).sort_key())
    assert ordered == ["2008~", "2019-12-31", "2020", "2020-01-01", "2020-09", "2020-09/2020-11",
                       "2020-09/2021", "2021-03", "2021-03-15"]
    assert parse_date("2008~").sort_key() == parse_date("2008").sort_key()


def test_dates_are_values():
    """Frozen and hashable: dates are keys of caches and members of sets."""
    assert {parse_date("2023-11"), parse_date("2023-11"), parse_date(" 2023-11")} == {parse_date("2023-11")}
    with pytest.raises(AttributeError):
        parse_date("2023").start.year = 2024  # type: ignore[misc]


def _formatters():
    return [Formatter(lang, gettext.NullTranslations()) for lang in ("fr", "en")]


@pytest.mark.parametrize("written", ["2023", "2023-11", "2023-10-01", "0001-01-01", "9999-12-31", "2008~",
                                     "2020-09/2020-11", "2019/2020-03"])
def test_every_date_parsed_can_be_printed(written):
    """What `check` accepts, `build` prints: the page formatter takes every parsed date."""
    for fmt in _formatters():
        assert fmt.date(parse_date(written))


@pytest.mark.parametrize("written", ["0000", "0000-06", "0000-01-01"])
def test_year_zero_is_refused_or_printed(written):
    try:
        date = parse_date(written)
    except DateFormatError:
        return  # refused with an editor-facing message: fine
    for fmt in _formatters():
        assert fmt.date(date)
