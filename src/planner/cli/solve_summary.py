"""`planner solve`: plan, write the outputs, print the summary and the per-day table."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.cli.app import written_after_ctrl_c
from planner.cli.progress import gap, live_progress, number
from planner.domain import Mission
from planner.domain.errors import Interrupted
from planner.domain.schedule import Schedule
from planner.isolated import plan_isolated
from planner.mission.output_folder import StagedFolder
from planner.pipeline import PlanOptions
from planner.solver.options import SolveOptions
from planner.views.overview import DrawAhead, day_table


def run_solve(mission: Mission, options: SolveOptions | PlanOptions, out_dir: Path, console: Console,
              staged: StagedFolder | None = None) -> int:
    """`planner solve`: solve, write the outputs, print a summary; 0 with a programme, 1 without, 130 when
    Ctrl-C stopped the search (what it had found is written).
    `staged`: the output's staging folder, made before solving (so that an unwritable --out is said first)."""
    from planner.views.outputs import prepare_writing, write_outputs

    plan_options = options if isinstance(options, PlanOptions) else PlanOptions(options)
    # The solver works in its own process: this one imports and compiles what writing will need meanwhile,
    # and makes the output's files ahead (joined before writing, which forks: a fork must not copy an
    # import half done). Started once the solver's child has the mission: its imports hold the interpreter
    # lock, and started before, they delayed the handing over by 0.05-0.1 s.
    solved = threading.Event()
    preparing = threading.Thread(target=prepare_writing,
                                 args=(mission, staged.path if staged is not None else None, solved),
                                 name="planner-prepare-views", daemon=True)
    # The overview's pictures drawn here while the solver's process matches the B2B meetings.
    ahead = DrawAhead(mission)
    interrupted = False
    try:
        with live_progress(plan_options.programme, console) as (watched, on_phase):
            # In a child process: a crash of the solver's native code becomes one message (planner.isolated).
            schedule = plan_isolated(mission, replace(plan_options, programme=watched), on_phase=on_phase,
                                     on_programme=ahead.start, on_started=preparing.start)
    except Interrupted as stopped:  # Ctrl-C stopped the search: its best is written, and the status says so
        schedule, interrupted = stopped.schedule, True
    finally:
        solved.set()
        ahead.stop()
        if preparing.ident is not None:  # started with the solver
            preparing.join()
    written = write_outputs(mission, schedule, out_dir, staged)
    print_summary(mission, schedule, console)
    if schedule.has_programme:
        console.print(day_table(mission, schedule))
    plural = "s" if len(written) != 1 else ""
    console.print(f"wrote {len(written)} file{plural} to {out_dir}", highlight=False)
    if interrupted:
        return written_after_ctrl_c(console)
    return 0 if schedule.has_programme else 1


def print_summary(mission: Mission, schedule: Schedule, console: Console) -> None:
    colour = {"optimal": "green", "feasible": "yellow"}.get(schedule.status, "red")
    table = Table(title=f"{escape(mission.name)}: [{colour}]{schedule.status}[/]", show_header=False,
                  box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("objective", number(schedule.objective))
    table.add_row("bound", number(schedule.bound))
    table.add_row("gap", gap(schedule.objective, schedule.bound))
    gaps = schedule.objective_gaps or {}
    for name, value in (schedule.objectives or {}).items():
        bound = (schedule.objective_bounds or {}).get(name)
        # Each term's own gap: the combined one above hides a travel gap behind the weight of the others.
        own = f", gap {gaps[name]:.1%}" if name in gaps else ""
        shown = f"{value:,}" + ("" if bound is None or bound == value else f" (bound {bound:,}{own})")
        table.add_row(name.replace("_", " "), shown)
    table.add_row("time", f"{schedule.solve_seconds:.1f} s")
    if schedule.has_programme:
        table.add_row("placed", f"{len(schedule.activities)} of {len(mission.activities)} activities")
    if schedule.meetings is not None:
        left = len(schedule.unscheduled_meetings)
        status = schedule.matching.status if schedule.matching is not None else "unknown"
        table.add_row("B2B meetings", f"{len(schedule.meetings)} scheduled, {left} left out ({status})")
    console.print(table)
    if schedule.status == "unknown":
        console.print("  no schedule was found within the time limit: give it more with --time-limit",
                      highlight=False)
    for entry in schedule.unscheduled:
        console.print(f"  left out [bold]{escape(entry.id)}[/]: {escape(entry.reason)}", highlight=False)
    for conflict in schedule.conflicts:
        # Messages quote the mission's own titles, which may hold brackets that rich would take for markup.
        console.print(f"  [red]conflict[/]: {escape(conflict.message)}", highlight=False)
