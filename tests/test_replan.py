"""`planner replan` (shared/spec/replan.md) on example-small: exit statuses, warnings, pins, calendars."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from icalendar import Calendar
from replanning import load, replan, run, with_key, without_activity, write

from planner.check import check_schedule
from planner.check.frozen import check_replan
from planner.domain.change import disruption
from planner.mission.schedule_file import read_schedule

SMALL = EXAMPLE_SMALL.read_text(encoding="utf-8")


@pytest.fixture()
def baseline(tmp_path: Path) -> Path:
    """example-small's valid schedule, with its calendars beside it (as planner solve leaves them)."""
    folder = tmp_path / "baseline"
    folder.mkdir()
    shutil.copy(VALID_SMALL_SCHEDULE, folder / "schedule.json")
    assert run("calendars", EXAMPLE_SMALL, "--schedule", folder / "schedule.json", "--out",
               folder / "calendars").exit_code == 0
    return folder / "schedule.json"


def replan_command(mission: Path, baseline: Path, out: Path, now: str = "2025-10-07 12:00", *extra: str):
    return run("replan", mission, "--baseline", baseline, "--now", now, "--out", out, "--quiet",
               "--time-limit", "20", *extra)


def test_unchanged_mission_keeps_everything(baseline: Path, tmp_path: Path) -> None:
    result = replan_command(EXAMPLE_SMALL, baseline, tmp_path / "out")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "out" / "schedule.json").read_text(encoding="utf-8"))
    assert document["changes"] == [] and document["disruption"] == 0
    assert document["now"] == "2025-10-07T12:00:00-07:00"
    assert document["baseline"]["path"] == str(baseline.resolve()) and len(document["baseline"]["sha256"]) == 64
    old = json.loads(baseline.read_text(encoding="utf-8"))["activities"]
    assert [(a["id"], a["start"], a["venue"], a["attendees"]) for a in document["activities"]] == \
        [(a["id"], a["start"], a["venue"], a["attendees"]) for a in old]
    assert "no change; disruption 0" in result.output
    assert (tmp_path / "out" / "changes.html").exists()


def test_infeasible_with_the_frozen_part_names_what_was_kept(baseline: Path, tmp_path: Path) -> None:
    """visit-stanford (09:00–10:30 on 7 October) has begun at 09:30; a new call for jeholet at 10:00 cannot
    fit beside it."""
    text = SMALL.replace("activities:\n", "activities:\n  - {id: press-call, title: Press call, venue: stanford, "
                                          "duration: 30m, fixed: \"2025-10-07 10:00\", attendees: [jeholet]}\n", 1)
    mission = write(tmp_path / "mission.yaml", text)
    result = replan_command(mission, baseline, tmp_path / "out", "2025-10-07 09:30")
    assert result.exit_code == 1, result.output
    document = json.loads((tmp_path / "out" / "schedule.json").read_text(encoding="utf-8"))
    assert document["status"] == "infeasible"
    kept = [c for c in document["conflicts"] if "visit-stanford kept from the baseline" in c["message"]]
    assert kept and kept[0]["kept"] == ["visit-stanford"]
    assert "kept from the baseline" in result.output


@pytest.mark.parametrize(("arguments", "expected"), [
    (("--now", "2025-11-20 12:00"), "outside the mission's dates"),
    (("--now", "2025-10-04T23:00:00-07:00"), "outside the mission's dates"),
    (("--now", "tomorrow"), "not a datetime"),
    (("--notice", "two hours"), "not a duration"),
])
def test_bad_now_or_notice_is_an_input_error(baseline: Path, tmp_path: Path, arguments, expected) -> None:
    now = arguments[1] if arguments[0] == "--now" else "2025-10-07 12:00"
    extra = arguments if arguments[0] == "--notice" else ()
    result = replan_command(EXAMPLE_SMALL, baseline, tmp_path / "out", now, *extra)
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists(), "nothing is written on bad input"


def test_a_baseline_of_another_mission_is_an_input_error(tmp_path: Path) -> None:
    other = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    other["mission"] = "Another mission"
    path = write(tmp_path / "other.json", json.dumps(other, indent=1))
    result = replan_command(EXAMPLE_SMALL, path, tmp_path / "out")
    assert result.exit_code == 2
    assert f"{path}:3:" in result.output and "not of 'Small West Coast mission'" in result.output
    malformed = write(tmp_path / "broken.json", "{\"format\": ")
    assert replan_command(EXAMPLE_SMALL, malformed, tmp_path / "out").exit_code == 2
    assert not (tmp_path / "out").exists()


def test_a_baseline_folder_is_told_to_name_its_schedule(baseline: Path, tmp_path: Path) -> None:
    result = replan_command(EXAMPLE_SMALL, baseline.parent, tmp_path / "out")
    assert result.exit_code == 2
    assert f"{baseline.parent}:1:1: this is a folder, not a schedule: give the schedule.json inside it, " \
        f"{baseline}" in result.output.replace("\n", " ")
    assert "Is a directory" not in result.output and not (tmp_path / "out").exists()


def test_a_frozen_activity_whose_venue_left_the_mission_is_an_input_error(tmp_path: Path) -> None:
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    for activity in document["activities"]:
        if activity["id"] == "visit-google":
            activity["venue"] = "googleplex"
    path = write(tmp_path / "baseline.json", json.dumps(document, indent=1))
    result = replan_command(EXAMPLE_SMALL, path, tmp_path / "out")
    assert result.exit_code == 2 and "keep venue 'googleplex'" in result.output


def test_contradictions_with_the_past_are_warnings_and_the_past_stays(baseline: Path, tmp_path: Path) -> None:
    """visit-google (6 October) is removed from the file and Odoo is now unavailable all of 6 October:
    both happened before now, so they stay, with a warning each."""
    text = without_activity(SMALL, "visit-google").replace(
        "{id: odoo, name: Odoo,", "{id: odoo, unavailable: [[\"2025-10-06 00:00\", \"2025-10-06 24:00\"]], name: Odoo,")
    mission_path = write(tmp_path / "mission.yaml", text)
    result = replan_command(mission_path, baseline, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "'visit-google'" in result.output and "no longer in the mission file" in result.output
    assert "Odoo (odoo) is now unavailable during activity 'opening'" in result.output
    new = read_schedule(tmp_path / "out" / "schedule.json")
    old = read_schedule(baseline)
    cutoff = datetime.fromisoformat("2025-10-07T12:00:00-07:00")
    assert check_replan(load(mission_path), old, new, cutoff) == []
    kept = {a.id: a for a in new.activities}
    assert kept["visit-google"] == old.by_id()["visit-google"]


def test_a_pinned_activity_keeps_its_time_or_the_conflict_names_it(baseline: Path, tmp_path: Path) -> None:
    old = read_schedule(baseline)
    nasa = old.by_id()["visit-nasa"]  # 2025-10-07 14:00–15:30, csl required
    pinned = with_key(SMALL, "visit-nasa", "pinned: true")
    mission = load(tmp_path / "pinned.yaml", pinned)
    plan, schedule = replan(mission, old, "2025-10-07T08:00:00-07:00")
    assert schedule.has_programme and schedule.by_id()["visit-nasa"].start == nasa.start
    assert check_replan(mission, old, schedule, plan.cutoff) == []
    # csl now unavailable at that time: without the pin it would move; with it no programme exists.
    busy = pinned.replace("{id: csl, name: Centre Spatial de Liège,",
                          "{id: csl, unavailable: [[\"2025-10-07 14:00\", \"2025-10-07 15:00\"]], "
                          "name: Centre Spatial de Liège,")
    _, moved = replan(load(tmp_path / "busy.yaml", busy.replace(" pinned: true,", "")), old,
                      "2025-10-07T08:00:00-07:00")
    assert moved.has_programme and moved.by_id()["visit-nasa"].start != nasa.start
    mission_path = write(tmp_path / "busy.yaml", busy)
    result = replan_command(mission_path, baseline, tmp_path / "out", "2025-10-07 08:00")
    assert result.exit_code == 1, result.output
    document = json.loads((tmp_path / "out" / "schedule.json").read_text(encoding="utf-8"))
    assert any("visit-nasa pinned at its baseline time" in c["message"] for c in document["conflicts"])


def test_calendars_keep_uids_raise_sequences_and_cancel(baseline: Path, tmp_path: Path) -> None:
    """demo-fn-lapd (9 October) removed: fn-herstal's calendar keeps it as CANCELLED; an event that moved
    keeps its UID with a higher SEQUENCE; an unchanged one keeps its SEQUENCE."""
    text = without_activity(SMALL, "demo-fn-lapd").replace(
        "{id: csl, name: Centre Spatial de Liège,",
        "{id: csl, unavailable: [[\"2025-10-07 14:00\", \"2025-10-07 15:00\"]], name: Centre Spatial de Liège,")
    mission_path = write(tmp_path / "mission.yaml", text)
    result = replan_command(mission_path, baseline, tmp_path / "out", "2025-10-07 08:00")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "out" / "schedule.json").read_text(encoding="utf-8"))
    changes = {c["activity"]: c["change"] for c in document["changes"]}
    assert changes["demo-fn-lapd"] == "removed" and changes["visit-nasa"] == "moved"
    sizes = {d.id: d.size for d in load(mission_path).delegates.values()}
    assert document["disruption"] == disruption(read_schedule(baseline),
                                                read_schedule(tmp_path / "out" / "schedule.json"), sizes)

    def events(path: Path) -> dict[str, tuple[int, str, datetime]]:
        calendar = Calendar.from_ical(path.read_bytes())
        return {str(e["uid"]).split("@")[0]: (int(e["sequence"]), str(e["status"]), e.decoded("dtstart"))
                for e in calendar.walk("VEVENT")}

    before = events(baseline.parent / "calendars" / "delegates" / "csl.ics")
    after = events(tmp_path / "out" / "calendars" / "delegates" / "csl.ics")
    assert after["visit-nasa"][0] > before["visit-nasa"][0] and after["visit-nasa"][2] != before["visit-nasa"][2]
    assert after["opening"] == before["opening"]
    herstal = events(tmp_path / "out" / "calendars" / "delegates" / "fn-herstal.ics")
    assert herstal["demo-fn-lapd"][1] == "CANCELLED" and herstal["demo-fn-lapd"][0] == 1
    mission_calendar = events(tmp_path / "out" / "calendars" / "mission.ics")
    assert mission_calendar["demo-fn-lapd"][1] == "CANCELLED"
    assert "demo-fn-lapd" not in events(tmp_path / "out" / "calendars" / "delegates" / "odoo.ics")
    html = (tmp_path / "out" / "changes.html").read_text(encoding="utf-8")
    assert 'data-change="cancelled"' in html and 'data-change="moved"' in html


def test_the_replan_passes_the_checker_of_the_updated_mission(baseline: Path, tmp_path: Path) -> None:
    mission = load(tmp_path / "m.yaml", SMALL.replace(
        "{id: jeholet, name: Pierre-Yves Jeholet,",
        "{id: jeholet, unavailable: [[\"2025-10-09 09:00\", \"2025-10-09 11:00\"]], name: Pierre-Yves Jeholet,"))
    old = read_schedule(baseline)
    plan, schedule = replan(mission, old, "2025-10-07T12:00:00-07:00", notice=120)
    assert schedule.has_programme and plan.warnings == []
    assert check_schedule(mission, schedule) == []
    assert check_replan(mission, old, schedule, plan.cutoff) == []
    assert schedule.extra["disruption"] == disruption(old, schedule, {d.id: d.size for d in mission.delegates.values()})
    assert schedule.extra["disruption"] > 0


def test_the_checker_sees_a_broken_frozen_past(baseline: Path) -> None:
    """Independent of the model: a frozen activity moved, one missing, a new one in the frozen period."""
    from dataclasses import replace
    from datetime import timedelta

    old = read_schedule(baseline)
    cutoff = datetime.fromisoformat("2025-10-07T12:00:00-07:00")
    hour = timedelta(hours=1)
    spoilt = replace(old, activities=[
        replace(a, start=a.start + hour, end=a.end + hour, attendees=a.attendees[1:]) if a.id == "visit-stanford"
        else replace(a, start=a.start - timedelta(days=1), end=a.end - timedelta(days=1)) if a.id == "visit-nasa"
        else a for a in old.activities if a.id != "visit-google"])
    violations = check_replan(load(EXAMPLE_SMALL), old, spoilt, cutoff)
    assert sorted((v.code, v.activities) for v in violations) == [
        ("frozen-changed", ("visit-stanford",)), ("frozen-missing", ("visit-google",)),
        ("frozen-period", ("visit-nasa",))]
    moved = next(v for v in violations if v.code == "frozen-changed")
    assert "09:00–10:30 on 2025-10-07 → 10:00–11:30 on 2025-10-07" in moved.message and "astrid left" in moved.message
    assert check_replan(load(EXAMPLE_SMALL), old, old, cutoff) == []


def test_without_the_baseline_calendars_sequences_follow_the_baseline_itself(tmp_path: Path) -> None:
    """No calendars beside the baseline: its events are built again (SEQUENCE 0, as solve writes them)."""
    bare = tmp_path / "bare" / "schedule.json"
    bare.parent.mkdir()
    shutil.copy(VALID_SMALL_SCHEDULE, bare)
    text = without_activity(SMALL, "demo-fn-lapd").replace(
        "{id: csl, name: Centre Spatial de Liège,",
        "{id: csl, unavailable: [[\"2025-10-07 14:00\", \"2025-10-07 15:00\"]], name: Centre Spatial de Liège,")
    result = replan_command(write(tmp_path / "mission.yaml", text), bare, tmp_path / "out", "2025-10-07 08:00")
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical((tmp_path / "out" / "calendars" / "delegates" / "csl.ics").read_bytes())
    sequences = {str(e["uid"]).split("@")[0]: int(e["sequence"]) for e in calendar.walk("VEVENT")}
    assert sequences["visit-nasa"] == 1 and sequences["opening"] == 0


def test_planner_check_with_the_baseline_checks_the_frozen_past(baseline: Path, tmp_path: Path) -> None:
    result = replan_command(EXAMPLE_SMALL, baseline, tmp_path / "out")
    assert result.exit_code == 0, result.output
    replanned = tmp_path / "out" / "schedule.json"
    assert run("check", EXAMPLE_SMALL, replanned, "--baseline", baseline).exit_code == 0
    document = json.loads(replanned.read_text(encoding="utf-8"))
    for activity in document["activities"]:
        if activity["id"] == "visit-google":  # 6 October: frozen at noon on the 7th
            activity["attendees"] = [a for a in activity["attendees"] if a != "csl"]
    spoilt = write(tmp_path / "spoilt.json", json.dumps(document))
    result = run("check", EXAMPLE_SMALL, spoilt, "--baseline", baseline)
    assert result.exit_code == 1 and "started before now + notice and changed" in result.output
    assert run("check", EXAMPLE_SMALL, spoilt, "--baseline", baseline, "--now", "2025-10-06 08:00").exit_code == 1


def test_planner_check_with_the_baseline_reads_the_rules_as_the_replan_did(baseline: Path, tmp_path: Path) -> None:
    """visit-google (6 October, frozen at noon on the 7th) is moved to Stanford in the file: the re-plan
    keeps it at Google, with a warning, and `planner check --baseline` agrees that the re-plan is valid (the
    frozen activity at its baseline venue), as the re-plan's own check did."""
    text = SMALL.replace("{id: visit-google, title: Visit to Google, kind: visit, venue: google,",
                         "{id: visit-google, title: Visit to Google, kind: visit, venue: stanford,")
    mission_path = write(tmp_path / "mission.yaml", text)
    result = replan_command(mission_path, baseline, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert ("activity 'Visit to Google' (visit-google, Mon 06 Oct 10:30, kept from the baseline): it took "
            "place at 'Google, Mountain View' (google), no longer among its venues; it stays there") in \
        " ".join(result.output.split())
    # Within the notice, not yet begun: announced there, not "took place".
    announced = replan_command(mission_path, baseline, tmp_path / "announced", "2025-10-06 09:00", "--notice",
                               "2h")
    assert announced.exit_code == 0, announced.output
    assert "it was announced at 'Google, Mountain View' (google)" in " ".join(announced.output.split())
    replanned = tmp_path / "out" / "schedule.json"
    assert read_schedule(replanned).by_id()["visit-google"].venue == "google"
    # The change report the organiser shares says so too, not only the terminal.
    page = (tmp_path / "out" / "changes.html").read_text(encoding="utf-8")
    assert "Changes in the mission file kept out of the re-plan" in page
    assert "it took place at &#39;Google, Mountain View&#39; (google)" in page
    checked = run("check", mission_path, replanned, "--baseline", baseline)
    assert checked.exit_code == 0, checked.output
    assert "it stays there" in checked.output  # the same warning as the re-plan's
    # Without the baseline the file's rules alone apply: Google is no venue of visit-google any more.
    assert run("check", mission_path, replanned).exit_code == 1


def test_an_unwritable_out_is_refused_before_solving(baseline: Path, tmp_path: Path) -> None:
    """--out names a file: said at once (exit 2, naming the option), before any solve, nothing written."""
    target = tmp_path / "taken"
    target.write_text("not a folder", encoding="utf-8")
    result = replan_command(EXAMPLE_SMALL, baseline, target)
    assert result.exit_code == 2, result.output
    assert "--out" in result.output and "is a file, not a folder" in result.output
    assert "disruption" not in result.output  # no summary: nothing was solved
    assert target.read_text(encoding="utf-8") == "not a folder"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["baseline", "taken"]


@pytest.mark.parametrize("out", [".", ".."], ids=["the baseline's folder", "a folder above it"])
def test_an_out_that_holds_the_baseline_is_refused(baseline: Path, tmp_path: Path, out: str) -> None:
    """Re-planning into the folder of the baseline would replace the programme delegates hold (and the
    calendars its SEQUENCEs continue from): refused at once, naming a folder of its own; nothing changes."""
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    result = replan_command(EXAMPLE_SMALL, baseline, baseline.parent / out)
    assert result.exit_code == 2, result.output
    assert "--out" in result.output and "holds the baseline" in result.output and "replan-1" in result.output
    assert "disruption" not in result.output
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_the_change_report_is_swapped_in_with_the_rest(baseline: Path, tmp_path: Path) -> None:
    """Re-planning into its own previous output: changes.html is in the folder swapped in, not added after."""
    out = tmp_path / "out"
    assert replan_command(EXAMPLE_SMALL, baseline, out).exit_code == 0
    first = (out / "changes.html").stat().st_ino
    mission = write(tmp_path / "mission.yaml", SMALL)
    assert replan_command(mission, baseline, out).exit_code == 0
    assert (out / "changes.html").exists() and (out / "schedule.json").exists()
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.startswith(".planner-staging-")] == []
    # Same bytes as before, so the batch hard-linked it from the previous folder into the new one.
    assert (out / "changes.html").stat().st_ino == first


def _renamed_warnings(text: str, now: str = "2025-10-07T12:00:00-07:00") -> list[str]:
    from planner.domain import Source
    from planner.domain.replan import resolve_replan

    plan = resolve_replan(load("mission.yaml", text), read_schedule(VALID_SMALL_SCHEDULE),
                          datetime.fromisoformat(now), 0, lambda needle: Source("baseline.json", 1, 1))
    return [f"{warning.source}: {warning.message}" for warning in plan.renamed]


def test_a_mistyped_activity_id_is_told_as_a_cancellation_and_a_new_activity() -> None:
    """`closing` written `closng`: re-planning reads a removal and an addition, which would mail every
    attendee a cancellation and a new event; a warning names both ids and how to keep it one activity."""
    (warning,) = _renamed_warnings(SMALL.replace("{id: closing,", "{id: closng,"))
    assert warning.startswith("mission.yaml:61:")
    assert "'closng'" in warning and "'closing'" in warning
    assert "told of a cancellation and of a new activity" in warning
    assert "write its old id 'closing' again" in warning


def test_a_new_id_with_the_same_title_is_told_too() -> None:
    (warning,) = _renamed_warnings(SMALL.replace("{id: closing,", "{id: farewell-dinner,"))
    assert "'farewell-dinner'" in warning and "'closing'" in warning


def test_no_rename_warning_for_unrelated_activities_or_the_frozen_past() -> None:
    """A new activity unlike any removed one is simply new; an activity before now is kept whatever the file
    says (its removal has its own warning), so a look-alike beside it is not a rename."""
    unrelated = without_activity(SMALL, "closing").replace(
        "  - {id: opening,", "  - {id: press-breakfast, title: Press breakfast, kind: seminar, venue: fairmont, "
        "duration: 1h, attendees: [press-pool]}\n  - {id: opening,")
    assert _renamed_warnings(unrelated) == []
    assert _renamed_warnings(SMALL.replace("{id: visit-google,", "{id: visit-gogle,")) == []
    assert _renamed_warnings(SMALL) == []


def test_planner_replan_prints_the_rename_warning(baseline: Path, tmp_path: Path) -> None:
    mission_path = write(tmp_path / "mission.yaml", SMALL.replace("{id: closing,", "{id: closng,"))
    result = replan_command(mission_path, baseline, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "write its old id 'closing' again" in result.output


def test_planner_check_with_the_baseline_prints_the_rename_warning_as_replan_does(baseline: Path,
                                                                                  tmp_path: Path) -> None:
    """`check --baseline` reads the file as the re-plan did, so it tells of the look-alike id too, in the
    same words (one function prints both commands' re-plan warnings)."""
    mission_path = write(tmp_path / "mission.yaml", SMALL.replace("{id: closing,", "{id: closng,"))
    replanned = replan_command(mission_path, baseline, tmp_path / "out")
    assert replanned.exit_code == 0, replanned.output
    checked = run("check", mission_path, tmp_path / "out" / "schedule.json", "--baseline", baseline)
    assert checked.exit_code == 0, checked.output

    def renamed(output: str) -> list[str]:
        return re.findall(r"warning: (\S+ activity 'closng' .*?nothing to do)", " ".join(output.split()))

    assert renamed(checked.output) and renamed(checked.output) == renamed(replanned.output)


@pytest.mark.parametrize("option", [("--now", "2025-10-07 12:00"), ("--notice", "2h")])
def test_planner_check_refuses_now_or_notice_without_the_baseline(option: tuple[str, str]) -> None:
    """Without --baseline there is no frozen past for --now or --notice to place: said (exit 2), not ignored
    while the schedule is passed as valid."""
    result = run("check", EXAMPLE_SMALL, VALID_SMALL_SCHEDULE, *option)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"{option[0]} applies only with --baseline" in said and "Traceback" not in said
    assert run("check", EXAMPLE_SMALL, VALID_SMALL_SCHEDULE).exit_code == 0


def test_a_notice_without_a_unit_is_read_as_minutes_and_said(baseline: Path, tmp_path: Path) -> None:
    """`--notice 2`: minutes, as a bare number is in the mission file, and a warning saying so (the person
    may have meant hours); with a unit, no warning."""
    bare = replan_command(EXAMPLE_SMALL, baseline, tmp_path / "bare", "2025-10-07 12:00", "--notice", "2")
    assert bare.exit_code == 0, bare.output
    said = " ".join(bare.output.split())
    assert "`2` is read as 2 minutes" in said and "`2h` for hours" in said
    document = json.loads((tmp_path / "bare" / "schedule.json").read_text(encoding="utf-8"))
    assert document["notice_minutes"] == 2
    with_unit = replan_command(EXAMPLE_SMALL, baseline, tmp_path / "unit", "2025-10-07 12:00", "--notice", "2m")
    assert with_unit.exit_code == 0 and "is read as" not in with_unit.output
