"""planner publish against a real CalDAV server: Radicale, started by the test on a free localhost port."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import caldav
import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.load import load_mission
from planner.testing.servers import free_port, local_radicale
from planner.views.calendars import calendar_plans, event_uid
from planner.views.publish import collection_id, password_for

pytestmark = pytest.mark.caldav

USER, PASSWORD = "organiser", "s3cret-for-tests"


@pytest.fixture()
def radicale(tmp_path: Path) -> Iterator[str]:
    """A Radicale server with one user (htpasswd, plain), its storage in a temporary folder."""
    with local_radicale(tmp_path, USER, PASSWORD) as url:
        yield url


def publish(url: str, schedule: Path, password: str = PASSWORD) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["publish", str(EXAMPLE_SMALL), "--schedule", str(schedule), "--caldav", url, "--user", USER],
        env={"PLANNER_CALDAV_PASSWORD": password},
    )
    return result.exit_code, result.output


def server_contents(url: str, cancelled: bool = False) -> dict[str, list[tuple[str, datetime, int]]]:
    """Collection id → [(UID, start in UTC, SEQUENCE)] as the caldav client reads them back: the events in
    the programme, or (`cancelled`) those kept as STATUS:CANCELLED."""
    client = caldav.DAVClient(url=url, username=USER, password=PASSWORD, require_tls=False)
    contents = {}
    for collection in client.get_principal().get_calendars():
        events = []
        for resource in collection.get_events():
            component = resource.icalendar_component
            if (str(component.get("status", "")).upper() == "CANCELLED") != cancelled:
                continue
            events.append((str(component["uid"]), component.decoded("dtstart").astimezone(UTC),
                           int(component.get("sequence", 0))))
        contents[str(collection.url).rstrip("/").rsplit("/", 1)[-1]] = events
    return contents


def changed_schedule(path: Path) -> Path:
    """example-small with visit-nasa moved by an hour and b2b-odoo removed."""
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    kept = []
    for activity in document["activities"]:
        if activity["id"] == "b2b-odoo":
            continue
        if activity["id"] == "visit-nasa":
            for key in ("start", "end"):
                activity[key] = (datetime.fromisoformat(activity[key]) + timedelta(hours=1)).isoformat()
        kept.append(activity)
    document["activities"] = kept
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def expected_uids(schedule: Path) -> dict[str, set[str]]:
    mission = load_mission(EXAMPLE_SMALL)
    activities = json.loads(schedule.read_text(encoding="utf-8"))["activities"]
    expected = {}
    for plan in calendar_plans(mission):
        expected[collection_id(mission, plan)] = {
            event_uid(mission, a["id"]) for a in activities if set(plan.delegate_ids) <= set(a["attendees"])
        }
    return expected


@pytest.mark.slow
def test_publish_twice_updates_in_place(radicale: str, tmp_path: Path) -> None:
    mission = load_mission(EXAMPLE_SMALL)
    status, output = publish(radicale, VALID_SMALL_SCHEDULE)
    assert status == 0, output
    first = server_contents(radicale)
    assert {c: {uid for uid, _, _ in events} for c, events in first.items()} == expected_uids(VALID_SMALL_SCHEDULE)

    changed = changed_schedule(tmp_path / "changed.json")
    status, output = publish(radicale, changed)
    assert status == 0, output
    second = server_contents(radicale)
    assert {c: {uid for uid, _, _ in events} for c, events in second.items()} == expected_uids(changed)
    for events in second.values():
        uids = [uid for uid, _, _ in events]
        assert len(uids) == len(set(uids)), "duplicates"

    moved, removed, untouched = (event_uid(mission, i) for i in ("visit-nasa", "b2b-odoo", "visit-stanford"))
    astrid = collection_id(mission, next(p for p in calendar_plans(mission) if p.id == "astrid"))
    before = {uid: (start, sequence) for uid, start, sequence in first[astrid]}
    after = {uid: (start, sequence) for uid, start, sequence in second[astrid]}
    assert after[moved][0] == before[moved][0] + timedelta(hours=1)
    assert after[moved][1] > before[moved][1]
    assert after[untouched] == before[untouched]
    odoo = collection_id(mission, next(p for p in calendar_plans(mission) if p.id == "odoo"))
    assert removed in {uid for uid, _, _ in first[odoo]}
    assert all(removed not in {uid for uid, _, _ in events} for events in second.values())
    # An event that left the programme stays as STATUS:CANCELLED, one SEQUENCE higher, where it was.
    cancelled = server_contents(radicale, cancelled=True)
    was = {uid: sequence for uid, _, sequence in first[odoo]}
    assert [(uid, sequence) for uid, _, sequence in cancelled[odoo]] == [(removed, was[removed] + 1)]
    assert {c for c, events in cancelled.items() if events} == {c for c, events in first.items()
                                                                 if removed in {uid for uid, _, _ in events}}

    status, output = publish(radicale, changed)
    assert status == 0, output
    assert server_contents(radicale) == second, "a third run with the same programme changes nothing"
    assert server_contents(radicale, cancelled=True) == cancelled


@pytest.mark.slow
def test_publish_keeps_events_it_did_not_make(radicale: str, tmp_path: Path) -> None:
    mission = load_mission(EXAMPLE_SMALL)
    assert publish(radicale, VALID_SMALL_SCHEDULE)[0] == 0
    client = caldav.DAVClient(url=radicale, username=USER, password=PASSWORD, require_tls=False)
    astrid = collection_id(mission, next(p for p in calendar_plans(mission) if p.id == "astrid"))
    collection = next(c for c in client.get_principal().get_calendars()
                      if str(c.url).rstrip("/").endswith(astrid))
    collection.add_event(dtstart=datetime(2025, 10, 6, 7, tzinfo=UTC),
                         dtend=datetime(2025, 10, 6, 8, tzinfo=UTC),
                         summary="Private call", uid="private-call@example.org")
    assert publish(radicale, changed_schedule(tmp_path / "changed.json"))[0] == 0
    assert "private-call@example.org" in {uid for uid, _, _ in server_contents(radicale)[astrid]}


@pytest.mark.slow
def test_a_renamed_delegate_renames_their_calendar(radicale: str, tmp_path: Path) -> None:
    """The collection's id stays (it is the delegate's id); its display name follows the mission's, so that
    a name corrected after the first publication is what every calendar client shows."""
    assert publish(radicale, VALID_SMALL_SCHEDULE)[0] == 0
    renamed = tmp_path / "mission.yaml"
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    assert "name: HRH Princess Astrid," in text
    renamed.write_text(text.replace("name: HRH Princess Astrid,", 'name: "HRH Princess Astrid <Belgium> & co",'),
                       encoding="utf-8")
    result = CliRunner().invoke(
        app, ["publish", str(renamed), "--schedule", str(VALID_SMALL_SCHEDULE), "--caldav", radicale,
              "--user", USER], env={"PLANNER_CALDAV_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert result.output.count("(renamed") == 1, result.output  # the table wraps names at its width
    mission = load_mission(renamed)
    astrid = next(p for p in calendar_plans(mission) if p.id == "astrid")
    client = caldav.DAVClient(url=radicale, username=USER, password=PASSWORD, require_tls=False)
    names = {str(c.url).rstrip("/").rsplit("/", 1)[-1]: c.get_display_name()
             for c in client.get_principal().get_calendars()}
    assert names[collection_id(mission, astrid)] == astrid.name
    assert astrid.name.endswith("HRH Princess Astrid <Belgium> & co")


def test_a_delegate_no_longer_in_the_mission_has_their_events_cancelled(radicale: str, tmp_path: Path) -> None:
    """The press pool leaves the mission after the first publication: the calendar published to them stays
    (it may hold their own entries), every event the mission put there is cancelled with a higher SEQUENCE,
    as a dropped activity's is; the other calendars are as before, and a second run changes nothing."""
    assert publish(radicale, VALID_SMALL_SCHEDULE)[0] == 0
    before = load_mission(EXAMPLE_SMALL)
    pool = next(plan for plan in calendar_plans(before) if plan.id == "press-pool")
    pool_events = {uid for uid, _, _ in server_contents(radicale)[collection_id(before, pool)]}
    assert pool_events, "the press pool had events to lose"
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    without = (text.replace("  - {id: press-pool, name: Press pool, role: press, size: 6}\n", "")
               .replace(", optional_attendees: [press-pool]", ""))
    assert "press-pool" not in without
    mission_path = tmp_path / "mission.yaml"
    mission_path.write_text(without, encoding="utf-8")
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    for activity in document["activities"]:
        activity["attendees"] = [who for who in activity["attendees"] if who != "press-pool"]
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps(document), encoding="utf-8")

    def again() -> str:
        result = CliRunner().invoke(
            app, ["publish", str(mission_path), "--schedule", str(schedule), "--caldav", radicale, "--user",
                  USER], env={"PLANNER_CALDAV_PASSWORD": PASSWORD, "COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return result.output

    said = again()
    assert "(no longer in the mission)" in said, said
    cancelled = server_contents(radicale, cancelled=True)[collection_id(before, pool)]
    assert {uid for uid, _, _ in cancelled} == pool_events and all(sequence >= 1 for *_, sequence in cancelled)
    assert server_contents(radicale)[collection_id(before, pool)] == []
    astrid = next(plan for plan in calendar_plans(before) if plan.id == "astrid")
    assert server_contents(radicale)[collection_id(before, astrid)], "the others' calendars stay"
    kept = server_contents(radicale, cancelled=True)
    again()
    assert server_contents(radicale, cancelled=True) == kept, "a second run cancels nothing more"


def test_wrong_password_is_a_message_not_a_traceback(radicale: str) -> None:
    status, output = publish(radicale, VALID_SMALL_SCHEDULE, password="wrong")
    assert status == 1
    assert "401" in output and "PLANNER_CALDAV_PASSWORD" in output
    assert "Traceback" not in output


def test_connection_refused_is_a_message_not_a_traceback() -> None:
    status, output = publish(f"http://127.0.0.1:{free_port()}/", VALID_SMALL_SCHEDULE)
    assert status == 1
    assert "connection refused" in output and "Traceback" not in output


@pytest.mark.parametrize("url", ["notaurl", "cal.example.org/dav/", "ftp://cal.example.org/", "https://"])
def test_a_caldav_option_that_is_no_url_is_an_input_error(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit status 2 naming --caldav and what to write, before a password is asked for; not exit 1 with
    `cannot reach the CalDAV server at notaurl: unknown host name`."""
    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD", raising=False)
    result = CliRunner().invoke(app, ["publish", str(EXAMPLE_SMALL), "--schedule", str(VALID_SMALL_SCHEDULE),
                                      "--caldav", url, "--user", "u"])
    assert result.exit_code == 2, result.output
    assert f"error: --caldav: {url!r} is not the address of a CalDAV server" in result.output
    assert "e.g. https://cal.example.org/dav/" in result.output and "Password" not in result.output


def test_password_is_never_an_option() -> None:
    result = CliRunner().invoke(app, ["publish", "--help"])
    assert "--password" not in result.output
    assert "PLANNER_CALDAV_PASSWORD" in result.output


def test_a_password_on_the_command_line_is_refused_with_what_to_do() -> None:
    result = CliRunner().invoke(app, ["publish", str(EXAMPLE_SMALL), "--schedule", str(VALID_SMALL_SCHEDULE),
                                      "--caldav", f"http://127.0.0.1:{free_port()}/", "--password", "x"])
    assert result.exit_code == 2, result.output
    assert "secrets are never read from the command line" in result.output
    assert "PLANNER_CALDAV_PASSWORD" in result.output
    assert "No such option" not in result.output and "Traceback" not in result.output


def test_password_from_environment_else_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def prompt(question: str) -> str:
        asked.append(question)
        return "typed"

    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD", raising=False)
    assert password_for("organiser", prompt) == "typed" and asked == ["CalDAV password for organiser: "]
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", "from-env")
    assert password_for("organiser", prompt) == "from-env" and len(asked) == 1


def test_publish_asks_once_and_uploads_each_event_once(radicale: str) -> None:
    """Request counts of a first publication: discovery once, nothing asked of a collection just made,
    one PUT per event; and a second publication with the same programme writes nothing."""
    from caldav.lib.http_sync import requests

    mission = load_mission(EXAMPLE_SMALL)
    plans = calendar_plans(mission)
    events = sum(len(uids) for uids in expected_uids(VALID_SMALL_SCHEDULE).values())
    sent: list[tuple[str, str]] = []
    original = requests.Session.request

    def counting(self: object, method: str, url: str, *args: object, **kwargs: object) -> object:
        sent.append((method.upper(), url))
        return original(self, method, url, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(requests.Session, "request", counting)
        assert publish(radicale, VALID_SMALL_SCHEDULE)[0] == 0
        first = list(sent)
        sent.clear()
        assert publish(radicale, VALID_SMALL_SCHEDULE)[0] == 0
    methods = [method for method, _ in first]
    puts = [url for method, url in first if method == "PUT"]
    assert len(puts) == events and len(set(puts)) == events, "each event uploaded exactly once"
    assert methods.count("MKCALENDAR") == len(plans)
    assert methods.count("REPORT") == 0, "a collection created by this run is empty: no need to ask"
    assert methods.count("PROPFIND") <= 5, "discovery once, not per calendar"
    again = [method for method, _ in sent]
    assert again.count("REPORT") == len(plans) and again.count("PROPFIND") <= 5
    assert not {"PUT", "DELETE", "MKCALENDAR", "PROPPATCH"} & set(again), "an unchanged programme writes nothing"
