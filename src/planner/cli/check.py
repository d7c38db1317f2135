"""`planner check`: a schedule against every hard rule of its mission, independently of the solver."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from planner.cli.app import MissionArgument, app, console, run


@app.command()
def check(mission: MissionArgument,
          schedule: Annotated[Path, typer.Argument(help="The schedule.json to check.", show_default=False)],
          baseline: Annotated[Path | None, typer.Option(
              "--baseline", help="A re-plan's baseline: also check its frozen past and pins.")] = None,
          now: Annotated[str | None, typer.Option(
              "--now", help="With --baseline: the re-plan's now (default: the schedule's own).")] = None,
          notice: Annotated[str | None, typer.Option(
              "--notice", help="With --baseline: the notice (default: the schedule's own, else 0m).")] = None,
          ) -> None:
    """Check a schedule against every hard rule of the mission (independently of the solver)."""

    def action() -> int:
        from planner.check import check_schedule
        from planner.cli.check_report import print_report
        from planner.mission.load import load_mission
        from planner.mission.schedule_file import read_schedule

        if baseline is None and (now is not None or notice is not None):
            from planner.cli.replan import option_error

            # Without the baseline there is no frozen past for them to place: said, not ignored.
            option = "--now" if now is not None else "--notice"
            raise option_error(option, f"{option} applies only with --baseline: add --baseline "
                                       "BASELINE/schedule.json (the schedule the re-plan started from), or "
                                       f"leave {option} out")
        loaded = load_mission(mission)
        checked = read_schedule(schedule)
        rules = loaded  # the mission whose rules the schedule must keep
        frozen_past = []
        if baseline is not None:
            from datetime import timedelta

            from planner.check.frozen import check_replan
            from planner.cli.replan import option_error, parse_notice, parse_now, warn_replan
            from planner.domain.replan import resolve_replan
            from planner.mission.schedule_file import locator

            written_now = now if now is not None else checked.extra.get("now")
            if not isinstance(written_now, str):
                raise option_error("--now", "this schedule does not say its now: give --now")
            instant = (parse_now(written_now, loaded) if now is not None
                       else datetime.fromisoformat(written_now))
            recorded = int(checked.extra.get("notice_minutes") or 0)
            minutes = parse_notice(notice) if notice is not None else recorded
            old = read_schedule(baseline)
            # The rules as the re-plan read them: what started before now + notice is kept from the baseline
            # (its time and venue), whatever the file says of it now, as `planner replan` checks it.
            plan = resolve_replan(loaded, old, instant, minutes, locator(baseline))
            warn_replan(plan)
            rules = plan.mission
            frozen_past = check_replan(loaded, old, checked, instant + timedelta(minutes=minutes))
        violations = check_schedule(rules, checked) + frozen_past
        print_report(loaded, violations, console)
        return 1 if violations else 0

    run(action)
