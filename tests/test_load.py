"""The loader on valid input: example-small resolved exactly as the spec says, and every scalar form."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from planner.cli import app
from planner.domain import Accompany, Lunch, MaxPerDay, MinGap
from planner.domain.errors import InputErrors
from planner.mission.load import load_mission, load_mission_text

ROOT_EXAMPLES = ROOT / "examples"

LOS_ANGELES = ZoneInfo("America/Los_Angeles")

MINIMAL = """\
mission: {name: Test mission, timezone: Europe/Brussels}
legs:
  - {city: Brussels, from: 2025-10-24, to: 2025-10-27}
venues:
  - {id: palace, name: Royal Palace, city: Brussels}
delegates:
  - {id: astrid, name: Astrid}
activities:
  - {id: audience, title: Audience, venue: palace, duration: 1h, attendees: [astrid]}
"""


@pytest.fixture(scope="module")
def small(example_small_path):
    return load_mission(example_small_path)


def test_example_small_counts_and_order(small):
    assert small.name == "Small West Coast mission"
    assert [leg.city for leg in small.legs] == ["San Francisco", "Los Angeles"]
    assert list(small.venues) == ["fairmont", "google", "stanford", "nasa-ames", "usc", "lapd", "la-hotel"]
    assert list(small.delegates)[:2] == ["astrid", "simonet"]
    assert len(small.activities) == 9
    assert sum(d.size for d in small.delegates.values()) == 19
    assert small.grain == 5
    assert (small.day.start, small.day.end) == (8 * 60, 21 * 60)


def test_legs_resolve_dates_and_timezone(small):
    san_francisco, los_angeles = small.legs
    assert (san_francisco.first_day, san_francisco.last_day) == (date(2025, 10, 6), date(2025, 10, 7))
    assert los_angeles.days() == [date(2025, 10, 9)]
    assert san_francisco.timezone == "America/Los_Angeles"


def test_commas_inside_flow_text_stay_in_the_text(small):
    assert small.venues["fairmont"].address == "950 Mason St, San Francisco"
    assert small.venues["google"].name == "Google, Mountain View"
    assert small.venues["google"].address is None


def test_venue_fields(small):
    google = small.venues["google"]
    assert google.geo == (37.4220, -122.0841)
    assert [(r.start, r.end) for r in google.open_hours] == [(9 * 60, 17 * 60)]
    assert google.capacity == 40 and google.parallel == 1
    assert small.venues["fairmont"].parallel == 3


def test_groups_expanded_and_sorted(small):
    assert small.groups["wallonia"].members == ("jeholet", "csl", "odoo", "lasea", "fn-herstal")
    assert small.groups["wallonia"].delegates == ("csl", "fn-herstal", "jeholet", "lasea", "odoo")
    opening = small.activities["opening"]
    assert opening.attendees == ("astrid", "csl", "fn-herstal", "jeholet", "lasea", "odoo", "simonet")
    assert opening.attendee_refs == ("royal-track", "wallonia")
    assert opening.optional_attendees == ("press-pool",)


def test_times_are_aware_in_the_leg_zone(small):
    opening = small.activities["opening"]
    assert opening.fixed == datetime(2025, 10, 6, 18, 0, tzinfo=LOS_ANGELES)
    assert opening.fixed.utcoffset() == timedelta(hours=-7)
    (briefing_window,) = small.activities["wallonia-briefing"].windows
    assert briefing_window.start == datetime(2025, 10, 6, 8, 0, tzinfo=LOS_ANGELES)
    assert briefing_window.end == datetime(2025, 10, 6, 10, 0, tzinfo=LOS_ANGELES)
    (unavailable,) = small.delegates["fn-herstal"].unavailable
    assert unavailable.end.astimezone(timezone.utc) == datetime(2025, 10, 6, 19, 0, tzinfo=timezone.utc)
    assert small.activities["visit-stanford"].dates == (date(2025, 10, 7),)


def test_activity_fields(small):
    assert small.activities["b2b-odoo"].venues == ("fairmont", "stanford")
    assert small.activities["visit-nasa"].priority == 50
    assert small.activities["visit-google"].required
    assert small.activities["closing"].duration == 150
    (after,) = small.activities["demo-fn-lapd"].after
    assert (after.activity, after.gap) == ("sign-lasea-usc", 30)
    (plain_after,) = small.activities["b2b-odoo"].after
    assert (plain_after.activity, plain_after.gap) == ("wallonia-briefing", 0)


def test_rules_and_their_ids(small):
    accompany, max_per_day, min_gap, lunch = small.rules
    assert isinstance(accompany, Accompany) and accompany.id == "accompany-1"
    assert accompany.principal_delegates == ("astrid",) and accompany.kinds == ("visit", "signing")
    assert isinstance(max_per_day, MaxPerDay) and max_per_day.id == "max_per_day-2" and max_per_day.count == 3
    assert max_per_day.kinds is None
    assert isinstance(min_gap, MinGap) and min_gap.delegates == ("astrid", "simonet") and min_gap.gap == 15
    assert isinstance(lunch, Lunch) and lunch.id == "lunch-4"
    assert (lunch.between.start, lunch.between.end, lunch.duration) == (690, 840, 45)
    # the accompany rule brings simonet to the Google visit without being listed there
    assert "simonet" in small.accompaniments["visit-google"]


def _independent_minutes(a, b, speed=40.0, detour=1.3, buffer=10):
    # haversine written out differently from the loader's: law of haversines via atan2
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    dphi, dlambda = phi2 - phi1, math.radians(b[1] - a[1])
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    kilometres = 6371.0 * 2 * math.atan2(math.sqrt(h), math.sqrt(1 - h))
    return buffer + math.ceil(60 * kilometres * detour / speed)


def test_travel_table(small):
    assert small.travel[("fairmont", "google")] == 75 == small.travel[("google", "fairmont")]
    for a, b in [("google", "stanford"), ("fairmont", "stanford"), ("usc", "lapd"), ("la-hotel", "usc")]:
        expected = _independent_minutes(small.venues[a].geo, small.venues[b].geo)
        assert small.travel[(a, b)] == expected == small.travel[(b, a)]
    assert ("fairmont", "usc") not in small.travel  # different cities: no travel time
    assert small.travel_minutes("google", "google") == 0
    # 4 venues in San Francisco and 3 in Los Angeles: 4*3 + 3*2 ordered pairs
    assert len(small.travel) == 18


def test_sources_point_into_the_file(small, example_small_path):
    lines = example_small_path.read_text().splitlines()
    source = small.activities["visit-nasa"].source
    assert source.file == str(example_small_path)
    assert lines[source.line - 1][source.column - 1 :].startswith("{id: visit-nasa")
    rule_line = lines[small.rules[2].source.line - 1]
    assert "min_gap" in rule_line


def test_defaults_of_a_minimal_mission():
    mission = load_mission_text(MINIMAL)
    assert mission.grain == 5
    assert (mission.day.start, mission.day.end) == (8 * 60, 22 * 60)
    assert mission.travel_settings.speed_kmh == 35 and mission.travel_settings.buffer == 10
    audience = mission.activities["audience"]
    assert audience.kind == "meeting" and audience.priority is None and audience.venues == ("palace",)
    assert mission.venues["palace"].parallel == 1


def test_scalar_forms_read_alike():
    text = MINIMAL.replace("duration: 1h,", 'duration: "1h30m", dates: ["2025-10-24", 2025-10-25],').replace(
        "{name: Test mission, timezone: Europe/Brussels}",
        '{name: Test mission, timezone: Europe/Brussels, grain: 15, day: {start: 7:30, end: "24:00"}}',
    )
    mission = load_mission_text(text)
    assert mission.activities["audience"].duration == 90
    assert mission.activities["audience"].dates == (date(2025, 10, 24), date(2025, 10, 25))
    assert mission.grain == 15
    assert (mission.day.start, mission.day.end) == (7 * 60 + 30, 24 * 60)


@pytest.mark.parametrize(
    "written, minutes",
    [("90", 90), ("90m", 90), ("2h", 120), ("1h30m", 90), ("1h 30m", 90), ("45min", 45), ("120", 120)],
)
def test_duration_forms(written, minutes):
    mission = load_mission_text(MINIMAL.replace("duration: 1h,", f"duration: {written},"))
    assert mission.activities["audience"].duration == minutes


def test_dst_wall_clock_and_offsets():
    # Brussels leaves summer time on 2025-10-26 at 03:00: 09:00 stays 09:00 on both sides
    text = MINIMAL.replace(
        "attendees: [astrid]}",
        'attendees: [astrid], windows: [["2025-10-25 09:00", "2025-10-25 12:00"], '
        '["2025-10-26 09:00", "2025-10-27 00:00"]]}',
    )
    text += (
        "  - {id: call, title: Call, venue: palace, duration: 30m, attendees: [astrid],"
        ' fixed: "2025-10-26T09:00+01:00"}\n'
    )
    mission = load_mission_text(text)
    saturday, sunday = mission.activities["audience"].windows
    assert saturday.start.utcoffset() == timedelta(hours=2)
    assert sunday.start.utcoffset() == timedelta(hours=1)
    assert (saturday.start.hour, sunday.start.hour) == (9, 9)
    assert sunday.end == datetime(2025, 10, 27, 0, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    assert mission.activities["call"].fixed == datetime(2025, 10, 26, 8, 0, tzinfo=timezone.utc)


def test_window_may_end_at_midnight_after_the_last_day():
    text = MINIMAL.replace(
        "attendees: [astrid]}",
        'attendees: [astrid], windows: [["2025-10-27 20:00", "2025-10-27 24:00"], '
        '["2025-10-27 20:00", "2025-10-28 00:00"]]}',
    )
    first, second = load_mission_text(text).activities["audience"].windows
    assert first.end == second.end == datetime(2025, 10, 28, 0, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def test_leg_timezone_overrides_the_mission():
    text = MINIMAL.replace("to: 2025-10-27}", "to: 2025-10-27, timezone: Asia/Tokyo}").replace(
        "attendees: [astrid]}", 'attendees: [astrid], fixed: "2025-10-24 10:00"}'
    )
    mission = load_mission_text(text)
    assert mission.legs[0].timezone == "Asia/Tokyo"
    assert mission.activities["audience"].fixed.utcoffset() == timedelta(hours=9)


def test_rule_id_extension_and_optional_attendees_never_required():
    text = MINIMAL.replace("attendees: [astrid]}", "attendees: [astrid], optional_attendees: [astrid, team]}")
    text = text.replace(
        "delegates:\n  - {id: astrid, name: Astrid}",
        "delegates:\n  - {id: astrid, name: Astrid}\n  - {id: bob, name: Bob, size: 4}\n"
        "groups:\n  - {id: team, members: [bob, inner]}\n  - {id: inner, members: [astrid]}",
    )
    text += 'rules:\n  - {id: royal-lunch, lunch: {who: team, between: ["12:00", "14:00"], duration: 1h}}\n'
    text += "  - max_per_day: {who: bob, count: 2, kinds: [meeting]}\n"
    mission = load_mission_text(text)
    assert [rule.id for rule in mission.rules] == ["royal-lunch", "max_per_day-2"]
    assert mission.groups["team"].delegates == ("astrid", "bob")
    assert mission.activities["audience"].optional_attendees == ("bob",)


def test_travel_default_and_explicit_entries():
    text = MINIMAL.replace(
        "  - {id: palace, name: Royal Palace, city: Brussels}",
        "  - {id: palace, name: Royal Palace, city: Brussels}\n"
        "  - {id: egmont, name: Egmont, city: Brussels}\n"
        "  - {id: bozar, name: Bozar, city: Brussels, geo: [50.8443, 4.3599]}",
    )
    text += "  - {id: talk, title: Talk, venues: [egmont, bozar], duration: 1h, attendees: [astrid]}\n"
    text += "travel:\n  default: 20m\n  times:\n    - [palace, egmont, 5]\n"
    mission = load_mission_text(text)
    assert mission.travel[("egmont", "palace")] == 5
    assert mission.travel[("bozar", "palace")] == 20
    assert mission.travel[("egmont", "bozar")] == 20


def test_validate_command_prints_the_summary(example_small_path):
    result = CliRunner().invoke(app, ["validate", str(example_small_path)])
    assert result.exit_code == 0, result.output
    for expected in (
        "Small West Coast mission",
        "San Francisco",
        "headcount",
        "19",
        "royal-track",
        "visit",
        "max_per_day-2",
    ):
        assert expected in result.output


# --- the YAML layer -----------------------------------------------------------------------------------


@pytest.fixture(params=["libyaml", "ruamel"])
def composer(request, monkeypatch):
    """Both YAML back ends: libyaml through PyYAML (fast) and ruamel.yaml (the fallback)."""
    import planner.mission.yaml_reader as load_module

    if request.param == "ruamel":
        from ruamel.yaml import YAML

        monkeypatch.setattr(load_module, "_EVENTS", YAML(typ="safe", pure=True).parse)
    else:
        yaml = pytest.importorskip("yaml")
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML without libyaml")
        monkeypatch.setattr(load_module, "_EVENTS", lambda text: yaml.parse(text, Loader=yaml.CSafeLoader))
    return request.param


def test_both_yaml_back_ends_read_the_same_mission(composer, example_small_path):
    mission = load_mission(example_small_path)
    assert mission == load_mission_text(
        example_small_path.read_text(encoding="utf-8"), str(example_small_path)
    )
    assert mission.venues["fairmont"].address == "950 Mason St, San Francisco"
    assert mission.activities["visit-nasa"].source.line == 51
    assert mission.delegates["simonet"].source.column == 5


def test_both_yaml_back_ends_point_at_the_same_place(composer):
    text = MINIMAL.replace("duration: 1h,", "duration: ninety,")
    with pytest.raises(InputErrors) as caught:
        load_mission_text(text)
    (error,) = caught.value.errors
    assert (error.source.line, error.source.column) == (9, text.splitlines()[8].index("ninety") + 1)


@pytest.mark.parametrize(("written", "opener", "column"), [
    ("  - {id: astrid, name: Élisabeth Astrid\n", "{", 5),
    ("  - {id: astrid, name: Élisabeth Astrid, roles: [a, b\n", "[", 49),  # after `É`: characters
])
def test_both_yaml_back_ends_point_at_a_bracket_left_open(composer, written, opener, column):
    text = MINIMAL.replace("  - {id: astrid, name: Astrid}\n", written)
    with pytest.raises(InputErrors) as caught:
        load_mission_text(text, "m.yaml")
    (error,) = caught.value.errors
    assert (error.source.line, error.source.column) == (7, column)
    assert written[column - 1] == opener
    assert f"the `{opener}` opened here is not closed" in error.message
    assert "at line 8, column " in error.message  # where the parser noticed it: `activities:` below


@pytest.mark.parametrize("written", ['"delegates" astrid\n', "delegates:\n  [x]: 1\n  - astrid\n"])
def test_a_closed_quote_or_bracket_that_begins_a_broken_key_is_not_said_to_be_open(composer, written):
    # The parser marks where the key or block began, at its `"` or `[`, which is closed.
    with pytest.raises(InputErrors) as caught:
        load_mission_text(MINIMAL.replace("delegates:\n", written), "m.yaml")
    (error,) = caught.value.errors
    assert "YAML syntax" in error.message and "not closed" not in error.message


def test_yaml_1_2_scalars():
    # YAML 1.1 would read `no` as false and 08:30 as the number 510
    text = MINIMAL.replace("name: Test mission", "name: no").replace(
        "timezone: Europe/Brussels}", "timezone: Europe/Brussels, day: {start: 08:30, end: 18:00}}"
    )
    mission = load_mission_text(text)
    assert mission.name == "no"
    assert (mission.day.start, mission.day.end) == (510, 1080)


def test_anchors_aliases_and_merge_keys():
    text = MINIMAL.replace(
        "delegates:\n  - {id: astrid, name: Astrid}",
        "delegates:\n  - &company {id: odoo, name: Odoo, role: company, size: 3}\n"
        "  - {<<: *company, id: lasea, name: LASEA}\n  - {id: astrid, name: Astrid}",
    )
    mission = load_mission_text(text)
    assert mission.delegates["lasea"].role == "company" and mission.delegates["lasea"].size == 3
    assert mission.delegates["lasea"].name == "LASEA"


def test_a_byte_order_mark_is_ignored():
    assert load_mission_text("\ufeff" + MINIMAL).name == "Test mission"


def test_an_offset_datetime_belongs_to_the_leg_of_its_local_date():
    # 01:00 on the 28th in UTC+9 is still the 27th, 17:00, in Brussels: inside the leg
    text = MINIMAL.replace("attendees: [astrid]}", 'attendees: [astrid], fixed: "2025-10-28T01:00+09:00"}')
    fixed = load_mission_text(text).activities["audience"].fixed
    assert fixed.astimezone(ZoneInfo("Europe/Brussels")) == datetime(
        2025, 10, 27, 17, 0, tzinfo=ZoneInfo("Europe/Brussels")
    )


def test_the_documented_example_loads():
    from conftest import ROOT

    documentation = (ROOT / "docs" / "mission-format.md").read_text(encoding="utf-8")
    section = documentation[documentation.index("## A complete small mission") :]
    example = section[
        section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", section.index("```yaml"))
    ]
    mission = load_mission_text(example, "docs/mission-format.md")
    assert [leg.city for leg in mission.legs] == ["San Francisco", "Los Angeles"]
    assert mission.travel[("google", "fairmont")] == 75
    assert [rule.id for rule in mission.rules] == ["accompany-1", "lunch-2"]


def test_every_example_mission_loads():
    from conftest import ROOT

    for path in sorted((ROOT / "examples").glob("*/mission.yaml")):
        mission = load_mission(path)
        assert mission.activities and mission.delegates, path


def test_a_rule_may_name_a_kind_no_activity_has_yet():
    text = MINIMAL + "rules:\n  - max_per_day: {who: astrid, count: 1, kinds: [ceremony]}\n"
    (rule,) = load_mission_text(text).rules
    assert rule.kinds == ("ceremony",)


def test_windows_line_endings_read_the_same(example_small_path):
    text = example_small_path.read_text(encoding="utf-8")
    crlf = load_mission_text(text.replace("\n", "\r\n"), str(example_small_path))
    assert crlf == load_mission(example_small_path)
    assert crlf.venues["google"].name == "Google, Mountain View"


def test_the_summary_folds_a_kind_with_many_groups_into_one_line_with_ranges():
    flagship = ROOT_EXAMPLES / "west-coast-2025" / "mission.yaml"
    result = CliRunner().invoke(app, ["validate", str(flagship)], terminal_width=100)
    assert result.exit_code == 0, result.output
    sectors = [g for g in load_mission(flagship).groups.values() if g.kind == "sector"]
    assert len(sectors) > 8
    assert f"{len(sectors)} groups" in result.output
    assert "royal-track" in result.output  # a kind with few groups lists each of them
    groups_table = result.output.split("Activities by kind")[0]  # B2B session ids below hold sector ids
    assert all(g.id not in groups_table for g in sectors)


def test_a_window_of_two_dates_is_those_days_whole():
    """`unavailable: [["2025-10-25", "2025-10-26"]]`: from the 25th's start to the 26th's end, local time
    (as a person blocks days in a diary); a date and a time at one end and a date at the other is refused."""
    text = MINIMAL.replace("{id: astrid, name: Astrid}",
                           '{id: astrid, name: Astrid, unavailable: [["2025-10-25", "2025-10-26"]]}')
    astrid = load_mission_text(text).delegates["astrid"]
    brussels = ZoneInfo("Europe/Brussels")
    (window,) = astrid.unavailable
    assert (window.start, window.end) == (datetime(2025, 10, 25, tzinfo=brussels),
                                          datetime(2025, 10, 27, tzinfo=brussels))
    with pytest.raises(InputErrors, match="is not a datetime"):
        load_mission_text(text.replace('"2025-10-26"]', '"2025-10-26 12:00"]'))
