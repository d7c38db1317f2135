"""Lodging (planner addition to the mission format): loading, the first trip of a day (checker), and the
hotel trips counted by the travel objective."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE

from planner.check import check_schedule
from planner.domain import Mission
from planner.domain.errors import InputErrors
from planner.domain.schedule import Schedule
from planner.domain.travel import travel_by_date
from planner.mission.load import json_schema, load_mission, load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.mission.write import mission_to_yaml

HOTELS = """
lodging:
  - {city: San Francisco, venue: fairmont}
  - {city: Los Angeles, venue: la-hotel}
"""


def with_lodging(tmp_path: Path, lodging: str = HOTELS) -> Mission:
    path = tmp_path / "mission.yaml"
    path.write_text(EXAMPLE_SMALL.read_text(encoding="utf-8") + lodging, encoding="utf-8")
    return load_mission(path)


def load_errors(tmp_path: Path, lodging: str) -> list[str]:
    with pytest.raises(InputErrors) as raised:
        with_lodging(tmp_path, lodging)
    return [f"{error.source.line}:{error.source.column} {error.message}" for error in raised.value.errors]


@pytest.fixture()
def valid() -> Schedule:
    return read_schedule(VALID_SMALL_SCHEDULE)


def test_everyone_sleeps_at_the_legs_hotel(tmp_path: Path) -> None:
    mission = with_lodging(tmp_path)
    assert mission.hotel("astrid", "San Francisco").venue == "fairmont"
    assert mission.hotel("press-pool", "Los Angeles").venue == "la-hotel"
    assert mission.hotel("astrid", "San Francisco").leave == 8 * 60  # the working day's start


def test_an_entry_with_who_houses_its_delegates_elsewhere(tmp_path: Path) -> None:
    mission = with_lodging(tmp_path, HOTELS + '  - {city: San Francisco, venue: stanford, who: wallonia, '
                                              'leave: "07:15"}\n')
    assert mission.hotel("odoo", "San Francisco").venue == "stanford"
    assert mission.hotel("odoo", "San Francisco").leave == 7 * 60 + 15
    assert mission.hotel("astrid", "San Francisco").venue == "fairmont"
    assert "odoo" not in mission.hotel("astrid", "San Francisco").delegates


def test_a_mission_without_lodging_has_no_hotel(example_small_path: Path) -> None:
    mission = load_mission(example_small_path)
    assert mission.lodging == () and mission.hotel("astrid", "San Francisco") is None


def test_lodging_survives_the_mission_writer(tmp_path: Path) -> None:
    mission = with_lodging(tmp_path, HOTELS + '  - {city: San Francisco, venue: stanford, who: tech, '
                                              'leave: "07:00"}\n')
    again = load_mission_text(mission_to_yaml(mission), "again.yaml")
    assert [(e.city, e.venue, e.who, e.leave, e.delegates) for e in again.lodging] == [
        (e.city, e.venue, e.who, e.leave, e.delegates) for e in mission.lodging]


def test_the_json_schema_describes_lodging() -> None:
    entry = json_schema()["properties"]["lodging"]
    assert "planner addition" in entry["description"]


@pytest.mark.parametrize(("lodging", "expected"), [
    ("  - {city: Paris, venue: fairmont}\n", "no leg in `Paris`"),
    ("  - {city: San Francisco, venue: la-hotel}\n", "the hotel `la-hotel` is in Los Angeles, not in San Francisco"),
    ("  - {city: San Francisco, venue: fairmont}\n  - {city: San Francisco, venue: google}\n",
     "a second hotel for everyone in San Francisco"),
    ("  - {city: San Francisco, venue: fairmont, who: tech}\n  - {city: San Francisco, venue: google, who: odoo}\n",
     "delegate `odoo` already has a hotel in San Francisco"),
    ("  - {city: San Francisco, venue: fairmnt}\n", "unknown hotel venue `fairmnt`; did you mean `fairmont`?"),
    ("  - {city: San Francisco, venue: fairmont, who: nobody}\n", "unknown delegate or group `nobody`"),
    ("  - {city: San Francisco, venue: fairmont, stars: 5}\n", "stars"),
])
def test_lodging_errors_name_the_entry(tmp_path: Path, lodging: str, expected: str) -> None:
    errors = load_errors(tmp_path, "\nlodging:\n" + lodging)
    assert any(expected in error for error in errors), errors
    lines = EXAMPLE_SMALL.read_text(encoding="utf-8").count("\n") + 3
    assert all(int(error.split(":")[0]) >= lines for error in errors), errors


def test_a_hotel_without_travel_times_is_an_input_error(tmp_path: Path) -> None:
    text = EXAMPLE_SMALL.read_text(encoding="utf-8").replace(
        "\ntravel:", "  - {id: motel, name: Motel, city: Los Angeles}\n\ntravel:")
    path = tmp_path / "mission.yaml"
    path.write_text(text + "\nlodging:\n  - {city: Los Angeles, venue: motel}\n", encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        load_mission(path)
    assert [e.message.split(" (both")[0] for e in raised.value.errors] == [
        "no travel time between the hotel `motel` and venue `usc`",
        "no travel time between the hotel `motel` and venue `lapd`",
        "no travel time between the hotel `motel` and venue `la-hotel`"]


# --- the first trip of a day --------------------------------------------------------------------------------


def test_a_day_that_cannot_start_in_time_from_the_hotel(tmp_path: Path, valid: Schedule) -> None:
    mission = with_lodging(tmp_path)
    # Stanford at 09:00 on 7 October: the Fairmont is 100 min away and nobody leaves it before 08:00.
    found = [v for v in check_schedule(mission, valid)]
    assert {v.rule for v in found} == {"lodging"}, [str(v) for v in found]
    assert sorted(v.delegates[0] for v in found) == ["astrid", "jeholet", "simonet"]
    travel = mission.travel_minutes("fairmont", "stanford")
    assert travel == 100
    assert all(v.activities == ("visit-stanford",) for v in found)
    assert ("attends 'Visit to Stanford' (visit-stanford) from 09:00 on 2025-10-07, but leaving Fairmont San "
            "Francisco (fairmont) at 08:00 and travelling 100 min they arrive at 09:40" in found[0].message)


def test_an_earlier_departure_from_the_hotel_reaches_the_first_visit(tmp_path: Path, valid: Schedule) -> None:
    mission = with_lodging(tmp_path, HOTELS.replace("venue: fairmont}", 'venue: fairmont, leave: "07:20"}'))
    assert check_schedule(mission, valid) == []
    late = with_lodging(tmp_path, HOTELS.replace("venue: fairmont}", 'venue: fairmont, leave: "07:25"}'))
    assert [v.rule for v in check_schedule(late, valid)] == ["lodging"] * 3


# --- the trips counted by the travel objective ---------------------------------------------------------------


def test_travel_counts_the_first_and_the_last_trip_of_each_day(tmp_path: Path, valid: Schedule,
                                                              example_small_path: Path) -> None:
    without = travel_by_date(load_mission(example_small_path), valid)
    mission = with_lodging(tmp_path)
    with_hotels = travel_by_date(mission, valid)

    def trip(a: str, b: str) -> int:
        return mission.travel_minutes(a, b) or 0

    # 7 October: Stanford 09:00 (Astrid, Jeholet, Simonet), NASA Ames 14:00 (Astrid, CSL of 2, Simonet).
    assert with_hotels[date(2025, 10, 7)] - without[date(2025, 10, 7)] == (
        2 * (trip("fairmont", "stanford") + trip("nasa-ames", "fairmont"))  # Astrid and Simonet
        + trip("fairmont", "stanford") + trip("stanford", "fairmont")  # Jeholet
        + 2 * (trip("fairmont", "nasa-ames") + trip("nasa-ames", "fairmont")))  # CSL, size 2
    # 9 October in Los Angeles: the InterContinental hosts the closing dinner, the last activity of everyone.
    assert with_hotels[date(2025, 10, 9)] - without[date(2025, 10, 9)] == (
        (1 + 1 + 1 + 2 + 6) * trip("la-hotel", "usc")  # to the signing: Astrid, Jeholet, Simonet, LASEA, press
        + 3 * trip("la-hotel", "lapd")  # FN Herstal's first trip
        + 6 * trip("usc", "la-hotel"))  # the press pool's day ends at USC


def test_a_day_that_cannot_start_in_time_from_the_hotel_is_reported_before_solving(tmp_path: Path) -> None:
    from planner.diagnosis import precheck

    # The Walloon briefing lies in 08:00–10:00 at the Fairmont; from Stanford, 100 min away, leaving at 08:00,
    # the delegation arrives at 09:40, too late for an hour's briefing.
    mission = with_lodging(tmp_path, HOTELS + "  - {city: San Francisco, venue: stanford, who: wallonia}\n")
    conflicts = precheck(mission)
    assert len(conflicts) == 1, [c.message for c in conflicts]
    message = conflicts[0].message
    assert message.startswith("Pierre-Yves Jeholet and Odoo and LASEA must attend 'Walloon delegation briefing' "
                              "(within 2025-10-06 08:00–10:00, 1 h")
    assert "but leave Stanford University no earlier than 08:00" in message
    assert "Stanford University → Fairmont San Francisco takes 100 min" in message
    assert conflicts[0].delegates == ("jeholet", "lasea", "odoo")
    # Leaving at 06:50 they are there at 08:30, in time for 08:30–09:30.
    early = with_lodging(tmp_path, HOTELS + '  - {city: San Francisco, venue: stanford, who: wallonia, '
                                            'leave: "06:50"}\n')
    assert precheck(early) == []


# --- the solver ------------------------------------------------------------------------------------------------


def solved(mission: Mission) -> Schedule:
    from planner.pipeline import SolveOptions, solve

    return solve(mission, SolveOptions(time_limit=30, workers=2, seed=0, progress=False))


def test_the_solver_leaves_room_for_the_first_trip(tmp_path: Path) -> None:
    mission = with_lodging(tmp_path)
    schedule = solved(mission)
    assert schedule.status == "optimal"
    assert check_schedule(mission, schedule) == []
    stanford = schedule.by_id()["visit-stanford"]
    # 08:00 at the Fairmont + 100 min: 09:40 at the earliest (without a hotel it may start at 08:30).
    assert stanford.start.astimezone(mission.legs[0].zone).strftime("%H:%M") >= "09:40"
    # The travel objective the model minimised is the one counted with both hotel trips.
    assert schedule.solver.travel_objective == sum(travel_by_date(mission, schedule).values())


LAST_TRIP = """
mission: {name: Last trip, timezone: America/Los_Angeles}
legs: [{city: San Francisco, from: 2025-10-06, to: 2025-10-06}]
venues:
  - {id: fairmont, name: Fairmont, city: San Francisco}
  - {id: google, name: Google, city: San Francisco}
  - {id: stanford, name: Stanford, city: San Francisco}
travel:
  times: [[fairmont, google, 75m], [google, stanford, 15m], [fairmont, stanford, 100m]]
delegates: [{id: astrid, name: Astrid}]
activities:
  - {id: visit, title: Visit, venue: google, duration: 1h, fixed: "2025-10-06 10:00", attendees: [astrid]}
  - {id: talk, title: Talk, venues: [stanford, fairmont], duration: 1h, attendees: [astrid],
     windows: [["2025-10-06 14:00", "2025-10-06 18:00"]]}
"""


def test_the_last_trip_back_to_the_hotel_is_counted() -> None:
    # Without a hotel the talk is at Stanford (15 min from Google); the 100 min back to the Fairmont make
    # the Fairmont (75 min from Google, 0 back) the better choice once the last trip counts.
    alone = load_mission_text(LAST_TRIP, "last-trip.yaml")
    assert solved(alone).by_id()["talk"].venue == "stanford"
    housed = load_mission_text(LAST_TRIP + "lodging: [{city: San Francisco, venue: fairmont}]\n", "last-trip.yaml")
    schedule = solved(housed)
    assert schedule.by_id()["talk"].venue == "fairmont"
    assert schedule.objectives["travel_minutes"] == 75 + 75  # to Google, then to the talk at home


def test_a_day_that_ends_with_a_transfer_has_no_way_back_to_the_hotel() -> None:
    """The talk as the day's transfer (a flight from Stanford, say, to the next leg): it takes Astrid on, so
    nothing brings her back to the Fairmont. Stanford is then the better venue again (15 min from Google,
    no way back counted), for the solver and for the plain-Python count alike, and the itinerary shows no
    return (the flagship's flight to Los Angeles was followed by "back to the hotel: SFO → Fairmont")."""
    from planner.domain.travel import travel_by_date
    from planner.views.itinerary import itinerary_text

    text = LAST_TRIP.replace("{id: talk, title: Talk,", "{id: talk, title: Talk, kind: transfer,")
    assert "kind: transfer" in text
    mission = load_mission_text(text + "lodging: [{city: San Francisco, venue: fairmont}]\n", "last-trip.yaml")
    schedule = solved(mission)
    assert schedule.by_id()["talk"].venue == "stanford"
    assert schedule.objectives is not None
    assert schedule.objectives["travel_minutes"] == 75 + 15  # to Google, then to the talk; no way back
    assert sum(travel_by_date(mission, schedule).values()) == 75 + 15
    page = itinerary_text(mission, schedule, ["astrid"], width=200)
    assert "leave the hotel" in page and "back to the hotel" not in page


def test_itineraries_say_when_to_leave_the_hotel_and_when_to_go_back(tmp_path: Path, valid: Schedule) -> None:
    from planner.text.format import format_duration
    from planner.views.itinerary import itinerary_text

    mission = with_lodging(tmp_path, HOTELS.replace("venue: fairmont}", 'venue: fairmont, leave: "07:20"}'))
    text = " ".join(itinerary_text(mission, valid, ["astrid"], width=200).split())
    # 6 October: Google at 10:30 is the first stop (75 min away); the day ends at the Fairmont itself.
    assert "09:15 → leave the hotel at 09:15: Fairmont San Francisco → Google, Mountain View (1 hr, 15 min)" in text
    # 7 October: NASA Ames ends at 15:30, the last stop; then back to the hotel.
    back = format_duration(mission.travel_minutes("nasa-ames", "fairmont"), "clock")
    assert f"15:30 → back to the hotel: NASA Ames Research Center → Fairmont San Francisco ({back})" in text
    assert text.count("leave the hotel") == 3  # 6, 7 and 9 October (the closing dinner is at the hotel)


def test_the_calendar_says_when_to_leave_the_hotel_for_the_first_activity(tmp_path: Path, valid: Schedule) -> None:
    """The calendar a delegate checks on their phone says what their itinerary says: leave the hotel at
    09:15 for Google at 10:30 (75 min), not only "first activity of the day"."""
    from planner.views.calendars import build_calendar

    mission = with_lodging(tmp_path)
    calendar = build_calendar(mission, valid, ["astrid"], "Astrid")
    google = next(event for event in calendar.walk("VEVENT") if str(event["uid"]).startswith("visit-google@"))
    description = " ".join(str(google["description"]).split())
    assert "leave Fairmont San Francisco at 09:15 (1 hr, 15 min)" in description, description


def test_the_way_back_to_the_hotel_waits_for_the_lunch_break_after_the_last_stop() -> None:
    """Jeholet's 7 October ends at Berkeley at 12:35, then his lunch break, 12:35–13:20: he leaves for the
    Fairmont after it (lunch is off the road), not at 12:35 during it."""
    from conftest import FLAGSHIP, VALID_FLAGSHIP_SCHEDULE

    from planner.views.itinerary import itinerary_text

    page = " ".join(itinerary_text(load_mission(FLAGSHIP), read_schedule(VALID_FLAGSHIP_SCHEDULE), ["jeholet"],
                                   width=200).split())
    assert ("12:35–13:20 lunch break 13:20 → back to the hotel: University of California, Berkeley → "
            "Fairmont San Francisco") in page
