"""Properties of the matchmaking: whatever it returns passes the independent checker, and requests planted
around a valid meeting schedule are all scheduled (none is ever reported unschedulable)."""

from __future__ import annotations

import os
from datetime import timedelta

from b2b_helpers import DAY, brokerage, counterpart, delegate, request, session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.b2b.solve import MatchOptions, schedule_meetings
from planner.check.b2b import check_meetings
from planner.domain.meetings import Brokerage, Participant, Request

PROPERTIES = settings(
    max_examples=int(os.environ.get("PLANNER_B2B_EXAMPLES", "40")),
    deadline=None,
    derandomize=os.environ.get("PLANNER_PROPERTIES") != "explore",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OPTIONS = MatchOptions(time_limit=5)
SLOT = 20


@st.composite
def sessions_strategy(draw):
    count = draw(st.integers(1, 3))
    result = []
    for number in range(count):
        # Sessions may share times (two rooms at once) or follow each other.
        offset = draw(st.sampled_from((0, 0, 60, 180)))
        result.append(
            session(
                f"s{number}",
                slots=draw(st.integers(1, 5)),
                tables=draw(st.integers(1, 4)),
                start=DAY + timedelta(minutes=offset),
            )
        )
    return result


@st.composite
def people_strategy(draw, sessions):
    names = [session.id for session in sessions]
    people = []
    for kind, prefix in (("delegate", "d"), ("counterpart", "c")):
        for number in range(draw(st.integers(1, 5))):
            attended = draw(st.one_of(st.none(), st.frozensets(st.sampled_from(names), min_size=1)))
            windows = tuple(
                (DAY + timedelta(minutes=start), DAY + timedelta(minutes=start + length))
                for start, length in draw(
                    st.lists(st.tuples(st.integers(0, 280), st.integers(5, 90)), max_size=2)
                )
            )
            maker = delegate if kind == "delegate" else counterpart
            people.append(
                maker(
                    f"{prefix}{number}", size=draw(st.integers(1, 3)), sessions=attended, unavailable=windows
                )
            )
    return people


@st.composite
def random_brokerages(draw) -> Brokerage:
    """Anything goes: requests between random people, some required, some limited to sessions."""
    sessions = draw(sessions_strategy())
    people = draw(people_strategy(sessions))
    names = [person.id for person in people]
    requests = []
    for number in range(draw(st.integers(0, 14))):
        members = draw(st.lists(st.sampled_from(names), min_size=2, max_size=3, unique=True))
        priority = draw(
            st.one_of(st.integers(1, 10), st.just(None) if number % 5 == 0 else st.integers(1, 3))
        )
        allowed = draw(
            st.one_of(st.none(), st.sets(st.sampled_from([session.id for session in sessions]), min_size=1))
        )
        requests.append(request(f"r{number}", *members, priority=priority, sessions=allowed))
    return brokerage(sessions, people, requests)


@st.composite
def planted_brokerages(draw) -> Brokerage:
    """Meetings drawn into free (session, slot, table) places first; then the requests are those meetings,
    availability and attendance drawn around them: all of them fit together by construction."""
    sessions = draw(sessions_strategy())
    people = draw(people_strategy(sessions))
    people = [Participant(person.id, person.kind, size=person.size) for person in people]  # planted below
    busy: dict[str, list[tuple]] = {person.id: [] for person in people}
    attended: dict[str, set[str]] = {person.id: set() for person in people}
    requests: list[Request] = []
    names = [person.id for person in people]
    for held in sessions:
        for slot in range(held.slots):
            start, end = held.slot_start(slot), held.slot_end(slot)
            for _ in range(draw(st.integers(0, held.tables))):
                free = [
                    name
                    for name in names
                    if all(
                        not (start < other_end and other_start < end) for other_start, other_end in busy[name]
                    )
                ]
                if len(free) < 2:
                    break
                members = draw(
                    st.lists(st.sampled_from(free), min_size=2, max_size=min(3, len(free)), unique=True)
                )
                for name in members:
                    busy[name].append((start, end))
                    attended[name].add(held.id)
                allowed = draw(st.one_of(st.none(), st.just({held.id})))
                requests.append(
                    request(
                        f"r{len(requests)}",
                        *members,
                        sessions=allowed,
                        priority=draw(st.one_of(st.integers(1, 10), st.just(None))),
                    )
                )
    planted = []
    for person in people:
        # Unavailable windows that miss every planted meeting of theirs.
        windows = []
        for start, length in draw(st.lists(st.tuples(st.integers(0, 280), st.integers(5, 60)), max_size=2)):
            window = (DAY + timedelta(minutes=start), DAY + timedelta(minutes=start + length))
            if all(not (window[0] < end and start_ < window[1]) for start_, end in busy[person.id]):
                windows.append(window)
        extra = draw(st.sets(st.sampled_from([held.id for held in sessions])))
        sessions_of = frozenset(attended[person.id] | extra) if draw(st.booleans()) else None
        planted.append(
            Participant(
                person.id, person.kind, size=person.size, sessions=sessions_of, unavailable=tuple(windows)
            )
        )
    return brokerage(sessions, planted, requests)


@PROPERTIES
@given(random_brokerages())
def test_every_returned_meeting_schedule_passes_the_checker(event):
    result = schedule_meetings(event, OPTIONS)
    violations = check_meetings(event, result)
    if result.status in ("optimal", "feasible"):
        assert violations == []
    else:  # a required request left out, and said so: nothing else may be wrong
        assert {violation.rule for violation in violations} == {"b2b-required"}


@PROPERTIES
@given(planted_brokerages())
def test_a_planted_feasible_set_of_requests_is_never_reported_unschedulable(event):
    result = schedule_meetings(event, OPTIONS)
    assert result.unscheduled == ()
    assert result.status in ("optimal", "feasible")
    assert check_meetings(event, result) == []
