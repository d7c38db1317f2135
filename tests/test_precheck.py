"""Checks before solving (issue 7): each one on a variant of the contract's example-small mission, their
pointers into the file, and their soundness (a pre-check conflict means CP-SAT finds no programme either).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, FLAGSHIP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from planner.diagnosis import precheck
from planner.domain import Mission
from planner.domain.schedule import Conflict
from planner.mission.load import load_mission
from planner.solver.model import build_model


def variant(tmp_path: Path, *replacements: tuple[str, str], extra_activities: str = "") -> Mission:
    """example-small with each (old, new) replaced exactly once and activities appended."""
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if extra_activities:
        text = text.replace("\nrules:\n", extra_activities + "\nrules:\n")
    path = tmp_path / "mission.yaml"
    path.write_text(text, encoding="utf-8")
    return load_mission(path)


def only(conflicts: list[Conflict]) -> Conflict:
    assert len(conflicts) == 1, [c.message for c in conflicts]
    return conflicts[0]


def names(conflict: Conflict) -> tuple[set[str], set[str], set[str]]:
    return set(conflict.activities), set(conflict.delegates), set(conflict.rules)


def test_example_small_and_the_flagship_pass_the_pre_checks() -> None:
    assert precheck(load_mission(EXAMPLE_SMALL)) == []
    if FLAGSHIP.exists():
        assert precheck(load_mission(FLAGSHIP)) == []


def test_an_accompany_rule_that_brings_a_minister_into_an_overlap(tmp_path: Path) -> None:
    mission = variant(
        tmp_path,
        ("dates: [2025-10-07], attendees: [astrid, jeholet]}", 'fixed: "2025-10-07 10:30", attendees: [astrid, jeholet]}'),
        extra_activities='\n  - {id: minister-call, title: Call with Brussels, venue: fairmont, duration: 1h,'
                         ' fixed: "2025-10-07 10:00", attendees: [simonet]}')
    conflict = only(precheck(mission))
    assert names(conflict) == ({"minister-call", "visit-stanford"}, {"simonet"}, {"accompany-1"})
    assert conflict.extra["check"] == "overlap"
    assert "Eléonore Simonet must attend 'Call with Brussels' (fixed 2025-10-07 10:00–11:00" in conflict.message
    assert "which overlap" in conflict.message and "rule accompany-1" in conflict.message


def test_exactly_enough_time_for_travel_and_the_protocol_gap_is_no_conflict(tmp_path: Path) -> None:
    """Google → Fairmont 75 min + astrid's 15 min gap: ending 16:30 and starting 18:00 just fits."""
    mission = variant(tmp_path, ("attendees: [astrid, tech], optional_attendees: [press-pool]}",
                                 'fixed: "2025-10-06 14:30", attendees: [astrid, tech], optional_attendees: [press-pool]}'))
    assert precheck(mission) == []
    mission = variant(tmp_path, ("attendees: [astrid, tech], optional_attendees: [press-pool]}",
                                 'fixed: "2025-10-06 14:35", attendees: [astrid, tech], optional_attendees: [press-pool]}'))
    conflicts = precheck(mission)
    # astrid (min_gap-3) and simonet (brought by accompany-1, also in royal-track's min_gap-3) both clash;
    # the Walloon tech companies (no gap rule) still fit with travel alone: 85 min ≥ 75.
    assert {(c.delegates, c.rules) for c in conflicts} == {
        (("astrid",), ("min_gap-3",)), (("simonet",), ("accompany-1", "min_gap-3"))}
    assert all(set(c.activities) == {"visit-google", "opening"} for c in conflicts)
    message = next(c.message for c in conflicts if c.delegates == ("astrid",))
    assert "85 min apart, but Google, Mountain View → Fairmont San Francisco takes 75 min plus the 15 min " \
           "protocol gap (rule min_gap-3" in message


def test_headcount_above_every_candidate_venue_counts_rule_added_companions(tmp_path: Path) -> None:
    """astrid 1 + odoo 3 + csl 2 = 6 fits 6; simonet, brought to the visit by accompany-1, makes 7."""
    mission = variant(tmp_path, ("open: [[\"09:00\", \"17:00\"]], capacity: 40}", "open: [[\"09:00\", \"17:00\"]], capacity: 6}"))
    conflict = only(precheck(mission))
    assert names(conflict) == ({"visit-google"}, {"astrid", "csl", "odoo", "simonet"}, {"accompany-1"})
    assert "needs room for 7 people" in conflict.message and "Google, Mountain View holds 6" in conflict.message
    assert conflict.extra["venues"] == ["google"]


def test_unavailability_of_two_attendees_that_together_cover_every_placement(tmp_path: Path) -> None:
    mission = variant(
        tmp_path,
        ("{id: jeholet, name: Pierre-Yves Jeholet, role: minister, delegation: wallonia}",
         '{id: jeholet, name: Pierre-Yves Jeholet, role: minister, delegation: wallonia,'
         ' unavailable: [["2025-10-07 08:00", "2025-10-07 12:00"]]}'),
        ("{id: astrid, name: HRH Princess Astrid, role: royal}",
         '{id: astrid, name: HRH Princess Astrid, role: royal, unavailable: [["2025-10-07 11:00", "2025-10-07 21:00"]]}'))
    conflict = only(precheck(mission))
    assert names(conflict) == ({"visit-stanford"}, {"astrid", "jeholet"}, set())
    assert "2025-10-07 08:00–12:00" in conflict.message and "2025-10-07 11:00–21:00" in conflict.message
    assert "which leaves no room for it" in conflict.message
    assert conflict.message.endswith("to hold it without them, take them out of its `attendees`, or out of the "
                                     "group that lists them there")


def test_more_required_hours_on_a_certain_day_than_the_day_holds(tmp_path: Path) -> None:
    """Briefing 1 h + opening 2 h + an 11-hour seminar on 6 October: 14 h, and 08:00–21:00 holds 13."""
    mission = variant(tmp_path, extra_activities='\n  - {id: long-seminar, title: Long seminar, venue: fairmont,'
                                                 ' duration: 11h, dates: [2025-10-06], attendees: [jeholet]}')
    conflict = only(precheck(mission))
    assert names(conflict) == ({"wallonia-briefing", "opening", "long-seminar"}, {"jeholet"}, set())
    assert conflict.extra["check"] == "daily-hours"
    assert "14 h in all" in conflict.message and "13 h" in conflict.message


def test_an_after_gap_that_pushes_the_demonstration_past_closing_time(tmp_path: Path) -> None:
    """Signing at 08:00 at the earliest, 45 min, + 6 h → 14:45; the LAPD centre closes at 15:00."""
    assert precheck(variant(tmp_path, ("{id: sign-lasea-usc, gap: 30m}", "{id: sign-lasea-usc, gap: 5h}"))) == []
    conflict = only(precheck(variant(tmp_path, ("{id: sign-lasea-usc, gap: 30m}", "{id: sign-lasea-usc, gap: 6h}"))))
    assert names(conflict) == ({"sign-lasea-usc", "demo-fn-lapd"}, set(), set())
    assert "+ 6 h" in conflict.message


def test_dates_on_the_leg_of_another_city(tmp_path: Path) -> None:
    conflict = only(precheck(variant(tmp_path, ("dates: [2025-10-07], attendees: [astrid, jeholet]}",
                                                "dates: [2025-10-09], attendees: [astrid, jeholet]}"))))
    assert names(conflict) == ({"visit-stanford"}, set(), set())
    assert "2025-10-09 lies outside the San Francisco leg of Stanford University" in conflict.message


def test_optional_activities_never_make_a_mission_infeasible(tmp_path: Path) -> None:
    mission = variant(
        tmp_path,
        ("attendees: [csl], optional_attendees: [astrid], priority: 50}",
         'windows: [["2025-10-06 08:00", "2025-10-06 09:30"]], attendees: [csl], optional_attendees: [astrid],'
         ' priority: 50, after: [b2b-odoo]}'),
        ("attendees: [odoo], after: [wallonia-briefing]}", "attendees: [odoo], after: [wallonia-briefing, visit-nasa]}"))
    assert precheck(mission) == []


def test_an_after_cycle_among_required_activities(tmp_path: Path) -> None:
    conflict = only(precheck(variant(
        tmp_path, ("windows: [[\"2025-10-06 08:00\", \"2025-10-06 10:00\"]], attendees: [jeholet, odoo, lasea]}",
                   "windows: [[\"2025-10-06 08:00\", \"2025-10-06 10:00\"]], attendees: [jeholet, odoo, lasea],"
                   " after: [b2b-odoo]}"))))
    assert names(conflict) == ({"wallonia-briefing", "b2b-odoo"}, set(), set())
    assert conflict.message.startswith("the after statements run in a circle")


def test_every_source_points_at_the_line_of_a_statement_involved(tmp_path: Path) -> None:
    mission = variant(tmp_path, ("open: [[\"09:00\", \"17:00\"]], capacity: 40}", "open: [[\"09:00\", \"17:00\"]], capacity: 6}"))
    conflict = only(precheck(mission))
    lines = (tmp_path / "mission.yaml").read_text(encoding="utf-8").splitlines()
    pointed = []
    for source in conflict.extra["sources"]:
        file, line, column = source.rsplit(":", 2)
        assert file == str(tmp_path / "mission.yaml") and int(column) >= 1
        pointed.append(lines[int(line) - 1])
    assert any("id: visit-google" in line for line in pointed)
    assert any("id: google" in line and "capacity: 6" in line for line in pointed)
    assert any("accompany:" in line for line in pointed)
    assert all(source in conflict.message for source in conflict.extra["sources"])


# --- soundness -------------------------------------------------------------------------------------------


def model_status(mission: Mission) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    return solver.Solve(build_model(mission).model)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    opening_start=st.integers(min_value=8 * 12, max_value=19 * 12),
    google_capacity=st.integers(min_value=5, max_value=9),
    briefing_window=st.tuples(st.integers(min_value=8 * 12, max_value=12 * 12), st.integers(min_value=6, max_value=30)),
    stanford_duration=st.sampled_from([60, 90, 240, 480, 600]),
    gap=st.sampled_from([0, 30, 240, 420]),
)
def test_a_pre_check_conflict_means_the_model_is_infeasible_too(opening_start: int, google_capacity: int,
                                                                 briefing_window: tuple[int, int],
                                                                 stanford_duration: int, gap: int) -> None:
    """Soundness: the pre-checks never call a mission infeasible that CP-SAT could plan."""

    def clock(fives: int) -> str:
        return f"{fives * 5 // 60:02d}:{fives * 5 % 60:02d}"

    low, length = briefing_window
    replacements = [
        ('fixed: "2025-10-06 18:00"', f'fixed: "2025-10-06 {clock(opening_start)}"'),
        ("capacity: 40}", f"capacity: {google_capacity}}}"),
        ('windows: [["2025-10-06 08:00", "2025-10-06 10:00"]]',
         f'windows: [["2025-10-06 {clock(low)}", "2025-10-06 {clock(low + length)}"]]'),
        ("kind: visit, venue: stanford, duration: 90m", f"kind: visit, venue: stanford, duration: {stanford_duration}m"),
        ("{id: sign-lasea-usc, gap: 30m}", f"{{id: sign-lasea-usc, gap: {gap}m}}"),
    ]
    with tempfile.TemporaryDirectory() as directory:
        mission = variant(Path(directory), *replacements)
        conflicts = precheck(mission)
        if conflicts:
            assert model_status(mission) == cp_model.INFEASIBLE, [c.message for c in conflicts]


@pytest.mark.parametrize("name", ["fixed-overlap", "travel", "min-gap", "capacity", "unavailability",
                                  "after-cycle", "after-chain", "windows-too-short", "venue-hours", "wrong-leg"])
def test_the_catalogues_pre_check_cases_are_infeasible_for_the_model_too(name: str) -> None:
    mission = load_mission(Path(__file__).parent / "infeasible" / f"{name}.yaml")
    assert precheck(mission)
    assert model_status(mission) == cp_model.INFEASIBLE


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10_000), activities=st.integers(min_value=5, max_value=120))
def test_missions_with_a_planted_valid_schedule_pass_the_pre_checks(seed: int, activities: int) -> None:
    """Soundness on generated missions: a valid schedule exists (it was planted), so nothing is reported."""
    from planner.testing.generate import generate_mission

    mission, _ = generate_mission(activities=activities, delegates=max(3, activities // 2), seed=seed)
    assert precheck(mission) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    opening=st.integers(min_value=8 * 12, max_value=19 * 12),
    google=st.integers(min_value=9 * 12, max_value=16 * 12),
    stanford=st.tuples(st.sampled_from([6, 7]), st.integers(min_value=8 * 12 + 6, max_value=16 * 12)),
    gap=st.sampled_from([0, 15, 45, 90]),
)
def test_fixed_clashes_and_travel_are_only_reported_when_the_model_agrees(opening: int, google: int,
                                                                          stanford: tuple[int, int],
                                                                          gap: int) -> None:
    """Soundness of the overlap and travel checks: three activities of astrid's fixed at random."""

    def clock(fives: int) -> str:
        return f"{fives * 5 // 60:02d}:{fives * 5 % 60:02d}"

    replacements = [
        ('fixed: "2025-10-06 18:00"', f'fixed: "2025-10-06 {clock(opening)}"'),
        ("attendees: [astrid, tech], optional_attendees: [press-pool]}",
         f'fixed: "2025-10-06 {clock(google)}", attendees: [astrid, tech], optional_attendees: [press-pool]}}'),
        ("dates: [2025-10-07], attendees: [astrid, jeholet]}",
         f'fixed: "2025-10-0{stanford[0]} {clock(stanford[1])}", attendees: [astrid, jeholet]}}'),
        ("min_gap: {who: royal-track, gap: 15m}", f"min_gap: {{who: royal-track, gap: {gap}m}}"),
    ]
    with tempfile.TemporaryDirectory() as directory:
        mission = variant(Path(directory), *replacements)
        conflicts = precheck(mission)
        if conflicts:
            assert model_status(mission) == cp_model.INFEASIBLE, [c.message for c in conflicts]
