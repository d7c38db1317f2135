"""overview.html of a mission with no programme: why there is none, in the mission's language.

Without a programme `planner solve` writes no itinerary, calendar or workbook; schedule.json keeps the
conflicts and their English sentences for tools, and the terminal shows them in English. The organiser who
opens the overview, as after every solve, reads here each conflict worded afresh from its code and
parameters in the mission's language (planner.text.conflicts), what they wrote (titles, names, positions)
as written.
"""

from __future__ import annotations

from pathlib import Path

from planner.domain import Mission
from planner.domain.schedule import Conflict, Schedule
from planner.mission.files import write_atomic
from planner.text.conflicts import conflict_sentence
from planner.text.i18n import words_for
from planner.text.vocabulary import status_label
from planner.views.common import template_environment

PAGE = "overview.html"


def conflict_text(conflict: Conflict, language: str) -> str:
    """The conflict in `language`; its message as schedule.json words it where planner cannot word it (a
    code or parameters of another tool's file, a rule kind that speaks English only)."""
    return conflict_sentence(conflict.code, conflict.params, words_for(language)) or conflict.message


def no_programme_html(mission: Mission, schedule: Schedule) -> str:
    words = words_for(mission.language)
    said = (conflict_text(conflict, mission.language) for conflict in schedule.conflicts)
    conflicts = [text for text in said if text]
    return template_environment(mission.language).get_template("no_programme.html").render(
        mission=mission, status=status_label(words, schedule.status),
        infeasible=schedule.status == "infeasible", conflicts=conflicts)


def write_no_programme_page(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """DIR/overview.html, saying why there is no programme."""
    path = Path(out_dir) / PAGE
    write_atomic(path, no_programme_html(mission, schedule))
    return [path]
