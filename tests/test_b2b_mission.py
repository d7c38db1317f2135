"""B2B in mission files: the format additions, their input errors (file:line:column), the pipeline that
schedules meetings in the sessions the programme placed, schedule.json, and `planner check`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.check import check_schedule
from planner.cli import app
from planner.domain.errors import InputErrors
from planner.mission.load import load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.pipeline import PlanOptions, plan
from planner.solver.solve import SolveOptions

MISSION = """\
mission: {name: B2B test, timezone: America/Los_Angeles}
legs: [{city: SF, from: 2025-10-07, to: 2025-10-08}]
venues: [{id: hall, name: Hall, city: SF}]
delegates:
  - {id: odoo, name: Odoo}
  - {id: lasea, name: LASEA}
  - {id: kikk, name: KIKK}
groups: [{id: all, members: [odoo, lasea, kikk]}]
counterparts:
  - {id: acme-ai, name: Acme AI Inc., sessions: [b2b], unavailable: [["2025-10-07 08:00", "2025-10-07 10:00"]]}
  - {id: usc, name: USC}
  - {id: larta, name: Larta Institute}
activities:
  - {id: b2b, title: B2B digital, venue: hall, duration: 2h, dates: [2025-10-07], attendees: [all],
     meetings: {slot: 20m, tables: 2}}
  - {id: visit, title: Visit, venue: hall, duration: 1h, dates: [2025-10-07], attendees: [odoo]}
meetings:
  - {with: [odoo, acme-ai]}
  - {with: [lasea, acme-ai], priority: 5}
  - {with: [kikk, acme-ai]}
  - {with: [lasea, usc, larta], priority: required}
  - {with: [kikk, larta]}
  - {with: [odoo, usc], sessions: [b2b]}
"""
OPTIONS = PlanOptions(SolveOptions(time_limit=10, progress=False), meetings_time_limit=10)


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputErrors) as raised:
        load_mission_text(text, "m.yaml")
    return [f"{error.source}: {error.message}" for error in raised.value.errors]


def test_the_additions_load():
    mission = load_mission_text(MISSION)
    assert list(mission.counterparts) == ["acme-ai", "usc", "larta"]
    assert mission.counterparts["acme-ai"].sessions == ("b2b",)
    assert mission.counterparts["usc"].sessions is None
    assert mission.activities["b2b"].meetings is not None and mission.activities["b2b"].meetings.slot == 20
    assert mission.activities["visit"].meetings is None
    third = mission.meeting_requests[3]
    assert (third.id, third.participants, third.priority) == ("meeting-4", ("larta", "lasea", "usc"), None)
    assert mission.meeting_requests[0].priority == 1


@pytest.mark.parametrize(("change", "expected"), [
    (("- {id: usc, name: USC}", "- {id: odoo, name: USC}"),
     "m.yaml:11:5: the counterpart id `odoo` is already used on line 5; delegates, groups and counterparts share "
     "one set of ids: rename one, e.g. `odoo-2`"),
    (("[odoo, acme-ai]}", "[odoo, acme-aj]}"),
     "m.yaml:18:19: unknown delegate, group or counterpart `acme-aj`; did you mean `acme-ai`?"),
    (("{with: [kikk, larta]}", "{with: [kikk]}"),
     "m.yaml:22:12: meeting request 5 names 1 person; a meeting needs two or more: write e.g. "
     "`with: [<delegate>, <counterpart>]`"),
    (("sessions: [b2b]}", "sessions: [visit]}"),
     "m.yaml:23:36: activity `visit` is not a B2B session: give it `meetings: {slot: 20m, tables: 10}`, or leave "
     "it out of `sessions`"),
    (("slot: 20m", "slot: 25m"),
     "m.yaml:15:23: activity `b2b`: a slot of 25m does not divide its duration of 2h (slots run back to back "
     "from its start to its end); write e.g. `slot: 24m`, or change `duration`"),
    (("tables: 2}", "tables: 0}"), "m.yaml:15:36: activity `b2b`, `tables`: 0 is below 1"),
    (("tables: 2}", "tables: 2, rooms: 3}"), "m.yaml:15:39: activity `b2b`: unknown key `rooms`"),
    (("sessions: [b2b], unavailable", "sessions: [b2d], unavailable"),
     "m.yaml:10:50: unknown session `b2d`; did you mean `b2b`?"),
])
def test_errors_name_file_line_column_and_what_to_write(change, expected):
    found = errors_of(MISSION.replace(*change))
    assert any(message.startswith(expected) for message in found), found
    assert not any("is not a B2B session" in message for message in found if "visit" not in message), found


def test_a_company_written_for_its_delegates_id_is_answered_with_that_id():
    # planner import names a registered person by their name; the organiser writes the company they know.
    text = (MISSION.replace("- {id: kikk, name: KIKK}", "- {id: gilles, name: Gilles Bazelaire, organisation: KIKK "
                                                        "Festival}")
            .replace("members: [odoo, lasea, kikk]", "members: [odoo, lasea, gilles]")
            .replace("{with: [kikk, acme-ai]}", "{with: [gilles, acme-ai]}")
            .replace("attendees: [odoo]}", "attendees: [kikk-festival, bazelaire]}"))
    assert errors_of(text) == [
        "m.yaml:16:91: unknown delegate or group `kikk-festival`; KIKK Festival is the organisation of `gilles`: "
        "write `gilles`",
        "m.yaml:16:106: unknown delegate or group `bazelaire`; Gilles Bazelaire is `gilles`: write `gilles`",
        "m.yaml:22:13: unknown delegate, group or counterpart `kikk`; KIKK Festival is the organisation of "
        "`gilles`: write `gilles`",
    ]


def test_validate_summarises_the_sessions_counterparts_and_requests(tmp_path):
    # The summary said nothing of B2B: a session no counterpart comes to showed only after the solve.
    mission_file = tmp_path / "b2b.yaml"
    mission_file.write_text(MISSION.replace("- {id: usc, name: USC}", "- {id: usc, name: USC, sessions: []}"),
                            encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(mission_file)], terminal_width=100)
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.replace("│", " ").split()) for line in result.output.splitlines()]
    assert "counterparts 3" in lines and "meeting requests 6 (1 required)" in lines
    assert "B2B sessions" in lines and "b2b 20m 6 × 2 3 2" in lines  # usc comes to no session


def test_requests_without_any_session_are_an_error():
    text = MISSION.replace("     meetings: {slot: 20m, tables: 2}}", "     }").replace("sessions: [b2b], ", "")
    text = text.replace(", sessions: [b2b]}", "}")
    assert any("no activity is a B2B session" in message for message in errors_of(text))


@pytest.fixture(scope="module")
def planned():
    mission = load_mission_text(MISSION)
    return mission, plan(mission, OPTIONS)


def test_the_pipeline_schedules_meetings_inside_the_placed_session(planned):
    mission, schedule = planned
    session = schedule.by_id()["b2b"]
    assert schedule.meetings is not None and len(schedule.meetings) == 6
    assert all(session.start <= meeting.start and meeting.end <= session.end for meeting in schedule.meetings)
    acme = [meeting for meeting in schedule.meetings if "acme-ai" in meeting.participants]
    assert all(meeting.start.hour >= 10 for meeting in acme)  # unavailable until 10:00
    assert schedule.matching.status in ("optimal", "feasible")
    assert check_schedule(mission, schedule) == []


def test_schedule_json_carries_the_meetings(planned, tmp_path):
    mission, schedule = planned
    path = tmp_path / "schedule.json"
    path.write_text(schedule.dumps(), encoding="utf-8")
    document = json.loads(path.read_text())
    first = document["meetings"][0]
    assert set(first) >= {"session", "table", "start", "end", "with"}
    assert first["with"] == sorted(first["with"]) and first["start"].endswith("-07:00")
    assert document["unscheduled_meetings"] == []
    again = read_schedule(path)
    assert again.meetings == schedule.meetings


def test_planner_check_reports_b2b_violations(planned, tmp_path):
    mission, schedule = planned
    (tmp_path / "m.yaml").write_text(MISSION, encoding="utf-8")
    document = json.loads(schedule.dumps())
    document["meetings"][0]["table"] = 7
    document["meetings"] = document["meetings"][:-1]
    (tmp_path / "schedule.json").write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "m.yaml"), str(tmp_path / "schedule.json")])
    assert result.exit_code != 0
    assert "b2b-table-number" in result.output
    assert "tables 1 to 2" in result.output


def test_a_mission_without_b2b_writes_no_meeting_keys(example_small_path: Path):
    mission = load_mission_text(example_small_path.read_text(encoding="utf-8"))
    schedule = plan(mission, OPTIONS)
    assert schedule.meetings is None and "meetings" not in json.loads(schedule.dumps())


def test_the_programme_is_told_before_its_meetings_are_matched(planned):
    """`planner solve` draws the pictures while the meetings are matched: the programme it hears of first
    is the one that comes back, meetings aside."""
    from planner.isolated import plan_isolated

    mission, _ = planned
    heard: list[Any] = []
    schedule = plan_isolated(mission, OPTIONS, on_programme=heard.append,
                             on_started=lambda: heard.append("started"))
    # Told once that the child has the mission (the command then starts its own work), before anything else.
    assert heard.pop(0) == "started"
    assert len(heard) == 1
    assert heard[0].meetings is None and schedule.meetings
    assert (heard[0].status, heard[0].activities, heard[0].unscheduled) == (
        schedule.status, schedule.activities, schedule.unscheduled)


def _repeated_meeting_warnings(text: str) -> list[str]:
    from planner.mission.lint import mission_warnings

    return [f"{warning.source}: {warning.message}" for warning in mission_warnings(load_mission_text(text, "m.yaml"))]


def test_the_same_people_requested_twice_is_a_warning_naming_both_entries(tmp_path):
    """A pasted line: the matchmaking would honour both, the same people meeting twice, often back to back.
    The group `all` and its members written out are the same people."""
    text = MISSION + "  - {with: [acme-ai, odoo]}\n"
    (warning,) = _repeated_meeting_warnings(text)
    assert warning.startswith("m.yaml:24:5: meeting request `with: [acme-ai, odoo]`")
    assert "at m.yaml:18:5" in warning and "the same people will meet twice" in warning
    assert "if that is meant, nothing to do, else remove one" in warning
    mission_file = tmp_path / "b2b.yaml"
    mission_file.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(mission_file)])
    assert result.exit_code == 0 and "warning" in result.output and "meet twice" in result.output
    group_and_members = MISSION + "  - {with: [all, usc]}\n  - {with: [odoo, lasea, kikk, usc]}\n"
    (warning,) = _repeated_meeting_warnings(group_and_members)
    assert warning.startswith("m.yaml:25:5:") and "at m.yaml:24:5" in warning


def test_requests_kept_apart_by_their_sessions_or_of_other_people_are_not_warned():
    two_sessions = MISSION.replace(
        "  - {id: visit,",
        "  - {id: b2b-2, title: B2B again, venue: hall, duration: 1h, dates: [2025-10-08], attendees: [all],\n"
        "     meetings: {slot: 20m, tables: 2}}\n  - {id: visit,")
    assert _repeated_meeting_warnings(MISSION) == []
    assert _repeated_meeting_warnings(two_sessions + "  - {with: [odoo, usc], sessions: [b2b-2]}\n") == []
    assert len(_repeated_meeting_warnings(two_sessions + "  - {with: [usc, odoo]}\n")) == 1
