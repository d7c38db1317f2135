"""Names are listed as a reader expects them: accents and case do not change the alphabetical order."""

from __future__ import annotations

import re
from dataclasses import replace

from planner.mission.load import load_mission
from planner.pipeline import SolveOptions, solve
from planner.text.collation import alphabetical, folded
from planner.views.overview import overview_html


def test_accents_and_case_are_set_aside_then_break_ties():
    names = ["Yves", "Élodie", "eric", "Émile", "Eric", "Zoë", "Zoe"]
    assert sorted(names, key=alphabetical) == ["Élodie", "Émile", "Eric", "eric", "Yves", "Zoe", "Zoë"]
    assert folded("Eléonore Simonet") == "eleonore simonet"


def test_the_overviews_list_of_delegates_is_alphabetical_with_accented_names(example_small_path):
    mission = load_mission(example_small_path)
    mission = replace(mission, delegates={**mission.delegates,
                                          "odoo": replace(mission.delegates["odoo"], name="Écolab")})
    schedule = solve(mission, SolveOptions(time_limit=10, progress=False))
    page = overview_html(mission, schedule)
    listed = re.findall(r'<option value="[^"]+">([^<]+)</option>', page.split('id="delegate-filter"')[1])
    assert listed == sorted(listed, key=alphabetical)
    assert listed.index("Écolab") < listed.index("FN Herstal")


def test_a_row_named_for_its_sector_in_french_gets_no_second_sector_tag(example_small_path):
    """The overview tags a sector's row 'secteur' unless its name says so already, in the page's language
    (before, only the English word counted: 'Secteur numérique secteur')."""
    mission = load_mission(example_small_path)
    tech = replace(mission.groups["tech"], name="Secteur numérique")
    track = replace(mission.groups["royal-track"], name="Mission princière")
    mission = replace(mission, language="fr", groups={**mission.groups, "tech": tech, "royal-track": track})
    schedule = solve(mission, SolveOptions(time_limit=10, progress=False))
    labels = re.findall(r'<div class="row-label" title="[^"]*">(.*?)</div>', overview_html(mission, schedule))
    assert "Secteur numérique" in labels
    assert "Mission princière <small>parcours</small>" in labels


def test_the_overviews_count_of_activities_agrees_with_its_number(example_small_path):
    """'1 activité planifiée', not '1 activités planifiées': the count is a plural message of its own."""
    from planner.text.i18n import words_for

    for language, one in (("fr", "1 activité planifiée"), ("nl", "1 activiteit gepland"), ("de", "1 Termin geplant"),
                          ("en", "1 activity scheduled")):
        words = words_for(language)
        assert words.ngettext("%(count)s activity scheduled", "%(count)s activities scheduled", 1) % {"count": 1} == one
    mission = replace(load_mission(example_small_path), language="fr")
    schedule = solve(mission, SolveOptions(time_limit=10, progress=False))
    assert f"{len(schedule.activities)} activités planifiées · 0 laissée de côté" in overview_html(mission, schedule)
