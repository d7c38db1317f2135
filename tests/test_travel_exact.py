"""Travel is required between *consecutive* activities only (spec rule 4): the model must not call a mission
infeasible because two activities with a third between them are closer than the direct travel time, when
the travel table does not obey the triangle inequality (issue 12, finding 2)."""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.check import check_schedule
from planner.cli import app
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.load import load_mission_text
from planner.mission.schedule_file import read_schedule

TRIANGLE = """
mission: {{name: Triangle, timezone: Europe/Brussels, grain: 5m}}
legs: [{{city: Brussels, from: 2025-10-06, to: 2025-10-06}}]
venues:
  - {{id: a, name: A, city: Brussels}}
  - {{id: b, name: B, city: Brussels}}
  - {{id: c, name: C, city: Brussels}}
travel: {{times: [[a, b, {ab}], [b, c, {bc}], [a, c, {ac}]]}}
delegates: [{{id: x, name: X}}]
activities:
{activities}
"""


def triangle(activities: list[tuple[str, str, str, str]], ab: str = "10m", bc: str = "10m", ac: str = "5h") -> str:
    lines = [f'  - {{id: {i}, title: {i.title()}, venue: {v}, duration: {d}, fixed: "2025-10-06 {t}", '
             f"attendees: [x]}}" for i, v, d, t in activities]
    return TRIANGLE.format(ab=ab, bc=bc, ac=ac, activities="\n".join(lines))


def solve(text: str, tmp_path: Path):
    path = tmp_path / "mission.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(path), "--out", str(out), "--quiet", "--time-limit", "10"])
    return result, json.loads((out / "schedule.json").read_text(encoding="utf-8")), out


def test_a_stop_between_makes_the_long_direct_trip_unnecessary(tmp_path: Path) -> None:
    """The issue's mission: a → b → c, 10 min each way; a → c direct would take 5 h."""
    text = triangle([("first", "a", "1h", "09:00"), ("second", "b", "50m", "10:10"), ("third", "c", "50m", "11:10")])
    result, document, out = solve(text, tmp_path)
    assert result.exit_code == 0, result.output
    assert document["status"] == "optimal"
    assert check_schedule(load_mission_text(text, "mission.yaml"), read_schedule(out / "schedule.json")) == []


def test_without_the_stop_the_direct_trip_is_needed(tmp_path: Path) -> None:
    text = triangle([("first", "a", "1h", "09:00"), ("third", "c", "50m", "11:10")])
    result, document, _ = solve(text, tmp_path)
    assert result.exit_code == 1, result.output
    assert document["status"] == "infeasible"
    assert "300 min" in document["conflicts"][0]["message"]


def test_a_free_activity_placed_between_to_save_the_trip(tmp_path: Path) -> None:
    """The middle activity is not fixed: the solver must find that placing it between makes a → c possible."""
    text = triangle([("first", "a", "1h", "09:00"), ("third", "c", "50m", "11:10")])
    text += "  - {id: second, title: Second, venue: b, duration: 50m, attendees: [x]}\n"
    result, document, out = solve(text, tmp_path)
    assert result.exit_code == 0, result.output
    placed = {a["id"]: a["start"] for a in document["activities"]}
    assert placed["second"].startswith("2025-10-06T10:10")
    assert check_schedule(load_mission_text(text, "mission.yaml"), read_schedule(out / "schedule.json")) == []


minutes = st.integers(0, 240)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(ab=minutes, bc=minutes, ac=minutes,
       starts=st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 36), st.integers(1, 12)),
                       min_size=2, max_size=4))
def test_fixed_activities_are_feasible_exactly_when_the_checker_accepts_them(ab, bc, ac, starts) -> None:
    """All fixed and required: the model must be feasible exactly when the placement itself is valid."""
    activities = [(f"act{n}", venue, f"{length * 10}m", f"{8 + start * 10 // 60:02d}:{start * 10 % 60:02d}")
                  for n, (venue, start, length) in enumerate(starts)]
    text = triangle(activities, f"{ab}m", f"{bc}m", f"{ac}m")
    mission = load_mission_text(text, "mission.yaml")
    with tempfile.TemporaryDirectory() as folder:
        _, document, out = solve(text, Path(folder))
        if document["status"] in ("optimal", "feasible"):
            assert check_schedule(mission, read_schedule(out / "schedule.json")) == []
            return
    assert document["status"] == "infeasible", document["status"]
    # Infeasible must be proved: the only candidate schedule (everything fixed) must break a rule.
    only = Schedule(mission=mission.name, status="feasible", activities=[
        ScheduledActivity(a.id, a.title, a.kind, a.venues[0], a.fixed, a.fixed + timedelta(minutes=a.duration),
                          ("x",))
        for a in mission.activities.values()])
    assert check_schedule(mission, only) != [], f"a valid schedule exists but solve said infeasible: {text}"
