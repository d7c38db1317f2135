"""The commands of re-planning: `replan`, `diff` (what changed between two schedules) and `notify` (tell
the people concerned).

Registered on the same typer app as the other commands; the library does the work.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape

from planner.cli.app import (
    app,
    check_seed,
    check_time_limit,
    check_workers,
    console,
    errors_console,
    read_seconds,
    read_whole_number,
    refused_password,
    run,
    warn,
    written_after_ctrl_c,
)
from planner.domain.errors import InputError, InputErrors, Interrupted
from planner.domain.mission import Mission, Source
from planner.domain.replan import Replan
from planner.domain.schedule import Schedule
from planner.mission.output_folder import StagedFolder

if TYPE_CHECKING:
    from planner.views.changes import DelegateReport


def _same_mission(old_path: Path, old_mission: str, new_path: Path, new_mission: str) -> None:
    if old_mission != new_mission:
        raise InputErrors([InputError(
            Source(str(new_path), 1, 1),
            f"this schedule is of mission {new_mission!r}, {old_path} of {old_mission!r}: compare two "
            "schedules of one mission")])


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier schedule.json.", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The later schedule.json.", show_default=False)],
    mission: Annotated[Path | None, typer.Option(
        "--mission", help="The mission file: names, local times and delegation sizes in the report.")] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Also write the report as an HTML page.")] = None,
) -> None:
    """Show what changed between two schedules of one mission, per delegate (old and new time and place)."""

    def action() -> int:
        from planner.mission.files import write_atomic
        from planner.mission.output_folder import check_writable_file
        from planner.mission.schedule_file import read_schedule
        from planner.views.changes import compare_report, report_html, report_renderable

        if html is not None:
            check_writable_file(html, "--html")
        before, after = read_schedule(old), read_schedule(new)
        _same_mission(old, before.mission, new, after.mission)
        loaded = None
        if mission is not None:
            from planner.mission.load import load_mission

            loaded = load_mission(mission)
            _same_mission(mission, loaded.name, new, after.mission)
        for path, schedule in ((old, before), (new, after)):
            if not schedule.has_programme:
                errors_console.print(f"{path} holds no programme (status {schedule.status}): nothing to "
                                     "compare.", highlight=False)
                return 1
        report = compare_report(before, after, loaded)
        # The page first: a reader of the printed report who stops early (`| head`) must not lose it.
        if html is not None:
            write_atomic(html, report_html(report))
        console.print(report_renderable(report))
        if html is not None:
            console.print(f"wrote {html}", highlight=False)
        return 0

    run(action)


def _smtp_address(text: str) -> tuple[str, int]:
    host, colon, port = text.rpartition(":")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputErrors([InputError(Source.command_line("--smtp"),
                                      f"{text!r} is not HOST:PORT: write e.g. smtp.example.org:587")])
    return host.strip("[]"), int(port)


def _smtp_password_variable() -> str:
    from planner.views.mail import PASSWORD_VARIABLE

    return PASSWORD_VARIABLE


@app.command()
def notify(
    out: Annotated[Path, typer.Argument(help="The folder planner replan wrote.", show_default=False)],
    smtp: Annotated[str, typer.Option("--smtp", help="The SMTP server, HOST:PORT.")],
    sender: Annotated[str, typer.Option(
        "--from", help="The sender, e.g. 'Mission team <mission@example.org>'.")],
    mission: Annotated[Path | None, typer.Option(
        "--mission", help="The mission file (default: the one planner replan recorded).")] = None,
    user: Annotated[str | None, typer.Option(
        "--user", help="SMTP user name (then a password is needed).")] = None,
    security: Annotated[str, typer.Option(
        "--security", help="auto (none on localhost, ssl on port 465, else starttls), starttls, ssl, none.")]
        = "auto",
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Write the messages as .eml files into DIR/mail/, send nothing.")] = False,
    password: Annotated[str | None, refused_password(_smtp_password_variable)] = None,
) -> None:
    """Mail each affected delegate who has an email their changes and updated calendar (password:
    PLANNER_SMTP_PASSWORD or a prompt)."""

    def action() -> int:
        from planner.mission.load import load_mission
        from planner.views import mail

        if security not in mail.SECURITY_MODES:
            raise InputErrors([InputError(Source.command_line("--security"),
                                          f"{security!r} is not one of {', '.join(mail.SECURITY_MODES)}")])
        host, port = _smtp_address(smtp)
        mail.check_sender(sender)
        mission_path = mission if mission is not None else _recorded_mission(out)
        loaded = load_mission(mission_path)
        report = mail.report_of_folder(loaded, out)
        letters, unreachable = mail.letters_for(loaded, report, out, sender)
        _warn_unreachable(loaded, mission_path, unreachable)
        if not letters:
            console.print("nobody to mail: no affected delegate has an email.", highlight=False)
            return 0
        if dry_run:
            written = mail.write_letters(letters, out)
            console.print(f"wrote {len(written)} message{'s' if len(written) != 1 else ''} into "
                          f"{out / mail.MAIL_FOLDER}", highlight=False)
            return 0
        try:
            password = mail.password_for(user)
        except (EOFError, KeyboardInterrupt):
            errors_console.print(f"no password given: set {mail.PASSWORD_VARIABLE} or type it at the prompt; "
                                 "nothing sent.", highlight=False)
            return 1
        try:
            delivery = mail.send_letters(letters, host, port, security=security, user=user, password=password)
        except mail.MailFailure as failure:
            errors_console.print(f"[bold red]error[/]: {escape(str(failure))}", highlight=False,
                                 soft_wrap=True)
            return 1
        console.print(f"sent {len(delivery.sent)} message{'s' if len(delivery.sent) != 1 else ''} through "
                      f"{host}:{port}", highlight=False)
        for delegate_id, reason in delivery.refused.items():
            errors_console.print(f"refused for {delegate_id}: {reason}", highlight=False, markup=False,
                                 soft_wrap=True)
        return 1 if delivery.refused else 0

    run(action)


UNREACHABLE_NAMED = 5
"""How many delegates without an email the warning names; the others it counts."""


def _warn_unreachable(mission: Mission, mission_path: Path, unreachable: Sequence[DelegateReport]) -> None:
    """One warning for every affected delegate without an email (a line each buried the rest of the output
    under a dozen alike), standing at the first one's place in the mission file."""
    if not unreachable:
        return
    first = mission.delegates.get(unreachable[0].id)
    # In a workbook, the delegate's row has an `email` cell to fill; in YAML, a key to add.
    in_workbook = first is not None and first.source.sheet is not None
    where = "fill in their `email` cell" if in_workbook else "add `email:`"
    named = [f"{delegate.name} ({delegate.id})" for delegate in unreachable[:UNREACHABLE_NAMED]]
    more = len(unreachable) - len(named)
    if len(unreachable) == 1:
        said = f"{named[0]} has changes but no email"
    else:
        listed = f"{', '.join(named)} and {more} more" if more else f"{', '.join(named[:-1])} and {named[-1]}"
        said = f"{len(unreachable)} delegates have changes but no email ({listed})"
    warn([InputError(first.source if first is not None else Source(str(mission_path), 1, 1),
                     f"{said}: {where} or tell them otherwise")])


def _recorded_mission(out: Path) -> Path:
    """The mission file planner replan recorded in DIR/schedule.json (`mission_file`)."""
    from planner.mission.schedule_file import read_schedule
    from planner.views.mail import NO_CHANGES

    path = out / "schedule.json"
    extra = read_schedule(path).extra
    if not isinstance(extra.get("changes"), list):  # planner solve's: --mission would not help
        raise InputErrors([InputError(Source(str(path), 1, 1), NO_CHANGES)])
    recorded = extra.get("mission_file")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("path"), str):
        raise InputErrors([InputError(Source(str(path), 1, 1),
                                      "this schedule.json does not say which mission file it answers: "
                                      "give it with --mission")])
    return Path(recorded["path"])


def option_error(option: str, message: str) -> InputErrors:
    return InputErrors([InputError(Source.command_line(option), message)])


def parse_now(text: str, mission: Mission) -> datetime:
    """`--now`: a datetime as in the mission format (local time of the leg whose dates contain it) or with
    an offset; within the mission's dates."""
    from pydantic_core import PydanticCustomError

    from planner.domain.replan import check_now
    from planner.mission.scalars import parse_datetime

    try:
        written = parse_datetime(text)
    except PydanticCustomError as error:
        raise option_error("--now", error.message()) from None
    if written.offset is not None:
        now = written.naive().replace(tzinfo=written.offset)
    else:
        leg = next((leg for leg in mission.legs if leg.contains(written.day)), None)
        # A date between two legs is read in the mission's own time zone.
        zone = leg.zone if leg is not None else ZoneInfo(mission.timezone)
        now = written.naive().replace(tzinfo=zone)
    check_now(mission, now, Source.command_line("--now"))
    return now


def parse_notice(text: str) -> int:
    """`--notice`: a duration as in the mission format; a bare number is minutes there, which is said, since
    on the command line `--notice 2` is as likely to mean two hours."""
    from pydantic_core import PydanticCustomError

    from planner.mission.scalars import parse_duration

    try:
        minutes = parse_duration(text)
    except PydanticCustomError as error:
        raise option_error("--notice", error.message()) from None
    number = text.strip()
    if number.isdigit() and minutes:
        warn([InputError(Source.command_line("--notice"),
                         f"`{number}` is read as {minutes} minutes (a number without a unit is minutes, as "
                         f"in the mission file); write `{minutes}m` to say so, or `{number}h` for hours")])
    return minutes


def warn_replan(plan: Replan) -> None:
    """What the re-plan read in the mission file and did not apply as written (the frozen past it keeps),
    and the new activities that look like a baseline one under a mistyped id: `planner replan` and
    `planner check --baseline` say the same, since both read the file as the re-plan did."""
    warn(plan.warnings)
    warn(plan.renamed)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@app.command()
def replan(
    mission: Annotated[Path, typer.Argument(
        help="The updated mission file (ids of unchanged things unchanged).", show_default=False)],
    baseline: Annotated[Path, typer.Option("--baseline", help="The schedule.json that delegates hold now.")],
    now: Annotated[str, typer.Option(
        "--now", help="From when the programme may change: \"2025-10-07 12:00\" (local time of the leg) or "
                      "with an offset.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")],
    notice: Annotated[str, typer.Option(
        "--notice", help="Baseline activities starting before now + notice are kept too, e.g. 2h.")] = "0m",
    time_limit: Annotated[float, typer.Option(
        "--time-limit", help="Seconds before stopping with the best found.",
        parser=read_seconds, callback=check_time_limit)] = 60.0,
    workers: Annotated[int, typer.Option(
        "--workers", help="Solver threads (the same value gives the same schedule).",
        parser=read_whole_number("2"), callback=check_workers)] = 2,
    seed: Annotated[int, typer.Option(
        "--seed", help="Random seed of the solver.", parser=read_whole_number("0"), callback=check_seed)] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    """Re-plan an updated mission from the programme delegates hold: keep what happened, move the fewest
    people, and report what changed for each of them."""

    def action() -> int:
        from planner.cli.progress import live_progress
        from planner.domain.replan import resolve_replan
        from planner.isolated import replan_isolated
        from planner.mission.lint import mission_warnings
        from planner.mission.load import load_mission
        from planner.mission.output_folder import stage_folder
        from planner.mission.schedule_file import locator, read_schedule
        from planner.solver.options import SolveOptions

        refuse_the_baselines_folder(baseline, out)
        loaded = load_mission(mission)
        old = read_schedule(baseline)
        instant = parse_now(now, loaded)
        minutes = parse_notice(notice)
        plan = resolve_replan(loaded, old, instant, minutes, locator(baseline))
        warn(mission_warnings(loaded))
        warn_replan(plan)
        options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=not quiet)
        # The output folder is checked (and its staging folder made) before the solve, not after it.
        with stage_folder(out, "schedule.json") as staged:
            interrupted = False
            try:
                with live_progress(options, console) as (watched, on_phase):
                    # In a child process, as for `solve`: a crash of the solver is one message
                    # (planner.isolated).
                    schedule = replan_isolated(plan, watched, on_phase=on_phase)
            except Interrupted as stopped:  # Ctrl-C stopped the search: its best is written, exit 130
                schedule, interrupted = stopped.schedule, True
            schedule.extra["baseline"] = {"path": str(baseline.resolve()), "sha256": _digest(baseline)}
            schedule.extra["mission_file"] = {"path": str(mission.resolve()), "sha256": _digest(mission)}
            schedule.extra["notice_minutes"] = minutes
            schedule.extra["version"] = old.version + 1
            status = _write_replan(plan, schedule, out, staged)
            return written_after_ctrl_c(console) if interrupted else status

    run(action)


def refuse_the_baselines_folder(baseline: Path, out: Path) -> None:
    """An `--out` that holds the baseline would replace it: the programme delegates hold, which the change
    report compares with and the calendars' SEQUENCE continues from, and which a second try of the re-plan
    needs again. Refused before anything is read or solved."""
    from planner.domain import Source
    from planner.domain.errors import InputError, InputErrors

    held = os.path.realpath(baseline)
    folder = os.path.realpath(out)
    if held == folder or held.startswith(folder + os.sep):
        raise InputErrors([InputError(Source.command_line("--out"), (
            f"{out} holds the baseline {baseline}, which the re-plan would replace (the programme "
            f"delegates hold now, which its changes are counted from); write the re-plan to a folder of its "
            f"own, e.g. --out {Path(out).parent / 'replan-1'}"))])


def _write_replan(plan: Replan, schedule: Schedule, out: Path, staged: StagedFolder) -> int:
    """Everything solve writes and the change report (one folder, swapped in whole), then the checks of the
    re-plan; the exit status."""
    from planner.check import check_schedule
    from planner.check.frozen import check_replan
    from planner.cli.solve_summary import print_summary
    from planner.domain.change import ChangeSet
    from planner.views.changes import activities_renderable, build_report, write_report
    from planner.views.outputs import write_outputs

    if not schedule.has_programme:
        written = write_outputs(plan.mission, schedule, out, staged)
        print_summary(plan.mission, schedule, console)
        console.print(f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {out}",
                      highlight=False)
        return 1
    changes = ChangeSet.from_json(schedule.extra["changes"], schedule, plan.baseline)
    report = build_report(changes, schedule.extra["disruption"], plan.mission, now=plan.now,
                          kept=[warning.message for warning in plan.warnings])
    written = write_outputs(plan.mission, schedule, out, staged,
                            also=[lambda mission, programme, folder: write_report(report, folder)])
    print_summary(plan.mission, schedule, console)
    console.print(activities_renderable(report))
    console.print(f"wrote {len(written)} files to {out}", highlight=False)
    # The referee: the updated rules as re-planning reads them, and the frozen past, checked independently.
    violations = check_schedule(plan.mission, schedule) + check_replan(plan.updated, plan.baseline, schedule,
                                                                       plan.cutoff)
    for violation in violations:
        errors_console.print(f"[bold red]check failed[/]: {escape(str(violation))}", highlight=False,
                             soft_wrap=True)
    return 1 if violations else 0

