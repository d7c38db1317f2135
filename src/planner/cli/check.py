"""`planner check`: a schedule against every hard rule of its mission, independently of the solver."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.app import MissionArgument, app, console, run


@app.command()
def check(mission: MissionArgument,
          schedule: Annotated[Path, typer.Argument(help="The schedule.json to check.", show_default=False)],
          ) -> None:
    """Check a schedule against every hard rule of the mission (independently of the solver)."""

    def action() -> int:
        from planner.check import check_schedule
        from planner.cli.check_report import print_report
        from planner.mission.load import load_mission
        from planner.mission.schedule_file import read_schedule

        loaded = load_mission(mission)
        violations = check_schedule(loaded, read_schedule(schedule))
        print_report(loaded, violations, console)
        return 1 if violations else 0

    run(action)
