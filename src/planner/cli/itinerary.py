"""`planner itinerary`: print (text) or write (html, pdf) the itineraries of a delegate or a group."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from planner.cli.app import MissionArgument, ScheduleOption, app, console, run
from planner.domain import LANGUAGES, Mission
from planner.domain.errors import InputError, InputErrors
from planner.domain.schedule import Schedule
from planner.mission.files import slug, write_atomic
from planner.mission.output_folder import check_writable_file

if TYPE_CHECKING:
    from planner.views.common import ProgrammeStamp


@app.command()
def itinerary(
    mission: MissionArgument,
    schedule: ScheduleOption,
    delegate: Annotated[str | None, typer.Option("--delegate", help="A delegate id.")] = None,
    group: Annotated[str | None, typer.Option(
        "--group", help="A group id: one itinerary per member.")] = None,
    format: Annotated[str, typer.Option("--format", help="text, html or pdf.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="File to write (html, pdf).")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="en, fr, nl or de: overrides each delegate's language.")] = None,
) -> None:
    """Print or write the itinerary of a delegate or of every member of a group."""

    def action() -> int:
        from planner.mission.load import load_mission
        from planner.mission.schedule_file import read_programme
        from planner.views.common import programme_stamp

        loaded = load_mission(mission)
        programme = read_programme(loaded, schedule)
        return run_itinerary(loaded, programme, delegate, group, format, out, console, language=lang,
                             stamp=programme_stamp(loaded, programme, schedule))

    run(action)


def check_language(language: str) -> str:
    """`--lang` as a language planner speaks, or an input error saying which to write."""
    from planner.views.itinerary_model import command_line

    code = language.strip().lower()
    if code in LANGUAGES:
        return code
    closest = difflib.get_close_matches(code, LANGUAGES, n=1, cutoff=0.0)
    message = f"--lang '{language}' is not one of {', '.join(LANGUAGES)}; did you mean '{closest[0]}'?"
    raise InputErrors([InputError(command_line(), message)])


def run_itinerary(mission: Mission, schedule: Schedule, delegate_id: str | None, group_id: str | None,
                  format: str, out: Path | None, console: Console, language: str | None = None,
                  stamp: ProgrammeStamp | None = None) -> int:
    """`planner itinerary`: print (text) or write (html, pdf) the itineraries asked for."""
    # The views are imported here, not with the command line: every command (`planner solve` first, whose
    # start waits for them) would otherwise import jinja2 and icalendar before it reads its mission.
    from planner.views.itinerary import (
        FORMATS,
        PageOptions,
        PdfUnavailable,
        build_itinerary,
        itinerary_html,
        itinerary_pdf,
        itinerary_renderable,
        itinerary_text,
        reader_words,
    )
    from planner.views.itinerary_model import command_line, delegates_for

    if language is not None:
        language = check_language(language)
    if format not in FORMATS:
        closest = difflib.get_close_matches(format, FORMATS, n=1, cutoff=0.0)
        raise InputErrors([InputError(command_line(),
                                      f"--format '{format}' is not one of {', '.join(FORMATS)}; "
                                      f"did you mean '{closest[0]}'?")])
    delegate_ids = delegates_for(mission, delegate_id, group_id)
    if out is not None:
        check_writable_file(out, "--out")  # before rendering: a PDF of many pages takes a while
    if not schedule.has_programme:
        console.print(f"The schedule has no programme (status {schedule.status}); nothing to show.",
                      highlight=False)
        return 1
    if format == "text":
        if out is not None:
            write_atomic(out, itinerary_text(mission, schedule, delegate_ids, language=language))
            console.print(f"wrote {escape(str(out))}", highlight=False)
        elif not console.is_terminal:  # `> file`, `| less`: the plain text of --out, no line padded
            console.print(itinerary_text(mission, schedule, delegate_ids, language=language), markup=False,
                          highlight=False)
        else:
            for delegate in delegate_ids:
                console.print(itinerary_renderable(mission, build_itinerary(mission, schedule, delegate),
                                                   reader_words(mission, delegate, language)))
        return 0
    default_name = f"itinerary-{slug(delegate_id or group_id or 'all')}.{format}"
    target = Path(out) if out is not None else Path(default_name)
    if format == "html":
        write_atomic(target, itinerary_html(mission, schedule, delegate_ids, language=language,
                                            options=PageOptions(stamp=stamp)))
    else:
        try:
            pdf = itinerary_pdf(mission, schedule, delegate_ids, language=language, stamp=stamp)
            write_atomic(target, pdf)
        except PdfUnavailable as missing:
            console.print(f"[bold red]error[/]: {escape(str(missing))}", highlight=False)
            return 1
    count = len(delegate_ids)
    console.print(f"wrote {escape(str(target))} ({count} itinerar{'y' if count == 1 else 'ies'})",
                  highlight=False)
    return 0


