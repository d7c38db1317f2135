"""The programme at a glance: the per-day table, the timeline picture and the overview page."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from conftest import EXAMPLE_SMALL
from rich.console import Console

from planner.domain import Mission
from planner.domain.schedule import Schedule, Unscheduled
from planner.mission.load import load_mission, load_mission_text
from planner.views.overview import (
    build_timeline,
    day_summaries,
    day_table,
    overview_html,
    overview_png,
    write_overview,
)


@pytest.fixture(scope="module")
def small(small_programme) -> tuple[Mission, Schedule]:
    return small_programme


# --- the per-day table ------------------------------------------------------------------------------------


def test_day_summaries_of_example_small(small):
    mission, schedule = small
    summaries = {summary.day: summary for summary in day_summaries(mission, schedule)}
    # Every leg day, in order; 8 October lies between the legs and holds nothing.
    assert list(summaries) == [date(2025, 10, 6), date(2025, 10, 7), date(2025, 10, 9)]

    size = {delegate_id: delegate.size for delegate_id, delegate in mission.delegates.items()}
    monday = summaries[date(2025, 10, 6)]
    assert (monday.city, monday.activities) == ("San Francisco", 4)
    # odoo: briefing, Google, B2B, opening — 1 h + 2 h + 2 h + 2 h.
    assert (monday.busiest_delegate, monday.busiest_count, monday.busiest_minutes) == ("odoo", 4, 420)
    # odoo goes Fairmont → Google → Fairmont; csl, astrid and simonet go Google → Fairmont; each trip counts
    # the delegation's size (odoo 3, csl 2).
    moves = 2 * size["odoo"] + size["csl"] + size["astrid"] + size["simonet"]
    assert moves == 10
    assert monday.travel_minutes == moves * mission.travel_minutes("fairmont", "google")
    # The opening: astrid 1 + csl 2 + fn-herstal 3 + jeholet 1 + lasea 2 + odoo 3 + press-pool 6 + simonet 1.
    assert monday.peak_headcount == {"fairmont": 19, "google": 7}
    assert monday.busiest_venue == ("fairmont", 19)

    tuesday = summaries[date(2025, 10, 7)]
    # astrid and simonet both attend two visits of 3 h in all: the tie goes to the first id.
    assert (tuesday.busiest_delegate, tuesday.busiest_count, tuesday.busiest_minutes) == ("astrid", 2, 180)
    assert tuesday.travel_minutes == (size["astrid"] + size["simonet"]) * mission.travel_minutes("stanford",
                                                                                                  "nasa-ames")

    thursday = summaries[date(2025, 10, 9)]
    assert (thursday.city, thursday.busiest_delegate, thursday.busiest_count) == ("Los Angeles", "jeholet", 3)
    usc_to_hotel = mission.travel_minutes("usc", "la-hotel")
    assert thursday.travel_minutes == (
        (size["astrid"] + size["simonet"] + size["lasea"]) * usc_to_hotel
        + size["jeholet"] * (mission.travel_minutes("usc", "lapd")
                             + mission.travel_minutes("lapd", "la-hotel"))
        + size["fn-herstal"] * mission.travel_minutes("lapd", "la-hotel")
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


def _rendered(mission: Mission, schedule: Schedule, width: int = 80) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(day_table(mission, schedule))
    return console.export_text()


DAY_LINE = re.compile(r"^(?P<day>\w{3} \d{2} \w{3})\s+(?P<acts>\d+)\s+(?P<travel>[\d,]+)\s+(?P<rest>.*)$")


def _day_lines(text: str) -> dict[str, re.Match]:
    return {match["day"]: match for line in text.splitlines() if (match := DAY_LINE.match(line))}


def test_day_table_gives_one_line_a_day_in_80_columns(small):
    mission, schedule = small
    text = _rendered(mission, schedule)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    lines = _day_lines(text)
    assert list(lines) == ["Mon 06 Oct", "Tue 07 Oct", "Thu 09 Oct"]  # each day on exactly one line
    summaries = {f"{summary.day:%a %d %b}": summary for summary in day_summaries(mission, schedule)}
    for day, line in lines.items():
        assert int(line["travel"].replace(",", "")) == summaries[day].travel_minutes
        assert int(line["acts"]) == summaries[day].activities
    # Names shortened so that the line fits; the busiest venue's name and its peak.
    assert lines["Mon 06 Oct"]["rest"].split() == ["Odoo", "(4,", "7h)", "Fairmont", "San", "F…", "19"]
    assert lines["Tue 07 Oct"]["rest"].startswith("HRH Princess Ast… (2, 3h)")
    assert lines["Thu 09 Oct"]["rest"].startswith("Pierre-Yves Jeho… (3, 4h15)")
    assert "person-min" in text and "San Francisco 06–07 Oct, Los Angeles 09 Oct" in text
    # An 80-column terminal is no narrower than what the table needs: wider, it does not change.
    assert _day_lines(_rendered(mission, schedule, 160)).keys() == lines.keys()


def _travel_column_total(mission: Mission, schedule: Schedule) -> int:
    lines = _day_lines(_rendered(mission, schedule)).values()
    return sum(int(line["travel"].replace(",", "")) for line in lines)


def _assert_travel_column_adds_up_to_the_objective(mission: Mission, schedule: Schedule) -> None:
    assert schedule.has_programme
    objective = schedule.objectives["travel_minutes"]
    assert objective > 0
    assert _travel_column_total(mission, schedule) == objective
    if schedule.status == "optimal":
        # the CP-SAT travel stage's own value, independent of the plain count both sides share
        assert schedule.solver.travel_objective == objective


def test_day_table_travel_adds_up_to_the_objective_on_example_small(small):
    from planner.pipeline import SolveOptions, solve

    mission, _ = small
    schedule = solve(mission, SolveOptions(time_limit=20, progress=False))
    _assert_travel_column_adds_up_to_the_objective(mission, schedule)


@pytest.mark.slow
def test_day_table_travel_adds_up_to_the_objective_on_the_flagship():
    from conftest import FLAGSHIP

    from planner.pipeline import SolveOptions, solve

    mission = load_mission(FLAGSHIP)
    schedule = solve(mission, SolveOptions(time_limit=30, progress=False))
    _assert_travel_column_adds_up_to_the_objective(mission, schedule)
    # Delegations of several people count their size: the same moves counted once each give less.
    one_each = replace(mission, delegates={delegate_id: replace(delegate, size=1)
                                           for delegate_id, delegate in mission.delegates.items()})
    assert _travel_column_total(one_each, schedule) < _travel_column_total(mission, schedule)


# --- the timeline ------------------------------------------------------------------------------------------


def test_timeline_has_a_row_per_track_and_venue_and_every_activity(small):
    mission, schedule = small
    timeline = build_timeline(mission, schedule)
    assert timeline.rows[0].key == "track:royal-track"
    assert timeline.rows[1].key == "sector:tech"  # the sector group, named on the Google visit
    assert [row.key for row in timeline.rows[2:]] == [f"venue:{v}" for v in mission.venues]
    tech = [bar.activity.id for bar in timeline.bars if bar.row == "sector:tech"]
    assert tech == ["visit-google"]
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
    # One bar per venue row, plus one in the royal track for each activity astrid or simonet attends,
    # plus the Google visit in the row of the sector group `tech` it names.
    royal = [a for a in edited.activities if {"astrid", "simonet"} & set(a.attendees)]
    assert sorted(bars) == sorted([a.id for a in edited.activities] + [a.id for a in royal] + ["visit-google"])
    assert "visit-nasa" not in bars
    left_out = re.search(r'<ul class="left-out">(.*?)</ul>', html, re.S)
    assert left_out is not None
    assert "Visit to NASA Ames" in left_out.group(1) and "left out for the test" in left_out.group(1)
    assert "data:image/png;base64," in html
    # Self-contained: nothing fetched from anywhere.
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # the one <link> is an empty icon, so that a browser asks no server for /favicon.ico
    assert re.findall(r"<link[^>]*>", html) == ['<link rel="icon" href="data:,">']


def test_the_overview_speaks_the_missions_language_in_its_status_and_numbers(small):
    mission, schedule = small
    # ten times the people, so that a day's travel passes a thousand person-minutes
    dutch = replace(mission, language="nl", delegates={delegate_id: replace(delegate, size=delegate.size * 10)
                                                       for delegate_id, delegate in mission.delegates.items()})
    html = overview_html(dutch, replace(schedule, status="optimal"))
    assert "Status <strong>optimaal</strong>" in html
    travel = [summary.travel_minutes for summary in day_summaries(dutch, schedule)]
    assert max(travel) >= 1000
    # Dutch groups thousands with a dot; "1,140" reads as one and a bit there
    for minutes in (minutes for minutes in travel if minutes >= 1000):
        assert f">{minutes // 1000}.{minutes % 1000:03d}</td>" in html  # a cell named by its heading on a phone
    assert not re.search(r">\d+,\d{3}</td>", html)


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
    from planner.views.outputs import write_outputs

    mission, schedule = small
    written = {path.relative_to(tmp_path).as_posix() for path in write_outputs(mission, schedule, tmp_path)}
    assert {"overview.png", "overview.html", "itineraries/index.html", "itineraries/booklet.html"} <= written
    assert {f"itineraries/{d}.html" for d in mission.delegates} <= written


def test_the_flagship_gets_one_readable_picture_per_day(flagship_programme):
    """At 85 activities the whole picture carries no titles; each day's picture writes at least 90 % of its
    titles in full (the rest shortened with "…"), and its rows grow with their lanes."""
    from matplotlib.image import imread

    from planner.views.overview_png import LARGE_MISSION, day_labels, day_pngs, day_window

    mission, schedule = flagship_programme
    assert len(schedule.activities) > LARGE_MISSION
    timeline = build_timeline(mission, schedule)
    pictures = day_pngs(mission, schedule)
    assert sorted(pictures) == sorted({bar.day for bar in timeline.bars})
    labels = [label for day in pictures for label in day_labels(mission, timeline, day, *day_window(timeline, day))]
    assert len(labels) == len(timeline.bars)
    whole = sum(label.full for label in labels) / len(labels)
    print(f"{len(pictures)} day pictures, {len(labels)} bars, {whole:.0%} of titles in full")
    assert whole >= 0.9
    assert all(label.shown.endswith("…") for label in labels if not label.full)
    assert all(label.shown.count("\n") <= 1 for label in labels)
    height, width = imread(io.BytesIO(pictures[min(pictures)])).shape[:2]
    assert width >= 1200  # wide enough for its hours: 1.15 inch (115 px) an hour


def test_pictures_write_their_hours_and_row_names_along_the_axes(flagship_programme, monkeypatch):
    """The hours and row names are written by Pillow outside the axes (planner.views.picture), not as
    matplotlib ticks: every row of a picture is named, every hour of its window written, in order, and no
    axes keeps a tick."""
    from planner.views import overview_png as pictures

    drawn = []

    def capture(figure, titles=()):
        drawn.append((figure, list(titles)))
        return b""

    monkeypatch.setattr(pictures, "figure_png", capture)
    mission, schedule = flagship_programme
    timeline = build_timeline(mission, schedule)
    day = min(bar.day for bar in timeline.bars)
    pictures.day_png(mission, timeline, day)
    pictures.overview_png(mission, schedule)
    (day_figure, day_titles), (whole_figure, whole_titles) = drawn
    outside = [title for title in day_titles if not title.clipped]
    first, last = pictures.day_window(timeline, day)
    hours = [title.text for title in outside if title.anchor == "md"]
    assert hours == [f"{minute // 60:02d}:00" for minute in range(first, last + 1, 60)]
    names = [title.text for title in outside if title.anchor == "rm"]
    rows_of_day = {bar.row for bar in timeline.bars if bar.day == day}
    assert names == [row.label[:48] if len(row.label) <= 48 else row.label[:47] + "…"
                     for row in timeline.rows if row.key in rows_of_day or row.kind == "track"]
    whole_names = [title.text for title in whole_titles if title.anchor == "rm"]
    assert len(whole_names) == len(timeline.rows)
    assert sum(title.anchor == "ma" for title in whole_titles) == len(timeline.days) * len(
        range(timeline.first_minute, timeline.last_minute + 1, 120))
    for figure in (day_figure, whole_figure):
        for axis in figure.axes:
            if not axis.axison:  # the legend's column: no axis drawn
                continue
            assert not axis.get_xticks().size and not axis.get_yticks().size, axis


@pytest.mark.parametrize(("name", "tagged"), [("Royal track", False), ("Royal party", True)])
def test_a_track_row_says_track_once(small, name, tagged):
    """'Royal track <small>track</small>' said it twice; a name without the word keeps its tag."""
    _, schedule = small
    text = EXAMPLE_SMALL.read_text(encoding="utf-8").replace(
        "{id: royal-track, kind: track,", f"{{id: royal-track, name: {name}, kind: track,", 1)
    html = overview_html(load_mission_text(text, "named.yaml"), schedule)
    assert f'title="{name}"' in html
    assert (f"{name} <small>track</small>" in html) == tagged
