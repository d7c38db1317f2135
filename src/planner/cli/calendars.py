"""`planner calendars` and `planner publish`: the programme as .ics files, or on a CalDAV server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from planner.cli.app import (
    MissionArgument,
    ScheduleOption,
    app,
    console,
    programme_or_none,
    refused_password,
    run,
)


@app.command()
def calendars(mission: MissionArgument, schedule: ScheduleOption,
              out: Annotated[Path, typer.Option(
                  "--out", help="Folder for mission.ics, delegates/, groups/.")] = Path("out/calendars"),
              ) -> None:
    """Write .ics calendars (one per delegate, per group, and the whole mission) from a schedule."""

    def action() -> int:
        from planner.mission.load import load_mission
        from planner.mission.output_folder import stage_folder
        from planner.views.calendar_files import write_calendar_folder

        loaded = load_mission(mission)
        programme = programme_or_none(loaded, schedule, "no calendar written")
        if programme is None:
            return 1
        with stage_folder(out, "mission.ics") as staged:
            written = write_calendar_folder(loaded, programme, staged.path, replaced_folder=out)
            staged.commit()
        console.print(f"wrote {len(written)} calendars into {escape(str(out))}")
        return 0

    run(action)


def _caldav_password_variable() -> str:
    from planner.views.publish import PASSWORD_VARIABLE

    return PASSWORD_VARIABLE


@app.command()
def publish(
    mission: MissionArgument,
    schedule: ScheduleOption,
    caldav: Annotated[str, typer.Option("--caldav", help="CalDAV server URL.")],
    user: Annotated[str | None, typer.Option("--user", help="CalDAV user name.")] = None,
    password: Annotated[str | None, refused_password(_caldav_password_variable)] = None,
) -> None:
    """Push each delegate's and group's calendar to a CalDAV server (password: PLANNER_CALDAV_PASSWORD or a prompt)."""  # noqa: E501 - typer shows it as one paragraph

    def action() -> int:
        from planner.mission.load import load_mission
        from planner.views.publish import publish_calendars

        _check_caldav_url(caldav)
        loaded = load_mission(mission)
        programme = programme_or_none(loaded, schedule, "nothing published")
        if programme is None:
            return 1
        return publish_calendars(loaded, programme, caldav, user, console)

    run(action)


def _check_caldav_url(url: str) -> None:
    """`--caldav` is an http(s) address with a host, said before anything is read or asked (a bare name
    was looked up as a host and failed as an unreachable server, exit status 1)."""
    from urllib.parse import urlsplit

    from planner.domain.errors import InputError, InputErrors
    from planner.domain.mission import Source

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        raise InputErrors([InputError(Source.command_line("--caldav"), (
            f"{url!r} is not the address of a CalDAV server: write it with https:// (or http://) and its "
            "host, e.g. https://cal.example.org/dav/"))])
