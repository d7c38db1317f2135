"""planner.domain.time (wall time across changes of clocks) and planner.text.format (clocks, dates, durations)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.time import (
    day_bounds,
    day_length_minutes,
    local_instant,
    minutes_between,
    same_wall_time,
    wall_minute,
)
from planner.text.format import (
    format_clock,
    format_clock_seconds,
    format_day_month,
    format_duration,
    format_long_date,
    format_short_date,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
ZONES = [ZoneInfo(key) for key in ("Europe/Brussels", "America/Los_Angeles", "Australia/Sydney", "Asia/Tokyo",
                                   "America/Sao_Paulo", "Europe/London")]


def test_a_day_with_a_change_of_clocks_lasts_23_or_25_hours():
    assert day_length_minutes(date(2025, 3, 30), BRUSSELS) == 23 * 60
    assert day_length_minutes(date(2025, 10, 26), BRUSSELS) == 25 * 60
    assert day_length_minutes(date(2025, 10, 27), BRUSSELS) == 24 * 60


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)), st.sampled_from(ZONES))
def test_day_bounds_are_local_midnights_as_the_model_reads_them(day, zone):
    start, end = day_bounds(day, zone)
    # Compared as instants: a wall time in a gap never equals one of another zone (PEP 495).
    assert start.astimezone(UTC) == local_instant(day, 0, zone).astimezone(UTC)
    assert end.astimezone(UTC) == local_instant(day + timedelta(days=1), 0, zone).astimezone(UTC)
    assert (start.astimezone(zone).date(), end.astimezone(zone).date()) == (day, day + timedelta(days=1))


def test_a_midnight_the_clocks_skip_starts_the_day_at_the_first_instant_that_exists():
    # São Paulo moved its clocks from 00:00 to 01:00 on 2000-10-08: that date starts at 01:00 (UTC-2).
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    start, end = day_bounds(date(2000, 10, 8), sao_paulo)
    assert start == datetime(2000, 10, 8, 3, 0, tzinfo=UTC)
    assert (start.date(), start.hour) == (date(2000, 10, 8), 1)
    assert day_length_minutes(date(2000, 10, 8), sao_paulo) == 23 * 60
    assert day_length_minutes(date(2000, 10, 7), sao_paulo) == 24 * 60


def test_the_same_wall_time_tomorrow_across_the_spring_change():
    saturday = local_instant(date(2025, 3, 29), 9 * 60, BRUSSELS)
    sunday = same_wall_time(saturday, 1)
    assert (sunday.date(), wall_minute(sunday)) == (date(2025, 3, 30), 9 * 60)
    assert minutes_between(saturday, sunday) == 23 * 60


def test_minutes_between_counts_elapsed_time_not_wall_time():
    before = datetime(2025, 10, 26, 1, 0, tzinfo=BRUSSELS)
    after = datetime(2025, 10, 26, 4, 0, tzinfo=BRUSSELS)
    assert minutes_between(before, after) == 4 * 60
    assert minutes_between(after.astimezone(UTC), before) == -4 * 60


def test_clocks():
    assert format_clock(datetime(2025, 10, 6, 9, 5, tzinfo=BRUSSELS)) == "09:05"
    assert format_clock(time(23, 59)) == "23:59"
    assert [format_clock(minute) for minute in (0, 545, 1440, 1530)] == ["00:00", "09:05", "24:00", "25:30"]
    assert format_clock_seconds(time(9, 5, 7)) == "09:05:07"


def test_dates_do_not_follow_the_process_locale():
    monday = date(2025, 10, 6)
    assert format_long_date(monday) == "Monday 6 October 2025"
    assert format_long_date(monday, "fr") == "lundi 6 octobre 2025"
    assert format_long_date(monday, "nl") == "maandag 6 oktober 2025"
    assert format_long_date(monday, "de") == "Montag, 6. Oktober 2025"
    assert format_short_date(monday) == "Mon 06 Oct"
    assert format_day_month(monday) == "06 Oct"
    assert format_day_month(monday, weekday=True, padded=False) == "Mon 6 Oct"
    # German writes the day as an ordinal and a comma after the weekday ("Mo. 6 Okt." is not German)
    assert format_day_month(monday, "de", weekday=True, padded=False) == "Mo., 6. Okt."
    assert format_day_month(monday, "de", padded=False) == "6. Okt."
    assert format_day_month(monday, "nl", weekday=True, padded=False) == "ma 6 okt"
    assert format_day_month(monday, "fr", weekday=True, padded=False) == "lun. 6 oct."


@pytest.mark.parametrize(("minutes", "written", "spoken", "clock", "compact"), [
    (45, "45m", "45 min", "45 min", "0h45"),
    (60, "1h", "1 h", "1 hr", "1h"),
    (90, "1h30m", "90 min", "1 hr, 30 min", "1h30"),
    (150, "2h30m", "2 h 30", "2 hr, 30 min", "2h30"),
])
def test_durations_in_each_style(minutes, written, spoken, clock, compact):
    """`clock` is CLDR's: see test_clock_durations_speak_each_language for the other languages."""
    assert format_duration(minutes) == written
    assert format_duration(minutes, "spoken") == spoken
    assert format_duration(minutes, "clock") == clock
    assert format_duration(minutes, "compact") == compact


@pytest.mark.parametrize(("language", "forty_five", "ninety", "two_hours"), [
    ("en", "45 min", "1 hr, 30 min", "2 hr"),
    ("fr", "45\u00a0min", "1\u202fh et 30\u00a0min", "2\u202fh"),
    ("nl", "45 min", "1 uur, 30 min", "2 uur"),
    ("de", "45 Min.", "1 Std., 30 Min.", "2 Std."),
])
def test_clock_durations_speak_each_language(language, forty_five, ninety, two_hours):
    """CLDR's short units joined by CLDR's list of short units, in every language alike."""
    assert format_duration(45, "clock", language) == forty_five
    assert format_duration(90, "clock", language) == ninety
    assert format_duration(120, "clock", language) == two_hours
