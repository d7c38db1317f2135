"""`planner validate`: the mission file on its own, with a short summary and its warnings."""

from __future__ import annotations

from planner.cli.app import MissionArgument, app, console, run, warn


@app.command()
def validate(mission: MissionArgument) -> None:
    """Load and validate a mission file; print a short summary."""

    def action() -> int:
        from planner.cli.summary import summary
        from planner.mission.lint import mission_warnings
        from planner.mission.load import load_mission

        loaded = load_mission(mission)
        console.print(summary(loaded))
        warn(mission_warnings(loaded))
        return 0

    run(action)
