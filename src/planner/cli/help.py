"""What every command's `--help` ends with: examples to copy and the exit statuses it returns (the
table of docs/limits.md, one command at a time).

Kept in one place (not in each command's docstring, whose first line is its one-line purpose) so that the
commands read the same way and a test can hold every command to it. Help is click's plain layout: flags
read as switches (`--quiet`, `--dry-run`), never as `--quiet <bool>`.
"""

from __future__ import annotations

import typer

EXAMPLES: dict[str, tuple[str, ...]] = {
    "validate": ("planner validate mission.yaml", "planner validate mission.xlsx"),
    "check": ("planner check mission.yaml out/schedule.json",
              "planner check mission.yaml replanned/schedule.json --baseline out/schedule.json"),
    "schema": ("planner schema > mission.schema.json", "planner schema --schedule > schedule.schema.json"),
    "solve": ("planner solve mission.yaml --out out",
              "planner solve mission.yaml --out out --time-limit 30 --quiet"),
    "calendars": ("planner calendars mission.yaml --schedule out/schedule.json --out out/calendars",),
    "publish": ("PLANNER_CALDAV_PASSWORD=… planner publish mission.yaml --schedule out/schedule.json "
                "--caldav https://cal.example.org/dav/ --user mission",),
    "itinerary": ("planner itinerary mission.yaml --schedule out/schedule.json --delegate astrid",
                  "planner itinerary mission.yaml --schedule out/schedule.json --group wallonia "
                  "--format pdf --out wallonia.pdf",
                  "planner itinerary mission.yaml --schedule out/schedule.json --delegate astrid --lang fr"),
    "replan": ('planner replan mission.yaml --baseline out/schedule.json --now "2025-10-07 12:00" '
               "--notice 2h --out replanned",),
    "diff": ("planner diff out/schedule.json replanned/schedule.json --mission mission.yaml",
             "planner diff out/schedule.json replanned/schedule.json --html changes.html"),
    "notify": ('planner notify replanned --smtp mail.example.org:587 --from "Mission team '
               '<mission@example.org>" --user mission',
               'planner notify replanned --smtp localhost:25 --from mission@example.org --dry-run'),
    "import": ("planner import registrations.xlsx --into mission.yaml --groups",
               'planner import inscriptions.csv --into mission.yaml --map "Nom du contact=name"'),
    "convert": ("planner convert mission.yaml mission.xlsx", "planner convert mission.xlsx mission.yaml"),
    "template": ("planner template --out mission.xlsx",),
}

INPUT_ERROR = ("2 invalid input or option (each error named where it stands: file:line:column, "
               "file:Sheet!cell or the option; nothing written)")
OUT_ERROR = ("2 invalid input, option or --out (each error named where it stands: file:line:column, "
             "file:Sheet!cell or the option; nothing written)")
"""A command that writes into --out also refuses an --out it cannot or may not write into."""
EXIT_STATUSES: dict[str, tuple[str, ...]] = {
    "validate": ("0 the mission is valid", INPUT_ERROR),
    "check": ("0 the schedule keeps every rule", "1 it breaks a rule (each violation is listed)",
              INPUT_ERROR),
    "schema": ("0 the schema was printed",),
    "solve": ("0 a programme was written",
              "1 no programme: infeasible (proved) or unknown (time limit), schedule.json says why; "
              "or the solver crashed", OUT_ERROR, "130 interrupted (the best programme found is kept)"),
    "calendars": ("0 the calendars were written", "1 the schedule holds no programme", OUT_ERROR),
    "publish": ("0 every calendar was published", "1 no programme, or the server refused or failed",
                INPUT_ERROR),
    "itinerary": ("0 printed or written", "1 the schedule holds no programme, or PDF needs WeasyPrint",
                  OUT_ERROR),
    "replan": ("0 a programme was written", "1 none exists with the frozen part kept", OUT_ERROR,
               "130 interrupted"),
    "diff": ("0 the report was printed", "1 a schedule holds no programme", INPUT_ERROR),
    "notify": ("0 every message was sent (or written, with --dry-run)", "1 the server failed or refused "
               "some", INPUT_ERROR),
    "import": ("0 the mission file was updated", INPUT_ERROR),
    "convert": ("0 written", INPUT_ERROR),
    "template": ("0 written", OUT_ERROR),
}


def epilog(command: str) -> str:
    """Examples and exit statuses, laid out for click's help (`\\b` keeps a paragraph's lines as they are)."""
    examples = "\n".join(f"  {line}" for line in EXAMPLES[command])
    statuses = "\n".join(f"  {line}" for line in EXIT_STATUSES[command])
    return f"\b\nExamples:\n{examples}\n\n\b\nExit status:\n{statuses}"


def command_name(info: typer.models.CommandInfo) -> str:
    callback = info.callback
    return info.name or (callback.__name__.rstrip("_").replace("_", "-") if callback else "")


PROGRAM_EPILOG = (
    "\b\nExamples:\n  planner validate mission.yaml\n  planner solve mission.yaml --out out\n"
    "  planner itinerary mission.yaml --schedule out/schedule.json --delegate astrid\n"
    "  planner COMMAND --help\n\n\b\nExit status:\n  0 success\n"
    "  1 no valid programme (infeasible, unknown, or a schedule that breaks a rule), or a server failed\n"
    f"  {INPUT_ERROR}"
)


def add_examples_and_statuses(app: typer.Typer) -> None:
    """Every registered command's help ends with its examples and exit statuses; so does `planner --help`."""
    app.info.epilog = PROGRAM_EPILOG
    for info in app.registered_commands:
        name = command_name(info)
        if name in EXAMPLES:
            info.epilog = epilog(name)
