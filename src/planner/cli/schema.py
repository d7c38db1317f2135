"""`planner schema`: the JSON Schema of the mission format, or of schedule.json with --schedule."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from planner.cli.app import app, run


@app.command()
def schema(schedule: Annotated[bool, typer.Option(
        "--schedule", help="The JSON Schema of schedule.json instead of the mission's.")] = False) -> None:
    """Print the JSON Schema of the mission format (for editors and the YAML language server)."""

    def action() -> int:
        from planner.mission.load import json_schema
        from planner.mission.schedule_schema import schedule_json_schema

        document = schedule_json_schema() if schedule else json_schema()
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0

    run(action)
