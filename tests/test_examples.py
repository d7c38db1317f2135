"""The examples: they load, say what their sources say, and solve to valid (optimal) programmes."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, FLAGSHIP, JAPAN

from planner.check import check_schedule
from planner.domain import Accompany, Lunch, MaxPerDay, MinGap, Mission
from planner.mission.load import load_mission
from planner.mission.schedule_file import read_schedule, write_schedule
from planner.pipeline import SolveOptions, solve

EXAMPLES = [EXAMPLE_SMALL, FLAGSHIP, JAPAN]


def _ids(path: Path) -> str:
    return path.parent.name if path.name == "mission.yaml" else path.stem


def _headcount(mission: Mission, delegate_ids) -> int:
    return sum(mission.delegates[d].size for d in delegate_ids)


@pytest.fixture(scope="module")
def flagship() -> Mission:
    return load_mission(FLAGSHIP)


@pytest.fixture(scope="module")
def japan() -> Mission:
    return load_mission(JAPAN)


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
def test_each_example_loads(path: Path) -> None:
    mission = load_mission(path)
    assert mission.activities and mission.delegates and mission.venues


# --- the flagship says what the sources say ---------------------------------------------------------------


def test_flagship_legs_are_the_missions_dates(flagship: Mission) -> None:
    assert [(leg.city, leg.first_day, leg.last_day, leg.timezone) for leg in flagship.legs] == [
        ("San Francisco Bay Area", date(2025, 10, 5), date(2025, 10, 8), "America/Los_Angeles"),
        ("Los Angeles", date(2025, 10, 9), date(2025, 10, 10), "America/Los_Angeles"),
    ]


def test_flagship_has_the_missions_size(flagship: Mission) -> None:
    assert 80 <= len(flagship.activities) <= 100
    assert 150 <= len(flagship.delegates) <= 250
    assert 450 <= _headcount(flagship, flagship.delegates) <= 550
    wallonia = flagship.groups["wallonia"].delegates
    companies = lambda ids: [d for d in ids if flagship.delegates[d].role == "company"]  # noqa: E731
    assert len(companies(wallonia)) == 74
    assert _headcount(flagship, wallonia) == 156
    assert len(companies(flagship.groups["brussels"].delegates)) == 37
    assert len([d for d in flagship.delegates.values() if d.role == "academic"]) == 15


def test_flagship_has_every_kind_of_activity_the_sources_name(flagship: Mission) -> None:
    kinds = Counter(activity.kind for activity in flagship.activities.values())
    assert {"visit", "seminar", "b2b", "signing", "reception", "press", "transfer", "ceremony"} <= set(kinds)
    sector_groups = [g for g in flagship.groups.values() if g.kind == "sector" and g.id in (
        "aerospace-defence", "cleantech-energy", "hightech-ai", "life-sciences", "mobility-logistics",
        "media-entertainment", "design-architecture")]
    assert len(sector_groups) == 7
    for group in sector_groups:
        seminars = [a for a in flagship.activities.values() if a.kind == "seminar"
                    and set(group.delegates) <= set(a.attendees)]
        assert seminars, f"no seminar for sector {group.id}"


@pytest.mark.parametrize("words", [
    ("Centre Spatial de Liège", "Caltech", "UVEX"), ("LASEA", "USC"), ("Greenwin", "Larta"),
    ("KIKK", "Infinity Festival"), ("Val-Dieu",), ("Odoo",), ("Tonomia", "MiTAC", "Kern Solar"),
    ("FN Herstal", "LAPD"), ("MoUs", "California"),
    ("Google",), ("Amazon",), ("Microsoft",), ("NASA Ames",), ("Stanford",), ("Berkeley",),
])
def test_flagship_holds_the_visits_and_signings_of_the_sources(flagship: Mission,
                                                               words: tuple[str, ...]) -> None:
    titles = [activity.title for activity in flagship.activities.values()]
    assert any(all(word in title for word in words) for title in titles), words


def test_flagship_minister_for_smes_accompanies_the_princess(flagship: Mission) -> None:
    rule = next(r for r in flagship.rules if isinstance(r, Accompany) and r.delegates == ("simonet",))
    assert rule.principal_delegates == ("astrid",)
    assert {"visit", "signing"} <= set(rule.kinds or ())
    # Simonet is written on none of the Princess's visits; the rule brings her to every one.
    visits = [a for a in flagship.activities.values() if a.kind == "visit" and "astrid" in a.attendees]
    assert visits and all("simonet" in flagship.accompaniments.get(a.id, {}) or "simonet" in a.attendees
                           for a in visits)
    kinds_of_rules = {type(rule) for rule in flagship.rules}
    assert {Accompany, MaxPerDay, MinGap, Lunch} <= kinds_of_rules


def test_flagship_mixes_every_way_of_placing_an_activity(flagship: Mission) -> None:
    activities = list(flagship.activities.values())
    assert any(a.fixed for a in activities) and any(a.windows for a in activities)
    assert any(a.dates for a in activities)
    assert any(len(a.venues) > 1 for a in activities)
    assert any(a.optional_attendees for a in activities)
    assert any(not a.required for a in activities)
    assert any(a.after for a in activities)
    assert all(v.geo is not None for v in flagship.venues.values())


# --- the Japan mission shows the format serves another mission -------------------------------------------


def test_japan_is_a_different_mission(japan: Mission) -> None:
    assert {leg.timezone for leg in japan.legs} == {"Asia/Tokyo"}
    titles = [a.title for a in japan.activities.values()]
    assert 20 <= len(titles) <= 40
    concerts = [t for t in titles if t.startswith("Concert of the Royal Philharmonic Orchestra of Liège")]
    assert len(concerts) == 2
    assert any("Mayor of Nagakute" in t and "Waterloo" in t for t in titles)
    assert any("Governor of Aichi" in t for t in titles)
    assert len([t for t in titles if t.startswith("MoU signing: ULB")]) == 2
    assert any("Paralympic" in t for t in titles)
    assert any("EVS" in t and "intoPIX" in t for t in titles)


# --- solving --------------------------------------------------------------------------------------------


def _solved(mission: Mission, seconds: float):
    schedule = solve(mission, SolveOptions(time_limit=seconds, workers=2, seed=0, progress=False))
    assert [str(v) for v in check_schedule(mission, schedule)] == []
    return schedule


def test_example_small_solves_to_optimality() -> None:
    schedule = _solved(load_mission(EXAMPLE_SMALL), 30)
    assert schedule.status == "optimal"


@pytest.mark.slow
def test_japan_solves_to_optimality(japan: Mission) -> None:
    schedule = _solved(japan, 60)
    assert schedule.status == "optimal"
    assert schedule.unscheduled == []


@pytest.fixture(scope="module")
def flagship_schedule(flagship: Mission, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flagship solved once, written to schedule.json as `planner solve` writes it."""
    schedule = _solved(flagship, 120)
    path = tmp_path_factory.mktemp("flagship") / "schedule.json"
    write_schedule(schedule, path)
    return path


@pytest.mark.slow
def test_flagship_solves_to_proven_optimality(flagship: Mission, flagship_schedule: Path) -> None:
    schedule = read_schedule(flagship_schedule)
    assert schedule.status == "optimal", (schedule.objective, schedule.bound)
    assert schedule.unscheduled == []
    placed = {a.id: a for a in schedule.activities}
    assert "simonet" in placed["visit-google"].attendees
    assert placed["flight-sfo-lax"].start.date() == date(2025, 10, 8)


@pytest.mark.slow
def test_no_flagship_lunch_is_taken_on_the_road(flagship: Mission, flagship_schedule: Path) -> None:
    """Recomputed from schedule.json and the travel table, on a 5-minute grid: on every date a delegate
    with a lunch rule attends anything, some stretch of the lunch's length inside `between` overlaps none of
    their activities, and the time between the activities around it holds the stretch, the travel between
    their venues and the delegate's min_gap."""
    schedule = read_schedule(flagship_schedule)
    zone = flagship.legs[0].zone
    lunch_days = 0
    on_the_road = []
    for rule in (r for r in flagship.rules if isinstance(r, Lunch)):
        for delegate_id in rule.delegates:
            gap = max((r.gap for r in flagship.rules if isinstance(r, MinGap) and delegate_id in r.delegates),
                      default=0)
            attended = sorted((a for a in schedule.activities if delegate_id in a.attendees),
                              key=lambda a: a.start)
            for day in sorted({a.start.astimezone(zone).date() for a in attended}):
                lunch_days += 1
                midnight = datetime.combine(day, datetime.min.time(), tzinfo=zone)
                fits = False
                for offset in range(rule.between.start, rule.between.end - rule.duration + 1, 5):
                    stretch_start = midnight + timedelta(minutes=offset)
                    stretch_end = stretch_start + timedelta(minutes=rule.duration)
                    if any(a.start < stretch_end and stretch_start < a.end for a in attended):
                        continue
                    before = [a for a in attended if a.end <= stretch_start]
                    after = [a for a in attended if a.start >= stretch_end]
                    if before and after:
                        last, first = max(before, key=lambda a: a.end), min(after, key=lambda a: a.start)
                        road = (flagship.travel_minutes(last.venue, first.venue) or 0) + gap
                        if (first.start - last.end).total_seconds() / 60 - rule.duration < road:
                            continue
                    fits = True
                    break
                if not fits:
                    on_the_road.append((delegate_id, day))
    assert lunch_days >= 40
    assert on_the_road == []
