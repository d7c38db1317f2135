"""The overview picture draws text from the mission as plain text of bounded length: a `$` is never read as
matplotlib mathtext (a title such as `Cost $\\frac{$` made the picture, and so `planner solve`, fail), and
long names, titles and reasons are cut before matplotlib measures them, so that the picture's cost does not
grow with the length of the text (issue 12, finding 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from planner.mission.load import load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.views.overview import write_overview

MATH = r"Cost $\frac{$ x"


def mission_and_schedule(tmp_path: Path, title: str, name: str, reason: str):
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    quoted = title.replace("'", "''")
    text = text.replace("Visit to Google", f"'{quoted}'").replace("name: Small West Coast mission", f"name: '{name}'")
    mission = load_mission_text(text, "mission.yaml")
    document = json.loads(VALID_SMALL_SCHEDULE.read_text(encoding="utf-8"))
    document["mission"] = name
    for activity in document["activities"]:
        if activity["id"] == "visit-google":
            activity["title"] = title
    document["activities"] = [a for a in document["activities"] if a["id"] != "visit-nasa"]
    document["unscheduled"] = [{"id": "visit-nasa", "reason": reason}]
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return mission, read_schedule(path)


def test_a_dollar_in_a_title_is_text_not_mathtext(tmp_path: Path) -> None:
    mission, schedule = mission_and_schedule(tmp_path, MATH, f"Mission {MATH}", f"reason {MATH}")
    written = write_overview(mission, schedule, tmp_path)
    assert (tmp_path / "overview.png").read_bytes().startswith(b"\x89PNG")
    assert len(written) == 2


def test_long_text_is_cut_before_it_is_drawn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    original_text, original_title = Axes.text, Figure.suptitle

    def text(self, x, y, s, *args, **kwargs):
        drawn.append(str(s))
        return original_text(self, x, y, s, *args, **kwargs)

    def suptitle(self, t, **kwargs):
        drawn.append(str(t))
        return original_title(self, t, **kwargs)

    monkeypatch.setattr(Axes, "text", text)
    monkeypatch.setattr(Figure, "suptitle", suptitle)
    mission, schedule = mission_and_schedule(tmp_path, "T" * 200, "N" * 200, "R" * 100_000)
    write_overview(mission, schedule, tmp_path)
    assert drawn, "nothing was drawn"
    assert max(len(line) for piece in drawn for line in piece.splitlines()) <= 120, \
        max(drawn, key=len)[:200]
    assert sum(len(piece) for piece in drawn) < 20_000
