"""Dates as newsrooms write them -> ISO YYYY-MM-DD, or the reason they are refused.

One normaliser for every date the loader reads: a .txt header, manifest.csv, a web page's
metadata. The rules:

* ISO dates (`2024-10-30`, `2024-1-5`) and ISO date-times (`2024-10-30T09:15:00Z`,
  `2024-10-30 09:15+09:00`) take a regex fast path; dateutil is never called for them.
* Year-first numeric dates with `/` or `.` (`2024/10/30`, `2024.10.30`) are read as
  year-month-day.
* Dates with the month in words, in English (`October 30, 2024`, `Oct. 30, 2024`,
  `30 Oct 2024`, `30 October 2024`, `Wednesday, October 30, 2024`, `Oct 30, 2024 9:15 AM EDT`)
  are read with python-dateutil.
* Every other numeric form (`03/04/2024`, `3.4.2024`, `30/10/2024`, `10-30-2024`) is refused:
  day and month could be either way round, and a feed that writes 30/10 also writes 03/04,
  so none of them is guessed, not even when one reading is impossible.
* A date-time keeps the calendar date as written: no shift by its time zone.
* Refused too: no four-digit year (`Oct 30`, `30 Oct 24`), a missing day or month
  (`October 2024`), a weekday that does not match the date, anything dateutil cannot read
  as a whole (`sometime last week`), and values over MAX_DATE_CHARS characters.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

MAX_DATE_CHARS = 80

_ISO = re.compile(r"\A(\d{4})-(\d{1,2})-(\d{1,2})"
                  r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?[ ]?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\Z",
                  re.IGNORECASE)
_YEAR_FIRST = re.compile(r"\A(\d{4})([/.])(\d{1,2})\2(\d{1,2})\.?\Z")
# Day and month both as numbers, not year first: 03/04/2024, 3.4.2024, 10-30-2024, 30/10/24.
_NUMERIC_DMY = re.compile(r"\A\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")
_WEEKDAYS = {name: number for number, names in enumerate([
    ("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thur", "thurs", "thursday"),
    ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]) for name in names}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Two defaults that differ in every field: a field dateutil fills from the default was not written.
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)


def _calendar(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def normalise_date(value: str) -> tuple[str | None, str]:
    """A date as written -> (ISO date, "") or (None, why it is refused)."""
    text = value.strip()
    if not text:
        return None, "empty"
    if len(text) > MAX_DATE_CHARS:
        return None, f"over {MAX_DATE_CHARS} characters"
    iso = _ISO.match(text)
    if iso:
        date = _calendar(*iso.groups())
        return (date, "") if date else (None, "not a calendar date")
    year_first = _YEAR_FIRST.match(text)
    if year_first:
        date = _calendar(year_first.group(1), year_first.group(3), year_first.group(4))
        return (date, "") if date else (None, "not a calendar date")
    if _NUMERIC_DMY.match(text):
        return None, "ambiguous numeric date (day and month could be swapped); write it as YYYY-MM-DD"
    if not _YEAR.search(text):
        return None, "no four-digit year"
    words = [w.lower() for w in _MONTH_WORD.findall(text)]
    if not any(w[:3] in _MONTHS for w in words):
        # 2024 10 30, 30 10 2024...: numbers only, read neither way
        return None, "no month name (numeric dates must be YYYY-MM-DD)"
    return _parse_words(text, words)


def _parse_words(text: str, words: list[str]) -> tuple[str | None, str]:
    from dateutil import parser  # imported only for dates that are not ISO

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # UnknownTimezoneWarning for "EDT" and the like
            first = parser.parse(text, default=_DEFAULT_A, ignoretz=True)
            second = parser.parse(text, default=_DEFAULT_B, ignoretz=True)
    except (ValueError, OverflowError, TypeError):
        return None, "not a date"
    if first.date() != second.date():
        return None, "incomplete date (day, month or year missing)"
    if not 1000 <= first.year <= 9999:
        return None, "not a calendar date"
    weekday = next((_WEEKDAYS[w.rstrip(".")] for w in words if w.rstrip(".") in _WEEKDAYS), None)
    if weekday is not None and weekday != first.weekday():
        return None, f"weekday does not match {first.date().isoformat()}"
    return first.date().isoformat(), ""
