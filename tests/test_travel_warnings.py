"""Travel times longer than going through another venue: the loader warns (docs/solving.md, known limits)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE_SMALL
from typer.testing import CliRunner

from planner.cli import app
from planner.mission.lint import TRAVEL_WARNINGS_SHOWN, travel_warnings
from planner.mission.load import load_mission_text

SMALL_TEXT = EXAMPLE_SMALL.read_text(encoding="utf-8")
GOOGLE_ENTRY = "    - [fairmont, google, 75m]\n"
LONG_ENTRY = "    - [fairmont, stanford, 240m]\n"


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.fixture(scope="module")
def with_long_entry() -> str:
    assert GOOGLE_ENTRY in SMALL_TEXT
    return SMALL_TEXT.replace(GOOGLE_ENTRY, GOOGLE_ENTRY + LONG_ENTRY)


def test_example_small_breaks_a_triangle_only_by_less_than_any_stop():
    mission = load_mission_text(SMALL_TEXT, "example-small.yaml")
    travel = mission.travel
    # fairmont → google → nasa-ames is quicker than the direct time, but not with the 2 h visit at google.
    via_google = travel[("fairmont", "google")] + travel[("google", "nasa-ames")]
    assert travel[("fairmont", "nasa-ames")] > via_google
    assert travel_warnings(mission) == []


def test_a_short_stop_between_makes_the_triangle_matter():
    text = SMALL_TEXT.replace("venue: google, duration: 2h", "venue: google, duration: 15m")
    assert text != SMALL_TEXT
    mission = load_mission_text(text, "short-google.yaml")
    warnings = travel_warnings(mission)
    assert len(warnings) == 1
    direct, first, second = (mission.travel[pair] for pair in
                             (("fairmont", "nasa-ames"), ("fairmont", "google"), ("google", "nasa-ames")))
    message = warnings[0].message
    assert f"travel fairmont → nasa-ames ({direct} min)" in message
    assert f"via google ({first} + {second} min) with a 15m stop" in message
    assert f"`[fairmont, nasa-ames, {first + second}m]`" in message
    # fairmont–nasa-ames is computed from geo: the warning points at the written time that breaks it.
    source = warnings[0].source
    assert (source.file, source.line) == ("short-google.yaml", _line_of(text, GOOGLE_ENTRY))


def test_a_long_explicit_time_is_reported_at_its_entry(with_long_entry):
    mission = load_mission_text(with_long_entry, "long.yaml")
    warnings = travel_warnings(mission)
    assert [w.source.line for w in warnings] == [_line_of(with_long_entry, LONG_ENTRY)]
    via = mission.travel[("fairmont", "google")] + mission.travel[("google", "stanford")]
    assert "travel fairmont → stanford (240 min)" in warnings[0].message
    assert f"`[fairmont, stanford, {via}m]`" in warnings[0].message


def test_a_workbook_is_told_of_a_row_of_its_travel_sheet(with_long_entry, tmp_path):
    from planner.mission.convert import convert
    from planner.mission.load import load_mission

    yaml = tmp_path / "long.yaml"
    yaml.write_text(with_long_entry, encoding="utf-8")
    convert(yaml, tmp_path / "long.xlsx")
    (warning,) = travel_warnings(load_mission(tmp_path / "long.xlsx"))
    via = load_mission(yaml).travel[("fairmont", "google")] + load_mission(yaml).travel[("google", "stanford")]
    assert str(warning.source).endswith("long.xlsx:Travel!A3")
    assert f"set `fairmont | stanford | {via}m` (or less) on the Travel sheet" in warning.message
    assert "travel.times" not in warning.message


def test_times_computed_from_geo_give_no_warning():
    text = SMALL_TEXT.replace(GOOGLE_ENTRY, "").replace("  times:\n", "")
    mission = load_mission_text(text, "computed.yaml")
    assert not any(pair in mission.travel_sources for pair in mission.travel)
    assert travel_warnings(mission) == []


def _mission_with_hub(spokes: int) -> str:
    """A hub far away (by geo) from `spokes` venues, with a 5-minute written time to a venue among them."""
    venues = ["  - {id: hub, name: Hub, city: Brussels, geo: [51.2, 4.4]}",
              "  - {id: near, name: Near, city: Brussels, geo: [50.85, 4.35]}"]
    venues += [f"  - {{id: spoke-{i:02d}, name: Spoke {i}, city: Brussels, geo: [50.85, {4.36 + i / 1000}]}}"
               for i in range(spokes)]
    activities = ["  - {id: at-hub, title: Hub, venue: hub, duration: 1h, attendees: [astrid]}",
                  "  - {id: at-near, title: Near, venue: near, duration: 15m, attendees: [astrid]}"]
    activities += [f"  - {{id: at-{i:02d}, title: Spoke {i}, venue: spoke-{i:02d}, duration: 1h, "
                   "attendees: [astrid]}" for i in range(spokes)]
    return "\n".join([
        "mission: {name: Hub mission, timezone: Europe/Brussels}",
        "legs:", "  - {city: Brussels, from: 2025-10-24, to: 2025-10-27}",
        "venues:", *venues,
        "delegates:", "  - {id: astrid, name: Astrid}",
        "activities:", *activities,
        "travel:", "  times:", "    - [hub, near, 5m]", "",
    ])


def test_the_worst_ten_are_listed_then_a_count_of_the_rest():
    spokes = TRAVEL_WARNINGS_SHOWN + 3
    mission = load_mission_text(_mission_with_hub(spokes), "hub.yaml")
    warnings = travel_warnings(mission)
    assert len(warnings) == TRAVEL_WARNINGS_SHOWN + 1
    assert all("travel hub → spoke-" in w.message and "via near" in w.message for w in warnings[:-1])
    assert warnings[-1].message.startswith("and 3 more travel times")
    travel = mission.travel
    spoke_ids = [f"spoke-{i:02d}" for i in range(spokes)]
    excess = {s: travel[("hub", s)] - (travel[("hub", "near")] + 15 + travel[("near", s)]) for s in spoke_ids}
    worst_first = sorted(spoke_ids, key=lambda s: (-excess[s], s))
    assert min(excess.values()) > 0
    shown = [w.message.split("travel hub → ", 1)[1].split(" ", 1)[0] for w in warnings[:-1]]
    assert shown == worst_first[:TRAVEL_WARNINGS_SHOWN]


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_cli_prints_the_warning_and_still_succeeds(command, with_long_entry, tmp_path):
    path = tmp_path / "mission.yaml"
    path.write_text(with_long_entry, encoding="utf-8")
    arguments = [command, str(path)]
    if command == "solve":
        arguments += ["--out", str(tmp_path / "out"), "--time-limit", "20", "--quiet"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.stderr.splitlines() if line.startswith("warning:"))
    assert f"{path}:{_line_of(with_long_entry, LONG_ENTRY)}:" in warning
    assert "fairmont → stanford" in warning
    assert "warning:" not in result.stdout
