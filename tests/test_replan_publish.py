"""A re-plan published to a real CalDAV server (Radicale): only what changed is touched, removed events
are cancelled, and a second publish changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import caldav
import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from replanning import run, without_activity, write
from test_publish_caldav import PASSWORD, USER, radicale, server_contents  # noqa: F401 - the fixture
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.load import load_mission
from planner.views.calendars import calendar_plans, event_uid
from planner.views.publish import collection_id

pytestmark = pytest.mark.caldav


def seen(url: str) -> dict[str, dict[str, tuple[str, str]]]:
    """Collection id → UID → what a delegate reads of the event (description, location)."""
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD, require_tls=False)
    return {str(collection.url).rstrip("/").rsplit("/", 1)[-1]: {
        str(r.icalendar_component["uid"]): (str(r.icalendar_component.get("description", "")),
                                            str(r.icalendar_component.get("location", "")))
        for r in collection.get_events()} for collection in client.get_principal().get_calendars()}


def publish(url: str, mission: Path, schedule: Path) -> str:
    result = CliRunner().invoke(app, ["publish", str(mission), "--schedule", str(schedule), "--caldav", url,
                                      "--user", USER], env={"PLANNER_CALDAV_PASSWORD": PASSWORD, "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_publishing_a_replan_touches_only_what_changed(radicale: str, tmp_path: Path) -> None:  # noqa: F811
    baseline = tmp_path / "baseline" / "schedule.json"
    baseline.parent.mkdir()
    shutil.copy(VALID_SMALL_SCHEDULE, baseline)
    text = without_activity(EXAMPLE_SMALL.read_text(encoding="utf-8"), "demo-fn-lapd").replace(
        "{id: csl, name: Centre Spatial de Liège,",
        "{id: csl, unavailable: [[\"2025-10-07 14:00\", \"2025-10-07 15:00\"]], name: Centre Spatial de Liège,")
    updated = write(tmp_path / "mission.yaml", text)
    result = run("replan", updated, "--baseline", baseline, "--now", "2025-10-07 08:00", "--out", tmp_path / "out",
                 "--quiet", "--time-limit", "20")
    assert result.exit_code == 0, result.output

    publish(radicale, EXAMPLE_SMALL, baseline)
    first, first_seen = server_contents(radicale), seen(radicale)
    summary = publish(radicale, updated, tmp_path / "out" / "schedule.json")
    second, cancelled, second_seen = server_contents(radicale), server_contents(radicale, cancelled=True), seen(radicale)
    mission = load_mission(updated)
    collections = {plan.id: collection_id(mission, plan) for plan in calendar_plans(mission)}
    moved, removed = event_uid(mission, "visit-nasa"), event_uid(mission, "demo-fn-lapd")
    for plan_id, collection in collections.items():
        before = {uid: (start, sequence) for uid, start, sequence in first[collection]}
        after = {uid: (start, sequence) for uid, start, sequence in second[collection]}
        for uid, (start, sequence) in after.items():
            if uid == moved:
                assert start != before[uid][0] and sequence > before[uid][1], plan_id
            elif second_seen[collection][uid] == first_seen[collection][uid]:
                assert (start, sequence) == before[uid], (plan_id, uid)  # untouched
            else:
                # Another journey to it (the activity before it moved or went): the same time, told anew.
                assert start == before[uid][0] and sequence == before[uid][1] + 1, (plan_id, uid)
        gone = {uid for uid, _, _ in cancelled[collection]}
        assert gone == ({removed} if removed in before else set()), plan_id
    assert removed in {uid for uid, _, _ in cancelled[collections["fn-herstal"]]}
    assert moved in {uid for uid, _, _ in second[collections["csl"]]}
    # The summary counts the removed activity as cancelled, not as one more update.
    counts = {cells[0]: cells[1:5] for line in summary.splitlines()
              if len(cells := [cell.strip() for cell in line.strip("│ ").split("│")]) == 5}
    whole = next(plan for plan in calendar_plans(mission) if plan.kind == "mission")
    assert counts[whole.name] == ["0", "1", str(len(first[collections[whole.id]]) - 2), "1"], summary

    output = publish(radicale, updated, tmp_path / "out" / "schedule.json")
    assert server_contents(radicale) == second and server_contents(radicale, cancelled=True) == cancelled
    assert "updated" in output
