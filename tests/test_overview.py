"""The programme at a glance: the per-day table, the timeline picture and the overview page."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from rich.console import Console

from conftest import EXAMPLE_SMALL, ROOT
from planner.domain import Mission
from planner.load import load_mission, load_mission_text
from planner.overview import (
    build_timeline,
    day_summaries,
    day_table,
    overview_html,
    overview_png,
    write_overview,
)
from planner.schedule import Schedule, Unscheduled, read_schedule

VALID_SMALL = ROOT / "tests" / "schedules" / "example-small-valid.json"


@pytest.fixture(scope="module")
def small() -> tuple[Mission, Schedule]:
    return load_mission(EXAMPLE_SMALL), read_schedule(VALID_SMALL)


# --- the per-day table ------------------------------------------------------------------------------------


def test_day_summaries_of_example_small(small):
    mission, schedule = small
    summaries = {summary.day: summary for summary in day_summaries(mission, schedule)}
    # Every leg day, in order; 8 October lies between the legs and holds nothing.
    assert list(summaries) == [date(2025, 10, 6), date(2025, 10, 7), date(2025, 10, 9)]

    monday = summaries[date(2025, 10, 6)]
    assert (monday.city, monday.activities) == ("San Francisco", 4)
    # odoo: briefing, Google, B2B, opening — 1 h + 2 h + 2 h + 2 h.
    assert (monday.busiest_delegate, monday.busiest_count, monday.busiest_minutes) == ("odoo", 4, 420)
    # odoo goes Fairmont → Google → Fairmont; csl, astrid and simonet go Google → Fairmont.
    assert monday.travel_minutes == 5 * mission.travel_minutes("fairmont", "google")
    # The opening: astrid 1 + csl 2 + fn-herstal 3 + jeholet 1 + lasea 2 + odoo 3 + press-pool 6 + simonet 1.
    assert monday.peak_headcount == {"fairmont": 19, "google": 7}

    tuesday = summaries[date(2025, 10, 7)]
    # astrid and simonet both attend two visits of 3 h in all: the tie goes to the first id.
    assert (tuesday.busiest_delegate, tuesday.busiest_count, tuesday.busiest_minutes) == ("astrid", 2, 180)
    assert tuesday.travel_minutes == 2 * mission.travel_minutes("stanford", "nasa-ames")

    thursday = summaries[date(2025, 10, 9)]
    assert (thursday.city, thursday.busiest_delegate, thursday.busiest_count) == ("Los Angeles", "jeholet", 3)
    usc_to_hotel = mission.travel_minutes("usc", "la-hotel")
    assert thursday.travel_minutes == (
        3 * usc_to_hotel  # astrid, simonet, lasea
        + mission.travel_minutes("usc", "lapd") + mission.travel_minutes("lapd", "la-hotel")  # jeholet
        + mission.travel_minutes("lapd", "la-hotel")  # fn-herstal
    )
    assert thursday.peak_headcount["usc"] == 11


def test_peak_headcount_adds_parallel_activities_but_not_back_to_back_ones(small):
    mission, schedule = small
    activities = {a.id: a for a in schedule.activities}
    briefing, b2b = activities["wallonia-briefing"], activities["b2b-odoo"]  # briefing: 1 + 2 + 3 people
    back_to_back = replace(b2b, start=briefing.end, end=briefing.end + timedelta(hours=2),
                           attendees=("fn-herstal",))
    overlapping = replace(back_to_back, start=briefing.start + timedelta(minutes=30),
                          end=briefing.start + timedelta(minutes=150))
    for moved, peak in ((back_to_back, 6), (overlapping, 6 + 3)):
        edited = replace(schedule, activities=[moved if a.id == "b2b-odoo" else a for a in schedule.activities
                                               if a.id != "opening"])
        assert day_summaries(mission, edited)[0].peak_headcount["fairmont"] == peak


def test_day_table_renders_every_day(small):
    mission, schedule = small
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(day_table(mission, schedule))
    text = console.export_text()
    for line_start, busiest in (("Mon 06 Oct", "Odoo (4, 7h)"), ("Tue 07 Oct", "HRH Princess Astrid (2, 3h)"),
                                ("Thu 09 Oct", "Pierre-Yves Jeholet (3,")):
        line = next(line for line in text.splitlines() if line_start in line)
        assert busiest in line
    assert "fairmont 19" in text and "375 min" in text


# --- the timeline ------------------------------------------------------------------------------------------


def test_timeline_has_a_row_per_track_and_venue_and_every_activity(small):
    mission, schedule = small
    timeline = build_timeline(mission, schedule)
    assert timeline.rows[0].key == "track:royal-track"
    assert [row.key for row in timeline.rows[1:]] == [f"venue:{v}" for v in mission.venues]
    venue_bars = [bar for bar in timeline.bars if bar.row.startswith("venue:")]
    assert sorted(bar.activity.id for bar in venue_bars) == sorted(a.id for a in schedule.activities)
    royal = {"astrid", "simonet"}
    track_bars = [bar.activity.id for bar in timeline.bars if bar.row == "track:royal-track"]
    assert sorted(track_bars) == sorted(a.id for a in schedule.activities if royal & set(a.attendees))
    for bar in timeline.bars:
        start = bar.activity.start.astimezone(mission.leg_of_venue(bar.activity.venue).zone)
        assert (bar.day, bar.start_minute) == (start.date(), start.hour * 60 + start.minute)
    assert timeline.left_out == []


def test_overlapping_activities_of_one_row_get_their_own_lanes(small):
    mission, schedule = small
    activities = {a.id: a for a in schedule.activities}
    briefing = activities["wallonia-briefing"]
    overlapping = replace(activities["b2b-odoo"], start=briefing.start + timedelta(minutes=30),
                          end=briefing.start + timedelta(minutes=150))
    edited = replace(schedule, activities=[overlapping if a.id == "b2b-odoo" else a
                                           for a in schedule.activities])
    bars = {bar.activity.id: bar for bar in build_timeline(mission, edited).bars
            if bar.row == "venue:fairmont" and bar.day == date(2025, 10, 6)}
    assert {bars["wallonia-briefing"].lane, bars["b2b-odoo"].lane} == {0, 1}
    assert bars["b2b-odoo"].lanes == 2
    assert bars["opening"].lane == 0


def _without_nasa(schedule: Schedule) -> Schedule:
    return replace(schedule, activities=[a for a in schedule.activities if a.id != "visit-nasa"],
                   unscheduled=[Unscheduled("visit-nasa", "priority 50: left out for the test")])


def test_png_is_a_deterministic_picture(small):
    mission, schedule = small
    from matplotlib.image import imread

    png = overview_png(mission, schedule)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    height, width = imread(io.BytesIO(png)).shape[:2]
    assert width > height > 200
    assert overview_png(mission, schedule) == png
    assert overview_png(mission, _without_nasa(schedule)) != png


def test_overview_page_shows_every_activity_and_lists_the_left_out_ones(small):
    mission, schedule = small
    edited = _without_nasa(schedule)
    html = overview_html(mission, edited, overview_png(mission, edited))
    bars = re.findall(r'class="bar"[^>]*data-activity="([^"]+)"', html)
    # One bar per venue row, plus one in the royal track for each activity astrid or simonet attends.
    royal = [a for a in edited.activities if {"astrid", "simonet"} & set(a.attendees)]
    assert sorted(bars) == sorted([a.id for a in edited.activities] + [a.id for a in royal])
    assert "visit-nasa" not in bars
    left_out = re.search(r'<ul class="left-out">(.*?)</ul>', html, re.S)
    assert left_out is not None
    assert "Visit to NASA Ames" in left_out.group(1) and "left out for the test" in left_out.group(1)
    assert "data:image/png;base64," in html
    # Self-contained: nothing fetched from anywhere.
    assert not re.search(r'(src|href)="(https?:)?//', html) and "<link" not in html


def test_overview_page_escapes_titles(small):
    _, schedule = small
    text = EXAMPLE_SMALL.read_text(encoding="utf-8").replace(
        "title: Closing dinner,", "title: \"Closing <script>alert(1)</script> & dîner\",")
    mission = load_mission_text(text, "hostile.yaml")
    html = overview_html(mission, schedule)
    assert "<script>alert(1)" not in html
    assert "Closing &lt;script&gt;alert(1)&lt;/script&gt; &amp; dîner" in html
    assert html.count("<script>") == 1  # the page's own filter script, nothing else


def test_write_overview_writes_png_and_page(small, tmp_path):
    mission, schedule = small
    written = write_overview(mission, schedule, tmp_path)
    assert sorted(path.name for path in written) == ["overview.html", "overview.png"]
    assert (tmp_path / "overview.png").read_bytes().startswith(b"\x89PNG")
    assert "Small West Coast mission" in (tmp_path / "overview.html").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file left behind"


def test_planner_solve_outputs_include_itineraries_and_overview(small, tmp_path):
    from planner.outputs import write_outputs

    mission, schedule = small
    written = {path.relative_to(tmp_path).as_posix() for path in write_outputs(mission, schedule, tmp_path)}
    assert {"overview.png", "overview.html", "itineraries/index.html", "itineraries/booklet.html"} <= written
    assert {f"itineraries/{d}.html" for d in mission.delegates} <= written
