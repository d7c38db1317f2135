"""`planner schema`: the JSON Schema of the mission format."""

from __future__ import annotations

import json
import sys

from planner.cli.app import app, run


@app.command()
def schema() -> None:
    """Print the JSON Schema of the mission format (for editors and the YAML language server)."""

    def action() -> int:
        from planner.mission.load import json_schema

        sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
        return 0

    run(action)
