"""Helpers of the re-planning tests: edited mission files, re-plans through the library and the command."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from planner.domain import Mission, Source
from planner.domain.replan import Replan, resolve_replan
from planner.domain.schedule import Schedule
from planner.mission.load import load_mission, load_mission_text
from planner.pipeline import solve_replan
from planner.solver.solve import SolveOptions

OPTIONS = SolveOptions(time_limit=20, workers=2, seed=0, progress=False)


def without_activity(text: str, activity_id: str) -> str:
    """The mission text with one activity entry (a flow mapping, maybe on several lines) left out."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"- {{id: {activity_id},"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" " * (len(lines[start]) - len(lines[start].lstrip()) + 3)):
        end += 1
    return "\n".join(lines[:start] + lines[end:])


def with_key(text: str, entry_id: str, key: str) -> str:
    """The mission text with `key` (e.g. `pinned: true`) added to the flow mapping of `entry_id`."""
    marker = f"{{id: {entry_id},"
    assert marker in text, entry_id
    return text.replace(marker, f"{marker} {key},", 1)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def replan(mission: Mission, baseline: Schedule, now: str, notice: int = 0) -> tuple[Replan, Schedule]:
    plan = resolve_replan(mission, baseline, datetime.fromisoformat(now), notice,
                          lambda needle: Source("baseline.json", 1, 1))
    return plan, solve_replan(plan, OPTIONS)


def load(path: Path | str, text: str | None = None) -> Mission:
    return load_mission_text(text, str(path)) if text is not None else load_mission(path)


def run(*arguments: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, [str(a) for a in arguments], env=env or {})
