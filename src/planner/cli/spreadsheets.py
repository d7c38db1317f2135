"""Commands for spreadsheets: `planner import` (registrations into a mission file), `planner convert`
(YAML ⇄ workbook) and `planner template` (an empty mission workbook)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from planner.cli.app import app, console, errors_console, run


def _ids(ids: list[str], limit: int = 12) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="Registrations: a CSV file or an xlsx workbook.",
                                         show_default=False)],
    into: Annotated[Path, typer.Option("--into", help="The mission file (mission.yaml) to add them to.")],
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help='COLUMN=key for a column whose header planner does not know, e.g. '
                      '"Nom du contact=name"; COLUMN=- ignores it.')] = None,
    groups: Annotated[bool, typer.Option("--groups", help="Add the delegates to a group per region and per "
                                                          "sector (created when missing).")] = False,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The sheet of an xlsx file (default: "
                                                                 "Delegates, else the first).")] = None,
) -> None:
    """Import registrations (one delegate per row) into a mission file, keeping its comments and layout."""

    def action() -> int:
        from planner.mission.import_registrations import import_registrations

        report = import_registrations(file, into, map_ or [], groups, sheet)
        for note in report.notes:
            errors_console.print(f"[bold yellow]note[/]: {escape(str(note.source))}: {escape(note.message)}",
                                 highlight=False, soft_wrap=True)
        lines = [f"{report.rows} registration{'s' if report.rows != 1 else ''} read from {file}"]
        if report.added:
            lines.append(f"added {len(report.added)}: {_ids(report.added)}")
        if report.updated:
            lines.append(f"updated {len(report.updated)}: {_ids(report.updated)}")
        if report.unchanged:
            lines.append(f"already as registered: {len(report.unchanged)}")
        if report.groups_added or report.groups_updated:
            lines.append(f"groups added: {_ids(report.groups_added) or 'none'}; "
                         f"groups completed: {_ids(report.groups_updated) or 'none'}")
        for mapped in report.mapped:
            lines.append(f"{'region' if mapped.kind == 'delegation' else 'sector'} {mapped.written!r} is the "
                         f"mission's `{mapped.id}` ({mapped.how})")
        if report.ignored_columns:
            ignored = ", ".join(report.ignored_columns)
            lines.append(f"columns ignored: {ignored} (use --map COLUMN=key to use one)")
        if report.blank_rows:
            lines.append(f"blank rows skipped: {report.blank_rows}")
        written = report.added or report.updated or report.groups_added or report.groups_updated
        lines.append(f"wrote {into}" if written else f"{into} unchanged")
        console.print("\n".join(lines), highlight=False, markup=False)
        return 0

    run(action)


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="The mission: mission.yaml or mission.xlsx.",
                                           show_default=False)],
    target: Annotated[Path, typer.Argument(help="The file to write: .xlsx or .yaml.", show_default=False)],
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the target if it is already there.")] = False,
) -> None:
    """Write a mission as a workbook (.xlsx) or as YAML: the same mission, checked first."""

    def action() -> int:
        from planner.mission.convert import check_target
        from planner.mission.convert import convert as convert_mission
        from planner.mission.output_folder import refuse_to_replace

        if not target.is_dir():  # a folder: refused as such below
            check_target(target)
        refuse_to_replace(target, "--force", force=force)
        mission = convert_mission(source, target)
        console.print(f"wrote {target}: {mission.name} ({len(mission.delegates)} delegates, "
                      f"{len(mission.activities)} activities)", highlight=False, markup=False)
        return 0

    run(action)


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", help="The workbook to write.")] = Path("mission.xlsx"),
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the workbook if it is already there.")] = False,
) -> None:
    """Write an empty mission workbook: a sheet per section, headers, drop-down lists and a "How to"."""

    def action() -> int:
        from planner.domain.errors import InputError, InputErrors
        from planner.domain.mission import Source
        from planner.mission.output_folder import refuse_to_replace
        from planner.mission.workbook import is_workbook, write_template

        if not is_workbook(out) and not out.is_dir():  # a folder: refused as such below
            raise InputErrors([InputError(Source.command_line("--out"), (
                f"{out}: the template is a workbook; name it .xlsx, e.g. {out.with_suffix('.xlsx').name}"))])
        refuse_to_replace(out, "--force", named_by="--out", force=force)
        write_template(out)
        console.print(f"wrote {out}: fill it in, then `planner validate {out}`",
                      highlight=False, markup=False)
        return 0

    run(action)
