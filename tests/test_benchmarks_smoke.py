"""The benchmark's peers run on tiny missions and give answers the checker can judge (no timings here).

- the greedy first-fit planner never breaks a hard rule: at worst it leaves an activity out;
- the PyJobShop and conference-scheduler translations give valid schedules where the mission stays
  within what each can express, and break only what their module says they cannot express otherwise;
- the objectives yardstick agrees with planner's own reading of objective 3.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from planner.check import check_schedule
from planner.mission.load import load_mission
from planner.mission.schedule_file import read_schedule

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
FLAGSHIP = BENCHMARKS.parent / "examples" / "west-coast-2025" / "mission.yaml"
sys.path.insert(0, str(BENCHMARKS))

from peers.greedy import greedy_schedule  # noqa: E402
from peers.objectives import measure  # noqa: E402

TINY = """\
mission: {name: Tiny mission, timezone: America/Los_Angeles, grain: 15m, day: {start: "09:00", end: "18:00"}}
legs:
  - {city: San Francisco, from: 2025-10-06, to: 2025-10-06}
venues:
  - {id: hotel, name: Hotel, city: San Francisco, geo: [37.7924, -122.4102], parallel: 2}
  - {id: campus, name: Campus, city: San Francisco, geo: [37.4275, -122.1697], open: [["10:00", "17:00"]]}
delegates:
  - {id: minister, name: Minister}
  - {id: company, name: Company, size: 3}
  - {id: press, name: Press, size: 4}
activities:
  - {id: briefing, title: Briefing, venue: hotel, duration: 1h, attendees: [minister, company]}
  - {id: visit, title: Campus visit, kind: visit, venue: campus, duration: 90m, attendees: [minister],
     optional_attendees: [press], after: [{id: briefing, gap: 15m}]}
  - {id: meeting, title: Company meeting, venue: hotel, duration: 1h, attendees: [company], priority: 20}
rules:
  - min_gap: {who: minister, gap: 15m}
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("tiny") / "mission.yaml"
    path.write_text(TINY, encoding="utf-8")
    return load_mission(path)


@pytest.fixture(scope="module")
def small(example_small_path: Path):
    return load_mission(example_small_path)


def test_greedy_places_the_tiny_mission_validly(tiny) -> None:
    schedule = greedy_schedule(tiny)
    assert check_schedule(tiny, schedule) == []
    assert {a.id for a in schedule.activities} == set(tiny.activities)
    visit = schedule.by_id()["visit"]
    assert "press" in visit.attendees, "an optional attendee who is free is added"


def test_greedy_only_ever_leaves_activities_out(small) -> None:
    """First fit may fail to place an activity, never place one against a rule."""
    schedule = greedy_schedule(small)
    violations = check_schedule(small, schedule)
    assert {v.rule for v in violations} <= {"required"}
    left_out = {u.id for u in schedule.unscheduled}
    assert left_out.isdisjoint(a.id for a in schedule.activities)
    assert left_out | {a.id for a in schedule.activities} == set(small.activities)


def test_pyjobshop_translation_solves_the_tiny_mission_validly(tiny) -> None:
    from peers.jobshop import solve_jobshop

    run = solve_jobshop(tiny, time_limit=10)
    assert run.status in ("optimal", "feasible")
    assert check_schedule(tiny, run.schedule) == []
    assert measure(tiny, run.schedule).optional_attendance == 4


def test_pyjobshop_breaks_only_what_it_cannot_express(small) -> None:
    from peers.jobshop import solve_jobshop

    run = solve_jobshop(small, time_limit=10)
    assert run.status in ("optimal", "feasible")
    broken = {v.rule for v in check_schedule(small, run.schedule)}
    # lunch and max_per_day are not expressed; travel is approximate for activities with several venues.
    assert broken <= {"lunch", "max_per_day", "travel", "min_gap", "capacity"}


def test_conference_translation_solves_the_tiny_mission(tiny) -> None:
    from peers.conference import solve_conference

    run = solve_conference(tiny, time_limit=10)
    assert run.status == "feasible"
    broken = {v.rule for v in check_schedule(tiny, run.schedule)}
    assert broken <= {"after", "travel", "min_gap"}
    assert measure(tiny, run.schedule).optional_attendance == 0, "conference-scheduler has no optional attendees"


def test_conference_breaks_only_what_it_cannot_express(small) -> None:
    from peers.conference import solve_conference

    run = solve_conference(small, time_limit=10)
    broken = {v.rule for v in check_schedule(small, run.schedule)}
    assert broken <= {"after", "travel", "min_gap", "lunch", "max_per_day", "required", "status"}


def test_objectives_yardstick_agrees_with_planner(small) -> None:
    from planner.solver.model import travel_of_schedule

    valid = read_schedule(Path(__file__).parent / "schedules" / "example-small-valid.json")
    measures = measure(small, valid)
    assert measures.violations == 0
    assert measures.travel_minutes == travel_of_schedule(small, valid)
    assert measures.optional_offered == sum(small.delegates[d].size for a in small.activities.values()
                                            for d in a.optional_attendees)


def test_the_file_creation_probe_measures_and_leaves_nothing_behind(tmp_path: Path) -> None:
    import measure as benchmark_measure

    microseconds = benchmark_measure.file_creation_microseconds(tmp_path, files=50)
    assert microseconds > 0
    assert list(tmp_path.iterdir()) == []


def test_the_whole_command_line_says_the_ram_disk_run_only_when_there_was_one() -> None:
    from run import command_lines

    figures = {"seconds": 4.5, "solve_seconds": 1.7, "system_seconds": 0.9, "file_create_us": 12.5,
               "again_seconds": 3.9}
    text = command_lines(figures)
    assert "4.5" in text and "12.5 µs" in text and "RAM disk" not in text
    assert "RAM disk (/dev/shm) instead: 4.1" in command_lines({**figures, "memory_seconds": 4.1,
                                                                 "memory_solve_seconds": 1.6})


def test_the_runs_in_turn_are_counted_against_their_own_targets() -> None:
    from run import WITHOUT_B2B, runs_lines

    runs = [{"place": "disk", "seconds": 5.0, "solve_seconds": 2.1},   # target 5.2: met
            {"place": "RAM disk", "seconds": 4.0, "solve_seconds": 1.4},  # target 3.8: missed
            {"place": "disk", "seconds": 5.4, "solve_seconds": 2.0},   # target 5.0: missed
            {"place": "RAM disk", "seconds": 4.5, "solve_seconds": 1.9},  # target 4.8: met
            {"place": "disk", "failure": "crash", "seconds": 0.4}]
    text = runs_lines(runs)
    assert "disk: 5.00 s against 5.20, 5.40 s against 5.00; target met in 1 of 2, median margin -0.10 s" in text
    assert "RAM disk: 4.00 s against 3.80, 4.50 s against 4.80; target met in 1 of 2, median margin +0.05 s" in text
    assert runs_lines([]) == ""
    matched = [{**run, "meetings_seconds": 0.5} for run in runs[:4]]
    assert ("disk: 5.00 s against 5.20, 5.40 s against 5.00; target met in 1 of 2, median margin -0.10 s "
            "(counting the B2B matchmaking as solving: met in 2 of 2, median margin +0.90 s)") in runs_lines(matched)
    variant = [{**run, "place": WITHOUT_B2B, "meetings_seconds": 0.01} for run in runs[:2]]
    assert "counting the B2B matchmaking" not in runs_lines(variant)  # it has none to match
    assert f"{WITHOUT_B2B}: 5.00 s against 5.20, 4.00 s against 3.80; target met in 1 of 2" in runs_lines(variant)


def test_the_flagship_without_its_b2b_requests_keeps_its_programme(tmp_path: Path) -> None:
    from run import without_b2b_requests

    variant = without_b2b_requests(FLAGSHIP, tmp_path)
    assert variant is not None and variant.parent == tmp_path
    whole, reduced = load_mission(FLAGSHIP), load_mission(variant)
    assert whole.meeting_requests and not reduced.meeting_requests and not reduced.counterparts
    def unplaced(entries: object) -> str:  # where each entry was written differs (the copy is another file)
        return re.sub(r"Source\([^)]*\)", "Source()", repr(entries))

    assert "Source()" in unplaced(whole.activities)
    for part in ("activities", "delegates", "groups", "rules", "lodging", "venues", "legs"):
        assert unplaced(getattr(reduced, part)) == unplaced(getattr(whole, part)), part
    assert without_b2b_requests(variant, tmp_path / "again") is None  # nothing left to take out


def test_runs_in_turn_alternate_the_places_each_in_a_new_folder(tmp_path: Path) -> None:
    import json
    import sys

    from run import timed_runs

    script = ("import json, pathlib, sys; out = pathlib.Path(sys.argv[1]); out.mkdir(); "
              "assert not any(out.parent.glob('*.seen')); (out.parent / 'x.seen').touch(); "
              "(out / 'schedule.json').write_text(json.dumps({'solve_seconds': 1.5}))")
    places = {"disk": tmp_path / "a", "RAM disk": tmp_path / "b"}
    for folder in places.values():
        folder.mkdir()
    commands = {place: (lambda folder: [sys.executable, "-c", script, str(folder / "out")], parent)
                for place, parent in places.items()}
    runs = timed_runs(commands, 2)
    assert [run["place"] for run in runs] == ["disk", "RAM disk", "disk", "RAM disk"]
    assert all(run["solve_seconds"] == 1.5 and run["seconds"] > 0 for run in runs), json.dumps(runs)
    assert list((tmp_path / "a").iterdir()) == [] and list((tmp_path / "b").iterdir()) == []
