"""The change set between two schedules, its disruption recomputed plainly, the change report and `diff`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.change import ChangeSet, compare, disruption
from planner.domain.schedule import Schedule
from planner.views.changes import compare_report, report_html

HOUR = timedelta(hours=1)


def edited(schedule: Schedule, *, drop: tuple[str, ...] = (), shift: dict[str, timedelta] | None = None,
           venue: dict[str, str] | None = None, attendees: dict[str, tuple[str, ...]] | None = None) -> Schedule:
    activities = []
    for activity in schedule.activities:
        if activity.id in drop:
            continue
        if shift and activity.id in shift:
            activity = replace(activity, start=activity.start + shift[activity.id], end=activity.end + shift[activity.id])
        if venue and activity.id in venue:
            activity = replace(activity, venue=venue[activity.id])
        if attendees and activity.id in attendees:
            activity = replace(activity, attendees=tuple(sorted(attendees[activity.id])))
        activities.append(activity)
    return replace(schedule, activities=activities)


def test_identical_schedules_have_no_change_and_no_disruption(small_programme) -> None:
    mission, schedule = small_programme
    assert not compare(schedule, schedule)
    assert disruption(schedule, schedule, {d.id: d.size for d in mission.delegates.values()}) == 0


def test_each_kind_of_change(small_programme) -> None:
    mission, schedule = small_programme
    old = edited(schedule, drop=("b2b-odoo",))  # so that it is `added` in the new one
    new = edited(schedule, drop=("visit-stanford",), shift={"visit-nasa": HOUR},
                 attendees={"opening": ("astrid", "csl", "fn-herstal", "jeholet", "lasea", "simonet", "press-pool"),
                            "visit-nasa": ("astrid", "csl", "jeholet")})
    changes = compare(old, new)
    assert [(c.activity, c.change) for c in changes.changes] == [
        ("b2b-odoo", "added"), ("opening", "attendees"), ("visit-nasa", "moved"), ("visit-stanford", "removed")]
    entry = {c.activity: c.to_json() for c in changes.changes}
    assert entry["b2b-odoo"]["before"] is None and entry["b2b-odoo"]["joined"] == ["odoo"]
    assert entry["visit-stanford"]["after"] is None
    assert entry["visit-stanford"]["left"] == ["astrid", "jeholet", "simonet"]
    assert entry["opening"]["left"] == ["odoo"] and entry["opening"]["joined"] == []
    nasa = entry["visit-nasa"]
    assert nasa["joined"] == ["jeholet"] and nasa["left"] == ["simonet"]
    assert nasa["after"]["start"] == "2025-10-07T15:00:00-07:00" and nasa["before"]["venue"] == "nasa-ames"

    sizes = {d.id: d.size for d in mission.delegates.values()}
    # b2b-odoo: odoo (3) newly attends; opening: odoo (3) left; visit-nasa: astrid and csl (1 + 2) moved,
    # jeholet (1) joined, simonet (1) left; visit-stanford: astrid, jeholet, simonet (3) dropped.
    assert disruption(old, new, sizes) == 3 + 3 + 3 + 1 + 1 + 3
    assert disruption(old, new) == 1 + 1 + 2 + 1 + 1 + 3  # every delegate counts 1 without sizes

    by_delegate = changes.by_delegate()
    assert [(i.activity, i.kind) for i in by_delegate["astrid"]] == [("visit-stanford", "cancelled"),
                                                                      ("visit-nasa", "moved")]
    assert [(i.activity, i.kind) for i in by_delegate["odoo"]] == [("b2b-odoo", "added"), ("opening", "left")]
    assert [(i.activity, i.kind) for i in by_delegate["jeholet"]] == [("visit-stanford", "cancelled"),
                                                                       ("visit-nasa", "joined")]
    assert sum(sizes[d] for d, items in by_delegate.items() for i in items if i.disrupts) == \
        disruption(old, new, sizes)


def test_a_venue_change_is_a_move_and_an_end_alone_is_not_disruption(small_programme) -> None:
    _, schedule = small_programme
    new = edited(schedule, venue={"closing": "fairmont"})
    assert [c.change for c in compare(schedule, new).changes] == ["moved"]
    assert disruption(schedule, new) == 7
    longer = replace(schedule, activities=[replace(a, end=a.end + HOUR) if a.id == "closing" else a
                                           for a in schedule.activities])
    items = compare(schedule, longer).by_delegate()
    assert all(not item.disrupts for entries in items.values() for item in entries)
    assert disruption(schedule, longer) == 0


def test_the_same_instant_with_another_offset_is_no_change(small_programme) -> None:
    _, schedule = small_programme
    from datetime import UTC

    in_utc = replace(schedule, activities=[replace(a, start=a.start.astimezone(UTC), end=a.end.astimezone(UTC))
                                           for a in schedule.activities])
    assert not compare(schedule, in_utc)


def test_changes_read_back_from_json_tell_the_same_per_delegate(small_programme) -> None:
    _, schedule = small_programme
    new = edited(schedule, drop=("visit-stanford",), shift={"visit-nasa": HOUR},
                 attendees={"visit-nasa": ("astrid", "csl", "jeholet")})
    changes = compare(schedule, new)
    again = ChangeSet.from_json(json.loads(json.dumps(changes.to_json())), new)
    assert again.by_delegate() == changes.by_delegate()


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_disruption_counts_each_changed_pair_once(small_programme, data) -> None:
    """Against a second plain formulation: the symmetric difference of (delegate, activity, start, venue)."""
    mission, schedule = small_programme
    ids = [a.id for a in schedule.activities]
    delegates = sorted(mission.delegates)
    drop = tuple(data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=3)))
    shift = {i: timedelta(minutes=m) for i, m in data.draw(
        st.dictionaries(st.sampled_from(ids), st.sampled_from([-60, 0, 30, 120]), max_size=3)).items()}
    attendees = {i: tuple(data.draw(st.lists(st.sampled_from(delegates), unique=True, min_size=1, max_size=4)))
                 for i in data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))}
    new = edited(schedule, drop=drop, shift=shift, attendees=attendees)
    sizes = {d.id: d.size for d in mission.delegates.values()}

    def pairs(s: Schedule) -> set[tuple[str, str, object, str]]:
        return {(d, a.id, a.start, a.venue) for a in s.activities for d in a.attendees}

    expected = sum(sizes[d] for d, *_ in pairs(schedule) ^ pairs(new))
    # A pair that moved appears twice in the symmetric difference but counts once.
    moved_pairs = {(d, i) for d, i, *_ in pairs(schedule) - pairs(new)} & {(d, i) for d, i, *_ in pairs(new) - pairs(schedule)}
    expected -= sum(sizes[d] for d, _ in moved_pairs)
    assert disruption(schedule, new, sizes) == expected
    report = compare_report(schedule, new, mission)
    assert report.disruption == expected
    assert sum(d.size * sum(1 for line in d.lines) for d in report.delegates) >= expected


def test_report_html_escapes_and_lists_each_delegate(small_programme) -> None:
    mission, schedule = small_programme
    hostile = replace(schedule, activities=[replace(a, title="<script>alert(1)</script> & co") if a.id == "visit-nasa"
                                            else a for a in schedule.activities])
    new = edited(hostile, shift={"visit-nasa": HOUR})
    report = compare_report(hostile, new)  # no mission: the schedule's own titles and ids
    html = report_html(report)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert [d.id for d in report.delegates] == ["astrid", "csl", "simonet"]
    with_mission = report_html(compare_report(schedule, edited(schedule, shift={"visit-nasa": HOUR}), mission))
    assert "NASA Ames Research Center" in with_mission and "Tue 7 Oct 14:00–15:30" in with_mission
    assert "Tue 7 Oct 15:00–16:30" in with_mission and "HRH Princess Astrid" in with_mission


def write(schedule: Schedule, path: Path) -> Path:
    from planner.mission.schedule_file import write_schedule

    write_schedule(schedule, path)
    return path


def test_diff_command_shows_changes_per_delegate(small_programme, tmp_path: Path) -> None:
    _, schedule = small_programme
    new = write(edited(schedule, drop=("b2b-odoo",), shift={"visit-nasa": HOUR}), tmp_path / "new.json")
    result = CliRunner().invoke(app, ["diff", str(VALID_SMALL_SCHEDULE), str(new), "--mission", str(EXAMPLE_SMALL),
                                      "--html", str(tmp_path / "changes.html")], terminal_width=200)
    assert result.exit_code == 0, result.output
    # odoo (3) loses b2b-odoo; astrid, csl, simonet (1 + 2 + 1) see visit-nasa move
    assert "1 moved, 1 removed" in result.output and "disruption 7" in result.output
    assert "Odoo" in result.output and "cancelled" in result.output
    assert "15:00–16:30" in result.output
    assert 'data-change="cancelled"' in (tmp_path / "changes.html").read_text(encoding="utf-8")


def test_diff_html_that_cannot_be_written_names_the_option_before_any_report(tmp_path: Path) -> None:
    """Not `cannot read or write /proc/.x.html.wmp….tmp` after the report: --html, and what to write."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for target in (Path("/proc/x.html"), folder):
        result = CliRunner().invoke(app, ["diff", str(VALID_SMALL_SCHEDULE), str(VALID_SMALL_SCHEDULE),
                                          "--html", str(target)])
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: --html: ") and ".tmp" not in result.output, result.output
        assert "Changes" not in result.output


def test_diff_of_two_missions_is_an_input_error(small_programme, tmp_path: Path) -> None:
    _, schedule = small_programme
    other = write(replace(schedule, mission="Another mission"), tmp_path / "other.json")
    result = CliRunner().invoke(app, ["diff", str(VALID_SMALL_SCHEDULE), str(other)])
    assert result.exit_code == 2
    assert "one mission" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("text", ["{", '{"format": "x"}'])
def test_diff_of_a_malformed_file_is_an_input_error(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(VALID_SMALL_SCHEDULE), str(bad)])
    assert result.exit_code == 2 and str(bad) in result.output
