"""Generated brokerage events for the B2B benchmark: sessions of 12 slots, delegates asking for meetings
with counterparts of uneven popularity (a few in heavy demand, asked for more meetings than they have
slots), partial availability, a few group meetings, meetings between delegates, requests with no common
session, a few required requests. Deterministic for a given size and seed."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.domain.meetings import REQUIRED, Brokerage, Participant, Request, Session

ZONE = ZoneInfo("America/Los_Angeles")
SLOT = 20
SLOTS = 12
REQUESTS_PER_SESSION = 1250


def brokerage_event(requests: int, seed: int = 1) -> Brokerage:
    """An event of exactly `requests` requests (see the module's docstring)."""
    rng = random.Random(seed)
    session_count = max(1, round(requests / REQUESTS_PER_SESSION))
    per_session = requests / session_count
    sessions = []
    for number in range(session_count):
        day = datetime(2025, 10, 6, tzinfo=ZONE) + timedelta(days=number // 2)
        start = day + timedelta(hours=9 if number % 2 == 0 else 14)
        sessions.append(
            Session(
                f"s{number + 1:02d}",
                start,
                start + timedelta(minutes=SLOT * SLOTS),
                SLOT,
                tables=math.ceil(1.25 * per_session / SLOTS),
                title=f"B2B session {number + 1}",
            )
        )

    delegates_per_session = max(4, round(per_session / 7.5))
    counterparts_per_session = max(4, round(per_session / 9))
    delegates = _people(rng, "d", "delegate", sessions, delegates_per_session)
    counterparts = _people(rng, "c", "counterpart", sessions, counterparts_per_session)
    # One counterpart in twenty is a star, asked for about twice as many meetings as they have slots.
    popularity = {person.id: 3.0 if rng.random() < 0.05 else 1.0 for person in counterparts}
    counterparts_at = {
        session.id: [person for person in counterparts if person.attends(session.id)] for session in sessions
    }

    wishes: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    order = list(delegates)
    rng.shuffle(order)
    while len(wishes) < requests:
        for delegate in order:
            if len(wishes) >= requests:
                break
            session = rng.choice(sorted(delegate.sessions or ()))
            roll = rng.random()
            if roll < 0.01:  # someone they cannot meet: a counterpart of another session only
                pool = [
                    person
                    for person in counterparts
                    if not (person.sessions or set()) & (delegate.sessions or set())
                ]
                names = (delegate.id, rng.choice(pool).id) if pool else ()
            elif roll < 0.03:  # two delegates meeting each other
                peers = [
                    person for person in delegates if person.attends(session) and person.id != delegate.id
                ]
                names = (delegate.id, rng.choice(peers).id)
            else:
                pool = counterparts_at[session]
                chosen = rng.choices(pool, weights=[popularity[person.id] for person in pool], k=2)
                names = (delegate.id, chosen[0].id)
                if (
                    roll > 0.97 and chosen[1].id != chosen[0].id
                ):  # a delegate meeting two counterparts together
                    names = (delegate.id, chosen[0].id, chosen[1].id)
            key = tuple(sorted(names))
            if not names or key in seen:
                continue
            seen.add(key)
            wishes.append(key)

    demand: dict[str, int] = {}
    for names in wishes:
        for name in names:
            demand[name] = demand.get(name, 0) + 1
    result = []
    for number, names in enumerate(wishes):
        roll = rng.random()
        priority: int | None = 1 if roll < 0.7 else rng.choice((2, 3)) if roll < 0.9 else rng.choice((5, 10))
        if roll > 0.995 and all(demand[name] <= 6 for name in names):
            priority = REQUIRED
        result.append(Request(f"r{number + 1:05d}", names, priority))
    return Brokerage(tuple(sessions), tuple(delegates + counterparts), tuple(result))


def _people(
    rng: random.Random, prefix: str, kind: str, sessions: list[Session], per_session: int
) -> list[Participant]:
    people = []
    for number, session in enumerate(sessions):
        for index in range(per_session):
            attended = {session.id}
            if len(sessions) > 1 and rng.random() < 0.25:
                attended.add(sessions[(number + 1) % len(sessions)].id)
            unavailable = []
            for other in sorted(attended):
                held = next(candidate for candidate in sessions if candidate.id == other)
                roll = rng.random()
                if roll < 0.08:  # arrives late
                    unavailable.append((held.start, held.slot_start(rng.randint(1, 3))))
                elif roll < 0.16:  # leaves early
                    unavailable.append((held.slot_start(SLOTS - rng.randint(1, 3)), held.end))
                elif roll < 0.22:  # a call in the middle
                    first = rng.randint(3, SLOTS - 4)
                    unavailable.append((held.slot_start(first), held.slot_end(first + rng.randint(0, 1))))
            size = rng.choice((1, 1, 1, 2, 2, 3)) if kind == "delegate" else rng.choice((1, 1, 1, 2))
            people.append(
                Participant(
                    f"{prefix}{number + 1:02d}-{index + 1:03d}",
                    kind,
                    size=size,  # type: ignore[arg-type]
                    sessions=frozenset(attended),
                    unavailable=tuple(unavailable),
                )
            )
    return people
