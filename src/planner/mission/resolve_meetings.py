"""Pass 3, B2B (docs/b2b.md): counterparts, the `meetings` setting of session activities, and the
top-level `meetings` requests. Counterpart ids share the namespace of delegates and groups."""

from __future__ import annotations

import dataclasses

from planner.domain import Delegate
from planner.domain.meetings import Counterpart, MeetingRequest, SessionSetting
from planner.mission.hints import closest, named_hint
from planner.mission.positions import DocumentPath
from planner.mission.resolution import Resolution
from planner.text.format import format_duration


def resolve_b2b(resolution: Resolution) -> tuple[dict[str, Counterpart], tuple[MeetingRequest, ...]]:
    """Counterparts and requests; the activities with `meetings` get their `SessionSetting`."""
    sessions = _session_settings(resolution)
    counterparts = _counterparts(resolution, sessions)
    requests = _requests(resolution, counterparts, sessions)
    return counterparts, requests


def _session_settings(resolution: Resolution) -> set[str]:
    """activities' `meetings`: the slot divides the duration. Returns the ids of the B2B sessions."""
    sessions: set[str] = set()
    for index, entry in resolution.shapes.activities:
        if entry.meetings is None:
            continue
        sessions.add(entry.id)
        activity = resolution.activities.get(entry.id)
        if activity is None:
            continue
        path: DocumentPath = ("activities", index, "meetings")
        slot = entry.meetings.slot
        if activity.duration % slot:
            fitting = [size for size in range(5, activity.duration + 1) if activity.duration % size == 0]
            nearest = (
                min(fitting, key=lambda size: (abs(size - slot), size)) if fitting else activity.duration
            )
            resolution.report.add(
                path + ("slot",),
                f"activity `{entry.id}`: a slot of {format_duration(slot)} does not divide its duration of "
                f"{format_duration(activity.duration)} (slots run back to back from its start to its end); "
                "write e.g. " + resolution.report.wording.either(
                    f"`slot: {format_duration(nearest)}`",
                    f"`slot {format_duration(nearest)}, tables {entry.meetings.tables}`")
                + ", or change `duration`",
            )
            continue
        setting = SessionSetting(slot, entry.meetings.tables, resolution.source(path))
        resolution.activities[entry.id] = dataclasses.replace(activity, meetings=setting)
    return sessions


def _session_list(
    resolution: Resolution, written: list[str], path: DocumentPath, sessions: set[str]
) -> tuple[str, ...]:
    """Session ids of a `sessions` list: activities that are B2B sessions."""
    kept = []
    for position, session_id in enumerate(written):
        where = path + (position,)
        if session_id in sessions:
            kept.append(session_id)
        elif session_id in _broken_activities(resolution):
            continue  # its own entry's error is reported; this reference is not a second one
        elif session_id in resolution.activities:
            resolution.report.add(
                where,
                f"activity `{session_id}` is not a B2B session: give it "
                + resolution.report.wording.either("`meetings: {slot: 20m, tables: 10}`",
                                                   "`slot 20m, tables 10` in its `meetings` cell")
                + ", or leave it out of `sessions`",
            )
        else:
            suggestion = closest(session_id, sorted(sessions))
            hint = (
                f"did you mean `{suggestion}`?"
                if suggestion
                else resolution.report.wording.either(
                    "a session is an activity with `meetings: {slot, tables}`",
                    "a session is an activity whose `meetings` cell reads e.g. `slot 20m, tables 10`")
            )
            resolution.report.add(where, f"unknown session `{session_id}`; {hint}")
    return tuple(dict.fromkeys(kept))


def _broken_activities(resolution: Resolution) -> set[str]:
    """Ids written in `activities` whose entry did not pass pass 2."""
    valid = {entry.id for _, entry in resolution.shapes.activities}
    return set(resolution.shapes.written_ids.get("activities", set())) - valid


def _counterparts(resolution: Resolution, sessions: set[str]) -> dict[str, Counterpart]:
    """counterparts: ids unique with delegates and groups; windows inside legs; sessions that exist."""
    counterparts: dict[str, Counterpart] = {}
    for index, entry in resolution.shapes.counterparts:
        path: DocumentPath = ("counterparts", index)
        if entry.id in resolution.people_paths:
            place = resolution.source(resolution.people_paths[entry.id]).place()
            resolution.report.add(
                path,
                f"the counterpart id `{entry.id}` is already used on {place}; delegates, "
                f"groups and counterparts share one set of ids: rename one, e.g. "
                f"`{entry.id}-2`",
            )
            continue
        resolution.people_paths[entry.id] = path
        windows = [resolution.window(w, path + ("unavailable", k)) for k, w in enumerate(entry.unavailable)]
        listed = (
            None
            if entry.sessions is None
            else _session_list(resolution, entry.sessions, path + ("sessions",), sessions)
        )
        counterparts[entry.id] = Counterpart(
            id=entry.id,
            name=entry.name,
            organisation=entry.organisation,
            email=entry.email,
            size=entry.size,
            unavailable=tuple(window for window in windows if window is not None),
            sessions=listed,
            source=resolution.source(path),
            language=entry.language,
        )
    return counterparts


def _requests(
    resolution: Resolution, counterparts: dict[str, Counterpart], sessions: set[str]
) -> tuple[MeetingRequest, ...]:
    """meetings: each id a delegate, group or counterpart; two or more people; sessions that exist."""
    if resolution.shapes.meetings and not sessions and not _broken_activities(resolution):
        resolution.report.add(
            ("meetings",),
            resolution.report.wording.either(
                "`meetings` lists requests but no activity is a B2B session: give the session activity "
                "`meetings: {slot: 20m, tables: 10}`",
                "the Meetings sheet lists requests but no activity is a B2B session: write "
                "`slot 20m, tables 10` in the session activity's `meetings` cell"),
        )
        return ()
    requests = []
    known = list(resolution.delegates) + list(resolution.groups) + list(counterparts)
    written = (
        resolution.shapes.written_ids.get("delegates", set())
        | resolution.shapes.written_ids.get("groups", set())
        | resolution.shapes.written_ids.get("counterparts", set())
    )
    for index, entry in resolution.shapes.meetings:
        path: DocumentPath = ("meetings", index)
        people: set[str] = set()
        complete = True
        for position, reference in enumerate(entry.with_):
            if reference in counterparts or reference in resolution.delegates:
                people.add(reference)
            elif reference in resolution.groups:
                people |= set(resolution.groups[reference].delegates)
            else:
                complete = False
                if reference not in written:
                    suggestion = closest(reference, known)
                    everyone: list[Delegate | Counterpart] = [*resolution.delegates.values(),
                                                              *counterparts.values()]
                    hint = named_hint(reference, everyone) or (
                        f"did you mean `{suggestion}`?"
                        if suggestion
                        else resolution.report.wording.define_under(("delegates", "groups", "counterparts"))
                    )
                    resolution.report.add(
                        path + ("with", position),
                        f"unknown delegate, group or counterpart `{reference}`; {hint}",
                    )
        if complete and len(people) < 2:
            resolution.report.add(
                path + ("with",),
                f"{resolution.report.wording.entry(path, 'meeting request')} names {len(people)} "
                f"{'person' if len(people) == 1 else 'people'}; a meeting "
                "needs two or more: write e.g. " + resolution.report.wording.either(
                    "`with: [<delegate>, <counterpart>]`", "`<delegate>, <counterpart>` in its `with` cell"),
            )
            complete = False
        listed = (
            None
            if entry.sessions is None
            else _session_list(resolution, entry.sessions, path + ("sessions",), sessions)
        )
        if complete:
            requests.append(
                MeetingRequest(
                    f"meeting-{index + 1}",
                    tuple(entry.with_),
                    tuple(sorted(people)),
                    entry.priority,
                    listed,
                    resolution.source(path),
                )
            )
    return tuple(requests)
